"""Reading inputs — files, folders and URLs — into Articles.

Each input yields articles or one-line failures naming the input, so that a
bad file never stops the rest of a batch. The content of each is read by the
reader of its format (``ohliad.ingest.readers``).
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from ohliad.extract import detect_language, outlet_from_url
from ohliad.ingest.fetch import FetchError, fetch_ok
from ohliad.ingest.fields import date_from_url
from ohliad.ingest.readers import (
    IngestFailure,
    IngestOptions,
    InputError,
    Outcome,
    Source,
    known_suffixes,
    reader_for,
)
from ohliad.ingest.records import InvalidRecordError, checked_article
from ohliad.ingest.urls import UnsafeURLError, canonical_url
from ohliad.models import Article

MAX_FILE_BYTES = 50 * 1024 * 1024

# A folder of articles often also holds its own README; such files are not news.
_PROJECT_FILES = frozenset({"README", "LICENSE", "LICENCE", "CHANGELOG", "CONTRIBUTING", "NOTICE"})


def _gunzip(data: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            out = handle.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"not a valid gzip file ({exc})") from None
    if len(out) > MAX_FILE_BYTES:
        raise InputError(f"decompressed size over {MAX_FILE_BYTES} bytes")
    return out


def read_content(
    data: bytes, source: Source, options: IngestOptions, *, suffix: str = "", media_type: str = ""
) -> Iterator[Outcome]:
    """The outcomes of content, read by the reader its suffix, its media type
    or its first bytes choose (``reader_for``)."""
    try:
        reader = reader_for(data, suffix=suffix, media_type=media_type)
    except InputError as exc:
        yield IngestFailure(source.origin, str(exc))
        return
    yield from reader.read(data, source, options)


def path_name(path: Path) -> str:
    """A path as text, its bytes that are not UTF-8 shown escaped (``\\xff``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _read_file(path: Path) -> bytes:
    """A regular file's bytes, at most ``MAX_FILE_BYTES``. A FIFO, a device
    (``/dev/zero``) or a socket is refused before it is read: opened without
    blocking, checked on the open descriptor, so it cannot be swapped in."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise InputError(f"file larger than {MAX_FILE_BYTES} bytes")
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"file larger than {MAX_FILE_BYTES} bytes")
    return data


def _file_outcomes(path: Path, options: IngestOptions) -> Iterator[Outcome]:
    origin = path_name(path)
    try:
        data = _read_file(path)
    except InputError as exc:
        yield IngestFailure(origin, str(exc))
        return
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
    yield from read_content(data, Source(origin), options, suffix=inner.suffix)


def _url_outcomes(url: str, options: IngestOptions) -> Iterator[Outcome]:
    try:
        result = fetch_ok(url, options.fetch)
    except (FetchError, UnsafeURLError) as exc:
        yield IngestFailure(url, str(exc))
        return
    source = Source(url, url=result.url, charset=result.charset)
    yield from read_content(result.content, source, options, media_type=result.content_type)


# Told of each file a folder holds that no reader takes: (file, why).
OnSkip = Callable[[str, str], None]


def _expand(inputs: Sequence[str], on_skip: OnSkip | None) -> Iterator[str | Path | IngestFailure]:
    known = known_suffixes()
    for item in inputs:
        if item.startswith(("http://", "https://")):
            yield item
            continue
        path = Path(item)
        if not path.is_dir():
            yield path
            continue
        readable = 0
        skipped: list[str] = []
        for child in sorted(path.rglob("*")):
            hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
            if hidden or not child.is_file():
                continue
            name = Path(child.name.lower().removesuffix(".gz"))
            if name.stem.upper() in _PROJECT_FILES:
                continue
            if name.suffix in known:
                readable += 1
                yield child
            else:
                skipped.append(path_name(child.relative_to(path)))
        if readable and on_skip is not None:
            for skipped_name in skipped:
                suffix = Path(skipped_name).suffix or "no suffix"
                on_skip(path_name(path / skipped_name), f"no reader for {suffix}")
        if not readable:
            # An empty folder, or one of files no reader takes, is an input
            # that gave nothing: said, and counted as failed.
            shown = ", ".join(skipped[:5]) + (
                f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
            )
            found = (
                f"its {len(skipped)} files ({shown}) have none of them"
                if skipped
                else "it is empty"
            )
            reads = ", ".join(sorted(known))
            yield IngestFailure(path_name(path), f"no file to read: ohliad reads {reads}; {found}")


def finalize(article: Article) -> Article:
    """The article as it is stored: every field checked (``records``), and
    what each stored article needs filled in: canonical URL, outlet,
    language. Raises InvalidRecordError when it cannot be stored."""
    article = checked_article(article)
    url = canonical_url(article.url) if article.url else None
    outlet = article.outlet or (outlet_from_url(url) if url else None)
    language = article.language or detect_language(f"{article.title}\n{article.text}")
    published = article.published or (date_from_url(url) if url else None)
    return replace(article, url=url, outlet=outlet, language=language, published=published)


def finalized(outcome: Outcome, where: str) -> Outcome:
    """``finalize`` for what a reader gave: a failure as it is, an article
    that cannot be stored as a failure naming it (else ``where``, its input)."""
    if isinstance(outcome, IngestFailure):
        return outcome
    try:
        return finalize(outcome)
    except InvalidRecordError as exc:
        return IngestFailure(outcome.origin or where, str(exc))


def read_inputs(
    inputs: Sequence[str], options: IngestOptions | None = None, *, on_skip: OnSkip | None = None
) -> Iterator[Outcome]:
    """Articles and failures from files, folders (recursively) and URLs.
    ``on_skip`` is told of each file in a folder that no reader takes (a
    folder with none to read is a failure)."""
    options = options or IngestOptions()
    for item in _expand(inputs, on_skip):
        if isinstance(item, IngestFailure):
            yield item
            continue
        if isinstance(item, Path) and not item.exists():
            yield IngestFailure(path_name(item), "no such file or folder")
            continue
        outcomes = (
            _url_outcomes(item, options) if isinstance(item, str) else _file_outcomes(item, options)
        )
        where = item if isinstance(item, str) else path_name(item)
        for outcome in outcomes:
            yield finalized(outcome, where)
