"""HTML pages (``.html``, ``.htm``, ``.xhtml``, ``text/html``): the article's
clean text and metadata, by ``ohliad.extract``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ohliad.extract import NoArticleTextError, extract_html
from ohliad.ingest.readers import IngestFailure, IngestOptions, Outcome, Source

_PAGE_STARTS = (b"<!doctype", b"<html", b"<head", b"<body", b"<div", b"<article")


class HtmlReader:
    name = "html"
    suffixes = (".html", ".htm", ".xhtml")
    media_types = ("html",)
    sniff_order = 20

    def sniff(self, head: bytes) -> bool:
        # An XML declaration before <html> is XHTML (feeds are sniffed first).
        return head.startswith(_PAGE_STARTS) or (head.startswith(b"<?xml") and b"<html" in head)

    def read(self, data: bytes, source: Source, options: IngestOptions) -> Iterator[Outcome]:
        try:
            article = extract_html(data, source.url, charset=source.charset)
        except NoArticleTextError:
            yield IngestFailure(source.origin, "no article text found")
            return
        yield replace(article, origin=source.origin)
