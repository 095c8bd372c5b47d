"""The poll process: feeds polled in a child process come back with their
articles; a poll lost with a crashed process is put off, not failed, and the
process is started again."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from ohliad.ingest.fetch import FetchOptions
from ohliad.store import FeedStore, Store
from ohliad.watch import WatchPolicy
from ohliad.watch.poll_process import PollProcess
from tests.watch.feedserver import FeedServer
from tests.watch.killharness import NewsDesk

# Seconds each (processes, servers, models): left out of make test-fast.
pytestmark = pytest.mark.slow


def test_polls_in_a_child_process_and_survives_its_crash(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    desk = NewsDesk(feed_server, feeds=2, seed=5)
    desk.publish(6)
    store = Store.open(str(tmp_path / "watch.db"))
    states = FeedStore(store).sync((feed_server.feed_url(n), n, "en", 60) for n in desk.names)
    messages: list[str] = []
    polls = PollProcess(
        store.opener(),
        WatchPolicy(host_delay_seconds=0.0),
        FetchOptions(allow_private=True, timeout=10),
        log=messages.append,
    )
    polls.start()
    try:
        results = [polls.submit(state).result(timeout=120) for state in states]
        entries = [e for r in results for e in r.entries]
        assert all(r.failure is None for r in results)
        assert len(entries) == 6 and all(e.article is not None for e in entries)
        teasers = [e.article for e in entries if e.article and e.entry_key.startswith("outlet0-")]
        # outlet0 publishes teasers: the full page was fetched and read in the child.
        assert teasers and all("Filed as item" in a.text for a in teasers)

        first = polls.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        lost = polls.submit(states[0]).result(timeout=30)
        # Not the feed's fault: put off a little, no failure recorded.
        assert lost.failure is None and lost.deferred_until is not None

        deadline = time.monotonic() + 120
        while polls.pid in (None, first) and time.monotonic() < deadline:
            time.sleep(0.1)
        again = polls.submit(states[0]).result(timeout=120)
        assert again.failure is None and len(again.entries) == len(results[0].entries)
        assert any("starting it again" in m for m in messages)
    finally:
        polls.close()
        store.close()
