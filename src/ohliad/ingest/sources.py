"""Reading inputs — files, folders and URLs — into Articles.

Each input yields articles or one-line failures naming the input, so that a
bad file never stops the rest of a batch.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import charset_normalizer

from ohliad.dates import parse_datetime
from ohliad.extract import (
    NoArticleTextError,
    clean_news_text,
    detect_language,
    extract_html,
    outlet_from_url,
)
from ohliad.ingest.feeds import FeedError, merge_teaser, parse_feed
from ohliad.ingest.fetch import FetchError, FetchOptions, fetch_ok
from ohliad.ingest.fields import date_from_url
from ohliad.ingest.markdown import parse_markdown
from ohliad.ingest.text import parse_text_dump
from ohliad.ingest.urls import UnsafeURLError, canonical_url
from ohliad.models import Article

MAX_FILE_BYTES = 50 * 1024 * 1024

_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_TEXT_SUFFIXES = {".txt", ".text"}
_MARKDOWN_SUFFIXES = {".md", ".markdown"}
_JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_FEED_SUFFIXES = {".xml", ".rss", ".atom"}
# A folder of articles often also holds its own README; such files are not news.
_PROJECT_FILES = frozenset({"README", "LICENSE", "LICENCE", "CHANGELOG", "CONTRIBUTING", "NOTICE"})
_KNOWN_SUFFIXES = (
    _HTML_SUFFIXES | _TEXT_SUFFIXES | _MARKDOWN_SUFFIXES | _JSONL_SUFFIXES | _FEED_SUFFIXES
)


@dataclass(frozen=True, slots=True)
class IngestFailure:
    """An input (or part of one) that produced no article."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


Outcome = Article | IngestFailure


@dataclass(frozen=True, slots=True)
class IngestOptions:
    fetch: FetchOptions = field(default_factory=FetchOptions)
    # Fetch the linked page when a feed item carries only a teaser.
    fetch_full_articles: bool = True


class InputError(ValueError):
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


def _gunzip(data: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            out = handle.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"not a valid gzip file ({exc})") from None
    if len(out) > MAX_FILE_BYTES:
        raise InputError(f"decompressed size over {MAX_FILE_BYTES} bytes")
    return out


def sniff_kind(data: bytes) -> str:
    """Guess the format of content without a telling file name."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf")):
        if b"<rss" in head or b"<feed" in head or b"<rdf" in head:
            return "feed"
        return "html" if b"<html" in head else "feed"
    if head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<div", b"<article")):
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith(b"---") or head.startswith(b"# ") or head.startswith(b"## "):
        return "markdown"
    return "text"


def _kind_of(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix in _HTML_SUFFIXES:
        return "html"
    if suffix in _TEXT_SUFFIXES:
        return "text"
    if suffix in _MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix in _FEED_SUFFIXES:
        return "feed"
    return sniff_kind(data)


def jsonl_articles(text: str, *, origin: str) -> Iterator[Outcome]:
    """One article per JSON line: ``url, title, text, published, outlet``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestFailure(where, f"invalid JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            yield IngestFailure(where, "a line must hold a JSON object")
            continue
        title = str(record.get("title") or "").strip()
        body = str(record.get("text") or record.get("body") or "").strip()
        if not body:
            yield IngestFailure(where, "no article text (field 'text' is empty or missing)")
            continue
        yield Article(
            title=title or body.split("\n", 1)[0][:120],
            text=clean_news_text(body, title=title or None),
            url=str(record["url"]) if record.get("url") else None,
            published=parse_datetime(record.get("published")),
            outlet=str(record["outlet"]) if record.get("outlet") else None,
            author=str(record["author"]) if record.get("author") else None,
            language=str(record["language"]) if record.get("language") else None,
            origin=where,
        )


def _feed_outcomes(
    data: bytes, *, origin: str, options: IngestOptions, outlet: str | None = None
) -> Iterator[Outcome]:
    try:
        items = list(parse_feed(data, origin=origin, outlet=outlet))
    except FeedError as exc:
        yield IngestFailure(origin, str(exc))
        return
    for item in items:
        where = f"{origin} item {item.link or item.entry_key}"
        if item.is_teaser and item.link and options.fetch_full_articles:
            try:
                page = fetch_ok(item.link, options.fetch)
                full = extract_html(page.content, page.url)
            except (FetchError, UnsafeURLError, NoArticleTextError) as exc:
                if item.article is None:
                    yield IngestFailure(where, str(exc) or "no article text found")
                    continue
            else:
                yield merge_teaser(full, item.article, where)
                continue
        if item.article is None:
            yield IngestFailure(where, "feed item has no title or text")
        else:
            yield item.article


def _content_outcomes(
    data: bytes,
    kind: str,
    *,
    origin: str,
    url: str | None,
    options: IngestOptions,
    charset: str | None = None,
) -> Iterator[Outcome]:
    if kind == "feed":
        yield from _feed_outcomes(data, origin=origin, options=options)
        return
    if kind == "html":
        try:
            article = extract_html(data, url, charset=charset)
        except NoArticleTextError:
            yield IngestFailure(origin, "no article text found")
            return
        yield replace(article, origin=origin)
        return
    try:
        text = decode_text(data)
    except InputError as exc:
        yield IngestFailure(origin, str(exc))
        return
    if not text.strip():
        yield IngestFailure(origin, "empty file")
        return
    if kind == "jsonl":
        yield from jsonl_articles(text, origin=origin)
        return
    try:
        if kind == "markdown":
            yield from parse_markdown(text, origin=origin)
        else:
            yield parse_text_dump(text, origin=origin)
    except ValueError as exc:
        yield IngestFailure(origin, str(exc))


def _file_outcomes(path: Path, options: IngestOptions) -> Iterator[Outcome]:
    origin = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            yield IngestFailure(origin, f"file larger than {MAX_FILE_BYTES} bytes")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield IngestFailure(origin, exc.strerror or str(exc))
        return
    if not data.strip():
        yield IngestFailure(origin, "empty file")
        return
    inner = path
    if path.suffix.lower() == ".gz":
        try:
            data = _gunzip(data)
        except InputError as exc:
            yield IngestFailure(origin, str(exc))
            return
        inner = path.with_suffix("")
    yield from _content_outcomes(
        data, _kind_of(inner, data), origin=origin, url=None, options=options
    )


def _url_outcomes(url: str, options: IngestOptions) -> Iterator[Outcome]:
    try:
        result = fetch_ok(url, options.fetch)
    except (FetchError, UnsafeURLError) as exc:
        yield IngestFailure(url, str(exc))
        return
    kind = sniff_kind(result.content)
    if any(t in result.content_type for t in ("rss", "atom")):
        kind = "feed"
    elif "html" in result.content_type:
        kind = "html"
    yield from _content_outcomes(
        result.content, kind, origin=url, url=result.url, options=options, charset=result.charset
    )


def _expand(inputs: Sequence[str]) -> Iterator[str | Path]:
    for item in inputs:
        if item.startswith(("http://", "https://")):
            yield item
            continue
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                name = child.name.lower().removesuffix(".gz")
                if (
                    child.is_file()
                    and not hidden
                    and Path(name).suffix in _KNOWN_SUFFIXES
                    and Path(name).stem.upper() not in _PROJECT_FILES
                ):
                    yield child
        else:
            yield path


def finalize(article: Article) -> Article:
    """Fill what every stored article needs: canonical URL, outlet, language."""
    url = canonical_url(article.url) if article.url else None
    outlet = article.outlet or (outlet_from_url(url) if url else None)
    language = article.language or detect_language(f"{article.title}\n{article.text}")
    published = article.published or (date_from_url(url) if url else None)
    return replace(article, url=url, outlet=outlet, language=language, published=published)


def read_inputs(inputs: Sequence[str], options: IngestOptions | None = None) -> Iterator[Outcome]:
    """Articles and failures from files, folders (recursively) and URLs."""
    options = options or IngestOptions()
    for item in _expand(inputs):
        if isinstance(item, Path) and not item.exists():
            yield IngestFailure(str(item), "no such file or folder")
            continue
        outcomes = (
            _url_outcomes(item, options) if isinstance(item, str) else _file_outcomes(item, options)
        )
        for outcome in outcomes:
            yield finalize(outcome) if isinstance(outcome, Article) else outcome
