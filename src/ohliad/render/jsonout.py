"""The digest as JSON: an array of entries in the contract of
``ohliad.digest_json``."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ohliad.digest_json import entry_to_dict
from ohliad.models import DigestEntry


def render_json(entries: Sequence[DigestEntry]) -> str:
    """The digest as a JSON array of story objects."""
    return json.dumps([entry_to_dict(e) for e in entries], ensure_ascii=False, indent=2) + "\n"
