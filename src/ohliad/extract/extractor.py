"""Article extraction from HTML: trafilatura for the body and metadata (htmldate
for the date), then the news-cleaning pass and language identification."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace

import justext.core
import trafilatura
from lxml import html as lxml_html
from trafilatura.settings import Document
from trafilatura.utils import load_html

from ohliad.extract.chunks import continued_body
from ohliad.extract.clean import clean_paragraphs
from ohliad.extract.decode import cut_to_size, decode_html
from ohliad.extract.errors import NoArticleTextError
from ohliad.extract.language import detect_language
from ohliad.extract.links import HeadlineLinks, normal_words
from ohliad.extract.listing import is_teaser_listing
from ohliad.extract.metadata import page_metadata
from ohliad.extract.options import ExtractOptions
from ohliad.extract.outlets import outlet_from_url
from ohliad.extract.paragraphs import body_paragraphs
from ohliad.models import Article


def _stoplists_built_once(
    define: Callable[[Iterable[str]], frozenset[str]],
) -> Callable[[Iterable[str]], frozenset[str]]:
    """justext's ``define_stoplist``, remembering the sets it built for the last
    few stoplist objects. trafilatura's justext fallback passes the same
    154 484-word multilingual stoplist (a module-level tuple) on every page,
    and justext lower-cases it into a new frozenset each time: 15 ms a page,
    most of a short page's extraction. Entries hold their stoplist, so an id
    is never reused while remembered."""
    built: OrderedDict[int, tuple[Iterable[str], frozenset[str]]] = OrderedDict()

    def define_stoplist(stoplist: Iterable[str]) -> frozenset[str]:
        entry = built.get(id(stoplist))
        if entry is None or entry[0] is not stoplist:
            entry = (stoplist, define(stoplist))
            built[id(stoplist)] = entry
            while len(built) > 8:
                built.popitem(last=False)
        return entry[1]

    return define_stoplist


justext.core.define_stoplist = _stoplists_built_once(justext.core.define_stoplist)

_DEFAULT_OPTIONS = ExtractOptions()
# A sentence ends in any script: "word. Next", "word.” Next", "語。次". The bare
# punctuation test runs first because it is many times faster on long runs of text.
_SENTENCE_PUNCTUATION = re.compile(r"[.!?…。！？]")
_SENTENCE_END = re.compile(r"\w[.!?…]+[\"'”’»)]*(\s|$)|[。！？]")
# Text this long is an article body, not a fragment a more thorough pass would extend.
_CONFIDENT_CHARS = 600
# Words of a known lead looked for in a body, and the fewest that prove anything.
_LEAD_WORDS = 12
_MIN_LEAD_WORDS = 6
# Lines without sentences are content when there are enough of them (the related-link
# rule has removed lists of headlines by then).
_MIN_LISTING_LINES = 6
_LISTING_FACTOR = 4
_HTML_LANG = re.compile(r"^[a-z]{2}\b", re.I)
_LOWER = "translate(@class|@id, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_POPUP = " or ".join(
    f"contains({_LOWER}, '{token}')"
    for token in ("tooltip", "popover", "popup", "rollover", "hovercard")
)
# A pop-up (hover card on a name, tooltip) nested in its trigger inside a paragraph is never
# prose; the trigger itself, usually a linked name, is, and so is the text after it.
_POPUP_XPATH = f".//p//*[{_POPUP}]//*[not(self::a)][{_POPUP}]"


@dataclass(frozen=True, slots=True)
class _Pass:
    """One trafilatura run, and the prose length at which its result is kept without
    trying the next, more thorough pass."""

    options: ExtractOptions
    fast: bool
    enough_prose: int


def _passes(options: ExtractOptions) -> list[_Pass]:
    """trafilatura passes from cheapest to most thorough.

    The fast pass (no readability/justext comparison) finds the same body on
    nearly every page in half the time; the comparison pass runs when it comes
    back short, and precision mode gets a balanced retry when it has discarded
    the whole body.
    """
    passes = [
        _Pass(options, fast=True, enough_prose=_CONFIDENT_CHARS),
        _Pass(options, fast=False, enough_prose=options.min_article_chars),
    ]
    if options.favor_precision:
        passes.append(_Pass(replace(options, favor_precision=False), fast=False, enough_prose=0))
    return passes


def _page_text(html: bytes | str, max_bytes: int, charset: str | None) -> str:
    if isinstance(html, bytes):
        return decode_html(cut_to_size(html, max_bytes), charset)
    return cut_to_size(html, max_bytes)


def _parse(page: str) -> lxml_html.HtmlElement:
    # trafilatura's own loader, so that its extraction sees the tree it is tuned on.
    tree = load_html(page)
    if tree is None:
        raise NoArticleTextError()
    return tree


def _prose_chars(paragraphs: list[str]) -> int:
    """Characters of text in paragraphs that hold a sentence (not link lists or menus)."""
    return sum(
        len(p) for p in paragraphs if _SENTENCE_PUNCTUATION.search(p) and _SENTENCE_END.search(p)
    )


def _is_content_without_sentences(paragraphs: list[str], options: ExtractOptions) -> bool:
    """A body without sentences that still carries content: a schedule, results, a table."""
    return (
        len(paragraphs) >= _MIN_LISTING_LINES
        and sum(map(len, paragraphs)) >= _LISTING_FACTOR * options.min_article_chars
    )


def _page_language(tree: lxml_html.HtmlElement) -> str | None:
    declared = _HTML_LANG.match(tree.get("lang") or "")
    return declared.group(0).lower() if declared else None


def _run_trafilatura(
    tree: lxml_html.HtmlElement, url: str | None, options: ExtractOptions, *, fast: bool
) -> Document | None:
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=fast,
        favor_precision=options.favor_precision,
        favor_recall=options.favor_recall,
        include_tables=options.include_tables,
        include_comments=False,
        prune_xpath=_POPUP_XPATH,
    )
    return document if isinstance(document, Document) else None


def _article_paragraphs(
    tree: lxml_html.HtmlElement,
    url: str | None,
    options: ExtractOptions,
    *,
    fast: bool,
    title: str | None,
    links: Collection[str],
) -> list[str]:
    document = _run_trafilatura(tree, url, options, fast=fast)
    if document is None or document.body is None:
        return []
    paragraphs = body_paragraphs(document.body)
    if options.clean:
        paragraphs = clean_paragraphs(paragraphs, title=title, links=links)
    return paragraphs


def _more_chunks(
    tree: lxml_html.HtmlElement,
    paragraphs: list[str],
    options: ExtractOptions,
    *,
    title: str | None,
    links: Collection[str],
) -> list[str]:
    """Cleaned paragraphs of later body chunks that the extraction left out."""
    extra = continued_body(tree, paragraphs)
    if options.clean:
        extra = clean_paragraphs(extra, title=title, links=links)
    have = {normal_words(p) for p in paragraphs}
    return [p for p in extra if normal_words(p) not in have]


def _best_paragraphs(
    tree: lxml_html.HtmlElement,
    url: str | None,
    options: ExtractOptions,
    *,
    title: str | None,
    links: Collection[str],
) -> tuple[list[str], int]:
    """The cleaned paragraphs of the best trafilatura pass, and their prose length."""
    paragraphs: list[str] = []
    best = (0, 0)
    opening = _lead_opening(options.lead)
    for extraction in _passes(options):
        found = _article_paragraphs(
            tree, url, extraction.options, fast=extraction.fast, title=title, links=links
        )
        # Prose first; among passes with as much prose, the one with more text.
        score = (_prose_chars(found), sum(map(len, found)))
        if score > best:
            paragraphs, best = found, score
        if best[0] >= extraction.enough_prose or _holds(paragraphs, opening):
            break
    return paragraphs, best[0]


def _lead_opening(lead: str | None) -> str | None:
    """The opening words of the known lead that a body must hold (a feed's
    teaser may be cut short, so only its first words are looked for); None
    when there are too few to prove anything."""
    words = normal_words(lead or "").split()[:_LEAD_WORDS]
    return " ".join(words) if len(words) >= _MIN_LEAD_WORDS else None


def _holds(paragraphs: list[str], opening: str | None) -> bool:
    return opening is not None and f" {opening} " in f" {normal_words(' '.join(paragraphs))} "


def extract_html(
    html: bytes | str,
    url: str | None = None,
    *,
    options: ExtractOptions | None = None,
    charset: str | None = None,
) -> Article:
    """Extract the article in a web page: clean text and metadata.

    ``charset`` is the one the server sent (HTTP Content-Type), if any; it is
    tried before the page's own declaration when ``html`` is bytes.
    Raises NoArticleTextError when the page holds no article prose.
    """
    options = options or _DEFAULT_OPTIONS
    tree = _parse(_page_text(html, options.max_bytes, charset))
    metadata = page_metadata(tree, url, extensive_date=options.extensive_date_search)
    address = url or metadata.url
    links = HeadlineLinks(tree)
    paragraphs, prose = _best_paragraphs(tree, url, options, title=metadata.title, links=links)
    if prose < options.min_article_chars and not _is_content_without_sentences(paragraphs, options):
        raise NoArticleTextError()
    if is_teaser_listing(tree, paragraphs, address):
        raise NoArticleTextError()
    paragraphs += _more_chunks(tree, paragraphs, options, title=metadata.title, links=links)
    return Article(
        title=metadata.title or "",
        text="\n\n".join(paragraphs),
        url=address,
        published=metadata.published,
        outlet=metadata.site_name or (outlet_from_url(address) if address else None),
        language=detect_language(" ".join(paragraphs)) or _page_language(tree),
        author=metadata.author,
    )
