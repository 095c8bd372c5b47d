"""``ohliad backfill`` end to end, through the command line, on a real Ray:
a local instance, and a two-node cluster with a real PostgreSQL server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import delete

from ohliad.compare import CompareOptions, compare_stories
from ohliad.store import Store
from ohliad.store.schema import ArchiveRow
from tests.backfill.cluster import LocalCluster, busy_worker_of, raylet_with_resource
from tests.backfill.warcs import Record, story_pages, truncate_last_member, write_warc

# Each starts Ray and the command line as processes.
pytestmark = pytest.mark.slow

BAD_RECORDS = [
    Record("https://outlet0.example/photo.png", b"\x89PNG\r\n\x1a\n....", "image/png"),
    Record("https://outlet1.example/news/empty", b""),
    Record("https://outlet2.example/news/gone", b"<html><body>Not found</body></html>", status=404),
]


def ohliad(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ohliad", *args, "--translator", "none"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def stories(db: str) -> set[frozenset[str]]:
    """Each stored story as the URLs of its articles (copies included)."""
    store = Store.open(db)
    try:
        members: dict[str, set[str]] = defaultdict(set)
        for key, article in store.story_members(include_copies=True):
            members[key].add(article.url or "")
        return {frozenset(urls) for urls in members.values()}
    finally:
        store.close()


def entries(db: str) -> dict[frozenset[str], tuple[object, ...]]:
    """Each story's summary tier (headline, summary, sources, Ukrainian,
    notes) and, last, its comparison, by its articles' URLs."""
    store = Store.open(db)
    try:
        found = {}
        for stored in store.stored_stories():
            entry = stored.entry
            assert entry is not None and not entry.comparison_pending
            urls = frozenset(source.url or "" for source in entry.sources)
            found[urls] = (
                entry.summary.headline,
                entry.summary.sentences,
                entry.sources,
                entry.ukrainian,
                entry.ukrainian_unavailable,
                entry.notes,
                entry.comparison,
            )
        return found
    finally:
        store.close()


def article_count(db: str) -> int:
    store = Store.open(db)
    try:
        return store.article_count()
    finally:
        store.close()


def corpus(folder: Path) -> list[Path]:
    """Three archives: gzip members, one uncompressed, bad records, and
    pages the third repeats from the first two (stored once)."""
    folder.mkdir()
    return [
        write_warc(folder / "a.warc.gz", [*story_pages(range(0, 4)), *BAD_RECORDS]),
        write_warc(folder / "b.warc.gz", story_pages(range(4, 8))),
        write_warc(folder / "c.warc", story_pages(range(2, 5), variants=1), compress=False),
    ]


def failed_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("failed:")]


def test_backfill_stores_the_stories_a_sequential_run_makes(
    tmp_path: Path, ray_env: dict[str, str]
) -> None:
    archives = corpus(tmp_path / "warc")
    distributed, sequential = tmp_path / "backfill.db", tmp_path / "run.db"

    done = ohliad(ray_env, "backfill", *map(str, archives), "--db", str(distributed))
    assert done.returncode == 1, done.stderr  # the bad records failed, the rest was stored
    failed = failed_lines(done.stderr)
    assert len(failed) == 3, done.stderr
    for record, reason in zip(
        BAD_RECORDS, ("not HTML (image/png)", "empty body", "HTTP status 404"), strict=True
    ):
        assert any(record.url in line and reason in line for line in failed), failed
    assert "Traceback" not in done.stderr
    assert "24 new articles" in done.stderr and "3 already stored" in done.stderr

    run = ohliad(ray_env, "run", *map(str, archives), "--db", str(sequential))
    assert run.returncode == 1, run.stderr
    assert len(failed_lines(run.stderr)) == 3

    grouped = stories(str(distributed))
    assert grouped == stories(str(sequential))
    # Summary tiers made on the workers: the sequential run's. Comparisons
    # made on the workers: what compare_stories makes of the same stories here
    # (the sequential run compares story by story, which may differ in detail).
    made, expected = entries(str(distributed)), entries(str(sequential))
    assert {k: v[:-1] for k, v in made.items()} == {k: v[:-1] for k, v in expected.items()}
    assert {v[1][0].text for v in made.values()} and all(v[2] for v in made.values())
    store = Store.open(str(distributed))
    try:
        assert not store.dirty_story_keys() and not store.pending_comparison_keys()
        found = store.stories([s.key for s in store.stored_stories()])
        compared = compare_stories(list(found.values()), CompareOptions())
        for story, comparison in zip(found.values(), compared, strict=True):
            assert (
                made[frozenset(a.url or "" for a in story.articles + story.copies)][-1]
                == comparison
            )
        # A story of one report (and its copies) has nothing to compare.
        assert [c is not None for c in compared] == [len(s.articles) > 1 for s in found.values()]
        assert any(compared)
    finally:
        store.close()
    assert "on the workers, 8 stories summarized and 8 compared" in done.stderr
    # Eight stories of three outlets each: the grouping did group.
    assert sorted(len(s) for s in grouped) == [3] * 8


def test_rerun_skips_finished_archives_and_finishes_half_done_ones(
    tmp_path: Path, ray_env: dict[str, str]
) -> None:
    archives = corpus(tmp_path / "warc")
    db = str(tmp_path / "ohliad.db")
    first = ohliad(ray_env, "backfill", str(tmp_path / "warc"), "--db", db)
    assert "24 new articles" in first.stderr, first.stderr
    stored = article_count(db)

    # Everything stored to the end: skipped, Ray not even started.
    again = ohliad(ray_env, "backfill", str(tmp_path / "warc"), "--db", db)
    assert again.returncode == 0, again.stderr
    assert "3 archives (3 already stored)" in again.stderr
    assert article_count(db) == stored

    # a.warc.gz as a run killed before it was marked finished leaves it; a new
    # archive repeats part of it; another is cut short inside its last record.
    store = Store.open(db)
    with store.transaction() as tx:
        tx.session.execute(delete(ArchiveRow).where(ArchiveRow.name == str(archives[0])))
    store.close()
    write_warc(tmp_path / "warc" / "d.warc.gz", story_pages(range(3, 10)))
    cut = write_warc(tmp_path / "warc" / "e.warc.gz", story_pages(range(10, 12)))
    truncate_last_member(cut)

    resumed = ohliad(ray_env, "backfill", str(tmp_path / "warc"), "--db", db)
    assert "5 archives (2 already stored)" in resumed.stderr, resumed.stderr
    # Stories 8-9 of d, and 10-11 of e less the record cut short.
    assert "11 new articles" in resumed.stderr
    failed = failed_lines(resumed.stderr)
    assert any("e.warc.gz" in line and "cut short" in line for line in failed), failed
    assert article_count(db) == stored + 11
    last = ohliad(ray_env, "backfill", str(tmp_path / "warc"), "--db", db)
    assert "5 archives (5 already stored)" in last.stderr, last.stderr


def test_two_node_cluster_into_postgresql(
    tmp_path: Path,
    ray_env: dict[str, str],
    ray_cluster: str,
    new_postgres_database: Callable[[], str],
) -> None:
    archives = corpus(tmp_path / "warc")
    # A list file, as Common Crawl publishes warc.paths (relative to the list).
    listing = tmp_path / "warc" / "warc.paths"
    listing.write_text("\n".join(p.name for p in archives) + "\nnot-an-archive.txt\n")
    db = new_postgres_database()

    done = ohliad(ray_env, "backfill", str(listing), "--db", db, "--ray-address", ray_cluster)
    assert "2 workers on 2 nodes" in done.stderr, done.stderr
    assert "24 new articles" in done.stderr
    failed = failed_lines(done.stderr)
    assert len(failed) == 4 and any("line 4" in line for line in failed), failed
    assert sorted(len(s) for s in stories(db)) == [3] * 8
    assert article_count(db) == 24


def test_a_worker_node_killed_mid_run_loses_and_duplicates_nothing(
    tmp_path: Path, ray_env: dict[str, str], ray_cluster: str
) -> None:
    # A third node joins the test cluster; its raylet is SIGKILLed while its
    # worker is reading an archive. The run goes on with the nodes left.
    cluster = LocalCluster(ray_env)
    cluster.address = ray_cluster
    cluster.nodes = 2
    cluster.add_worker_node(resource="doomed")
    raylet = raylet_with_resource("doomed")
    assert raylet is not None
    folder = tmp_path / "warc"
    folder.mkdir()
    pages = story_pages(range(120))
    for number in range(6):  # large enough that a worker is seen reading one
        write_warc(folder / f"{number:02}.warc.gz", pages[number * 60 : (number + 1) * 60])
    db = str(tmp_path / "ohliad.db")
    command = [sys.executable, "-m", "ohliad", "backfill", str(folder), "--db", db]
    stderr = _backfill_killing(
        [*command, "--ray-address", ray_cluster], ray_env, raylet, "ArchiveWorker.prepare"
    )
    assert "360 new articles" in stderr, stderr
    # Every page stored once, each in one story.
    store = Store.open(db)
    try:
        assert {a.url for a in store.articles()} == {p.url for p in pages}
        members = store.story_members(include_copies=True)
        assert sorted(a.id for _, a in members) == sorted(a.id for a in store.articles())
    finally:
        store.close()


def _backfill_killing(command: list[str], env: dict[str, str], raylet: int, method: str) -> str:
    """Run ``ohliad backfill`` and SIGKILL ``raylet`` once its worker runs
    ``method``; the run must finish all the same, one worker lost. Its stderr."""
    with subprocess.Popen(
        [*command, "--translator", "none"], env=env, stderr=subprocess.PIPE, text=True
    ) as backfill:
        # Generous: under load (CI beside other work on 2 cores) the workers'
        # start and the stages before ``method`` took over 120 s once.
        deadline = time.monotonic() + 400
        while busy_worker_of(raylet, method) is None:
            assert backfill.poll() is None and time.monotonic() < deadline, (
                f"no {method} reached the node"
            )
            time.sleep(0.01)
        os.kill(raylet, signal.SIGKILL)
        _, stderr = backfill.communicate(timeout=300)
    assert backfill.returncode == 0, stderr
    assert "1 lost" in stderr, stderr
    return stderr


def test_a_worker_node_killed_while_summarizing_loses_no_story(
    tmp_path: Path, ray_env: dict[str, str], ray_cluster: str
) -> None:
    # A node joins the test cluster and its raylet is SIGKILLed while its
    # worker summarizes a batch of stories: another worker summarizes it.
    cluster = LocalCluster(ray_env)
    cluster.address = ray_cluster
    cluster.nodes = 2  # alive: the head and the worker node
    cluster.add_worker_node(resource="summarizing")
    raylet = raylet_with_resource("summarizing")
    assert raylet is not None
    # One report a story: 320 stories, five batches of 64 (a worker takes
    # one in about 0.6 s) for the three workers (the head's, the worker
    # node's, this one's) that three archives start.
    folder = tmp_path / "warc"
    folder.mkdir()
    pages = story_pages(range(320), variants=1)
    for number in range(3):
        write_warc(folder / f"{number}.warc.gz", pages[number::3])
    db = str(tmp_path / "ohliad.db")
    command = [sys.executable, "-m", "ohliad", "backfill", str(folder), "--db", db]
    stderr = _backfill_killing(
        [*command, "--ray-address", ray_cluster], ray_env, raylet, "ArchiveWorker.summarize"
    )
    # Each story's summary tier saved once, by the workers left.
    assert "on the workers, 320 stories summarized" in stderr, stderr
    store = Store.open(db)
    try:
        stored = store.stored_stories()
        assert len(stored) == 320 and not store.dirty_story_keys()
        assert all(s.entry is not None and s.entry.summary.headline for s in stored)
    finally:
        store.close()


def test_a_cluster_that_does_not_answer_is_one_line(
    tmp_path: Path, ray_env: dict[str, str]
) -> None:
    archive = write_warc(tmp_path / "a.warc.gz", story_pages(range(1)))
    done = ohliad(
        ray_env, "backfill", str(archive), str(tmp_path / "missing.warc.gz"),
        "--db", str(tmp_path / "ohliad.db"), "--ray-address", "127.0.0.1:1",
    )  # fmt: skip
    assert done.returncode == 2
    assert f"failed: {tmp_path / 'missing.warc.gz'}: no such file or folder" in done.stderr
    assert "error: cannot reach the Ray cluster at 127.0.0.1:1: Connection refused" in done.stderr
    assert "Traceback" not in done.stderr
