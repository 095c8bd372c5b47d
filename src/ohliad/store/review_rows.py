"""The desk's rows (tables ``reviews`` and ``review_events``) as the store's
write path and reads see them: an edit follows its story through merges and
splits, and the story's every change of articles marks it stale.

Functions over a session, so that they run inside the transaction that
changes the story: an edit is never left behind on a story merged away.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from ohliad.dates import assume_utc, utcnow
from ohliad.models import REVIEW_STATUSES, EntryEdit, Review, ReviewStatus
from ohliad.store.schema import ReviewEventRow, ReviewRow, StoryRow, table

_EVENTS = table(ReviewEventRow)
# What the public sees when the desk reviews (setting ``review``).
PUBLIC_STATUSES: tuple[ReviewStatus, ...] = ("approved", "published")


def baseline_articles(row: ReviewRow) -> frozenset[int]:
    """The story's articles when the editor last edited or decided on it."""
    return frozenset((row.baseline or {}).get("articles", ()))


def review_of(row: ReviewRow) -> Review:
    status: ReviewStatus = row.status if row.status in REVIEW_STATUSES else "draft"
    return Review(
        status=status,
        edited=not edit_of(row).is_empty,
        stale=row.stale,
        updated_by=row.updated_by,
        updated_at=assume_utc(row.updated_at),
    )


def edit_of(row: ReviewRow) -> EntryEdit:
    return EntryEdit(
        headline_en=row.headline_en,
        summary_en=row.summary_en,
        headline_uk=row.headline_uk,
        summary_uk=row.summary_uk,
        dropped_sources=tuple(row.dropped_sources or ()),
    )


# What an approved or published entry says stays what the editor approved:
# the machine's text at approval stands in for the fields the editor left.
_TEXT_FIELDS = ("headline_en", "summary_en", "headline_uk", "summary_uk")


def published_edit(row: ReviewRow) -> EntryEdit:
    """The edit readers see: the editor's text, and for an approved or
    published entry the machine's text as approved where the editor wrote none."""
    edit = edit_of(row)
    snapshot = (row.baseline or {}).get("approved_text")
    if row.status not in PUBLIC_STATUSES or not snapshot:
        return edit
    return replace(
        edit,
        **{
            field: snapshot.get(field)
            for field in _TEXT_FIELDS
            if getattr(edit, field) is None and snapshot.get(field)
        },
    )


def reviews_by_key(session: Session, keys: Collection[str]) -> dict[str, ReviewRow]:
    if not keys:
        return {}
    rows = session.scalars(select(ReviewRow).where(ReviewRow.story_key.in_(set(keys))))
    return {row.story_key: row for row in rows}


def record_event(
    session: Session, key: str, action: str, by: str | None, detail: Mapping[str, Any]
) -> None:
    session.execute(
        insert(_EVENTS),
        [{"story_key": key, "action": action, "by": by, "at": utcnow(), "detail": dict(detail)}],
    )


# Built once: it runs in every transaction of the write path.
_MARK_STALE = (
    update(table(ReviewRow))
    .where(
        table(ReviewRow).c.story_key.in_(
            select(StoryRow.key).where(StoryRow.id.in_(bindparam("ids", expanding=True)))
        ),
        table(ReviewRow).c.baseline.is_not(None),
    )
    .values(stale=True)
)


def mark_stale(session: Session, story_ids: Iterable[int]) -> None:
    """The stories' articles changed: an edit or decision made before no
    longer covers them (a review with no baseline has nothing to go stale)."""
    session.execute(_MARK_STALE, {"ids": sorted(set(story_ids))})


def _moved(session: Session, row: ReviewRow, into_key: str, kind: str) -> None:
    record_event(session, row.story_key, kind, None, {"into": into_key})
    row.story_key = into_key
    row.stale = True


def carry_on_merge(session: Session, into_key: str, from_keys: Sequence[str]) -> None:
    """Before the stories ``from_keys`` are merged away into ``into_key``: the
    review that covers the most articles goes to ``into_key``, stale; the
    others stay in the event log, whole."""
    rows = reviews_by_key(session, {into_key, *from_keys})
    if not rows or set(rows) == {into_key}:
        return
    ranked = sorted(
        rows.values(),
        key=lambda r: (not edit_of(r).is_empty, len(baseline_articles(r)), r.story_key == into_key),
        reverse=True,
    )
    kept, dropped = ranked[0], ranked[1:]
    for row in dropped:
        record_event(
            session,
            row.story_key,
            "merge-dropped",
            None,
            {"into": into_key, "status": row.status, **_edit_detail(edit_of(row))},
        )
        session.delete(row)
    session.flush()
    if kept.story_key != into_key:
        _moved(session, kept, into_key, "merge")
    else:
        kept.stale = True


def carry_on_split(
    session: Session, source_keys: Collection[str], article_ids: Collection[int], into_key: str
) -> None:
    """Articles ``article_ids`` move from the stories ``source_keys`` into
    ``into_key``: a review whose articles now lie mostly in ``into_key`` moves
    there, if that story has none (the story's change marks both stale)."""
    moving = set(article_ids)
    rows = reviews_by_key(session, {*source_keys, into_key})
    if into_key in rows:
        return
    for row in rows.values():
        covered = baseline_articles(row)
        if len(covered & moving) > len(covered - moving):
            _moved(session, row, into_key, "split")
            return


def _edit_detail(edit: EntryEdit) -> dict[str, Any]:
    return {
        "headline_en": edit.headline_en,
        "summary_en": edit.summary_en,
        "headline_uk": edit.headline_uk,
        "summary_uk": edit.summary_uk,
        "dropped_sources": list(edit.dropped_sources),
    }
