"""Parsing of metadata values found in input files (dates, keys)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from ohliad.dates import parse_datetime

# "/2026/03/05/" or "/2026-03-05/" in a news URL path.
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?=[/-]|$)")


def date_from_url(url: str) -> datetime | None:
    """The publication day that many news sites put in their URLs, as the
    last resort for an undated article (a day, so midnight UTC)."""
    match = _URL_DATE.search(url)
    if not match:
        return None
    try:
        year, month, day = (int(g) for g in match.groups())
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


# Names under which input files give each article field.
FIELD_ALIASES: dict[str, str] = {
    "date": "published",
    "published": "published",
    "published_at": "published",
    "pubdate": "published",
    "time": "published",
    "dateline": "published",
    "url": "url",
    "link": "url",
    "canonical": "url",
    "outlet": "outlet",
    "source": "outlet",
    "publisher": "outlet",
    "site": "outlet",
    "site_name": "outlet",
    "title": "title",
    "headline": "title",
    "author": "author",
    "by": "author",
    "byline": "author",
    "language": "language",
    "lang": "language",
}


def scalar_text(value: object) -> str | None:
    """A field's value as text, when it is one value (text, a number, a date);
    None for nothing, and for a list or a mapping: printing a YAML alias bomb
    of nine lists of nine would take billions of steps."""
    if value is None or value == "" or isinstance(value, list | tuple | dict | set):
        return None
    return str(value) if isinstance(value, str | int | float | date | datetime) else None


def metadata_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """An Article's metadata (url, published, outlet, author, language) from
    a record's fields of those names: JSON Lines, front matter, a text dump's
    header."""
    return {
        "url": scalar_text(fields.get("url")),
        "published": parse_datetime(fields.get("published")),
        "outlet": scalar_text(fields.get("outlet")),
        "author": scalar_text(fields.get("author")),
        "language": scalar_text(fields.get("language")),
    }
