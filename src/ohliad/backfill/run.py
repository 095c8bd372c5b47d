"""The backfill's driver: joins (or starts) a Ray cluster, hands each archive
to a worker actor, and is itself the one writer.

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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ohliad.backfill.archives import archive_paths
from ohliad.backfill.workers import ArchiveResult, ArchiveWorker
from ohliad.errors import OhliadError
from ohliad.ingest import IngestFailure, IngestOptions
from ohliad.pipeline import IngestReport, Pipeline, PipelineOptions, PreparedArticle


class BackfillError(OhliadError):
    """The backfill cannot run at all (no Ray, no cluster to join)."""


class BackfillProgress(Protocol):
    def archives(self, total: int, skipped: int) -> None: ...

    def archive_done(self, result: ArchiveResult) -> None: ...

    def failure(self, message: str) -> None: ...

    def storing(self, total: int) -> None: ...

    def stored(self, count: int) -> None: ...


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


def _prepare_all(
    ray: Any,
    archives: Sequence[Path],
    options: PipelineOptions,
    ingest: IngestOptions,
    progress: BackfillProgress,
    report: BackfillReport,
) -> list[ArchiveResult]:
    """Every archive through the worker actors; the results in input order.

    A worker lost with its node (or its result with the node's object store)
    is not restarted: its archive goes to the next free worker, so a fixed
    cluster that lost a node finishes on the nodes it has left."""
    lost_errors = (ray.exceptions.RayActorError, ray.exceptions.ObjectLostError)
    actor = ray.remote(num_cpus=1, max_restarts=0)(ArchiveWorker)
    # Only what the workers need travels (not the translator's settings and key).
    worker_options = PipelineOptions(
        cluster=options.cluster, max_article_chars=options.max_article_chars
    )
    report.workers = min(_worker_count(ray), len(archives))
    started = time.perf_counter()
    started_workers = [actor.remote(worker_options, ingest) for _ in range(report.workers)]
    loading = [(w, w.ready.remote()) for w in started_workers]
    idle = []
    for worker, loaded in loading:
        try:
            ray.get(loaded)
        except lost_errors:
            report.workers_lost += 1
            continue
        idle.append(worker)
    report.startup_seconds = time.perf_counter() - started
    waiting = deque(archives)
    running: dict[Any, tuple[Any, Path]] = {}
    results: dict[Path, ArchiveResult] = {}
    while waiting or running:
        while idle and waiting:
            worker, path = idle.pop(), waiting.popleft()
            running[worker.prepare.remote(path)] = (worker, path)
        if not running:
            raise BackfillError(
                "every Ray worker was lost; run the backfill again to finish "
                "(archives stored to the end are skipped)"
            )
        [done], _ = ray.wait(list(running), num_returns=1)
        worker, path = running.pop(done)
        try:
            result: ArchiveResult = ray.get(done)
        except lost_errors:
            report.workers_lost += 1
            waiting.appendleft(path)
            continue
        idle.append(worker)
        results[path] = result
        for message in result.failures:
            progress.failure(message)
        progress.archive_done(result)
    for worker in idle:
        ray.kill(worker)
    return [results[path] for path in archives]


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
    stories (the stories' entries are left dirty for ``Pipeline.refresh``)."""
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
        started = time.perf_counter()
        results = _prepare_all(ray, todo, pipeline.options, ingest, progress, report)
        report.prepare_seconds = time.perf_counter() - started - report.startup_seconds
    finally:
        ray.shutdown()
    report.nodes = len({result.node for result in results})
    for result in results:
        report.records += result.records
        report.failures += result.failures
        for stage, seconds in result.cpu.items():
            report.cpu[stage] = report.cpu.get(stage, 0.0) + seconds
    _write(pipeline, results, progress, report, run_id)
    return report


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
        progress.stored(len(batch))

    for result in results:
        if not result.prepared and result.size:
            finish(result)  # nothing in it to store: its failures were said
    everything = [p for result in results for p in result.prepared]
    progress.storing(len(everything))
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
        + "."
    )
