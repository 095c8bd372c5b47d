"""Which reader reads what: by file suffix, by media type, else by sniffing
the first bytes (ohliad's own readers, as the registry lists them)."""

from __future__ import annotations

import pytest

from ohliad.ingest import reader_for
from ohliad.ingest.readers import all_readers, known_suffixes


@pytest.mark.parametrize(
    ("content", "reader"),
    [
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', "feed"),
        (b'\xef\xbb\xbf  <feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        (
            b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
            "feed",
        ),
        (b'<?xml version="1.0"?>\n<whatever/>', "feed"),
        (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', "html"),
        (b"<!DOCTYPE html><html><body><p>Text</p>", "html"),
        (b"<article><h1>Title</h1>", "html"),
        (b'{"title": "A", "text": "B"}\n', "jsonl"),
        (b"---\ntitle: A\n---\nText", "markdown"),
        ("## Headline\n\n### *Заголовок*\n".encode(), "markdown"),
        (b"date 2026-03-05\nsource Baltic Wire\n\nHeadline\n\nBody.", "text"),
    ],
)
def test_content_without_a_name_is_sniffed(content: bytes, reader: str) -> None:
    assert reader_for(content).name == reader


def test_a_suffix_wins_over_sniffing_and_a_media_type_over_both() -> None:
    page = b"<!DOCTYPE html><html>"
    assert reader_for(page, suffix=".txt").name == "text"
    assert reader_for(page, suffix=".MD").name == "markdown"
    assert reader_for(b"plain words", media_type="application/rss+xml").name == "feed"
    assert reader_for(b"plain words", media_type="text/html; charset=utf-8").name == "html"


def test_folders_are_read_for_every_readers_suffixes() -> None:
    assert {".html", ".htm", ".xml", ".rss", ".atom", ".jsonl", ".ndjson"} <= known_suffixes()
    assert {".md", ".markdown", ".txt", ".text"} <= known_suffixes()
    orders = [reader.sniff_order for reader in all_readers()]
    assert orders == sorted(orders) and all_readers()[-1].name == "text"
