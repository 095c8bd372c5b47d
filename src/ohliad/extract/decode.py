"""Turn the bytes of a web page into text: size cap, charset detection, binary check."""

from __future__ import annotations

import codecs
import re
from typing import AnyStr

import charset_normalizer

from ohliad.extract.errors import NoArticleTextError

# Where a page declares its charset: <meta charset=...> or the http-equiv content type.
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Signatures of documents that are not HTML even when served as such.
_BINARY_SIGNATURES = (b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff")


def cut_to_size(page: AnyStr, limit: int) -> AnyStr:
    """Cut ``page`` to at most ``limit`` bytes (or characters), at the end of the last
    complete tag, so that no tag or multi-byte character is left half-read."""
    if len(page) <= limit:
        return page
    head = page[:limit]
    tag_end = head.rfind(b">" if isinstance(head, bytes) else ">")
    return head[: tag_end + 1] if tag_end > 0 else head


def declared_charset(data: bytes) -> str | None:
    """The charset the page declares in its first few kilobytes, if Python knows it."""
    match = _DECLARED_CHARSET.search(data[:8192])
    return known_charset(match.group(1).decode("ascii", "ignore")) if match else None


def known_charset(name: str) -> str | None:
    """Python's name for a charset label, or None if Python does not know it."""
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return None
    # Browsers read latin-1 and ASCII declarations as windows-1252 (WHATWG), and so do pages.
    return "cp1252" if canonical in {"latin-1", "iso8859-1", "ascii"} else canonical


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except LookupError:
        return None
    except UnicodeDecodeError as error:
        # A page cut to size may end inside a multi-byte character: drop that tail only.
        if error.reason == "unexpected end of data" and error.end == len(data):
            return data[: error.start].decode(encoding, errors="replace")
        return None


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Decode page bytes: BOM, valid UTF-8, the charset the server sent (``charset``),
    the one the page declares, then detection.

    Valid UTF-8 wins over a declared single-byte charset because pages often
    declare latin-1 while serving UTF-8, and non-ASCII text is almost never
    valid UTF-8 by accident.
    """
    if data.lstrip()[:8].startswith(_BINARY_SIGNATURES) or b"\x00\x00\x00" in data[:4096]:
        raise NoArticleTextError()
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    text = _strict(data, "utf-8")
    if text is not None:
        return text
    for declared in (known_charset(charset or ""), declared_charset(data)):
        if declared and declared != "utf-8":
            text = _strict(data, declared)
            if text is not None:
                return text
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    return data.decode(encoding, errors="replace")
