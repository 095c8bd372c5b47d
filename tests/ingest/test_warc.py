"""The WARC reader, with FastWARC and with warcio (the fallback), on
archives warcio writes: pages, bad records, and a truncated gzip member."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("warcio", reason="needs warcio (pip install 'ohliad[ray]')")
pytest.importorskip("fastwarc", reason="needs FastWARC (pip install 'ohliad[ray]')")

from ohliad.ingest import (
    IngestFailure,
    read_inputs,
    warc,
)
from ohliad.models import Article
from tests.backfill.warcs import Record, story_pages, truncate_last_member, write_warc

READERS = {"fastwarc": warc._fastwarc_records, "warcio": warc._warcio_records}


@pytest.fixture(params=sorted(READERS))
def records_reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    reader: Callable[[Any], Iterator[warc.RawRecord]] = READERS[request.param]
    monkeypatch.setattr(warc, "_records_reader", lambda: reader)
    return str(request.param)


def test_pages_and_one_line_per_bad_record(tmp_path: Path, records_reader: str) -> None:
    archive = write_warc(
        tmp_path / "news.warc.gz",
        [
            *story_pages(range(2)),
            Record("https://a.example/logo.svg", b"<svg/>", "image/svg+xml"),
            Record("https://a.example/empty", b"   "),
            Record("https://a.example/moved", b"<html>moved</html>", status=301),
            Record(
                "https://a.example/no-type",
                b"<!doctype html><html><body><p>Hi</p></body></html>",
                "",
            ),
            *story_pages(range(2, 3)),
        ],
    )
    truncate_last_member(archive)
    with archive.open("rb") as stream:
        items = list(warc.warc_pages(stream, "news.warc.gz"))
    pages = [i for i in items if isinstance(i, warc.WarcPage)]
    failures = [str(i) for i in items if isinstance(i, IngestFailure)]
    # Six story pages and the untyped page sniffed as HTML; the last story page is cut.
    assert len(pages) == 6 + 1 + 2
    assert failures == [
        "news.warc.gz: https://a.example/logo.svg: not HTML (image/svg+xml)",
        "news.warc.gz: https://a.example/empty: empty body",
        "news.warc.gz: https://a.example/moved: HTTP status 301, not a page",
        "news.warc.gz: https://outlet2.example/news/2026/03/02/story-2-2: "
        "record cut short (the archive is truncated)",
    ]


def test_plain_warc_files_are_an_input_format(tmp_path: Path, records_reader: str) -> None:
    archive = write_warc(tmp_path / "pages.warc", story_pages(range(2)), compress=False)
    outcomes = list(read_inputs([str(tmp_path)]))
    articles = [o for o in outcomes if isinstance(o, Article)]
    assert len(articles) == 6 and not [o for o in outcomes if isinstance(o, IngestFailure)]
    assert all(a.url and a.url.startswith("https://outlet") for a in articles)
    assert all(a.origin and a.origin.startswith(str(archive)) for a in articles)
