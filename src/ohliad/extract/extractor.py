"""Article extraction from HTML: trafilatura for the body, htmldate for the date,
then the news-cleaning pass and language identification."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import htmldate
import trafilatura
from lxml import html as lxml_html
from lxml.etree import ParserError
from trafilatura.settings import Document

from ohliad.extract.clean import clean_news_text
from ohliad.extract.decode import cut_text_to_size, cut_to_size, decode_html
from ohliad.extract.errors import NoArticleTextError
from ohliad.extract.language import detect_language
from ohliad.extract.options import ExtractOptions
from ohliad.extract.outlets import outlet_from_url
from ohliad.models import Article

_DEFAULT_OPTIONS = ExtractOptions()
# A paragraph of prose: a few words ending like a sentence.
_SENTENCE_END = re.compile(r"[.!?…:;\"'”’»)]\s*$")
_WORD = re.compile(r"\w+")
_HTML_LANG = re.compile(r"^[a-z]{2}\b", re.I)


def _page_text(html: bytes | str, max_bytes: int) -> str:
    if isinstance(html, bytes):
        return decode_html(cut_to_size(html, max_bytes))
    return cut_text_to_size(html, max_bytes)


def _parse(page: str) -> lxml_html.HtmlElement:
    # lxml refuses str input that declares its own encoding; the text is decoded already.
    page = re.sub(r"^\s*<\?xml[^>]*\?>", "", page)
    try:
        return lxml_html.document_fromstring(page)
    except (ParserError, ValueError) as error:
        raise NoArticleTextError() from error


def _published(tree: lxml_html.HtmlElement, url: str | None, extensive: bool) -> datetime | None:
    found = htmldate.find_date(
        tree,
        url=url,
        extensive_search=extensive,
        original_date=True,
        outputformat="%Y-%m-%dT%H:%M:%S%z",
    )
    if not found:
        return None
    try:
        moment = datetime.fromisoformat(found)
    except ValueError:
        return None
    # A date without a zone is taken as UTC: the record always carries one.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _prose_words(text: str) -> int:
    """Words in paragraphs that read as sentences (not link lists or menus)."""
    return sum(
        len(_WORD.findall(paragraph))
        for paragraph in text.split("\n\n")
        if _SENTENCE_END.search(paragraph) and len(_WORD.findall(paragraph)) >= 8
    )


def _page_language(tree: lxml_html.HtmlElement) -> str | None:
    declared = _HTML_LANG.match(tree.get("lang") or "")
    return declared.group(0).lower() if declared else None


def _run_trafilatura(
    tree: lxml_html.HtmlElement, url: str | None, options: ExtractOptions
) -> Document | None:
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        favor_precision=options.favor_precision,
        favor_recall=options.favor_recall,
        include_tables=options.include_tables,
        include_comments=False,
        with_metadata=True,
    )
    return document if isinstance(document, Document) else None


def extract_html(
    html: bytes | str, url: str | None = None, *, options: ExtractOptions | None = None
) -> Article:
    """Extract the article in a web page: clean text and metadata.

    Raises NoArticleTextError when the page holds no article prose.
    """
    options = options or _DEFAULT_OPTIONS
    tree = _parse(_page_text(html, options.max_bytes))
    document = _run_trafilatura(tree, url, options)
    if document is None or not document.text:
        raise NoArticleTextError()
    title = (document.title or "").strip()
    text = "\n\n".join(line.strip() for line in document.text.splitlines() if line.strip())
    if options.clean:
        text = clean_news_text(text, title=title)
    if _prose_words(text) < options.min_article_words:
        raise NoArticleTextError()
    return Article(
        title=title,
        text=text,
        url=url or document.url,
        published=_published(tree, url, options.extensive_date_search),
        outlet=(document.sitename or "").strip() or (outlet_from_url(url) if url else None),
        language=detect_language(text) or _page_language(tree),
        author=(document.author or "").strip() or None,
    )
