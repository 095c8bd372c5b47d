"""The watcher's comparison tier in a process of its own.

Comparisons are slow Python work (parsing and embedding every source's
sentences); on a thread of the watcher they would take turns with polling and
ingest for the GIL. In their own process they use another core. The process
opens the same store (SQLite WAL lets a second process read and write), takes
the stories whose comparison is pending, and saves each new comparison in one
transaction, as ``Pipeline.refresh_comparison`` does, so killing either process
at any moment leaves every story whole: a story stays pending until its new
comparison is committed.

Like every child of the watcher (``child.py``), it exits when the watcher dies
and is started again if it dies by itself.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from ohliad.store import StoreOpener
from ohliad.watch.child import ChildProcess, follow_parent, single_threaded_math

if TYPE_CHECKING:
    from ohliad.pipeline import Pipeline, PipelineOptions

# The process looks for pending stories this often when it has none.
_IDLE_SECONDS = 1.0
# Where SCHED_IDLE is missing (not Linux): niceness added to the process.
_NICENESS = 19

# Messages to the process.
_DRAIN = "drain"  # compare until none is pending, then exit
_STOP = "stop"  # exit after the comparison in hand


@dataclass(frozen=True, slots=True)
class ComparisonReport:
    """One story's comparison saved by the comparison process."""

    story: str
    article_ids: frozenset[int]  # the articles it covers
    finished_at: float  # time.time()


@dataclass(frozen=True, slots=True)
class ComparisonFailure:
    story: str
    reason: str


def serve(open_store: StoreOpener, options: PipelineOptions, conn: Connection) -> None:
    """The comparison process: compare pending stories ``COMPARE_BATCH`` at a
    time, the longest unchanged first, reporting each on ``conn``, until told
    to stop (or, told to drain, until none is pending)."""
    drain, stop, wake = threading.Event(), threading.Event(), threading.Event()

    def handle(command: str) -> None:
        (drain if command == _DRAIN else stop).set()
        wake.set()

    follow_parent(conn, handle)  # first, so that an orphan does not even start working
    _yield_to_ingest()
    # The models load here, not in the watcher's import.
    from ohliad.pipeline import COMPARE_BATCH, Pipeline

    store = open_store()
    pipeline = Pipeline(store, options)
    single_threaded_math()
    failed: set[str] = set()  # not again in this process; they stay pending for the next
    try:
        while not stop.is_set():
            pending = store.pending_comparison_keys(limit=len(failed) + COMPARE_BATCH)
            keys = [k for k in pending if k not in failed][:COMPARE_BATCH]
            if not keys:
                if drain.is_set():
                    break
                wake.wait(_IDLE_SECONDS)
                wake.clear()
                continue
            saved = compare_batch(pipeline, keys, failed, conn)
            finished_at = time.time()
            for key, members in saved.items():
                conn.send(ComparisonReport(key, members, finished_at))
    finally:
        store.close()


def _yield_to_ingest() -> None:
    """Run only on CPU time that polling and storing leave idle: comparisons
    can wait, new articles reaching their stories cannot. With the process at
    niceness 5 it took 9 CPU ms per article while articles came in at 50/s,
    and the watcher fell behind. Threads started later (MiniLM's) inherit it."""
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    else:
        os.nice(_NICENESS)


def compare_batch(
    pipeline: Pipeline, keys: list[str], failed: set[str], conn: Connection
) -> dict[str, frozenset[int]]:
    """Compare the stories together; should that fail, one at a time, so that
    one story's failure does not stop the others: those that fail by themselves
    are reported on ``conn`` and added to ``failed``."""
    try:
        return pipeline.refresh_comparison_batch(keys)
    except Exception:
        pass
    saved: dict[str, frozenset[int]] = {}
    for key in keys:
        try:
            members = pipeline.refresh_comparison(key)
        except Exception as exc:
            failed.add(key)
            conn.send(ComparisonFailure(key, f"{type(exc).__name__}: {exc}"))
            continue
        if members is not None:
            saved[key] = members
    return saved


class ComparisonProcess(ChildProcess):
    """Runs :func:`serve` in a child process and passes its reports on."""

    def __init__(
        self,
        open_store: StoreOpener,
        options: PipelineOptions,
        *,
        on_report: Callable[[ComparisonReport], None],
        on_failure: Callable[[ComparisonFailure], None],
        log: Callable[[str], None],
    ) -> None:
        def on_message(message: ComparisonReport | ComparisonFailure) -> None:
            if isinstance(message, ComparisonReport):
                on_report(message)
            else:
                on_failure(message)

        def on_lost(exitcode: int | None) -> None:
            log(f"comparison process exited with code {exitcode}; starting it again")

        super().__init__(
            "ohliad-compare", serve, (open_store, options), on_message=on_message, on_lost=on_lost
        )

    def finish(self, *, drain: bool, stopping: threading.Event, timeout: float = 30.0) -> None:
        """Let the process end: with ``drain``, once no comparison is pending
        (or, should ``stopping`` be set meanwhile, after the one in hand);
        otherwise after the one in hand, killed if it takes over ``timeout``."""
        limit = None if drain else time.monotonic() + timeout

        def deadline() -> float | None:
            nonlocal limit
            if limit is None and stopping.is_set():
                self.send(_STOP)
                limit = time.monotonic() + timeout
            return limit

        # A comparison is saved in one transaction, so a kill loses none.
        self.end(_DRAIN if drain else _STOP, deadline)
