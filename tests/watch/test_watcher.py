"""The watcher end to end, in process: feeds on loopback into the real pipeline."""

from __future__ import annotations

import io
import json
import threading
import time
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from rich.console import Console

from ohliad.ingest.fetch import FetchOptions
from ohliad.pipeline import Pipeline
from ohliad.store import FeedStore, Store
from ohliad.watch import FeedSpec, WatchPolicy, watch_status
from ohliad.watch.command import show_status
from ohliad.watch.watcher import ComparisonReport, FlushReport, Watcher
from tests.watch.feedserver import FeedServer
from tests.watch.killharness import NewsDesk

# Seconds each (processes, servers, models): left out of make test-fast.
pytestmark = pytest.mark.slow

POLICY = WatchPolicy(host_delay_seconds=0.0, park_after_failures=2)


def watcher(
    store: Store,
    feeds: list[FeedSpec],
    flushes: list[FlushReport] | None = None,
    *,
    policy: WatchPolicy = POLICY,
    **hooks: Any,
) -> Watcher:
    """A watcher over loopback feeds; ``hooks`` are Watcher's log, on_compare…"""
    if flushes is not None:
        hooks["on_flush"] = flushes.append
    return Watcher(
        Pipeline(store),
        feeds,
        policy=policy,
        fetch_options=FetchOptions(allow_private=True, timeout=10),
        **hooks,
    )


@pytest.fixture
def desk(feed_server: FeedServer) -> NewsDesk:
    news = NewsDesk(feed_server, feeds=3, seed=7)
    news.publish(9)
    return news


def test_once_stores_new_articles_then_only_what_is_new(
    store: Store, desk: NewsDesk, feed_server: FeedServer
) -> None:
    feeds = [FeedSpec(feed_server.feed_url(n), outlet=n, interval_seconds=60) for n in desk.names]
    flushes: list[FlushReport] = []
    first = watcher(store, feeds, flushes).run(once=True)
    assert (first.polls, first.failures, first.added) == (3, 0, 9)
    assert store.article_count() == 9
    assert store.dirty_story_keys() == []
    assert sum(len(f.articles) for f in flushes) == 9
    # Teaser items (outlet0) were completed from their pages.
    teasers = [a for a in store.articles() if a.outlet == "outlet0"]
    assert teasers and all("Filed as item" in a.text for a in teasers)

    # Nothing changed: every feed answers 304 and nothing is read again.
    second = watcher(store, feeds, flushes).run(once=True)
    assert (second.polls, second.added) == (3, 0)
    assert feed_server.not_modified == 3

    desk.publish(2)
    third = watcher(store, feeds, flushes).run(once=True)
    assert third.added == 2
    assert store.article_count() == 11

    status = watch_status(store)
    assert status.articles_24h == 11
    assert status.stories_dirty == 0 and status.feeds_due == 0
    assert status.comparisons_pending == 0  # a --once run finishes the comparisons
    assert {f.url for f in status.feeds} == {f.url for f in feeds}
    assert all(f.last_success and not f.last_error for f in status.feeds)


def test_once_says_when_a_skipped_feed_is_due_and_now_polls_it_anyway(
    store: Store, feed_server: FeedServer
) -> None:
    missing = FeedSpec(feed_server.feed_url("nothing-here"), interval_seconds=60)
    assert watcher(store, [missing], []).run(once=True).failures == 1
    (state,) = FeedStore(store).feeds()
    assert state.next_poll is not None

    said: list[str] = []
    skipping = watcher(store, [missing], log=said.append)
    assert skipping.run(once=True).polls == 0
    due = f"{state.next_poll:%Y-%m-%d %H:%M} UTC"
    assert said[0] == (
        f"skipped {missing.url}: backing off after 1 failure (HTTP 404); "
        f"next due {due} (--now polls it anyway)"
    )
    assert watcher(store, [missing], []).run(once=True, now=True).polls == 1


def test_failing_feed_backs_off_then_parks_and_status_shows_it(
    store: Store, feed_server: FeedServer
) -> None:
    missing = FeedSpec(feed_server.feed_url("nothing-here"), interval_seconds=60)
    feeds = FeedStore(store)
    first = watcher(store, [missing], []).run(once=True)
    assert (first.polls, first.failures) == (1, 1)
    (state,) = feeds.feeds()
    assert state.last_error == "HTTP 404" and state.parked_reason is None
    assert state.next_poll is not None and state.last_polled is not None
    assert state.next_poll - state.last_polled == timedelta(seconds=60)

    # --once honours the backoff: the feed is not due yet.
    assert watcher(store, [missing], []).run(once=True).polls == 0

    # Once the backoff has passed, the second failure in a row parks it.
    feeds.save(replace(state, next_poll=state.last_polled))
    assert watcher(store, [missing], []).run(once=True).polls == 1
    (parked,) = feeds.feeds()
    assert parked.parked_reason == "failed 2 polls in a row, last: HTTP 404"

    status = watch_status(store)
    assert status.parked == 1 and status.feeds_due == 0
    printed = io.StringIO()
    show_status(store, as_json=True, console=Console(file=printed, width=200))
    report = json.loads(printed.getvalue())
    assert report["parked"] == 1
    assert report["feeds"][0]["parked_reason"] == parked.parked_reason
    assert report["feeds"][0]["last_error"] == "HTTP 404"
    table = io.StringIO()
    show_status(store, as_json=False, console=Console(file=table, width=200))
    assert "failed 2 polls in a row" in table.getvalue()
    assert "1 feed (1 parked)" in table.getvalue()


def test_summaries_are_saved_at_once_and_comparisons_catch_up(
    store: Store, desk: NewsDesk, feed_server: FeedServer
) -> None:
    feeds = [FeedSpec(feed_server.feed_url(n), outlet=n, interval_seconds=60) for n in desk.names]
    flushes: list[FlushReport] = []
    compared: list[ComparisonReport] = []
    pending_at_flush: list[int] = []

    def on_flush(report: FlushReport) -> None:
        flushes.append(report)
        pending_at_flush.append(store.comparison_backlog())

    run = watcher(store, feeds, on_flush=on_flush, on_compare=compared.append).run(once=True)
    assert run.added == 9
    # When a round's summaries are saved, its comparisons are still to come.
    assert pending_at_flush[0] > 0
    assert store.comparison_backlog() == 0
    assert run.stories_compared == len(compared) > 0
    # A story is compared only once its summary tier is saved.
    summarised = {key for flush in flushes for key in flush.stories_refreshed}
    assert {c.story for c in compared} <= summarised
    stories = {s.key: s for s in store.stored_stories()}
    for report in compared:
        entry = stories[report.story].entry
        assert entry is not None and entry.comparison_pending is False
        assert set(entry.article_ids) == report.article_ids
    # Every story with two reports (not copies) has its comparison.
    multi = [
        s.entry
        for s in stories.values()
        if s.entry and sum(1 for src in s.entry.sources if src.copy_of is None) > 1
    ]
    assert multi and all(e.comparison is not None for e in multi)


def test_feeds_added_to_the_watch_list_are_polled_and_removed_ones_are_not(
    store: Store, desk: NewsDesk, feed_server: FeedServer
) -> None:
    # As ohliad feeds add and the admin page add them: to the store, not to a file.
    first, second, third = (feed_server.feed_url(n) for n in desk.names)
    feeds = FeedStore(store)
    feeds.sync([(first, "First", "en", 60), (second, "Second", "en", 60)])
    assert watcher(store, [], []).run(once=True).polls == 2
    assert feeds.remove(second)
    assert not feeds.remove(second)
    feeds.sync([(third, "Third", "en", 60)])
    said: list[str] = []
    running = watcher(
        store, [], policy=replace(POLICY, feed_list_reload_seconds=0.0), log=said.append
    )
    summary = running.run(once=True, now=True)
    assert summary.polls == 2  # the first and the third; the second is gone
    assert {s.url for s in feeds.feeds()} == {first, third}


def test_a_running_watcher_takes_in_a_feed_added_meanwhile(
    store: Store, desk: NewsDesk, feed_server: FeedServer
) -> None:
    first, second = (feed_server.feed_url(n) for n in desk.names[:2])
    feeds = FeedStore(store)
    feeds.sync([(first, "First", "en", 3600)])
    said: list[str] = []
    running = watcher(
        store, [], policy=replace(POLICY, feed_list_reload_seconds=0.0), log=said.append
    )
    thread = threading.Thread(target=running.run)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and running.summary.polls < 1:
            time.sleep(0.1)
        feeds.sync([(second, "Second", "en", 3600)])
        while time.monotonic() < deadline and running.summary.polls < 2:
            time.sleep(0.1)
        assert feeds.remove(first)
        while time.monotonic() < deadline and not any("stopped watching" in m for m in said):
            time.sleep(0.1)
    finally:
        running.stop()
        thread.join(60)
    assert running.summary.polls == 2
    assert f"watching {second}, added to the watch list" in said
    assert f"stopped watching {first}, removed from the list" in said
