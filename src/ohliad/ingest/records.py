"""What every article must be before it is stored, checked where it is read.

Inputs carry anything: a lone surrogate in JSON text, a NUL byte, a URL with
port 99999 or a 300-character host label, a language "code" of a paragraph.
Each is normalised here, or its record alone is refused with a one-line
reason, so that the rest of the batch is stored, and SQLite and PostgreSQL
accept exactly the same articles (PostgreSQL refuses NUL bytes and values
longer than their columns, where SQLite stores them).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from ohliad.errors import OhliadError
from ohliad.models import Article

# The columns' sizes (store/schema.py).
MAX_URL_CHARS = 2000
MAX_OUTLET_CHARS = 200
MAX_AUTHOR_CHARS = 500
MAX_LANGUAGE_CHARS = 16
# DNS limits (RFC 1035): a label, and the whole name.
MAX_HOST_LABEL = 63
MAX_HOST_NAME = 253

# C0 controls but tab, newline and carriage return; DEL and the C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# A BCP 47-like tag: "en", "uk", "en-GB", "zh-Hant-TW".
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")


class InvalidRecordError(OhliadError, ValueError):
    """A record that cannot be stored as an article; the message says why."""


def clean_string(value: str) -> str:
    """``value`` storable anywhere: lone surrogates (JSON's ``"\\ud800"``, a
    file name that is not UTF-8) become U+FFFD, control characters go."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = _SURROGATE.sub("\ufffd", value)
    return _CONTROLS.sub("", value) if _CONTROLS.search(value) else value


def clean_value(value: Any) -> Any:
    """``clean_string`` throughout a JSON-like value (an article's ``extra``)."""
    if isinstance(value, str):
        return clean_string(value)
    if isinstance(value, Mapping):
        return {clean_string(str(k)): clean_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_value(v) for v in value]
    return value


def _shortened(value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    if len(value) <= limit:
        return value or None
    return value[: limit - 1].rstrip() + "…"


def checked_url(url: str) -> str:
    """``url`` if it can be stored and parsed; raises InvalidRecordError."""
    if len(url) > MAX_URL_CHARS:
        raise InvalidRecordError(f"URL longer than {MAX_URL_CHARS} characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        raise InvalidRecordError(f"invalid URL {url!r}: {exc}") from None
    host = parts.hostname or ""
    if host.startswith("[") or ":" in host:
        try:
            ipaddress.IPv6Address(host.strip("[]"))
        except ValueError:
            raise InvalidRecordError(f"invalid URL {url!r}: bad IPv6 address") from None
    elif len(host) > MAX_HOST_NAME or any(len(label) > MAX_HOST_LABEL for label in host.split(".")):
        raise InvalidRecordError(f"invalid URL {url[:80]!r}…: host name too long")
    return url


def _language(code: str | None) -> str | None:
    """A language tag as given, or None (detected later) if it is none."""
    if code is None:
        return None
    code = code.strip()
    if len(code) > MAX_LANGUAGE_CHARS or not _LANGUAGE_TAG.fullmatch(code):
        return None
    return code


def checked_article(article: Article) -> Article:
    """The article with every field storable (see the module's docstring);
    raises InvalidRecordError when its URL cannot be used."""
    url = clean_string(article.url) if article.url else None
    return replace(
        article,
        title=clean_string(article.title),
        text=clean_string(article.text),
        url=checked_url(url) if url else None,
        outlet=_shortened(
            clean_string(article.outlet) if article.outlet else None, MAX_OUTLET_CHARS
        ),
        author=_shortened(
            clean_string(article.author) if article.author else None, MAX_AUTHOR_CHARS
        ),
        language=_language(clean_string(article.language) if article.language else None),
        origin=clean_string(article.origin) if article.origin else None,
        extra=clean_value(article.extra) if article.extra else article.extra,
    )
