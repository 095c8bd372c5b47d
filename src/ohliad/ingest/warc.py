"""Web archives (``.warc``, ``.warc.gz``): the HTML pages a crawler recorded,
as Common Crawl's CC-NEWS holds them. Only HTTP response records are read;
each one that holds no page (not HTML, an error status, an empty body) is a
one-line failure naming the record, and a damaged archive (a truncated gzip
member) is one line saying how far it was read.

FastWARC reads the records (it is several times faster); warcio is the
fallback when FastWARC is not installed. Both come with ``ohliad[ray]``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from ohliad.ingest.html_pages import HtmlReader
from ohliad.ingest.readers import (
    IngestFailure,
    IngestOptions,
    InputError,
    Outcome,
    Source,
    sniff_head,
)

_HTML = HtmlReader()


@dataclass(frozen=True, slots=True)
class WarcPage:
    """One HTTP response record that holds an HTML page."""

    origin: str  # the archive and the page's URL, for messages
    url: str
    body: bytes
    charset: str | None


WarcItem = WarcPage | IngestFailure


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _page(archive: str, record: RawRecord) -> WarcItem:
    """The page a response record holds, or why it holds none."""
    url, status, content_type, body, whole = record
    origin = f"{archive}: {url or 'a record without WARC-Target-URI'}"
    if not whole:
        return IngestFailure(origin, "record cut short (the archive is truncated)")
    if not url:
        return IngestFailure(origin, "response record without a target URL")
    if status is not None and not 200 <= status < 300:
        return IngestFailure(origin, f"HTTP status {status}, not a page")
    if not body.strip():
        return IngestFailure(origin, "empty body")
    html = "html" in content_type.lower() if content_type else _HTML.sniff(sniff_head(body))
    if not html:
        return IngestFailure(origin, f"not HTML ({content_type.split(';')[0].strip()})")
    return WarcPage(origin, url, body, _charset(content_type))


# (URL, HTTP status, Content-Type, body, whether the body is whole)
RawRecord = tuple[str | None, int | None, str, bytes, bool]


def _fastwarc_records(stream: IO[bytes]) -> Iterator[RawRecord]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    # Payloads as stored (Common Crawl stores them decoded), so that a body
    # cut short by a truncated archive shows in its length.
    records = ArchiveIterator(
        stream, record_types=WarcRecordType.response, parse_http=True, auto_decode="none"
    )
    for record in records:
        http: Any = record.http_headers
        status = http.status_code if http is not None else None
        expected = record.content_length
        body = record.reader.read()
        url = record.headers.get("WARC-Target-URI")
        yield url, status, record.http_content_type or "", body, len(body) >= expected


def _warcio_records(stream: IO[bytes]) -> Iterator[RawRecord]:
    from warcio.archiveiterator import ArchiveIterator

    for record in ArchiveIterator(stream):
        if record.rec_type != "response":
            continue
        http = record.http_headers
        status = int(http.get_statuscode()) if http is not None else None
        content_type = (http.get_header("Content-Type") if http is not None else None) or ""
        url = record.rec_headers.get_header("WARC-Target-URI")
        body = record.content_stream().read()
        # The record's reader counts down its Content-Length: left over, it was cut short.
        yield url, status, content_type, body, not record.raw_stream.limit


def _records_reader() -> Any:
    try:
        import fastwarc  # noqa: F401
    except ImportError:
        try:
            import warcio  # noqa: F401
        except ImportError:
            raise InputError(
                "reading WARC files needs FastWARC or warcio: pip install 'ohliad[ray]'"
            ) from None
        return _warcio_records
    return _fastwarc_records


def warc_pages(stream: IO[bytes], archive: str) -> Iterator[WarcItem]:
    """The pages of the archive read from ``stream`` (named ``archive`` in
    messages), and a failure for each response record that holds none. An
    archive damaged part-way gives the pages before the damage, then one
    failure."""
    try:
        records = _records_reader()(stream)
    except InputError as exc:
        yield IngestFailure(archive, str(exc))
        return
    read = 0
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except Exception as exc:  # both libraries raise their own, or zlib's, OSError's
            yield IngestFailure(archive, f"unreadable after {read} response records ({exc})")
            break
        read += 1
        yield _page(archive, record)


def page_outcomes(page: WarcPage, options: IngestOptions) -> Iterator[Outcome]:
    """The article of one recorded page, or why it has none."""
    source = Source(page.origin, url=page.url, charset=page.charset)
    yield from _HTML.read(page.body, source, options)


class WarcReader:
    name = "warc"
    suffixes = (".warc",)  # a .warc.gz is unpacked first (ingest.sources)
    media_types = ("warc",)
    sniff_order = 5

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"warc/1.")

    def read(self, data: bytes, source: Source, options: IngestOptions) -> Iterator[Outcome]:
        for item in warc_pages(io.BytesIO(data), source.origin):
            if isinstance(item, IngestFailure):
                yield item
            else:
                yield from page_outcomes(item, options)
