"""WARC archives for the backfill tests and benchmark, written by warcio:
story pages (``tests.watch.feedserver.story_text``) as a crawler records
them, and the bad records a real crawl holds."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.watch.feedserver import story_text

START = datetime(2026, 3, 2, 6, tzinfo=UTC)


@dataclass(frozen=True)
class Record:
    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200


def page(url: str, title: str, text: str, published: datetime) -> Record:
    """A news page as an outlet serves it: title, date, paragraphs."""
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    html = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title>"
        f"<meta property='article:published_time' content='{published.isoformat()}'>"
        f"</head><body><article><h1>{escape(title)}</h1>{paragraphs}</article></body></html>"
    )
    return Record(url, html.encode())


def story_page(story: int, variant: int) -> Record:
    """One outlet's report of a story, dated an hour apart per story."""
    title, text = story_text(story, variant)
    published = START + timedelta(hours=story, minutes=7 * variant)
    url = f"https://outlet{variant}.example/news/{published:%Y/%m/%d}/story-{story}-{variant}"
    return page(url, title, text, published)


def story_pages(stories: range, variants: int = 3) -> list[Record]:
    return [story_page(s, v) for s in stories for v in range(variants)]


def write_warc(path: Path, records: Sequence[Record], *, compress: bool = True) -> Path:
    """A WARC file of HTTP response records, each a gzip member of its own
    when ``compress`` (as Common Crawl writes them)."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "ohliad tests"}))
        for record in records:
            headers = StatusAndHeaders(
                f"{record.status} OK",
                [("Content-Type", record.content_type)],
                protocol="HTTP/1.1",
            )
            writer.write_record(
                writer.create_warc_record(
                    record.url,
                    "response",
                    payload=io.BytesIO(record.body),
                    http_headers=headers,
                )
            )
    return path


def truncate_last_member(path: Path, keep: float = 0.5) -> None:
    """Cut the file inside its last gzip member, as a copy that stopped early."""
    data = path.read_bytes()
    last = data.rfind(b"\x1f\x8b\x08")
    path.write_bytes(data[: last + int((len(data) - last) * keep)])
