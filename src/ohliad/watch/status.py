"""``ohliad status``: how each watched feed is doing, read from the store."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from ohliad.dates import utcnow
from ohliad.store import FeedStats, FeedStore, Store


@dataclass(frozen=True, slots=True)
class FeedStatus:
    url: str
    outlet: str | None
    last_success: datetime | None
    last_error: str | None
    consecutive_failures: int
    parked_reason: str | None
    next_poll: datetime | None
    articles_24h: int
    stories_updated_24h: int


@dataclass(frozen=True, slots=True)
class WatchStatus:
    generated_at: datetime
    feeds: tuple[FeedStatus, ...]
    articles_24h: int
    stories_updated_24h: int
    # The queue: feeds overdue for a poll, stories waiting to be recomputed,
    # and stories whose comparison does not yet cover all their articles.
    feeds_due: int
    stories_dirty: int
    comparisons_pending: int
    # Entries shown in English where Ukrainian was asked for.
    stories_without_ukrainian: int = 0

    @property
    def parked(self) -> int:
        return sum(1 for f in self.feeds if f.parked_reason)

    def to_dict(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, datetime):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            return value

        return {**plain(asdict(self)), "parked": self.parked}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def _feed_status(stats: FeedStats) -> FeedStatus:
    feed = stats.feed
    return FeedStatus(
        url=feed.url,
        outlet=feed.outlet,
        last_success=feed.last_success,
        last_error=feed.last_error,
        consecutive_failures=feed.consecutive_failures,
        parked_reason=feed.parked_reason,
        next_poll=feed.next_poll,
        articles_24h=stats.articles_24h,
        stories_updated_24h=stats.stories_updated_24h,
    )


def watch_status(store: Store, now: datetime | None = None) -> WatchStatus:
    now = now or utcnow()
    feeds = FeedStore(store)
    feed_statuses = tuple(_feed_status(s) for s in feeds.stats(now))
    return WatchStatus(
        generated_at=now,
        feeds=feed_statuses,
        articles_24h=sum(f.articles_24h for f in feed_statuses),
        stories_updated_24h=feeds.stories_updated_since(now - timedelta(hours=24)),
        feeds_due=sum(
            1
            for f in feed_statuses
            if not f.parked_reason and (f.next_poll is None or f.next_poll <= now)
        ),
        stories_dirty=feeds.dirty_story_count(),
        comparisons_pending=store.comparison_backlog(),
        stories_without_ukrainian=store.stories_without_ukrainian(),
    )
