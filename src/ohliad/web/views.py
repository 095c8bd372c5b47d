"""What the pages show, computed from stored digest entries and articles.

Templates only lay these out. Article text stays plain text here and is
escaped by Jinja's autoescape; links to sources keep only http(s) URLs, so a
``javascript:`` URL in a feed can never become a live link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from ohliad.compare.records import Comparison
from ohliad.models import Article, DigestEntry, EntrySource, Story
from ohliad.render.markdown import safe_url
from ohliad.store import StoredStory
from ohliad.store.history import StoryChangeRecord
from ohliad.web.i18n import LABELS, Lang

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[str]:
    blocks = [" ".join(block.split()) for block in _PARAGRAPH_BREAK.split(text)]
    return [block for block in blocks if block]


SNIPPET_CHARS = 280


def snippet(text: str, words: Sequence[str], width: int = SNIPPET_CHARS) -> list[tuple[str, bool]]:
    """A passage of ``text`` around the first word that starts with one of
    ``words``, as (text, is_match) parts for the template to mark up."""
    flat = " ".join(text.split())
    alternatives = "|".join(re.escape(w) for w in words)
    pattern = re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE) if words else None
    first = pattern.search(flat) if pattern else None
    start = max(0, first.start() - width // 3) if first else 0
    if start:
        start = flat.find(" ", start) + 1 or start  # begin at a word
    passage = flat[start : start + width]
    parts: list[tuple[str, bool]] = [("…", False)] if start else []
    position = 0
    for match in pattern.finditer(passage) if pattern else ():
        parts += [(passage[position : match.start()], False), (match.group(), True)]
        position = match.end()
    parts.append((passage[position:], False))
    if start + width < len(flat):
        parts.append(("…", False))
    return [part for part in parts if part[0]]


@dataclass(frozen=True, slots=True)
class Edition:
    """A story's headline and summary in one language. ``notice`` says that the
    Ukrainian asked for is not there (the text is then English). Why it is
    not there is for operators (``ohliad status``, ``doctor``, the admin
    page), not for readers."""

    lang: Lang
    headline: str
    summary: str
    notice: str | None = None


def editions(entry: DigestEntry, lang: Lang) -> tuple[Edition, Edition | None]:
    """The edition to show first and the other one (one click away), if any."""
    english = Edition("en", entry.summary.headline, entry.summary.text)
    ukrainian = (
        Edition("uk", entry.ukrainian.headline, entry.ukrainian.summary)
        if entry.ukrainian
        else None
    )
    if lang == "en":
        return english, ukrainian
    if ukrainian is not None:
        return ukrainian, english
    return Edition("en", english.headline, english.summary, LABELS["uk"]["no_ukrainian"]), None


# Opening and closing marks of a quotation, as outlets write them.
_QUOTE_PAIRS = {"“": "”", '"': '"', "«": "»", "„": "“", "‘": "’"}


def unquoted(text: str) -> str:
    """``text`` without the marks around it when the whole of it is one
    quotation: the page shows it in <q>, which adds its own."""
    text = text.strip()
    close = _QUOTE_PAIRS.get(text[:1])
    inner = text[1:-1]
    if close is None or len(text) < 2 or not text.endswith(close):
        return text
    if text[:1] not in inner and close not in inner:
        return inner.strip()
    return text


def outlet_name(source: EntrySource) -> str:
    """The outlet, else the site's host name: something a reader recognises."""
    return source.outlet or urlsplit(source.url or "").hostname or "?"


def outlets_of(sources: Sequence[EntrySource]) -> list[str]:
    return list(dict.fromkeys(outlet_name(s) for s in sources))


@dataclass(frozen=True, slots=True)
class StoryCard:
    """A story as the front page and search results list it."""

    key: str
    primary: Edition
    alternate: Edition | None
    source_count: int
    outlets: list[str]
    updated: datetime | None
    # How many conflicts the comparison found between the sources (0: none, or
    # not compared yet).
    conflicts: int = 0


def story_card(stored: StoredStory, lang: Lang) -> StoryCard:
    assert stored.entry is not None
    return _card(stored, stored.entry, lang)


def _card(stored: StoredStory, entry: DigestEntry, lang: Lang) -> StoryCard:
    primary, alternate = editions(entry, lang)
    return StoryCard(
        key=stored.key,
        primary=primary,
        alternate=alternate,
        source_count=len(entry.sources),
        outlets=outlets_of(entry.sources),
        updated=entry.updated or stored.updated_at,
        conflicts=len(entry.comparison.conflicts) if entry.comparison else 0,
    )


@dataclass(frozen=True, slots=True)
class SourceView:
    """One source article, side by side with the others on the story page."""

    article_id: int | None
    outlet: str
    title: str
    url: str | None
    published: datetime | None
    language: str | None
    paragraphs: list[str]
    copy_of: str | None


@dataclass(frozen=True, slots=True)
class SentenceView:
    text: str
    sources: list[SourceView]


@dataclass(frozen=True, slots=True)
class ChangeView:
    """A merge or split on the story's timeline. ``direction``: "merged" (this
    story took in ``other``'s reports; ``other`` is gone), "split_out" (reports
    left for ``other``) or "split_in" (reports came from ``other``)."""

    direction: str
    other: str
    articles: int
    score: float
    at: datetime | None


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """A report, or a change grouping made to the story (``source`` None)."""

    source: SourceView | None
    first: bool
    change: ChangeView | None = None

    @property
    def at(self) -> datetime | None:
        return self.change.at if self.change else self.source.published if self.source else None


@dataclass(frozen=True, slots=True)
class StoryPage:
    card: StoryCard
    sentences: list[SentenceView]
    sources: list[SourceView]
    timeline: list[TimelineItem]
    comparison: Comparison | None
    # How the entry was made, where it matters (DigestEntry.notes).
    notes: tuple[str, ...] = ()


def _source_view(
    ref: EntrySource, article: Article | None, outlet_by_id: dict[int, str]
) -> SourceView:
    return SourceView(
        article_id=ref.article_id,
        outlet=outlet_name(ref),
        title=ref.title,
        url=safe_url(ref.url),
        published=ref.published,
        language=article.language if article else None,
        paragraphs=paragraphs(article.text) if article else [],
        copy_of=outlet_by_id.get(ref.copy_of) if ref.copy_of is not None else None,
    )


def comparison_view(comparison: Comparison | None) -> Comparison | None:
    """The comparison, or None when it has nothing to show. The story page
    lays out each of its sections with the template ``comparison/<name>.html``."""
    if comparison is None or not (comparison.sections() or comparison.notes):
        return None
    return comparison


def change_view(change: StoryChangeRecord, key: str) -> ChangeView:
    """How the change looks from the story ``key``."""
    if change.kind == "merge":
        direction, other = "merged", change.other
    elif change.story == key:
        direction, other = "split_out", change.other
    else:
        direction, other = "split_in", change.story
    return ChangeView(direction, other, len(change.articles), change.score, change.at)


def _timeline(sources: list[SourceView], changes: list[ChangeView]) -> list[TimelineItem]:
    """Reports and changes together in time order, undated ones last."""
    items = [TimelineItem(source, first=index == 0) for index, source in enumerate(sources)]
    items += [TimelineItem(None, first=False, change=change) for change in changes]
    return sorted(items, key=lambda item: item.at.timestamp() if item.at else float("inf"))


def story_page(
    stored: StoredStory,
    story: Story | None,
    lang: Lang,
    changes: Sequence[StoryChangeRecord] = (),
) -> StoryPage:
    entry = stored.entry
    assert entry is not None
    articles = {a.id: a for a in (story.articles + story.copies if story else ()) if a.id}
    outlet_by_id = {ref.article_id: outlet_name(ref) for ref in entry.sources if ref.article_id}
    sources = [
        _source_view(ref, articles.get(ref.article_id or -1), outlet_by_id) for ref in entry.sources
    ]
    by_id = {s.article_id: s for s in sources if s.article_id is not None}
    # Undated sources last; sorted() keeps the entry's order among equals.
    in_time_order = sorted(
        sources, key=lambda s: s.published.timestamp() if s.published else float("inf")
    )
    return StoryPage(
        card=_card(stored, entry, lang),
        sentences=[
            SentenceView(s.text, [by_id[i] for i in s.sources if i in by_id])
            for s in entry.summary.sentences
        ],
        sources=sources,
        timeline=_timeline(in_time_order, [change_view(c, stored.key) for c in changes]),
        comparison=comparison_view(entry.comparison),
        notes=entry.notes,
    )
