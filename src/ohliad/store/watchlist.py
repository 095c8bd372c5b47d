"""The watch list in the store: the feeds being polled (validators, schedule,
failures, parking) and the entries already taken from each feed.

An entry is recorded only after its article is committed, in the same
transaction as the feed's new validators: a watcher killed in between simply
polls the feed again, and the store's URL and content-hash uniqueness turns
the re-ingest into a no-op.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from ohliad.dates import assume_utc, utcnow
from ohliad.models import Article, EntryOutcome, FeedState
from ohliad.store.repository import Store, content_hash
from ohliad.store.schema import (
    FeedEntryRow,
    FeedRow,
    StoryArticleRow,
    StoryRow,
    table,
)

# Entry keys are guids or links; a key longer than the column is stored hashed.
_MAX_ENTRY_KEY = 2000
ENTRY_DONE = "done"
ENTRY_FAILED = "failed"


_KNOWN_ENTRIES = select(FeedEntryRow.entry_key).where(
    FeedEntryRow.feed_id == bindparam("feed_id"),
    FeedEntryRow.entry_key.in_(bindparam("keys", expanding=True)),
)


def stored_entry_key(key: str) -> str:
    if len(key) <= _MAX_ENTRY_KEY:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class FeedStats:
    feed: FeedState
    articles_24h: int
    stories_updated_24h: int


def _state(row: FeedRow) -> FeedState:
    return FeedState(
        id=row.id,
        url=row.url,
        outlet=row.outlet,
        language=row.language,
        interval_seconds=row.interval_seconds,
        etag=row.etag,
        last_modified=row.last_modified,
        last_polled=assume_utc(row.last_polled),
        last_success=assume_utc(row.last_success),
        last_error=row.last_error,
        consecutive_failures=row.consecutive_failures,
        parked_reason=row.parked_reason,
        next_poll=assume_utc(row.next_poll),
    )


# The FeedState fields the watcher changes, stored under the same names.
_STATE_COLUMNS = (
    "etag",
    "last_modified",
    "last_polled",
    "last_success",
    "last_error",
    "parked_reason",
    "consecutive_failures",
    "next_poll",
)


class FeedStore:
    """Feed and feed-entry bookkeeping over a :class:`Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def sync(self, specs: Iterable[tuple[str, str | None, str | None, int]]) -> list[FeedState]:
        """Add or update feeds from ``(url, outlet, language, interval)``; returns
        their states in the given order. Feeds not listed are left untouched."""
        states = []
        with self.store.transaction() as tx:
            for url, outlet, language, interval in specs:
                row = tx.session.scalar(select(FeedRow).where(FeedRow.url == url))
                if row is None:
                    row = FeedRow(url=url, consecutive_failures=0)
                    tx.session.add(row)
                row.outlet, row.language, row.interval_seconds = outlet, language, interval
                tx.session.flush()
                states.append(_state(row))
        return states

    def remove(self, url: str) -> bool:
        """Take a feed off the watch list, with its record of seen entries
        (the articles stay); False when it was not on it."""
        with self.store.transaction() as tx:
            row = tx.session.scalar(select(FeedRow).where(FeedRow.url == url))
            if row is None:
                return False
            tx.session.execute(delete(FeedEntryRow).where(FeedEntryRow.feed_id == row.id))
            tx.session.delete(row)
        return True

    def feeds(self) -> list[FeedState]:
        with self.store.transaction() as tx:
            return [_state(r) for r in tx.session.scalars(select(FeedRow).order_by(FeedRow.id))]

    def known_entry_keys(self, feed_id: int, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` were already taken from the feed (done or failed for good)."""
        wanted = {stored_entry_key(k): k for k in keys}
        if not wanted:
            return set()
        # A read on a plain connection with a statement built once: the poll
        # process asks this on every poll that brings items, and the ORM
        # session around it cost more than the query.
        with self.store.engine.connect() as conn:
            found = conn.scalars(_KNOWN_ENTRIES, {"feed_id": feed_id, "keys": list(wanted)})
            return {wanted[k] for k in found}

    def stored_article_ids(self, articles: Sequence[Article]) -> list[int | None]:
        """The stored id of each article, found by canonical URL or content hash."""
        hashes = [content_hash(a) for a in articles]
        with self.store.transaction() as tx:
            rows = tx.stored_matches([a.url for a in articles if a.url], hashes)
        by_url = {url: id_ for id_, url, _h in rows if url}
        by_hash = {h: id_ for id_, _u, h in rows}
        return [
            (by_url.get(a.url) if a.url else None) or by_hash.get(h)
            for a, h in zip(articles, hashes, strict=True)
        ]

    @staticmethod
    def _write_states(session: Session, states: Sequence[FeedState]) -> set[int]:
        """Write feeds' states; returns the ids of those no longer on the watch
        list (removed while they were polled), which are left out."""
        # One executemany UPDATE: a busy watcher saves a hundred polls' states
        # a second, and loading each row into the ORM first cost more than the polls.
        if not states:
            return set()
        statement = (
            update(FeedRow)
            .where(FeedRow.id == bindparam("b_id"))
            .values({name: bindparam(f"b_{name}") for name in _STATE_COLUMNS})
        )
        rows = [
            {"b_id": state.id, **{f"b_{name}": getattr(state, name) for name in _STATE_COLUMNS}}
            for state in states
        ]
        written = session.connection().execute(statement, rows)
        if 0 <= written.rowcount < len(states):
            stored = set(
                session.scalars(select(FeedRow.id).where(FeedRow.id.in_([s.id for s in states])))
            )
            return {s.id for s in states} - stored
        return set()

    def save_states(self, states: Sequence[FeedState]) -> None:
        """Write several feeds' states in one transaction."""
        with self.store.transaction() as tx:
            self._write_states(tx.session, states)

    def save(self, state: FeedState, entries: Sequence[EntryOutcome] = ()) -> None:
        """Write a feed's state and record its finished entries, atomically."""
        self.save_polls([(state, entries)])

    def save_polls(self, polls: Sequence[tuple[FeedState, Sequence[EntryOutcome]]]) -> None:
        """Write several feeds' states and record their finished entries, in one
        transaction: a watcher's round stores the polls of dozens of feeds."""
        with self.store.transaction() as tx:
            removed = self._write_states(tx.session, [state for state, _ in polls])
            wanted = {
                (state.id, stored_entry_key(e.entry_key)): e
                for state, entries in polls
                if state.id not in removed
                for e in entries
            }
            if not wanted:
                return
            existing = {
                (feed, key): entry_id
                for entry_id, feed, key in tx.session.execute(
                    select(FeedEntryRow.id, FeedEntryRow.feed_id, FeedEntryRow.entry_key).where(
                        FeedEntryRow.feed_id.in_({feed for feed, _ in wanted}),
                        FeedEntryRow.entry_key.in_({key for _, key in wanted}),
                    )
                )
            }
            seen_at = utcnow()
            new_rows, updated_rows = [], []
            for (feed, key), entry in wanted.items():
                row = {
                    "article_id": entry.article_id,
                    "status": ENTRY_DONE if entry.error is None else ENTRY_FAILED,
                    "error": entry.error,
                    "seen_at": seen_at,
                }
                if (feed, key) in existing:
                    updated_rows.append({"entry_id": existing[feed, key], **row})
                else:
                    new_rows.append({"feed_id": feed, "entry_key": key, **row})
            # Core executemany statements, like the states above.
            entries = table(FeedEntryRow)
            if new_rows:
                tx.session.execute(insert(entries), new_rows)
            if updated_rows:
                tx.session.execute(
                    update(entries).where(entries.c.id == bindparam("entry_id")), updated_rows
                )

    # Status ---------------------------------------------------------------

    def stats(self, now: datetime | None = None) -> list[FeedStats]:
        """Every stored feed with its articles and stories of the last 24 hours."""
        since = (now or utcnow()) - timedelta(hours=24)
        recent = FeedEntryRow.seen_at >= since
        articles = (
            select(FeedEntryRow.feed_id, func.count())
            .where(recent, FeedEntryRow.article_id.is_not(None))
            .group_by(FeedEntryRow.feed_id)
        )
        stories = (
            select(FeedEntryRow.feed_id, func.count(func.distinct(StoryArticleRow.story_id)))
            .join(StoryArticleRow, StoryArticleRow.article_id == FeedEntryRow.article_id)
            .where(recent)
            .group_by(FeedEntryRow.feed_id)
        )
        with self.store.transaction() as tx:
            article_counts = {feed: n for feed, n in tx.session.execute(articles)}
            story_counts = {feed: n for feed, n in tx.session.execute(stories)}
            rows = tx.session.scalars(select(FeedRow).order_by(FeedRow.id))
            return [
                FeedStats(
                    feed=_state(row),
                    articles_24h=article_counts.get(row.id, 0),
                    stories_updated_24h=story_counts.get(row.id, 0),
                )
                for row in rows
            ]

    def stories_updated_since(self, since: datetime) -> int:
        with self.store.transaction() as tx:
            query = select(func.count()).select_from(StoryRow).where(StoryRow.updated_at >= since)
            return tx.session.scalar(query) or 0

    def dirty_story_count(self) -> int:
        with self.store.transaction() as tx:
            query = select(func.count()).select_from(StoryRow).where(StoryRow.dirty)
            return tx.session.scalar(query) or 0
