"""The watcher killed with SIGKILL at random moments loses and duplicates nothing."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from tests.watch.feedserver import FeedServer
from tests.watch.killharness import NewsDesk, kill_and_restart

KILLS = 10


@pytest.mark.slow
def test_watcher_survives_random_kills(tmp_path: Path, feed_server: FeedServer) -> None:
    seed = int(os.environ.get("OHLIAD_KILL_SEED", random.randrange(1_000_000)))
    desk = NewsDesk(feed_server, feeds=4, seed=seed)
    desk.publish(12)
    report = kill_and_restart(tmp_path, desk, kills=KILLS, seed=seed)
    print(f"seed {seed}: articles stored at each kill {report.articles_at_kill}")
    assert report.kills == KILLS
    assert report.problems == [], f"seed {seed}"
    assert report.feed_articles == 12 + KILLS * 4
