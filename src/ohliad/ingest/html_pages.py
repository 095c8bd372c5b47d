"""HTML pages (``.html``, ``.htm``, ``.xhtml``, ``text/html``): the article's
clean text and metadata, by ``ohliad.extract``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ohliad.extract import NoArticleTextError, extract_html
from ohliad.ingest.readers import (
    PAGE_ROOTS,
    IngestFailure,
    IngestOptions,
    Outcome,
    Source,
    root_element,
)


class HtmlReader:
    name = "html"
    suffixes = (".html", ".htm", ".xhtml")
    media_types = ("html",)
    sniff_order = 20

    def sniff(self, head: bytes) -> bool:
        # By the root element, whatever comments, DOCTYPE or XML declaration
        # come first (feeds are sniffed before pages).
        return root_element(head) in PAGE_ROOTS or head.startswith(b"<!doctype html")

    def read(self, data: bytes, source: Source, options: IngestOptions) -> Iterator[Outcome]:
        try:
            article = extract_html(data, source.url, charset=source.charset)
        except NoArticleTextError:
            yield IngestFailure(source.origin, "no article text found")
            return
        yield replace(article, origin=source.origin)
