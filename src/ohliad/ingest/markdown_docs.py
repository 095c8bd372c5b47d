"""Markdown (``.md``, ``.markdown``): articles with optional YAML front
matter, and digest entries in ohliad's own house format, which read back as
their headline, Ukrainian headline and summary, source links and English text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from markdown_it import MarkdownIt

from ohliad.extract import clean_news_text
from ohliad.ingest.fields import FIELD_ALIASES, metadata_fields, scalar_text
from ohliad.ingest.readers import IngestFailure, Outcome, Source, TextReader
from ohliad.models import Article
from ohliad.render.markdown import MARKDOWN_SPECIALS, NOTE, UNAVAILABLE_NOTICE

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
_ENTRY_START = re.compile(r"^## (?!#)", re.MULTILINE)
_UK_HEADLINE = re.compile(r"^### \*(.+)\*\s*$")
_ITALIC_PARAGRAPH = re.compile(r"^\*(?!\*)(.+)\*$", re.DOTALL)
_SOURCE_LINE = re.compile(r"^<https?://[^>]+>(\s*·\s*<https?://[^>]+>)*$")
_ANGLE_URL = re.compile(r"<(https?://[^>]+)>")
# What the house format escapes (``ohliad.render.markdown.inline``), escaped.
_ESCAPED = re.compile(r"\\" + MARKDOWN_SPECIALS.pattern)
_markdown = MarkdownIt("commonmark")
# Markdown one article may have: a long feature is 100 000 characters. The
# parser's tokens take about 20 bytes a character (a 13 MB table: 270 MB).
MAX_ARTICLE_MARKDOWN = 2_000_000


def markdown_to_text(source: str) -> str:
    """Plain text of Markdown: paragraphs and headings as lines separated by a
    blank line, links as their text, images and HTML dropped. Raises
    ValueError for more than ``MAX_ARTICLE_MARKDOWN`` characters."""
    if len(source) > MAX_ARTICLE_MARKDOWN:
        raise ValueError(
            f"{len(source):,} characters of Markdown, more than the "
            f"{MAX_ARTICLE_MARKDOWN:,} one article may have"
        )
    blocks: list[str] = []
    for token in _markdown.parse(source):
        if token.type != "inline" or not token.children:
            continue
        parts: list[str] = []
        for child in token.children:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
        text = "".join(parts).strip()
        if text:
            blocks.append(text)
    return "\n\n".join(blocks)


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        loaded = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise ValueError(f"malformed front matter: {exc.problem or exc}") from None
    if not isinstance(loaded, dict):
        raise ValueError("front matter is not a mapping of keys to values")
    fields: dict[str, Any] = {}
    for key, value in loaded.items():
        # One value each: lists and mappings (a YAML alias bomb) are left out.
        name = FIELD_ALIASES.get((scalar_text(key) or "").lower())
        given = scalar_text(value)
        if name and given is not None:
            fields[name] = given
    return fields, text[match.end() :]


def is_digest_markdown(text: str) -> bool:
    """Whether ``text`` holds entries in the house digest format: a ``## ``
    headline followed by a Ukrainian headline, or by the notice that Ukrainian
    is unavailable."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if lines and lines[0].startswith("# ") and not lines[0].startswith("## "):
        lines = lines[1:]  # the digest's own title
    return (
        len(lines) > 1
        and lines[0].startswith("## ")
        and bool(_UK_HEADLINE.match(lines[1]) or lines[1].startswith(UNAVAILABLE_NOTICE))
    )


def _unescape(text: str) -> str:
    return _ESCAPED.sub(r"\1", " ".join(text.split()))


def parse_digest_entry(entry: str, *, origin: str | None = None) -> Article:
    """One house-format entry (starting at its ``## `` headline)."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", entry.strip()) if p.strip()]
    headline = _unescape(paragraphs[0].removeprefix("## "))
    extra: dict[str, Any] = {"digest_entry": True}
    rest = paragraphs[1:]
    if rest and (match := _UK_HEADLINE.match(rest[0])):
        extra["headline_uk"] = _unescape(match.group(1))
        rest = rest[1:]
        if rest and (match := _ITALIC_PARAGRAPH.match(rest[0])):
            extra["summary_uk"] = _unescape(match.group(1))
            rest = rest[1:]
    elif rest and rest[0].startswith(UNAVAILABLE_NOTICE):
        rest = rest[1:]
    sources: list[str] = []
    if rest and _SOURCE_LINE.match(rest[0]):
        sources = _ANGLE_URL.findall(rest[0])
        rest = rest[1:]
    extra["sources"] = sources
    # The entry's notes ("> Note: …") and a comparison section (a "#### …"
    # heading) may follow the summary.
    english: list[str] = []
    for paragraph in rest:
        if paragraph.startswith(("#", NOTE)):  # a comparison, the entry's notes
            break
        english.append(paragraph)
    text = markdown_to_text("\n\n".join(english))
    if not text:
        raise ValueError(f"digest entry {headline!r} has no English summary")
    return Article(
        title=headline,
        text=text,
        url=sources[0] if sources else None,
        language="en",
        origin=origin,
        extra=extra,
    )


def parse_markdown(text: str, *, origin: str | None = None) -> list[Article]:
    """Articles in a Markdown file: one per house-format digest entry, or the
    file as one article."""
    fields, body = _front_matter(text)
    if is_digest_markdown(body):
        starts = [m.start() for m in _ENTRY_START.finditer(body)]
        chunks = [body[a:b] for a, b in zip(starts, [*starts[1:], len(body)], strict=True)]
        return [parse_digest_entry(chunk, origin=origin) for chunk in chunks]
    title = str(fields.get("title") or "").strip()
    heading = re.search(r"^# (.+)$", body, re.MULTILINE)
    if heading:
        if not title:
            title = heading.group(1).strip()
        body = body[: heading.start()] + body[heading.end() :]
    plain = clean_news_text(markdown_to_text(body), title=title or None)
    if not plain.strip():
        raise ValueError("no article text found")
    return [
        Article(
            title=title or plain.split("\n", 1)[0][:120],
            text=plain,
            origin=origin,
            **metadata_fields(fields),
        )
    ]


class MarkdownReader(TextReader):
    name = "markdown"
    suffixes = (".md", ".markdown")
    sniff_order = 40

    def sniff(self, head: bytes) -> bool:
        return head.startswith((b"---", b"# ", b"## "))

    def read_text(self, text: str, source: Source) -> Iterator[Outcome]:
        try:
            yield from parse_markdown(text, origin=source.origin)
        except ValueError as exc:
            yield IngestFailure(source.origin, str(exc))
