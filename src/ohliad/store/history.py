"""The record of grouping's merges and splits (table ``story_changes``), which
the story page's timeline and the API show: a story that took in a follow-up,
or a report that left a story it did not belong to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from ohliad.dates import assume_utc, utcnow
from ohliad.store.schema import StoryChangeRow, table

ChangeKind = Literal["merge", "split"]


@dataclass(frozen=True, slots=True)
class StoryChangeRecord:
    """A merge took the articles of ``other`` (which no longer exists) into
    ``story``; a split moved ``articles`` out of ``story`` into ``other``."""

    kind: ChangeKind
    story: str
    other: str
    articles: tuple[int, ...]
    score: float
    at: datetime | None = None


def record_changes(
    session: Session, changes: Sequence[StoryChangeRecord], run_id: int | None
) -> None:
    if not changes:
        return
    session.execute(
        insert(table(StoryChangeRow)),
        [
            {
                "kind": change.kind,
                "story_key": change.story,
                "other_key": change.other,
                "articles": list(change.articles),
                "score": change.score,
                "created_at": change.at or utcnow(),
                "run_id": run_id,
            }
            for change in changes
        ],
    )


def changes_of(session: Session, key: str) -> list[StoryChangeRecord]:
    """The changes that involved the story ``key``, oldest first."""
    rows = session.scalars(
        select(StoryChangeRow)
        .where(or_(StoryChangeRow.story_key == key, StoryChangeRow.other_key == key))
        .order_by(StoryChangeRow.id)
    )
    return [
        StoryChangeRecord(
            kind="merge" if row.kind == "merge" else "split",
            story=row.story_key,
            other=row.other_key,
            articles=tuple(row.articles),
            score=row.score,
            at=assume_utc(row.created_at),
        )
        for row in rows
    ]
