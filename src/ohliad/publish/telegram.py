"""The edition as Telegram messages, in the Bot API's HTML parse mode.

Each entry reads, Ukrainian first::

    <b>Ukrainian headline</b>
    Ukrainian summary
    <i>English headline</i>
    Джерела: <a href="…">Outlet</a> · <a href="…">Outlet</a>

Where no engine wrote Ukrainian, the entry says so in Ukrainian and gives the
English headline and summary: English is never passed off as Ukrainian.

A text message holds at most 4096 characters, as Telegram counts them: in
UTF-16 code units, of the text left after the tags. Every piece here is
measured by its raw HTML in UTF-16 units, which is never less than the text
Telegram counts (a tag or an escape is longer than what it leaves), so a
message that passes here passes there. Entries are packed whole; one that is
longer than a message on its own is cut between its paragraphs, then between
sentences, then words, then characters, never inside a tag, a link or an
escape, and each part is HTML complete in itself.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from ohliad.models import DigestEntry
from ohliad.render.markdown import safe_url

# Telegram's limit for the text of one message.
MESSAGE_LIMIT = 4096
# Where the Ukrainian is missing (the reader sees the English below it), and
# before the links: the e-mail edition says the same.
NO_UKRAINIAN = "Українського перекладу немає, подаємо англійський оригінал."
SOURCES_LABEL = "Джерела:"
# An outlet's name longer than this is cut, and a URL longer than this (in
# UTF-16 units, escaped) is not linked: one link always fits in a message.
MAX_OUTLET_CHARS = 120
MAX_URL_CHARS = 2048
_LINK_SEPARATOR = " · "
_PARAGRAPH_SEPARATOR = "\n"
_ENTRY_SEPARATOR = "\n\n"
# Controls and lone surrogates: Telegram refuses what is not valid UTF-8.
_UNSENDABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
# A URL with these is malformed: Telegram would refuse the whole message.
_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def units(text: str) -> int:
    """The length of ``text`` as Telegram counts it: in UTF-16 code units (an
    emoji outside the Basic Multilingual Plane counts two)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _clean(text: str | None) -> str:
    """One line of text, with what Telegram cannot take removed."""
    return " ".join(_UNSENDABLE.sub("", text or "").split())


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


@dataclass(frozen=True, slots=True)
class _Paragraph:
    """A line of an entry: text in one style (``tag``: b, i or none), or a
    label and links (``links``, HTML already, each one whole)."""

    text: str = ""
    tag: str = ""
    links: tuple[str, ...] = ()

    def parts(self, limit: int) -> list[str]:
        """The paragraph as HTML, in as few parts of at most ``limit`` units as
        its cutting points allow."""
        if self.links:
            label = _escape(SOURCES_LABEL) + " "
            return _pack([label + self.links[0], *self.links[1:]], _LINK_SEPARATOR, limit)
        return _styled_parts(self.text, self.tag, limit)


def _wrap(text: str, tag: str) -> str:
    return f"<{tag}>{text}</{tag}>" if tag else text


def _styled_parts(text: str, tag: str, limit: int) -> list[str]:
    """``text`` escaped and wrapped in ``tag``, cut (at sentences, words,
    characters) into parts of at most ``limit`` units each."""
    room = limit - units(_wrap("", tag))
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if units(_escape(sentence)) <= room:
            pieces.append(_escape(sentence))
            continue
        for word in sentence.split(" "):
            if units(_escape(word)) <= room:
                pieces.append(_escape(word))
            else:
                pieces.extend(_characters(word, room))
    return [_wrap(part, tag) for part in _pack(pieces, " ", room)]


def _characters(word: str, room: int) -> list[str]:
    """A word longer than a message, escaped, in chunks of at most ``room``
    units, each cut between characters (so never inside an escape)."""
    chunks: list[str] = []
    chunk, size = "", 0
    for ch in word:
        escaped = _escape(ch)
        if size + units(escaped) > room:
            chunks.append(chunk)
            chunk, size = "", 0
        chunk += escaped
        size += units(escaped)
    return [*chunks, chunk] if chunk else chunks


def _pack(pieces: Iterable[str], separator: str, limit: int) -> list[str]:
    """``pieces`` in order, joined by ``separator`` into as few groups of at
    most ``limit`` units as fit (each piece fits alone)."""
    groups: list[str] = []
    for piece in pieces:
        if groups and units(groups[-1]) + units(separator) + units(piece) <= limit:
            groups[-1] += separator + piece
        else:
            groups.append(piece)
    return groups


def _links(entry: DigestEntry) -> tuple[str, ...]:
    links: list[str] = []
    seen: set[str] = set()
    for source in entry.sources:
        url = safe_url(source.url)
        href = html.escape(url or "", quote=True)
        if not url or url in seen or units(href) > MAX_URL_CHARS or _NOT_IN_URL.search(url):
            continue
        seen.add(url)
        name = _clean(source.outlet) or urlsplit(url).hostname or url
        if len(name) > MAX_OUTLET_CHARS:
            name = name[: MAX_OUTLET_CHARS - 1].rstrip() + "…"
        links.append(f'<a href="{href}">{_escape(name)}</a>')
    return tuple(links)


def _paragraphs(entry: DigestEntry) -> list[_Paragraph]:
    english = _clean(entry.summary.headline)
    if entry.ukrainian:
        paragraphs = [
            _Paragraph(_clean(entry.ukrainian.headline), "b"),
            _Paragraph(_clean(entry.ukrainian.summary)),
            _Paragraph(english, "i"),
        ]
    else:
        paragraphs = [
            _Paragraph(english, "b"),
            _Paragraph(NO_UKRAINIAN, "i"),
            _Paragraph(_clean(entry.summary.text)),
        ]
    links = _links(entry)
    if links:
        paragraphs.append(_Paragraph(links=links))
    return [p for p in paragraphs if p.text or p.links]


def entry_parts(entry: DigestEntry, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The entry as HTML: one part when it fits in a message, else parts of
    at most ``limit`` units, cut between paragraphs where possible."""
    pieces = [part for paragraph in _paragraphs(entry) for part in paragraph.parts(limit)]
    return _pack(pieces, _PARAGRAPH_SEPARATOR, limit)


def telegram_messages(entries: Sequence[DigestEntry], *, title: str | None = None) -> list[str]:
    """The edition as the texts of Telegram messages (HTML parse mode), in
    order, the title first; each at most ``MESSAGE_LIMIT`` UTF-16 units."""
    blocks = _styled_parts(_clean(title), "b", MESSAGE_LIMIT) if _clean(title) else []
    for entry in entries:
        blocks.extend(entry_parts(entry))
    return _pack(blocks, _ENTRY_SEPARATOR, MESSAGE_LIMIT)


def telegram_lines(messages: Iterable[str]) -> str:
    """JSON Lines, one Bot API ``sendMessage`` body a message, for a script to
    send each (adding its ``chat_id``)."""
    return "".join(
        json.dumps(
            {"text": text, "parse_mode": "HTML", "link_preview_options": {"is_disabled": True}},
            ensure_ascii=False,
        )
        + "\n"
        for text in messages
    )
