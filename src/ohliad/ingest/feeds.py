"""RSS and Atom feeds (``.xml``, ``.rss``, ``.atom``) through feedparser.

Feed items that carry only a teaser are marked, and ``item_article`` is the
one recipe for them, ``ohliad ingest``'s and the watcher's: the full page
behind the link, with the feed's own title, date and outlet.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import feedparser
import lxml.html
from lxml import etree

from ohliad.errors import OhliadError
from ohliad.extract import ExtractOptions, NoArticleTextError, clean_news_text, extract_html
from ohliad.ingest.fetch import FetchError, fetch_ok
from ohliad.ingest.readers import (
    PAGE_ROOTS,
    IngestFailure,
    IngestOptions,
    Outcome,
    Source,
    root_element,
)
from ohliad.ingest.urls import UnsafeURLError
from ohliad.models import Article

# The root elements of RSS 2.0 and 0.9x, Atom, and RSS 1.0 (RDF).
FEED_ROOTS = frozenset({b"rss", b"feed", b"rdf:rdf", b"rdf"})
# Fewer words than this in an item's content means a teaser, not the story.
TEASER_MAX_WORDS = 120

_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")
_DROP_TAGS = ("script", "style", "figure", "figcaption", "aside", "nav", "iframe", "noscript")


class FeedError(OhliadError, ValueError):
    """Not a feed, or a feed too broken to read."""


@dataclass(frozen=True, slots=True)
class FeedItem:
    article: Article | None  # None when the item had no usable text
    link: str | None
    entry_key: str  # stable id: guid, else link, else title
    is_teaser: bool


def html_fragment_text(fragment: str) -> str:
    """Paragraph text of an HTML fragment, scripts, figures and captions dropped."""
    if "<" not in fragment:
        return fragment.strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for bad in root.iter(*_DROP_TAGS):
        bad.drop_tree()
    blocks = [" ".join(el.text_content().split()) for el in root.iter(*_BLOCK_TAGS)]
    blocks = [b for b in blocks if b]
    if not blocks:
        return " ".join(root.text_content().split())
    return "\n\n".join(blocks)


def outlet_from_feed_title(title: str) -> str | None:
    """ "Baltic Wire — Top News" names the outlet Baltic Wire: feed titles
    often append a section after a separator."""
    name = " ".join(title.split())
    for separator in (" — ", " – ", " | ", " - ", ": "):
        name = name.split(separator, 1)[0]
    return name or None


def _entry_time(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    return None


def _entry_html(entry: Any) -> str:
    contents = entry.get("content") or []
    if contents:
        return str(max(contents, key=lambda c: len(c.get("value", ""))).get("value", ""))
    return str(entry.get("summary", ""))


def merge_teaser(full: Article, teaser: Article | None, origin: str) -> Article:
    """The full page's article with the feed item's title, date and outlet:
    those are the outlet's own, the page's are an extractor's guesses."""
    return replace(
        full,
        title=teaser.title if teaser else full.title,
        published=(teaser.published if teaser else None) or full.published,
        outlet=(teaser.outlet if teaser else None) or full.outlet,
        origin=origin,
    )


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry as the feed parser read it, before its text is cleaned: the
    cleaning costs more than the parsing, so a watcher builds items only for
    entries it has not taken before."""

    entry_key: str  # stable id: guid, else link, else title
    link: str | None
    title: str
    parsed: Any  # the parser's entry
    outlet: str | None
    language: str | None
    origin: str
    digest: str | None = None  # of the item's XML, when the feed was skimmed


@dataclass(frozen=True, slots=True)
class FeedSkim:
    """A feed with some of its items taken out before parsing.

    feedparser takes about half a millisecond per item, and a polled feed lists
    its newest few dozen items though only one or two are new: a watcher that
    remembers the digests of the items it has taken parses only the others.
    """

    document: bytes  # the feed without the skipped items
    digests: tuple[str, ...]  # of the items left in, in document order
    skipped: frozenset[str]  # digests of the items taken out


# Item elements of RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom.
_ITEM_TAGS = frozenset(
    {
        "item",
        "{http://purl.org/rss/1.0/}item",
        "{http://my.netscape.com/rdf/simple/0.9/}item",
        "{http://www.w3.org/2005/Atom}entry",
        "{http://purl.org/atom/ns#}entry",
    }
)


def skim_feed(data: bytes, skip: Container[str] = frozenset()) -> FeedSkim | None:
    """The feed's items by digest, those in ``skip`` taken out. None when the
    document is not well-formed XML: feedparser then reads it whole, leniently.

    Call it on documents that passed the XML-bomb check: the parser here loads
    no DTD and expands no entity, but only that check refuses a document that
    declares them.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    containers = [root, *(child for child in root if etree.QName(child).localname == "channel")]
    items = [el for parent in containers for el in parent if el.tag in _ITEM_TAGS]
    digests = [hashlib.sha1(etree.tostring(el, with_tail=False)).hexdigest() for el in items]
    skipped = frozenset(d for d in digests if d in skip)
    if not skipped:
        return FeedSkim(data, tuple(digests), skipped)
    kept = []
    for item, digest in zip(items, digests, strict=True):
        if digest in skipped:
            item.getparent().remove(item)
        else:
            kept.append(digest)
    document = etree.tostring(root.getroottree(), xml_declaration=True, encoding="utf-8")
    return FeedSkim(document, tuple(kept), skipped)


def read_feed(
    data: bytes,
    *,
    origin: str,
    outlet: str | None = None,
    digests: Sequence[str] | None = None,
) -> list[FeedEntry]:
    """Entries of an RSS/Atom document. Raises FeedError if it is not a feed.

    ``digests`` are those of :func:`skim_feed`: each entry gets its item's,
    unless the parser read a different number of entries than there are items.
    """
    # feedparser resolves no external entities and expands none from the
    # network, so a hostile feed cannot read files or fetch URLs.
    parsed = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS or Atom elements"
        raise FeedError(f"not a readable RSS or Atom feed ({reason})")
    if parsed.get("bozo") and not any(_entry_html(e).strip() for e in parsed.entries):
        raise FeedError(f"malformed feed ({parsed.get('bozo_exception')})")
    feed_outlet = outlet or outlet_from_feed_title(parsed.feed.get("title", ""))
    language = (parsed.feed.get("language") or "").split("-")[0].lower() or None
    item_digests: Sequence[str | None] = digests or ()
    if len(item_digests) != len(parsed.entries):
        item_digests = [None] * len(parsed.entries)
    entries = []
    for entry, digest in zip(parsed.entries, item_digests, strict=True):
        link = entry.get("link") or None
        title = " ".join(str(entry.get("title", "")).split())
        key = str(entry.get("id") or link or title)
        entries.append(FeedEntry(key, link, title, entry, feed_outlet, language, origin, digest))
    return entries


def feed_item(entry: FeedEntry) -> FeedItem:
    """The entry's article (its text cleaned), or None when it has no title or text."""
    parsed = entry.parsed
    text = clean_news_text(html_fragment_text(_entry_html(parsed)), title=entry.title or None)
    article = None
    if text and entry.title:
        article = Article(
            title=entry.title,
            text=text,
            url=entry.link,
            published=_entry_time(parsed),
            outlet=entry.outlet,
            author=parsed.get("author") or None,
            language=entry.language,
            origin=entry.origin,
        )
    return FeedItem(
        article=article,
        link=entry.link,
        entry_key=entry.entry_key,
        is_teaser=len(text.split()) < TEASER_MAX_WORDS,
    )


def parse_feed(data: bytes, *, origin: str, outlet: str | None = None) -> Iterator[FeedItem]:
    """Items of an RSS/Atom document. Raises FeedError if it is not a feed."""
    for entry in read_feed(data, origin=origin, outlet=outlet):
        yield feed_item(entry)


# Fetches and extracts the page at a link: (link, extraction options) -> article.
FullPage = Callable[[str, ExtractOptions], Article]


def item_article(
    item: FeedItem, where: str, full_page: FullPage | None
) -> tuple[Article | None, str | None]:
    """The item's article, and why the full page is missing when it is.

    A teaser item's article is the page behind its link (``full_page``; None
    means the feed's text is taken as it is), with the feed's title, date and
    outlet (``merge_teaser``). A page that cannot be fetched or read leaves
    the teaser itself, or None when the item has no text of its own. Errors
    other than fetching, address and extraction ones go to the caller (the
    watcher's "try again later").
    """
    if not (item.is_teaser and item.link and full_page is not None):
        return item.article, None
    # The feed's date wins over the page's (merge_teaser), so a dated item
    # spares htmldate's extensive search: 15 -> 4 ms a page. A quick
    # extraction that finds the teaser has found the article.
    dated = item.article is not None and item.article.published is not None
    options = ExtractOptions(
        extensive_date_search=not dated,
        lead=item.article.text if item.article is not None else None,
    )
    try:
        return merge_teaser(full_page(item.link, options), item.article, where), None
    except (FetchError, UnsafeURLError, NoArticleTextError) as exc:
        return item.article, str(exc) or "no article text found"


class FeedReader:
    name = "feed"
    suffixes = (".xml", ".rss", ".atom")
    media_types = ("rss", "atom")
    sniff_order = 10

    def sniff(self, head: bytes) -> bool:
        # By the root element, whatever comments or DOCTYPE come first; any
        # other XML document is taken for a feed too (and refused as one),
        # unless it is XHTML.
        root = root_element(head)
        if root in FEED_ROOTS:
            return True
        return head.startswith(b"<?xml") and root not in PAGE_ROOTS

    def read(self, data: bytes, source: Source, options: IngestOptions) -> Iterator[Outcome]:
        try:
            items = list(parse_feed(data, origin=source.origin))
        except FeedError as exc:
            yield IngestFailure(source.origin, str(exc))
            return

        def full_page(link: str, extract: ExtractOptions) -> Article:
            page = fetch_ok(link, options.fetch)
            return extract_html(page.content, page.url, options=extract)

        for item in items:
            where = f"{source.origin} item {item.link or item.entry_key}"
            article, missing = item_article(
                item, where, full_page if options.fetch_full_articles else None
            )
            if article is not None:
                yield article
            else:
                yield IngestFailure(where, missing or "feed item has no title or text")
