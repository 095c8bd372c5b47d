"""Input formats as plug-ins: what a reader of one format declares, and how
the right reader is found for a file, a fetched page or bare content.

A reader (``ohliad.registry.readers``) names its file suffixes, the media
types it reads from the web, and a sniffing test on the first bytes of
content that has neither. ohliad's own, each in one module: HTML pages
(``html_pages``), RSS and Atom feeds (``feeds``), JSON Lines (``json_lines``),
Markdown (``markdown_docs``) and plain-text news dumps (``text_dumps``). A
package adds a format by declaring its reader under the entry-point group
``ohliad.readers``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

import charset_normalizer

from ohliad.errors import OhliadError, one_line
from ohliad.ingest.fetch import FetchOptions
from ohliad.models import Article
from ohliad.registry import readers

# Bytes of content a reader's sniffing test sees, after a BOM and blank space.
SNIFF_BYTES = 2048


@dataclass(frozen=True, slots=True)
class IngestFailure:
    """An input (or part of one) that produced no article."""

    origin: str
    reason: str

    def __str__(self) -> str:
        # One line, whatever a file name, a guid or a link holds.
        return one_line(f"{self.origin}: {self.reason}")


Outcome = Article | IngestFailure


@dataclass(frozen=True, slots=True)
class IngestOptions:
    fetch: FetchOptions = field(default_factory=FetchOptions)
    # Fetch the linked page when a feed item carries only a teaser.
    fetch_full_articles: bool = True


@dataclass(frozen=True, slots=True)
class Source:
    """Where content came from: ``origin`` names it in messages (a path, a
    URL); ``url`` is the page's address and ``charset`` its declared encoding,
    when it was fetched."""

    origin: str
    url: str | None = None
    charset: str | None = None


class Reader(Protocol):
    """One input format."""

    name: str
    # File name endings, lower case, with the dot (".html").
    suffixes: tuple[str, ...]
    # Parts of a Content-Type that mean this format ("html", "rss").
    media_types: tuple[str, ...]
    # Readers are asked in this order, lowest first, whose content it is.
    sniff_order: int

    def sniff(self, head: bytes) -> bool:
        """Whether content whose first bytes (lower-cased, without a BOM or
        leading blank space) are ``head`` is in this format."""
        ...

    def read(self, data: bytes, source: Source, options: IngestOptions) -> Iterator[Outcome]:
        """The articles in ``data``, and a failure naming the source for each
        part that holds none."""
        ...


class InputError(OhliadError, ValueError):
    """A whole input is unusable; the message is the reason."""


def decode_text(data: bytes) -> str:
    """Decode bytes: UTF-8 (with or without BOM) first, then the detected charset."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError("cannot detect the text encoding")
    return str(best)


class TextReader:
    """A reader of a text format: the bytes are decoded (and an empty file
    refused) before ``read_text`` sees them."""

    media_types: ClassVar[tuple[str, ...]] = ()

    def read(self, data: bytes, source: Source, options: IngestOptions) -> Iterator[Outcome]:
        try:
            text = decode_text(data)
        except InputError as exc:
            yield IngestFailure(source.origin, str(exc))
            return
        if not text.strip():
            yield IngestFailure(source.origin, "empty file")
            return
        yield from self.read_text(text, source)

    def read_text(self, text: str, source: Source) -> Iterator[Outcome]:
        raise NotImplementedError


@functools.cache
def all_readers() -> tuple[Reader, ...]:
    """Every registered reader, in sniffing order."""
    found = [readers.create(name) for name in readers.names()]
    return tuple(sorted(found, key=lambda reader: (reader.sniff_order, reader.name)))


def known_suffixes() -> frozenset[str]:
    """The file suffixes some reader reads (a folder is read for these)."""
    return frozenset(suffix for reader in all_readers() for suffix in reader.suffixes)


def sniff_head(data: bytes) -> bytes:
    return data[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()


# The root elements of an HTML page, and of the fragments saved as pages.
PAGE_ROOTS = frozenset({b"html", b"head", b"body", b"div", b"article"})
# What may come before a markup document's first element (in a lower-cased
# head): an XML declaration or processing instruction, a comment, a DOCTYPE
# (with an internal subset), blank space.
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype[^>\[]*(?:\[.*?\])?\s*>)", re.DOTALL)
_FIRST_ELEMENT = re.compile(rb"\s*<([a-z][\w:.-]*)")


def root_element(head: bytes) -> bytes | None:
    """The name of the first element of markup, after what may precede it
    (``_PROLOG``); None when the head holds none."""
    position = 0
    while (prolog := _PROLOG.match(head, position)) and prolog.end() > position:
        position = prolog.end()
    element = _FIRST_ELEMENT.match(head, position)
    return element.group(1) if element else None


def reader_for(data: bytes, *, suffix: str = "", media_type: str = "") -> Reader:
    """The reader of content: by its file suffix, else by its media type,
    else the first whose sniffing test it passes."""
    candidates = all_readers()
    suffix = suffix.lower()
    for reader in candidates:
        if suffix and suffix in reader.suffixes:
            return reader
    for reader in candidates:
        if any(part in media_type for part in reader.media_types):
            return reader
    head = sniff_head(data)
    for reader in candidates:
        if reader.sniff(head):
            return reader
    raise InputError("not in any format ohliad reads")
