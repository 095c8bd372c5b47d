"""The watcher's child processes: polling and comparing run in processes of
their own so that their Python work does not take turns with the watcher's
rounds for the GIL, and the machine's cores are used.

Each child is spawned fresh (the watcher has threads, sockets and models
loaded, which a fork would copy half-working) and talks to the watcher over a
pipe. A child exits as soon as that pipe closes: a watcher killed with SIGKILL
leaves no process behind (one still starting up, importing its modules, exits
once it gets to watching the pipe, before it has done any work). A child that
dies while it should be working is started again, after a pause that grows
while it keeps dying.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from threadpoolctl import threadpool_limits

# A child that died unasked is started again after this long, doubling up to the cap.
_RESTART_SECONDS = 5.0
_RESTART_CAP_SECONDS = 300.0


def single_threaded_math() -> threadpool_limits:
    """Give the native thread pools loaded so far (OpenMP, as in usearch's
    numkong and scikit-learn; BLAS, which ``ohliad`` already sets to one) one
    thread each; the returned object restores them. The watcher's processes are
    its parallelism, and idle pool threads spin between the small calls of
    grouping, summaries and comparisons: with one thread, the comparison process
    took 24 instead of 43 CPU ms per article (800 articles at 15/s, load ~4)."""
    return threadpool_limits(limits=1)


def follow_parent(conn: Connection, handle: Callable[[Any], None]) -> threading.Thread:
    """In a child: pass each message from the watcher to ``handle`` on a thread
    of its own, and end the process at once when the watcher is gone."""

    def read() -> None:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                # The watcher died without a word. Stores are written in whole
                # transactions, so ending in the middle of one loses nothing.
                os._exit(0)
            handle(message)

    thread = threading.Thread(target=read, name="parent", daemon=True)
    thread.start()
    return thread


class ChildProcess:
    """One child: ``target(*args, conn)`` in a spawned process, with a thread
    passing its messages to ``on_message``; ``on_lost`` is told when it died
    unasked, before it is started again."""

    def __init__(
        self,
        name: str,
        target: Callable[..., None],
        args: tuple[Any, ...],
        *,
        on_message: Callable[[Any], None],
        on_lost: Callable[[int | None], None],
    ) -> None:
        self.name = name
        self.target = target
        self.args = args
        self.on_message = on_message
        self.on_lost = on_lost
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()  # guards the process and pipe, which a restart replaces
        self._sending = threading.Lock()  # one message at a time on the pipe
        self._ending = threading.Event()
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._reader: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        with self._lock:
            return self._process.pid if self._process is not None else None

    def start(self) -> None:
        with self._lock:
            self._launch()
        self._reader = threading.Thread(target=self._read, name=f"{self.name}-reader", daemon=True)
        self._reader.start()

    def _launch(self) -> None:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=self.target, args=(*self.args, theirs), name=self.name, daemon=True
        )
        process.start()
        theirs.close()  # only the child holds its end now, so EOF means it is gone
        self._process, self._conn = process, ours

    def _read(self) -> None:
        pause = _RESTART_SECONDS
        while True:
            with self._lock:
                process, conn = self._process, self._conn
            assert process is not None and conn is not None
            try:
                message = conn.recv()
            except (EOFError, OSError):
                if self._ending.is_set():
                    return
                process.join()
                self.on_lost(process.exitcode)
                if self._ending.wait(pause):
                    return
                pause = min(pause * 2, _RESTART_CAP_SECONDS)
                with self._lock:
                    if self._ending.is_set():
                        return
                    conn.close()
                    self._launch()
                continue
            self.on_message(message)

    def send(self, message: object) -> bool:
        """Send ``message``; False when the child is gone (it may be restarting)."""
        with self._lock:
            conn = self._conn
        if conn is None:
            return False
        try:
            with self._sending:
                conn.send(message)
        except OSError:
            return False
        return True

    def ending(self) -> None:
        """The child is about to be told to end: do not restart it any more."""
        with self._lock:
            self._ending.set()

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the child to end; True once it has
        and all its messages have been passed on."""
        with self._lock:
            process = self._process
        if process is None:
            return True
        process.join(timeout)
        if process.is_alive():
            return False
        if self._reader is not None:
            self._reader.join()
        return True

    def kill(self) -> None:
        with self._lock:
            process = self._process
        if process is not None and process.is_alive():
            process.kill()

    def end(self, message: object, deadline: Callable[[], float | None]) -> None:
        """Tell the child to end with ``message`` (it is not started again) and
        wait until it has. It is killed once ``deadline()``, asked while it
        runs, is a ``time.monotonic()`` moment passed (None: no limit yet):
        safe, for a child that writes whole transactions or nothing."""
        self.ending()
        self.send(message)
        while not self.wait(0.2):
            moment = deadline()
            if moment is not None and time.monotonic() > moment:
                self.kill()
        with self._lock:
            if self._conn is not None:
                self._conn.close()
