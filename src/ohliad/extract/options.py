"""Explicit options for the extractor (a functional core: no hidden settings)."""

from __future__ import annotations

from dataclasses import dataclass

TEN_MEGABYTES = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """How ``extract_html`` reads a page.

    The defaults are the ones measured best on news pages (bench/extraction.py).
    """

    # Pages beyond this many bytes (or characters) are cut at a tag boundary.
    max_bytes: int = TEN_MEGABYTES
    # Passed to trafilatura: prefer leaving out doubtful blocks to keeping them.
    favor_precision: bool = True
    favor_recall: bool = False
    include_tables: bool = True
    # Run the news-cleaning pass (captions, teasers, credits, promos).
    clean: bool = True
    # htmldate's extensive search: slower, finds dates in more page layouts.
    extensive_date_search: bool = True
    # Fewer characters of prose (paragraphs holding a sentence) means no article here.
    min_article_chars: int = 150
    # Text the article is known to open with, such as the teaser its feed
    # carried. A quick pass whose body holds it has found the article, so the
    # thorough pass is not run even when the body is short.
    lead: str | None = None
