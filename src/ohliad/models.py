"""The records that flow through ohliad: Article → Story → DigestEntry; and
the records the store keeps for the other packages: a watched feed's state,
a feed entry's outcome, a cached translation.

They are frozen dataclasses so that a stage can never change what an earlier
stage produced; a stage that refines a record returns a new one
(``dataclasses.replace``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    # For the annotation only: models, below every stage, imports none of them.
    from ohliad.compare.records import Comparison


@dataclass(frozen=True, slots=True)
class Article:
    """One report by one outlet, after extraction and cleaning.

    ``id`` is the store's id once the article is stored; ``duplicate_of`` is
    the id of the article this one is a near-identical copy of (a wire story
    republished elsewhere), so that copies are not counted as sources.
    """

    title: str
    text: str
    url: str | None = None
    published: datetime | None = None
    outlet: str | None = None
    language: str | None = None
    author: str | None = None
    id: int | None = None
    duplicate_of: int | None = None
    # Where the article came from (file path, feed or URL), for messages.
    origin: str | None = None
    # Fields read from a digest entry in the house Markdown format.
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """A short human name: the outlet, else the URL, else the origin."""
        return self.outlet or self.url or self.origin or f"article {self.id}"

    def readable(self, limit: int) -> Article:
        """The article as the NLP stages read it: its text cut at ``limit``
        characters, at the last paragraph or sentence end before (when that
        keeps nine tenths of them)."""
        if len(self.text) <= limit:
            return self
        head = self.text[:limit]
        cut = max(head.rfind("\n"), head.rfind(". ") + 1)
        return replace(self, text=head[:cut] if cut > limit * 0.9 else head)


@dataclass(frozen=True, slots=True)
class Story:
    """Articles reporting the same event, oldest first.

    ``articles`` are the independent reports; ``copies`` are near-duplicates of
    them (same wire text on another site), kept for the source list only.
    """

    id: str
    articles: tuple[Article, ...]
    copies: tuple[Article, ...] = ()

    @property
    def updated(self) -> datetime | None:
        times = [a.published for a in self.articles + self.copies if a.published]
        return max(times) if times else None


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """A summary sentence with the ids (or, before storage, the indexes) of the
    articles that support it (``sources``), the one whose sentence it is
    (``taken_from``) and that article's outlet."""

    text: str
    sources: tuple[int, ...]
    taken_from: int | None = None
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    headline: str
    sentences: tuple[SummarySentence, ...]
    engine: str = "extractive"
    # For the reader: how the summary was made, where it matters (drawn from
    # one outlet of several, say).
    notes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


@dataclass(frozen=True, slots=True)
class UkrainianText:
    """The Ukrainian headline and summary, and the engine that wrote them."""

    headline: str
    summary: str
    engine: str
    model: str | None = None


@dataclass(frozen=True, slots=True)
class EntrySource:
    """One of the articles a digest entry lists as its sources; ``copy_of`` is
    the article it is a near-copy of (a wire story republished)."""

    url: str | None
    outlet: str | None
    title: str
    published: datetime | None
    article_id: int | None = None
    copy_of: int | None = None


# An entry's place on the editor's desk: a machine draft, approved by an
# editor, published in an edition, or left out.
ReviewStatus = Literal["draft", "approved", "published", "rejected"]
REVIEW_STATUSES: tuple[ReviewStatus, ...] = ("draft", "approved", "published", "rejected")


@dataclass(frozen=True, slots=True)
class Review:
    """Where an entry stands on the desk. ``edited``: an editor's text stands
    in for the machine's; ``stale``: the story changed (articles joined or
    left, or it merged) after the editor last edited or decided on it."""

    status: ReviewStatus = "draft"
    edited: bool = False
    stale: bool = False
    updated_by: str | None = None
    updated_at: datetime | None = None

    @property
    def marks(self) -> tuple[str, ...]:
        """The status, then "edited" and "stale" where they hold."""
        flags = (("edited", self.edited), ("stale", self.stale))
        return (self.status, *(name for name, holds in flags if holds))


@dataclass(frozen=True, slots=True)
class EntryEdit:
    """An editor's text for an entry, kept apart from the machine's draft;
    None keeps the machine's. ``dropped_sources`` are article ids the editor
    left out of the source list."""

    headline_en: str | None = None
    summary_en: str | None = None
    headline_uk: str | None = None
    summary_uk: str | None = None
    dropped_sources: tuple[int, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self == EntryEdit()


@dataclass(frozen=True, slots=True)
class DigestEntry:
    """One story as published: the house Markdown entry, the JSON object, a
    web page and a feed item are all rendered from this."""

    story_id: str
    summary: Summary
    sources: tuple[EntrySource, ...]
    article_ids: tuple[int, ...]
    updated: datetime | None
    ukrainian: UkrainianText | None = None
    # Why Ukrainian is missing, when it is (shown to the reader).
    ukrainian_unavailable: str | None = None
    # How the sources compare (None: a one-source story, or not compared yet).
    comparison: Comparison | None = None
    # The comparison does not yet cover all the story's articles: it is the
    # last one made, and a newer one is on its way.
    comparison_pending: bool = False
    # For the reader: how the entry was made, where it matters (an article
    # too long to be read whole, say).
    notes: tuple[str, ...] = ()
    # Where the entry stands on the editor's desk (None: never reviewed).
    review: Review | None = None

    def edited(self, edit: EntryEdit, review: Review) -> DigestEntry:
        """The entry as published: the editor's text where there is one, the
        machine's elsewhere, the sources the editor kept."""
        summary = self.summary
        if edit.headline_en is not None or edit.summary_en is not None:
            sentences = summary.sentences
            if edit.summary_en is not None:
                # The editor's text rests on no particular sentence of a source.
                sentences = tuple(
                    SummarySentence(part.strip(), ())
                    for part in edit.summary_en.split("\n")
                    if part.strip()
                )
            summary = Summary(
                headline=edit.headline_en if edit.headline_en is not None else summary.headline,
                sentences=sentences,
                engine="editor" if edit.summary_en is not None else summary.engine,
                notes=summary.notes,
            )
        ukrainian, unavailable = self.ukrainian, self.ukrainian_unavailable
        if edit.headline_uk is not None or edit.summary_uk is not None:
            machine = self.ukrainian
            headline = edit.headline_uk or (machine.headline if machine else None)
            text = edit.summary_uk or (machine.summary if machine else None)
            if headline and text:
                ukrainian, unavailable = UkrainianText(headline, text, engine="editor"), None
            else:
                missing = "summary" if headline else "headline"
                ukrainian, unavailable = None, f"the editor has not written the Ukrainian {missing}"
        dropped = set(edit.dropped_sources)
        return replace(
            self,
            summary=summary,
            ukrainian=ukrainian,
            ukrainian_unavailable=unavailable,
            sources=tuple(s for s in self.sources if s.article_id not in dropped),
            review=review,
        )


@dataclass(frozen=True, slots=True)
class FeedState:
    """A feed on the watch list, as the watcher knows it between polls: where it
    is and what it carries, its HTTP validators, schedule and failures. The
    store keeps it (``ohliad.store.FeedStore``); the watcher's policy computes
    each next state."""

    id: int
    url: str
    outlet: str | None
    language: str | None
    interval_seconds: int
    etag: str | None = None
    last_modified: str | None = None
    last_polled: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    parked_reason: str | None = None
    next_poll: datetime | None = None


@dataclass(frozen=True, slots=True)
class EntryOutcome:
    """The outcome of one feed entry: its article, or why there is none."""

    entry_key: str
    article_id: int | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class CachedTranslation:
    """An engine's raw output for one piece of English, as the translation
    cache keeps it, so that re-rendering a digest calls no engine again."""

    source_text: str
    engine: str
    model: str | None
    style: str
    kind: str
    result: str

    @property
    def key(self) -> str:
        return translation_cache_key(
            self.source_text, self.engine, self.model, self.style, self.kind
        )


def translation_cache_key(
    source_text: str, engine: str, model: str | None, style: str, kind: str
) -> str:
    """sha256 over (source text, engine, model, style, kind)."""
    payload = json.dumps([source_text, engine, model, style, kind], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
