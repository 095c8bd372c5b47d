from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ohliad.models import FeedState
from ohliad.watch.policy import (
    PollFailure,
    WatchPolicy,
    after_failure,
    after_success,
    due_at,
    parse_retry_after,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
POLICY = WatchPolicy(backoff_base_seconds=60, backoff_cap_seconds=3600, park_after_failures=4)


def feed(interval: int = 60) -> FeedState:
    return FeedState(
        id=1, url="https://x.example/rss", outlet=None, language=None, interval_seconds=interval
    )


def fail_times(state: FeedState, times: int, failure: PollFailure) -> list[FeedState]:
    states = []
    for _ in range(times):
        state = after_failure(state, NOW, failure, POLICY)
        states.append(state)
    return states


def test_backoff_doubles_up_to_the_cap_then_parks() -> None:
    states = fail_times(feed(), 4, PollFailure("HTTP 500", 500))
    waits = [s.next_poll - NOW for s in states[:3]]
    assert waits == [timedelta(seconds=60), timedelta(seconds=120), timedelta(seconds=240)]
    assert states[2].parked_reason is None
    parked = states[3]
    assert parked.consecutive_failures == 4
    assert parked.parked_reason == "failed 4 polls in a row, last: HTTP 500"
    assert parked.next_poll == NOW + timedelta(seconds=POLICY.parked_probe_seconds)


def test_backoff_is_capped() -> None:
    state = fail_times(feed(interval=3000), 3, PollFailure("timed out"))[-1]
    assert state.next_poll == NOW + timedelta(seconds=3600)


def test_gone_feed_parks_sooner() -> None:
    states = fail_times(feed(), 3, PollFailure("HTTP 410", 410))
    assert states[1].parked_reason is None
    assert states[2].parked_reason == "HTTP 410 on 3 polls in a row"


def test_retry_after_pushes_the_next_poll() -> None:
    failure = PollFailure("HTTP 429", 429, retry_after=NOW + timedelta(hours=2))
    assert after_failure(feed(), NOW, failure, POLICY).next_poll == NOW + timedelta(hours=2)


def test_retry_after_header_forms() -> None:
    assert parse_retry_after("120", NOW) == NOW + timedelta(seconds=120)
    assert parse_retry_after("Sun, 01 Mar 2026 13:00:00 GMT", NOW) == NOW + timedelta(hours=1)
    assert parse_retry_after("Sun, 01 Mar 2026 11:00:00 GMT", NOW) == NOW  # past: now
    assert parse_retry_after("tomorrow", NOW) is None
    assert parse_retry_after(None, NOW) is None


def test_success_clears_failures_and_parking() -> None:
    parked = fail_times(feed(), 4, PollFailure("HTTP 500", 500))[-1]
    healthy = after_success(parked, NOW, etag='"v2"', last_modified=None)
    assert healthy.consecutive_failures == 0
    assert healthy.parked_reason is None and healthy.last_error is None
    assert healthy.etag == '"v2"'
    assert healthy.next_poll == NOW + timedelta(seconds=60)


def test_once_polls_healthy_feeds_now_but_honours_backoff() -> None:
    healthy = after_success(feed(), NOW, etag=None, last_modified=None)
    failing = after_failure(feed(), NOW, PollFailure("HTTP 500", 500), POLICY)
    assert due_at(healthy, once=True) is None
    assert due_at(healthy, once=False) == NOW + timedelta(seconds=60)
    assert due_at(failing, once=True) == failing.next_poll
