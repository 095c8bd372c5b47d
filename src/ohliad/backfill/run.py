"""The backfill's driver: joins (or starts) a Ray cluster, hands each archive
to a worker actor, and is itself the one writer. After the articles, it
hands the changed stories to the workers in batches, for their summary tier
and then their comparisons, and saves each batch as it comes back.

Grouping is order-sensitive, so the writer takes every prepared article of
the run in publication order (the order ``ohliad ingest`` takes them in) and
stores them in the pipeline's batches, each in one transaction. An archive
is marked finished once all its articles are committed; a rerun skips it.
A run stopped part-way reads its unfinished archives again, and the store
recognises what they already gave by URL and content: nothing is stored
twice, even when an archive whose worker was lost is read again by another.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ohliad.backfill.archives import archive_paths
from ohliad.backfill.workers import ArchiveResult, ArchiveWorker
from ohliad.compare.records import Comparison
from ohliad.errors import OhliadError
from ohliad.ingest import IngestFailure, IngestOptions
from ohliad.models import CachedTranslation, Story
from ohliad.pipeline import (
    COMPARE_BATCH,
    IngestReport,
    Pipeline,
    PreparedArticle,
    Summaries,
)

Job = TypeVar("Job")


class BackfillError(OhliadError):
    """The backfill cannot run at all (no Ray, no cluster to join)."""


class BackfillProgress(Protocol):
    def archives(self, total: int, skipped: int) -> None: ...

    def archive_done(self, result: ArchiveResult) -> None: ...

    def failure(self, message: str) -> None: ...

    def stage(self, description: str, total: int) -> None:
        """A stage of ``total`` items begins: storing, summaries, comparisons."""

    def advance(self, count: int = 1) -> None: ...


@dataclass
class BackfillReport:
    archives: int = 0
    skipped: int = 0  # stored to the end by an earlier run
    records: int = 0
    workers: int = 0
    nodes: int = 0  # that read archives
    workers_lost: int = 0  # with their node; their archives were read again
    stored: IngestReport = field(default_factory=IngestReport)
    failures: list[str] = field(default_factory=list)
    # CPU seconds per stage on the workers, and the writer's own time.
    cpu: dict[str, float] = field(default_factory=dict)
    startup_seconds: float = 0.0  # the workers started, their engines loaded
    summarized: int = 0  # stories whose summary tier was saved
    compared: int = 0  # stories whose comparison was saved
    summary_seconds: float = 0.0
    compare_seconds: float = 0.0
    prepare_seconds: float = 0.0
    write_seconds: float = 0.0
    write_cpu_seconds: float = 0.0
    # Articles a second the writer stored after its first batch (which also
    # loads its indexes and engines); 0 for a single batch.
    writer_rate: float = 0.0


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise BackfillError("ohliad backfill needs Ray: pip install 'ohliad[ray]'") from None
    return ray


def _connect(ray: Any, address: str | None) -> None:
    """Join the cluster at ``address`` (else ``$RAY_ADDRESS``, which Ray reads
    itself), or start a local Ray instance."""
    # Ray would otherwise try to report usage over the network at start.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    target = address or os.environ.get("RAY_ADDRESS")
    if target:
        _check_reachable(target)
    try:
        ray.init(
            address=address,
            include_dashboard=False,
            logging_level=logging.ERROR,
            log_to_driver=False,
            configure_logging=True,
        )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = address or os.environ.get("RAY_ADDRESS") or "a local Ray instance"
        raise BackfillError(f"cannot reach the Ray cluster at {where}: {exc}") from None


def _check_reachable(address: str) -> None:
    """A head that does not answer is one line now: Ray itself retries for
    minutes, printing warnings."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # "auto", or a form Ray resolves itself
    try:
        socket.create_connection((host, int(port)), timeout=10).close()
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise BackfillError(f"cannot reach the Ray cluster at {address}: {reason}") from None


def _worker_count(ray: Any) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _start_workers(
    ray: Any, pipeline: Pipeline, ingest: IngestOptions, count: int, report: BackfillReport
) -> list[Any]:
    """``count`` worker actors, their engines loaded; a worker lost while
    loading is left out, one whose engines cannot load stops the run."""
    actor = ray.remote(num_cpus=1, max_restarts=0)(ArchiveWorker)
    # The workers call the summarizer and the Ukrainian engine themselves, so
    # their settings travel, an LLM endpoint's key included; the grouping
    # vectors' cache folder is the driver's.
    options = replace(pipeline.options, state_dir=None)
    ukrainian = pipeline.translator is not None
    started = time.perf_counter()
    workers = [actor.remote(options, ingest, ukrainian) for _ in range(count)]
    loading = [(worker, worker.ready.remote()) for worker in workers]
    ready = []
    for worker, loaded in loading:
        try:
            ray.get(loaded)
        except _lost_errors(ray):
            report.workers_lost += 1
            continue
        except ray.exceptions.RayTaskError as error:
            raise BackfillError(f"a Ray worker cannot load its engines: {error.cause}") from None
        ready.append(worker)
    report.startup_seconds = time.perf_counter() - started
    return ready


def _lost_errors(ray: Any) -> tuple[type[BaseException], ...]:
    return (ray.exceptions.RayActorError, ray.exceptions.ObjectLostError)


def _spread(
    ray: Any,
    workers: list[Any],
    jobs: Sequence[Job],
    submit: Callable[[Any, Job], Any],
    done: Callable[[Job, Any], None],
    report: BackfillReport,
) -> list[Any]:
    """Each job on the next free worker, ``done`` called with its result as
    it comes; returns the workers still alive.

    A worker lost with its node (or its result with the node's object store)
    is not restarted: its job goes to the next free worker, so a fixed
    cluster that lost a node finishes on the nodes it has left."""
    idle = list(workers)
    waiting = deque(jobs)
    running: dict[Any, tuple[Any, Job]] = {}
    while waiting or running:
        while idle and waiting:
            worker, job = idle.pop(), waiting.popleft()
            running[submit(worker, job)] = (worker, job)
        if not running:
            raise BackfillError(
                "every Ray worker was lost; run the backfill again to finish "
                "(archives stored to the end are skipped)"
            )
        [finished], _ = ray.wait(list(running), num_returns=1)
        worker, job = running.pop(finished)
        try:
            value = ray.get(finished)
        except _lost_errors(ray):
            report.workers_lost += 1
            waiting.appendleft(job)
            continue
        idle.append(worker)
        done(job, value)
    return idle


def backfill(
    pipeline: Pipeline,
    inputs: Sequence[str],
    *,
    ingest: IngestOptions,
    progress: BackfillProgress,
    ray_address: str | None = None,
    run_id: int | None = None,
) -> BackfillReport:
    """Store the articles of the archives ``inputs`` name, grouped into
    stories, then the changed stories' summary tier and comparisons (both
    on the workers)."""
    report = BackfillReport()
    archives: list[Path] = []
    for entry in archive_paths(inputs):
        if isinstance(entry, IngestFailure):
            report.failures.append(str(entry))
            progress.failure(str(entry))
        else:
            archives.append(entry)
    finished = pipeline.store.finished_archives([str(p) for p in archives])
    todo = [p for p in archives if finished.get(str(p)) != _size(p)]
    report.archives, report.skipped = len(archives), len(archives) - len(todo)
    progress.archives(len(todo), report.skipped)
    if not todo:
        return report
    ray = _ray()
    _connect(ray, ray_address)
    try:
        count = min(_worker_count(ray), len(todo))
        workers = _start_workers(ray, pipeline, ingest, count, report)
        report.workers = len(workers)
        results: dict[Path, ArchiveResult] = {}

        def read(path: Path, result: ArchiveResult) -> None:
            results[path] = result
            for message in result.failures:
                progress.failure(message)
            progress.archive_done(result)

        started = time.perf_counter()
        workers = _spread(ray, workers, todo, lambda w, path: w.prepare.remote(path), read, report)
        report.prepare_seconds = time.perf_counter() - started
        in_order = [results[path] for path in todo]
        report.nodes = len({result.node for result in in_order})
        for result in in_order:
            report.records += result.records
            report.failures += result.failures
            for stage, seconds in result.cpu.items():
                report.cpu[stage] = report.cpu.get(stage, 0.0) + seconds
        _write(pipeline, in_order, progress, report, run_id)
        started = time.perf_counter()
        workers = _summarize_all(ray, workers, pipeline, progress, report)
        report.summary_seconds = time.perf_counter() - started
        started = time.perf_counter()
        workers = _compare_all(ray, workers, pipeline, progress, report)
        report.compare_seconds = time.perf_counter() - started
        for worker in workers:
            ray.kill(worker)
    finally:
        ray.shutdown()
    return report


def _summarize_all(
    ray: Any,
    workers: list[Any],
    pipeline: Pipeline,
    progress: BackfillProgress,
    report: BackfillReport,
) -> list[Any]:
    """The summary tier of every dirty story, a batch of stories to a worker,
    each batch saved in one transaction as it comes back (as
    ``Pipeline.refresh_summaries`` does here). A batch is read from the store
    as it is sent, so the driver holds one a worker, and a batch sent again
    after its worker was lost is read afresh."""
    batches = pipeline.summary_batches()
    progress.stage("Summarizing stories", sum(map(len, batches)))

    def save(keys: list[str], made: tuple[Summaries, list[CachedTranslation]]) -> None:
        report.summarized += len(pipeline.save_summaries(*made))
        progress.advance(len(keys))

    return _spread(
        ray,
        workers,
        batches,
        lambda w, keys: w.summarize.remote(pipeline.existing_stories(keys)),
        save,
        report,
    )


def _compare_all(
    ray: Any,
    workers: list[Any],
    pipeline: Pipeline,
    progress: BackfillProgress,
    report: BackfillReport,
) -> list[Any]:
    """The comparison tier of every story whose comparison is pending, a
    batch of stories to a worker, each saved as it comes back."""
    if not pipeline.options.compare:
        return workers
    keys = pipeline.store.pending_comparison_keys()
    batches = [
        pipeline.existing_stories(keys[start : start + COMPARE_BATCH])
        for start in range(0, len(keys), COMPARE_BATCH)
    ]
    options = pipeline.compare_options()
    progress.stage("Comparing sources", len(keys))

    def save(stories: list[Story], compared: list[Comparison | None]) -> None:
        report.compared += len(pipeline.save_comparisons(stories, compared))
        progress.advance(len(stories))

    return _spread(
        ray, workers, batches, lambda w, stories: w.compare.remote(stories, options), save, report
    )


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _write(
    pipeline: Pipeline,
    results: Sequence[ArchiveResult],
    progress: BackfillProgress,
    report: BackfillReport,
    run_id: int | None,
) -> None:
    """The one writer: every article in publication order, each archive
    marked finished as soon as all its articles are committed."""
    archive_of: dict[int, ArchiveResult] = {}
    left: dict[Path, int] = {}
    for result in results:
        left[result.path] = len(result.prepared)
        for prepared in result.prepared:
            archive_of[id(prepared)] = result

    def finish(result: ArchiveResult) -> None:
        pipeline.store.finish_archive(
            str(result.path),
            size=result.size,
            records=result.records,
            articles=len(result.prepared),
        )

    committed: list[tuple[float, int]] = []

    def stored(batch: Sequence[PreparedArticle]) -> None:
        committed.append((time.perf_counter(), len(batch)))
        for prepared in batch:
            result = archive_of[id(prepared)]
            left[result.path] -= 1
            if not left[result.path]:
                finish(result)
        progress.advance(len(batch))

    for result in results:
        if not result.prepared and result.size:
            finish(result)  # nothing in it to store: its failures were said
    everything = [p for result in results for p in result.prepared]
    progress.stage("Storing articles", len(everything))
    started, cpu_started = time.perf_counter(), time.process_time()
    report.stored = pipeline.ingest_prepared(everything, run_id=run_id, stored=stored)
    report.write_seconds = time.perf_counter() - started
    report.write_cpu_seconds = time.process_time() - cpu_started
    if len(committed) > 1:
        after_first = sum(count for _, count in committed[1:])
        report.writer_rate = after_first / (committed[-1][0] - committed[0][0])


def describe(report: BackfillReport) -> str:
    """One line: what the backfill did."""
    stored = report.stored
    return (
        f"{report.archives:,} archives ({report.skipped:,} already stored), "
        f"{report.records:,} response records, {stored.added:,} new articles "
        f"({stored.copies:,} copies of other reports), {stored.already_stored:,} already "
        f"stored, {len(report.failures):,} failed; {report.workers} workers on "
        f"{report.nodes} nodes"
        + (f", {report.workers_lost} lost" if report.workers_lost else "")
        + f"; on the workers, {report.summarized:,} stories summarized and "
        f"{report.compared:,} compared."
    )
