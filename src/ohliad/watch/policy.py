"""When to poll a feed next: the regular interval after a success, exponential
backoff after failures (longer still when the server says Retry-After), and
parking for feeds that keep failing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from ohliad.models import FeedState

# HTTP statuses that say the feed is gone for good, not that it is unwell.
PERMANENT_STATUSES = frozenset({404, 410})


@dataclass(frozen=True, slots=True)
class WatchPolicy:
    """Politeness and persistence settings of the watcher."""

    # The shortest wait after a failure; the wait doubles with each further failure.
    backoff_base_seconds: float = 60.0
    backoff_cap_seconds: float = 6 * 3600.0
    # Consecutive failures (or permanent ones) after which a feed is parked.
    park_after_failures: int = 8
    park_after_permanent: int = 3
    # A parked feed is still tried this often, so that a fixed feed comes back.
    parked_probe_seconds: float = 24 * 3600.0
    # Per host: seconds between request starts, and requests at once.
    host_delay_seconds: float = 1.0
    host_concurrency: int = 2
    # Feeds fetched at once, across hosts.
    workers: int = 8
    # Articles gathered before one pipeline.ingest call, and the longest they wait.
    batch_articles: int = 128
    batch_wait_seconds: float = 1.0
    # How often a running watcher rereads the watch list from the store, so that
    # feeds added or removed meanwhile (ohliad feeds, the admin page) count.
    feed_list_reload_seconds: float = 30.0


@dataclass(frozen=True, slots=True)
class PollFailure:
    """Why a poll failed, and what the server asked of us."""

    reason: str
    status: int | None = None
    retry_after: datetime | None = None

    @property
    def permanent(self) -> bool:
        return self.status in PERMANENT_STATUSES


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """A Retry-After header (seconds, or an HTTP date) as a moment."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return now + timedelta(seconds=int(value))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(moment, now)


def backoff_delay(failures: int, interval_seconds: int, policy: WatchPolicy) -> timedelta:
    """One interval (at least the base) after the first failure, doubling after each further one."""
    exponent = min(max(failures - 1, 0), 30)
    first = max(policy.backoff_base_seconds, interval_seconds)
    return timedelta(seconds=min(policy.backoff_cap_seconds, first * 2**exponent))


def after_success(
    state: FeedState, now: datetime, *, etag: str | None, last_modified: str | None
) -> FeedState:
    """A fetched or not-modified feed: clear failures and parking, poll again after its interval."""
    return replace(
        state,
        etag=etag,
        last_modified=last_modified,
        last_polled=now,
        last_success=now,
        last_error=None,
        consecutive_failures=0,
        parked_reason=None,
        next_poll=now + timedelta(seconds=state.interval_seconds),
    )


def _park_reason(failures: int, failure: PollFailure, policy: WatchPolicy) -> str | None:
    if failure.permanent and failures >= policy.park_after_permanent:
        return f"{failure.reason} on {failures} polls in a row"
    if failures >= policy.park_after_failures:
        return f"failed {failures} polls in a row, last: {failure.reason}"
    return None


def after_failure(
    state: FeedState, now: datetime, failure: PollFailure, policy: WatchPolicy
) -> FeedState:
    """A failed poll: back off exponentially, honour Retry-After, park a feed that keeps failing."""
    failures = state.consecutive_failures + 1
    parked = _park_reason(failures, failure, policy)
    if parked:
        next_poll = now + timedelta(seconds=policy.parked_probe_seconds)
    else:
        next_poll = now + backoff_delay(failures, state.interval_seconds, policy)
    if failure.retry_after is not None:
        next_poll = max(next_poll, failure.retry_after)
    return replace(
        state,
        last_polled=now,
        last_error=failure.reason,
        consecutive_failures=failures,
        parked_reason=parked,
        next_poll=next_poll,
    )


def due_at(state: FeedState, *, once: bool) -> datetime | None:
    """When the feed should be polled; None means now. ``once`` (a cron run)
    polls every healthy feed now, but still honours backoff and parking."""
    if once and state.consecutive_failures == 0:
        return None
    return state.next_poll
