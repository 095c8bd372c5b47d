"""Article extraction from HTML: trafilatura for the body and metadata (htmldate
for the date), then the news-cleaning pass and language identification."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import trafilatura
from lxml import html as lxml_html
from trafilatura.settings import Document
from trafilatura.utils import load_html

from ohliad.extract.clean import clean_paragraphs
from ohliad.extract.decode import cut_text_to_size, cut_to_size, decode_html
from ohliad.extract.errors import NoArticleTextError
from ohliad.extract.language import detect_language
from ohliad.extract.links import headline_links
from ohliad.extract.options import ExtractOptions
from ohliad.extract.outlets import outlet_from_url
from ohliad.extract.paragraphs import body_paragraphs
from ohliad.models import Article

_DEFAULT_OPTIONS = ExtractOptions()
# A sentence ends in any script: "word. Next", "word.” Next", "語。次".
_SENTENCE_END = re.compile(r"\w[.!?…]+[\"'”’»)]*(\s|$)|[。！？]")
_HTML_LANG = re.compile(r"^[a-z]{2}\b", re.I)
_LOWER = "translate(@class|@id, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
# Pop-ups nested in paragraphs (hover cards on names, tooltips) are never prose.
_POPUP_XPATH = ".//p//*[{}]".format(
    " or ".join(
        f"contains({_LOWER}, '{token}')"
        for token in ("tooltip", "popover", "popup", "rollover", "hovercard")
    )
)


def _page_text(html: bytes | str, max_bytes: int) -> str:
    if isinstance(html, bytes):
        return decode_html(cut_to_size(html, max_bytes))
    return cut_text_to_size(html, max_bytes)


def _parse(page: str) -> lxml_html.HtmlElement:
    # trafilatura's own loader, so that its extraction sees the tree it is tuned on.
    tree = load_html(page)
    if tree is None:
        raise NoArticleTextError()
    return tree


def _date_params(extensive: bool) -> dict[str, Any]:
    """htmldate's settings: the original (not the updated) date, with its time and zone."""
    return {
        "original_date": True,
        "extensive_search": extensive,
        "outputformat": "%Y-%m-%dT%H:%M:%S%z",
        "max_date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }


def _as_utc(found: str | None) -> datetime | None:
    if not found:
        return None
    try:
        moment = datetime.fromisoformat(found)
    except ValueError:
        return None
    # A date without a zone is taken as UTC: the record always carries one.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _prose_chars(paragraphs: list[str]) -> int:
    """Characters of text in paragraphs that hold a sentence (not link lists or menus)."""
    return sum(len(p) for p in paragraphs if _SENTENCE_END.search(p))


def _page_language(tree: lxml_html.HtmlElement) -> str | None:
    declared = _HTML_LANG.match(tree.get("lang") or "")
    return declared.group(0).lower() if declared else None


def _run_trafilatura(
    tree: lxml_html.HtmlElement, url: str | None, options: ExtractOptions, *, metadata: bool
) -> Document | None:
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        favor_precision=options.favor_precision,
        favor_recall=options.favor_recall,
        include_tables=options.include_tables,
        include_comments=False,
        with_metadata=metadata,
        date_extraction_params=_date_params(options.extensive_date_search),
        prune_xpath=_POPUP_XPATH,
    )
    return document if isinstance(document, Document) else None


def _article_paragraphs(
    document: Document | None, links: frozenset[str], options: ExtractOptions
) -> list[str]:
    if document is None or document.body is None:
        return []
    paragraphs = body_paragraphs(document.body)
    if options.clean:
        paragraphs = clean_paragraphs(paragraphs, title=document.title, links=links)
    return paragraphs


def extract_html(
    html: bytes | str, url: str | None = None, *, options: ExtractOptions | None = None
) -> Article:
    """Extract the article in a web page: clean text and metadata.

    Raises NoArticleTextError when the page holds no article prose.
    """
    options = options or _DEFAULT_OPTIONS
    tree = _parse(_page_text(html, options.max_bytes))
    links = headline_links(tree)
    document = _run_trafilatura(tree, url, options, metadata=True)
    paragraphs = _article_paragraphs(document, links, options)
    if _prose_chars(paragraphs) < options.min_article_chars and options.favor_precision:
        # Precision mode sometimes discards the whole body; a balanced pass recovers it.
        balanced = replace(options, favor_precision=False)
        retry = _run_trafilatura(tree, url, balanced, metadata=False)
        paragraphs = _article_paragraphs(retry, links, options) or paragraphs
    if document is None or _prose_chars(paragraphs) < options.min_article_chars:
        raise NoArticleTextError()
    title = (document.title or "").strip()
    return Article(
        title=title,
        text="\n\n".join(paragraphs),
        url=url or document.url,
        published=_as_utc(document.date),
        outlet=(document.sitename or "").strip() or (outlet_from_url(url) if url else None),
        language=detect_language(" ".join(paragraphs)) or _page_language(tree),
        author=(document.author or "").strip() or None,
    )
