"""RSS and Atom feeds through feedparser.

Feed items that carry only a teaser are marked so that the caller can fetch
the full article from the item's link.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import feedparser
import lxml.html
from lxml import etree

from ohliad.extract import clean_news_text
from ohliad.models import Article

# Fewer words than this in an item's content means a teaser, not the story.
TEASER_MAX_WORDS = 120

_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")
_DROP_TAGS = ("script", "style", "figure", "figcaption", "aside", "nav", "iframe", "noscript")


class FeedError(ValueError):
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


def read_feed(data: bytes, *, origin: str, outlet: str | None = None) -> list[FeedEntry]:
    """Entries of an RSS/Atom document. Raises FeedError if it is not a feed."""
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
    entries = []
    for entry in parsed.entries:
        link = entry.get("link") or None
        title = " ".join(str(entry.get("title", "")).split())
        key = str(entry.get("id") or link or title)
        entries.append(FeedEntry(key, link, title, entry, feed_outlet, language, origin))
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
