"""The watcher's child processes: the comparison process compares what is
pending and comes back after a crash; no child outlives a watcher killed with
SIGKILL, and SIGTERM stops the watcher and its children cleanly."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ohliad.models import Article
from ohliad.pipeline import Pipeline, PipelineOptions
from ohliad.store import Store
from ohliad.watch.comparer import (
    ComparisonFailure,
    ComparisonProcess,
    ComparisonReport,
    compare_batch,
)
from tests.watch.feedserver import FeedServer, story_text
from tests.watch.killharness import READY_LINE, NewsDesk, start_watcher

# Seconds each (processes, servers, models): left out of make test-fast.
pytestmark = pytest.mark.slow


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid``, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The parent pid is the second field after the ")" that ends the name.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _policy(pid: int | None) -> int | None:
    try:
        return os.sched_getscheduler(pid) if pid is not None else None
    except OSError:  # between a death and a restart
        return None


def _wait(condition: Callable[[], object], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _stored_with_pending_comparisons(tmp_path: Path) -> Store:
    """A store whose stories have their summaries but no comparisons yet."""
    store = Store.open(str(tmp_path / "watch.db"))
    pipeline = Pipeline(store, PipelineOptions(compare=False))
    articles = []
    for number in range(6):
        title, text = story_text(number % 2, number)
        articles.append(Article(title=title, text=text, url=f"https://o{number}.example/a"))
    pipeline.ingest(articles)
    pipeline.refresh_summaries()
    assert store.comparison_backlog() > 0
    return store


def test_process_compares_pending_stories_and_restarts_after_a_crash(tmp_path: Path) -> None:
    store = _stored_with_pending_comparisons(tmp_path)
    reports: list[ComparisonReport] = []
    failures: list[ComparisonFailure] = []
    messages: list[str] = []
    comparer = ComparisonProcess(
        store.opener(),
        PipelineOptions(),
        on_report=reports.append,
        on_failure=failures.append,
        log=messages.append,
    )
    comparer.start()
    first = comparer.pid
    assert first is not None
    # A crash (SIGKILL of the process) while idle or working: it comes back.
    os.kill(first, signal.SIGKILL)
    assert _wait(lambda: comparer.pid not in (None, first), 60)
    assert any("starting it again" in m for m in messages)
    # It runs on the CPU time that polling and storing leave idle.
    assert _wait(lambda: _policy(comparer.pid) == os.SCHED_IDLE, 60)
    comparer.finish(drain=True, stopping=threading.Event())
    assert store.comparison_backlog() == 0
    assert not failures
    stories = {s.key: s for s in store.stored_stories()}
    for report in reports:
        entry = stories[report.story].entry
        assert entry is not None and report.article_ids == set(entry.article_ids)
    store.close()


def test_killed_watcher_leaves_no_comparison_process_behind(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    desk = NewsDesk(feed_server, feeds=2, seed=3)
    desk.publish(4)
    feed_list = desk.write_feed_list(tmp_path / "feeds.toml")
    log = tmp_path / "watch.log"
    with log.open("wb") as sink:
        watcher = start_watcher(feed_list, tmp_path / "watch.db", sink, tmp_path)
        try:
            assert _wait(lambda: READY_LINE in log.read_text(errors="replace"), 120)
            assert _wait(lambda: _children(watcher.pid), 60)
            children = _children(watcher.pid)
        finally:
            watcher.send_signal(signal.SIGKILL)
            watcher.wait()
    # Given time to finish starting up (imports) on a busy machine.
    assert _wait(lambda: not any(_alive(pid) for pid in children), 60), children


def test_sigterm_stops_the_watcher_and_its_children(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    desk = NewsDesk(feed_server, feeds=2, seed=4)
    desk.publish(4)
    feed_list = desk.write_feed_list(tmp_path / "feeds.toml")
    db = tmp_path / "watch.db"
    log = tmp_path / "watch.log"
    with log.open("wb") as sink:
        watcher = start_watcher(feed_list, db, sink, tmp_path)
        try:
            assert _wait(lambda: "stored 4 new articles" in log.read_text(errors="replace"), 180)
            children = _children(watcher.pid)
            watcher.send_signal(signal.SIGTERM)
            assert watcher.wait(timeout=120) == 0
        finally:
            if watcher.poll() is None:
                watcher.kill()
                watcher.wait()
    output = log.read_text(errors="replace")
    assert "polls, 0 failed; stored 4 new articles" in output
    assert "Traceback" not in output
    # The children were waited for; multiprocessing's resource tracker ends
    # when it sees the watcher's end of its pipe close, just after.
    assert children
    assert _wait(lambda: not any(_alive(pid) for pid in children), 10), [
        Path(f"/proc/{pid}/cmdline").read_bytes() for pid in children if _alive(pid)
    ]


def test_a_failing_story_does_not_stop_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch with a story whose comparison raises is compared again one story
    at a time: the others are saved, the failure is reported and set aside."""
    import ohliad.pipeline as pipeline_module

    store = _stored_with_pending_comparisons(tmp_path)
    keys = store.pending_comparison_keys()
    bad = keys[0]
    real = pipeline_module.compare_stories

    def failing(stories: Any, *options: Any) -> Any:
        if any(story.id == bad for story in stories):
            raise ValueError("unreadable story")
        return real(stories, *options)

    monkeypatch.setattr(pipeline_module, "compare_stories", failing)
    failed: set[str] = set()
    ours, theirs = multiprocessing.Pipe()
    saved = compare_batch(Pipeline(store, PipelineOptions()), keys, failed, theirs)
    assert set(saved) == set(keys) - {bad}
    assert failed == {bad}
    message = ours.recv()
    assert message == ComparisonFailure(bad, "ValueError: unreadable story")
    assert not ours.poll()
    assert store.pending_comparison_keys() == [bad]
    store.close()
