"""The watcher's comparison tier in a process of its own.

Comparisons are slow Python work (parsing and embedding every source's
sentences); on a thread of the watcher they would take turns with polling and
ingest for the GIL. In their own process they use another core. The process
opens the same store (SQLite WAL lets a second process read and write), takes
the stories whose comparison is pending, and saves each new comparison in one
transaction, as ``Pipeline.refresh_comparison`` does, so killing either process
at any moment leaves every story whole: a story stays pending until its new
comparison is committed.

The process watches its pipe to the watcher: when the watcher dies, even by
SIGKILL, the pipe closes and the process exits at once instead of living on.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING

from ohliad.store import Store

if TYPE_CHECKING:
    from ohliad.pipeline import PipelineSettings

# The process looks for pending stories this often when it has none.
_IDLE_SECONDS = 1.0
# Niceness added to the process, so that on a busy machine the summary tier
# (the watcher's own rounds) goes first, as the comparison thread used to give way.
_NICENESS = 5
# A crashed process is restarted after this long, doubling up to the cap.
_RESTART_SECONDS = 5.0
_RESTART_CAP_SECONDS = 300.0

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


def _watch_commands(
    conn: Connection, drain: threading.Event, stop: threading.Event, wake: threading.Event
) -> None:
    """Take the watcher's commands; exit the process when the watcher is gone."""
    while True:
        try:
            command = conn.recv()
        except (EOFError, OSError):
            # The watcher died without a word (SIGKILL). Whatever comparison is
            # in hand rolls back with its transaction; nothing is half-saved.
            os._exit(0)
        if command == _DRAIN:
            drain.set()
        elif command == _STOP:
            stop.set()
        wake.set()


def serve(database_url: str, settings: PipelineSettings, conn: Connection) -> None:
    """The comparison process: compare pending stories one at a time, reporting
    each on ``conn``, until told to stop (or, told to drain, until none is pending)."""
    from ohliad.pipeline import Pipeline  # the models load here, not in the watcher's import

    os.nice(_NICENESS)
    drain, stop, wake = threading.Event(), threading.Event(), threading.Event()
    threading.Thread(
        target=_watch_commands, args=(conn, drain, stop, wake), name="commands", daemon=True
    ).start()
    store = Store.open(database_url)
    pipeline = Pipeline(store, settings)
    failed: set[str] = set()  # not again in this process; they stay pending for the next
    try:
        while not stop.is_set():
            keys = [
                k for k in store.pending_comparison_keys(limit=len(failed) + 1) if k not in failed
            ]
            if not keys:
                if drain.is_set():
                    break
                wake.wait(_IDLE_SECONDS)
                wake.clear()
                continue
            key = keys[0]
            try:
                members = pipeline.refresh_comparison(key)
            except Exception as exc:  # one story's failure must not stop the others
                failed.add(key)
                conn.send(ComparisonFailure(key, f"{type(exc).__name__}: {exc}"))
                continue
            if members is not None:
                conn.send(ComparisonReport(key, members, time.time()))
    finally:
        store.close()


class ComparisonProcess:
    """Runs :func:`serve` in a child process and passes its reports on;
    restarts it (with a growing pause) if it dies while it should be working."""

    def __init__(
        self,
        database_url: str,
        settings: PipelineSettings,
        *,
        on_report: Callable[[ComparisonReport], None],
        on_failure: Callable[[ComparisonFailure], None],
        log: Callable[[str], None],
    ) -> None:
        self.database_url = database_url
        self.settings = settings
        self.on_report = on_report
        self.on_failure = on_failure
        self.log = log
        # spawn, not fork: the watcher has threads, sockets and models loaded.
        self._context = multiprocessing.get_context("spawn")
        self._finishing = threading.Event()
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._lock = threading.Lock()
        self._reader: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        with self._lock:
            self._launch()
        self._reader = threading.Thread(target=self._read, name="compare-reports", daemon=True)
        self._reader.start()

    def _launch(self) -> None:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=serve,
            args=(self.database_url, self.settings, theirs),
            name="ohliad-compare",
            daemon=True,
        )
        process.start()
        theirs.close()  # the child's end: only the child holds it now, so EOF means it died
        self._process, self._conn = process, ours

    def _read(self) -> None:
        pause = _RESTART_SECONDS
        while True:
            assert self._conn is not None and self._process is not None
            try:
                message = self._conn.recv()
            except (EOFError, OSError):
                if self._finishing.is_set():
                    return  # finish() waits for the process
                self._process.join()
                self.log(
                    f"comparison process exited with code {self._process.exitcode}; "
                    f"restarting it in {pause:.0f} s"
                )
                if self._finishing.wait(pause):
                    return
                pause = min(pause * 2, _RESTART_CAP_SECONDS)
                with self._lock:
                    if self._finishing.is_set():
                        return
                    self._launch()
                continue
            if isinstance(message, ComparisonReport):
                self.on_report(message)
            elif isinstance(message, ComparisonFailure):
                self.on_failure(message)

    def finish(self, *, drain: bool, stopping: threading.Event, timeout: float = 30.0) -> None:
        """Let the process end: with ``drain``, once no comparison is pending
        (or, should ``stopping`` be set meanwhile, after the one in hand);
        otherwise after the one in hand, killed if it takes over ``timeout``."""
        with self._lock:
            self._finishing.set()
            process, conn = self._process, self._conn
        if process is None or conn is None:
            return
        self._send(conn, _DRAIN if drain else _STOP)
        stop_sent = not drain
        deadline = None if drain else time.monotonic() + timeout
        while process.is_alive():
            process.join(0.2)
            if not stop_sent and stopping.is_set():
                self._send(conn, _STOP)
                stop_sent = True
                deadline = time.monotonic() + timeout
            if deadline is not None and time.monotonic() > deadline:
                # Safe at any moment: a comparison is saved in one transaction.
                process.kill()
                process.join()
        if self._reader is not None:
            self._reader.join()
        conn.close()

    @staticmethod
    def _send(conn: Connection, command: str) -> None:
        with contextlib.suppress(OSError):  # the process is gone already
            conn.send(command)
