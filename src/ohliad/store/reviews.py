"""The editor's desk in the store: review states, edits kept apart from the
machine's drafts, what changed since the editor looked, and editions.

Every change records who made it and when (table ``review_events``). An
edit is never overwritten by a recomputation: the machine's entry lives in
``stories``, the editor's text in ``reviews``, and readers see the two
combined (``DigestEntry.edited``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from ohliad.compare.records import Conflict
from ohliad.dates import assume_utc, utcnow
from ohliad.errors import OhliadError
from ohliad.models import DigestEntry, EntryEdit, EntrySource, Review, ReviewStatus
from ohliad.store.repository import Store, story_from_row
from ohliad.store.review_rows import (
    baseline_articles,
    edit_of,
    record_event,
    review_of,
    reviews_by_key,
)
from ohliad.store.schema import ArticleRow, ReviewEventRow, ReviewRow, StoryArticleRow, StoryRow
from ohliad.store.search import query_words

# Longest texts an editor may store (a summary is 3–6 sentences).
MAX_HEADLINE_CHARS = 500
MAX_SUMMARY_CHARS = 5_000


class ReviewError(OhliadError, ValueError):
    """A desk action that cannot be done: no such story, or a step out of order."""


class NoSuchStoryError(ReviewError, LookupError):
    """No story with an entry has the key given."""


@dataclass(frozen=True, slots=True)
class ReviewEvent:
    key: str
    action: str
    by: str | None
    at: datetime
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class DeskEntry:
    """An entry as the desk sees it: the machine's draft, the entry as it
    would be published, the review, and what changed since the editor's last
    edit or decision (articles that joined, conflicts that are new)."""

    key: str
    draft: DigestEntry
    entry: DigestEntry
    review: Review
    edit: EntryEdit
    day: date
    new_sources: tuple[EntrySource, ...] = ()
    new_conflicts: tuple[Conflict, ...] = ()


@dataclass(frozen=True, slots=True)
class Edition:
    """A day's published entries; ``new`` are the keys this publishing published."""

    day: date
    entries: tuple[DigestEntry, ...]
    new: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TextChange:
    """A change an editor asks for: a field's new text; "" restores the
    machine's; None leaves it as it is."""

    headline_en: str | None = None
    summary_en: str | None = None
    headline_uk: str | None = None
    summary_uk: str | None = None
    drop_sources: tuple[int, ...] = ()
    restore_sources: tuple[int, ...] = ()


def conflict_signature(conflict: Conflict) -> str:
    """What makes a conflict the same one after a recomputation: the point
    disputed and the versions given."""
    values = sorted(side.normalized for side in conflict.sides)
    return "|".join([conflict.slot, conflict.about.casefold(), *values])


def _baseline(entry: DigestEntry, members: Collection[int]) -> dict[str, Any]:
    conflicts = entry.comparison.conflicts if entry.comparison else ()
    return {
        "articles": sorted(members),
        "conflicts": sorted({conflict_signature(c) for c in conflicts}),
    }


def search_text(edit: EntryEdit) -> str | None:
    """The words of the editor's text as search matches them (``store.search``)."""
    texts = (edit.headline_uk, edit.summary_uk, edit.headline_en, edit.summary_en)
    words = [w for text in texts if text for w in query_words(text, limit=None)]
    return " " + " ".join(words) if words else None


def _texts(entry: DigestEntry) -> dict[str, str | None]:
    uk = entry.ukrainian
    return {
        "headline_en": entry.summary.headline,
        "summary_en": entry.summary.text,
        "headline_uk": uk.headline if uk else None,
        "summary_uk": uk.summary if uk else None,
    }


def _entry(row: StoryRow, review: ReviewRow | None = None) -> DigestEntry:
    """The entry of a story read for its entry (the machine's, or as published)."""
    entry = story_from_row(row, review).entry
    if entry is None:
        raise ReviewError(f"story {row.key!r} has no digest entry yet")
    return entry


def _text(value: str | None, field: str, limit: int) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > limit:
        raise ReviewError(f"{field}: {len(value)} characters, over the limit of {limit}")
    return value


class ReviewStore:
    """The desk's reads and changes over a :class:`Store`; ``timezone`` is
    the desk's (an entry's day is its date there)."""

    def __init__(self, store: Store, *, timezone: str = "UTC") -> None:
        self.store = store
        self.timezone = ZoneInfo(timezone)

    # Days -------------------------------------------------------------------

    def today(self) -> date:
        return utcnow().astimezone(self.timezone).date()

    def _day_bounds(self, day: date) -> tuple[datetime, datetime]:
        start = datetime.combine(day, time.min, tzinfo=self.timezone).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=self.timezone)
        return start, end.astimezone(UTC)

    def _day(self, entry: DigestEntry, row: StoryRow, review: ReviewRow | None) -> date:
        """The edition's day once published; before, the day the story's news
        was last updated (its newest article, else its last change)."""
        if review is not None and review.edition_day is not None:
            return review.edition_day
        moment = entry.updated or assume_utc(row.updated_at) or utcnow()
        return moment.astimezone(self.timezone).date()

    # Reads ------------------------------------------------------------------

    def _desk_entry(self, row: StoryRow, review: ReviewRow | None) -> DeskEntry:
        draft, published = _entry(row), _entry(row, review)
        new_sources: tuple[EntrySource, ...] = ()
        new_conflicts: tuple[Conflict, ...] = ()
        if review is not None and review.baseline is not None and review.stale:
            seen = baseline_articles(review)
            new_sources = tuple(s for s in draft.sources if s.article_id not in seen)
            known = set(review.baseline.get("conflicts", ()))
            conflicts = draft.comparison.conflicts if draft.comparison else ()
            new_conflicts = tuple(c for c in conflicts if conflict_signature(c) not in known)
        return DeskEntry(
            key=row.key,
            draft=draft,
            entry=published,
            review=review_of(review) if review is not None else Review(),
            edit=edit_of(review) if review is not None else EntryEdit(),
            day=self._day(draft, row, review),
            new_sources=new_sources,
            new_conflicts=new_conflicts,
        )

    def entry(self, key: str) -> DeskEntry:
        with self.store.transaction() as tx:
            row = self._story_row(tx.session, key)
            return self._desk_entry(row, reviews_by_key(tx.session, [key]).get(key))

    def queue(
        self,
        *,
        statuses: Collection[ReviewStatus] | None = None,
        day: date | None = None,
        limit: int | None = None,
    ) -> list[DeskEntry]:
        """Entries on the desk, newest news first: of ``day`` (the desk's
        time zone) and in ``statuses``, when given."""
        newest = (
            select(func.max(ArticleRow.published))
            .join(StoryArticleRow, StoryArticleRow.article_id == ArticleRow.id)
            .where(StoryArticleRow.story_id == StoryRow.id)
            .scalar_subquery()
        )
        query = (
            select(StoryRow, ReviewRow)
            .outerjoin(ReviewRow, ReviewRow.story_key == StoryRow.key)
            .where(StoryRow.entry.is_not(None))
            .order_by(newest.desc().nulls_last(), StoryRow.id.desc())
        )
        if statuses is not None:
            wanted = set(statuses)
            status = ReviewRow.status.in_(wanted)
            query = query.where(
                or_(status, ReviewRow.id.is_(None)) if "draft" in wanted else status
            )
        if day is not None:
            # Candidates by SQL (a day either side: zones), the day itself below.
            start, end = self._day_bounds(day)
            moment = func.coalesce(newest, StoryRow.updated_at)
            query = query.where(
                or_(
                    ReviewRow.edition_day == day,
                    (moment >= start - timedelta(days=1)) & (moment < end + timedelta(days=1)),
                )
            )
        found = []
        with self.store.transaction() as tx:
            for row, review in tx.session.execute(query):
                desk = self._desk_entry(row, review)
                if day is not None and desk.day != day:
                    continue
                found.append(desk)
                if limit is not None and len(found) >= limit:
                    break
        return found

    def events(self, key: str) -> list[ReviewEvent]:
        """What was done on the desk to the story ``key``, oldest first."""
        with self.store.transaction() as tx:
            rows = tx.session.scalars(
                select(ReviewEventRow)
                .where(ReviewEventRow.story_key == key)
                .order_by(ReviewEventRow.id)
            )
            return [
                ReviewEvent(r.story_key, r.action, r.by, assume_utc(r.at), dict(r.detail))
                for r in rows
            ]

    # Changes ----------------------------------------------------------------

    @staticmethod
    def _story_row(session: Session, key: str) -> StoryRow:
        row = session.scalar(select(StoryRow).where(StoryRow.key == key))
        if row is None or row.entry is None:
            raise NoSuchStoryError(f"no story {key!r}: give the id an entry of the digest shows")
        return row

    @staticmethod
    def _members(session: Session, row: StoryRow) -> set[int]:
        return set(
            session.scalars(
                select(StoryArticleRow.article_id).where(StoryArticleRow.story_id == row.id)
            )
        )

    def _touch(
        self, session: Session, key: str, by: str
    ) -> tuple[StoryRow, ReviewRow, DigestEntry]:
        """The story, its review (created as a draft) and its machine entry;
        the review now covers the story as it is (not stale)."""
        row = self._story_row(session, key)
        review = reviews_by_key(session, [key]).get(key)
        if review is None:
            review = ReviewRow(story_key=key, status="draft", dropped_sources=[], stale=False)
            session.add(review)
        draft = _entry(row)
        kept = {k: v for k, v in (review.baseline or {}).items() if k == "approved_text"}
        review.baseline = {**_baseline(draft, self._members(session, row)), **kept}
        review.stale = False
        review.updated_by = by
        review.updated_at = utcnow()
        return row, review, draft

    def edit(self, key: str, change: TextChange, *, by: str) -> DeskEntry:
        """Store the editor's text for an entry; an approved entry goes back
        to draft (what was approved is not what it says now)."""
        with self.store.transaction() as tx:
            row, review, draft = self._touch(tx.session, key, by)
            known = {s.article_id for s in draft.sources}
            for article in (*change.drop_sources, *change.restore_sources):
                if article not in known:
                    raise ReviewError(f"story {key!r} has no source article {article}")
            before = edit_of(review)
            for field, limit in (
                ("headline_en", MAX_HEADLINE_CHARS),
                ("summary_en", MAX_SUMMARY_CHARS),
                ("headline_uk", MAX_HEADLINE_CHARS),
                ("summary_uk", MAX_SUMMARY_CHARS),
            ):
                value = _text(getattr(change, field), field, limit)
                if value is not None:
                    setattr(review, field, value or None)
            dropped = (set(review.dropped_sources or ()) | set(change.drop_sources)) - set(
                change.restore_sources
            )
            if len(dropped & known) == len(known):
                raise ReviewError(f"story {key!r}: an entry keeps at least one source")
            review.dropped_sources = sorted(dropped)
            if review.status == "approved":
                review.status = "draft"
            after = edit_of(review)
            review.search_text = search_text(after)
            changed = {
                field: getattr(after, field)
                for field in ("headline_en", "summary_en", "headline_uk", "summary_uk")
                if getattr(after, field) != getattr(before, field)
            }
            if after.dropped_sources != before.dropped_sources:
                changed["dropped_sources"] = list(after.dropped_sources)
            record_event(tx.session, key, "edit", by, changed)
            tx.session.flush()
            return self._desk_entry(row, review)

    def decide(self, key: str, status: ReviewStatus, *, by: str, note: str = "") -> DeskEntry:
        """Approve, reject or return to draft an entry not yet published."""
        if status not in ("draft", "approved", "rejected"):
            raise ReviewError(f"an entry is {status} only by publishing it")
        with self.store.transaction() as tx:
            row, review, draft = self._touch(tx.session, key, by)
            if review.status == "published":
                raise ReviewError(f"story {key!r} is published already")
            if status == "approved":
                shown = draft.edited(edit_of(review), review_of(review))
                if shown.ukrainian is None:
                    raise ReviewError(
                        f"story {key!r} has no Ukrainian headline and summary to approve: "
                        "write them first (ohliad edit --headline-uk … --summary-uk …)"
                    )
                review.baseline = {**(review.baseline or {}), "approved_text": _texts(draft)}
            review.status = status
            record_event(tx.session, key, status, by, {"note": note} if note else {})
            tx.session.flush()
            return self._desk_entry(row, review)

    def publish(self, *, by: str, day: date | None = None) -> Edition:
        """Publish an edition: without ``day`` the next one (every approved
        entry not yet published, dated today); with it, that day's whole (its
        approved entries are published, and those published already are
        kept). Idempotent: an entry is published once, by one process."""
        edition_day = day or self.today()
        with self.store.transaction() as tx:
            session = tx.session
            query = (
                select(StoryRow, ReviewRow)
                .join(ReviewRow, ReviewRow.story_key == StoryRow.key)
                .where(StoryRow.entry.is_not(None))
            )
            approved = [
                (row, review)
                for row, review in session.execute(query.where(ReviewRow.status == "approved"))
                if day is None or self._day(_entry(row), row, review) == day
            ]
            keys = [row.key for row, _ in approved]
            now = utcnow()
            # The condition on the status makes one process publish each entry.
            new = list(
                session.scalars(
                    update(ReviewRow)
                    .where(ReviewRow.story_key.in_(keys), ReviewRow.status == "approved")
                    .values(status="published", edition_day=edition_day, published_at=now)
                    .returning(ReviewRow.story_key)
                )
            )
            for key in new:
                record_event(session, key, "publish", by, {"day": edition_day.isoformat()})
            session.expire_all()
            in_edition = ReviewRow.edition_day == edition_day
            if day is None:  # the next edition is what this publishing published
                in_edition = ReviewRow.story_key.in_(new)
            rows = session.execute(query.where(in_edition)).all()
            entries = [_entry(row, review) for row, review in rows]
        entries.sort(key=lambda e: e.updated or datetime.min.replace(tzinfo=UTC), reverse=True)
        return Edition(edition_day, tuple(entries), tuple(sorted(new)))

    def claim_unsent(self, keys: Sequence[str]) -> list[str]:
        """Of these published entries, those no e-mail edition carried yet,
        now marked as carried (release them if the sending fails)."""
        with self.store.transaction() as tx:
            return list(
                tx.session.scalars(
                    update(ReviewRow)
                    .where(ReviewRow.story_key.in_(set(keys)), ReviewRow.emailed_at.is_(None))
                    .values(emailed_at=utcnow())
                    .returning(ReviewRow.story_key)
                )
            )

    def release_unsent(self, keys: Sequence[str]) -> None:
        with self.store.transaction() as tx:
            tx.session.execute(
                update(ReviewRow).where(ReviewRow.story_key.in_(set(keys))).values(emailed_at=None)
            )
