"""Plain-text news dumps (``.txt``, ``.text``, and any text no other reader
claims).

Such files rarely start with prose. Typically they carry metadata lines
(``date 2023-03-03``, ``URL: https://…``, ``source Baltic Wire``), then a
headline line, a one-line standfirst and an image caption with its photo
credit, and only then the body. These parts become fields; only the body
is kept as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ohliad.dates import parse_datetime
from ohliad.extract import clean_news_text
from ohliad.ingest.fields import FIELD_ALIASES, metadata_fields
from ohliad.ingest.readers import IngestFailure, Outcome, Source, TextReader
from ohliad.models import Article

_METADATA_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z _-]{0,20}?)\s*(?::|=|\s)\s*(\S.*?)\s*$")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
# Photo credits: "Photo: Jane Doe/Agency", "(AFP via Getty Images)",
# "… /Pool/Reuters", "Credit: …", "Image: …".
_CREDIT = re.compile(
    r"(\b(photo(graph)?|image|picture|credit|illustration|pictured)s?\s*(:|by\b)"
    r"|\bvia getty images\b|/\s*(pool|afp|ap|reuters|epa|getty|anadolu)\b"
    r"|\((photo|image)[^)]*\)\s*$)",
    re.IGNORECASE,
)
# A headline rarely ends with a full stop; a paragraph of prose does.
# "WARSAW, March 5 (Agency) -" or "KYIV —": a wire dateline opens the body.
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]{1,40}(,[^—–-]{0,60})?\s*(—|–|-)\s")
_PROSE_END = re.compile(r"\.['\"”’»)]?\s*$")


def _metadata(line: str) -> tuple[str, str] | None:
    match = _METADATA_LINE.match(line)
    if not match:
        return None
    key = match.group(1).strip().lower().replace(" ", "_").replace("-", "_")
    name = FIELD_ALIASES.get(key)
    if name is None:
        return None
    value = match.group(2).strip()
    if name in ("outlet", "url") and _URL.match(value):
        return "url", value
    if name == "published" and parse_datetime(value) is None:
        return None
    return name, value


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def is_caption(line: str) -> bool:
    return bool(_CREDIT.search(line)) and len(line.split()) <= 60


def _is_caption_block(block: list[str]) -> bool:
    return len(block) <= 3 and any(is_caption(line) for line in block)


def _is_headline(block: list[str]) -> bool:
    return len(block) == 1 and len(block[0].split()) <= 30 and not _PROSE_END.search(block[0])


def _take_header(
    blocks: list[list[str]], fields: dict[str, Any], extra: dict[str, Any]
) -> list[list[str]]:
    """Move the headline stack at the top — headline, standfirst, captions —
    into fields; return the body blocks."""
    if not blocks:
        return blocks
    first = blocks[0]
    # A first block of several short lines is a headline stack written
    # without blank lines between its parts.
    if len(first) > 1 and all(len(line.split()) <= 60 for line in first):
        blocks = [[first[0]], *[[line] for line in first[1:]], *blocks[1:]]
    if _is_headline(blocks[0]):
        headline = blocks.pop(0)[0]
        if "title" not in fields:
            fields["title"] = headline
        elif headline.casefold() != str(fields["title"]).casefold():
            blocks.insert(0, [headline])
            return blocks
    while blocks:
        block = blocks[0]
        following = blocks[1] if len(blocks) > 1 else None
        if _is_caption_block(block):
            extra.setdefault("captions", []).append(" ".join(block))
        elif (
            "standfirst" not in extra
            and len(block) == 1
            and len(block[0].split()) <= 40
            and following is not None
            and (_is_caption_block(following) or bool(_DATELINE.match(following[0])))
        ):
            extra["standfirst"] = block[0]
        else:
            break
        blocks.pop(0)
    return blocks


def parse_text_dump(text: str, *, origin: str | None = None) -> Article:
    """Split a plain-text dump into fields and body. Raises ValueError when
    no body text is left."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    fields: dict[str, Any] = {}
    position = 0
    while position < len(lines):
        line = lines[position]
        if not line.strip():
            position += 1
            continue
        parsed = _metadata(line)
        if parsed is None or parsed[0] in fields:
            break
        fields[parsed[0]] = parsed[1]
        position += 1

    blocks = _blocks(lines[position:])
    extra: dict[str, Any] = {}
    blocks = _take_header(blocks, fields, extra)

    title = str(fields.get("title") or "").strip()
    body = clean_news_text("\n\n".join(" ".join(b) for b in blocks), title=title or None)
    if not body.strip():
        raise ValueError("no article text found")
    if not title:
        title = body.split("\n", 1)[0][:120]
    return Article(title=title, text=body, origin=origin, extra=extra, **metadata_fields(fields))


class TextDumpReader(TextReader):
    name = "text"
    suffixes = (".txt", ".text")
    # The last resort: text that no other reader claims.
    sniff_order = 1000

    def sniff(self, head: bytes) -> bool:
        return True

    def read_text(self, text: str, source: Source) -> Iterator[Outcome]:
        try:
            yield parse_text_dump(text, origin=source.origin)
        except ValueError as exc:
            yield IngestFailure(source.origin, str(exc))
