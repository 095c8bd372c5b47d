"""Polling in a process of its own.

A poll is Python work from end to end: HTTP, feed parsing, extracting the
pages behind teasers, cleaning text. On threads of the watcher it would take
turns for the GIL with the rounds that store articles and save summaries, and
delay them. Here the :class:`FeedPoller` runs on a pool of threads in a child
process (``child.py``), with its own host gate and robots.txt cache, reading
which entries are known from the same store; the watcher hands it feeds and
gets back poll results, articles included, as futures.

It writes nothing: entries and feed states are recorded by the watcher once
the articles are committed, so the crash-safety argument of ``watcher.py``
holds whichever process dies.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from multiprocessing.connection import Connection
from queue import SimpleQueue

from ohliad.dates import utcnow
from ohliad.ingest.fetch import FetchOptions
from ohliad.models import FeedState
from ohliad.store import FeedStore, StoreOpener
from ohliad.watch.child import ChildProcess, follow_parent, single_threaded_math
from ohliad.watch.hosts import HostGate
from ohliad.watch.policy import WatchPolicy
from ohliad.watch.poller import FeedPoller, PollResult

# Feeds whose polls were lost with a crashed process are polled again this much later.
_RETRY_SECONDS = 5.0

# Messages to the process, besides poll requests.
_STOP = "stop"  # polls in flight take no more entries: the watcher is stopping
_CLOSE = "close"  # finish the polls in flight, then exit


class PollProcessError(RuntimeError):
    """A poll failed inside the poll process (a bug, not a feed's failure)."""


@dataclass(frozen=True, slots=True)
class _Poll:
    number: int
    feed: FeedState


@dataclass(frozen=True, slots=True)
class _Polled:
    number: int
    result: PollResult | None
    error: str | None = None


def serve(
    open_store: StoreOpener, policy: WatchPolicy, options: FetchOptions, conn: Connection
) -> None:
    """The poll process: poll each feed the watcher sends, on ``policy.workers``
    threads, and send back each result, until told to close."""
    messages: SimpleQueue[_Poll | str] = SimpleQueue()
    follow_parent(conn, messages.put)  # first, so that an orphan does not even start working
    single_threaded_math()
    store = open_store()
    stopping = threading.Event()
    gate = HostGate(policy.host_delay_seconds, policy.host_concurrency)
    poller = FeedPoller(FeedStore(store), gate, options, stopping=stopping)
    pool = ThreadPoolExecutor(policy.workers, thread_name_prefix="poll")
    sending = threading.Lock()

    def poll(request: _Poll) -> None:
        try:
            reply = _Polled(request.number, poller.poll(request.feed))
        except Exception as exc:  # a bug must not stop the other feeds
            reply = _Polled(request.number, None, f"{type(exc).__name__}: {exc}")
        with sending:
            conn.send(reply)

    try:
        while (message := messages.get()) != _CLOSE:
            if isinstance(message, _Poll):
                pool.submit(poll, message)
            else:
                stopping.set()
    finally:
        pool.shutdown(wait=True)
        poller.close()
        store.close()


def _retry_soon(feed: FeedState) -> PollResult:
    now = utcnow()
    return PollResult(feed, now, deferred_until=now + timedelta(seconds=_RETRY_SECONDS))


class PollProcess(ChildProcess):
    """The watcher's side: :meth:`submit` a feed, get a future of its poll."""

    def __init__(
        self,
        open_store: StoreOpener,
        policy: WatchPolicy,
        options: FetchOptions,
        *,
        log: Callable[[str], None],
    ) -> None:
        self.log = log
        self._numbers = itertools.count()
        self._lock = threading.Lock()
        self._waiting: dict[int, tuple[Future[PollResult], FeedState]] = {}
        self._stop_sent = False
        super().__init__(
            "ohliad-poll",
            serve,
            (open_store, policy, options),
            on_message=self._polled,
            on_lost=self._lost,
        )

    def submit(self, feed: FeedState) -> Future[PollResult]:
        future: Future[PollResult] = Future()
        number = next(self._numbers)
        with self._lock:
            self._waiting[number] = (future, feed)
        if not self.send(_Poll(number, feed)):
            # The process is gone (and being started again): poll later.
            with self._lock:
                self._waiting.pop(number, None)
            future.set_result(_retry_soon(feed))
        return future

    def _polled(self, reply: _Polled) -> None:
        with self._lock:
            waiting = self._waiting.pop(reply.number, None)
        if waiting is None:  # given up on in close()
            return
        future, _feed = waiting
        if reply.result is not None:
            future.set_result(reply.result)
        else:
            future.set_exception(PollProcessError(reply.error or "poll failed"))

    def _lost(self, exitcode: int | None) -> None:
        self.log(f"poll process exited with code {exitcode}; starting it again")
        with self._lock:
            lost, self._waiting = self._waiting, {}
        # Not the feeds' fault: no failure recorded, they are polled again soon.
        for future, feed in lost.values():
            future.set_result(_retry_soon(feed))

    def stop(self) -> None:
        """Polls in flight take no more entries (once; later calls do nothing)."""
        if not self._stop_sent:
            self._stop_sent = self.send(_STOP)

    def close(self, timeout: float = 60.0) -> None:
        """Let the polls in flight finish and the process end (killed after
        ``timeout``: it writes nothing, so that is safe)."""
        limit = time.monotonic() + timeout
        self.end(_CLOSE, lambda: limit)
        with self._lock:
            lost, self._waiting = self._waiting, {}
        for future, feed in lost.values():
            future.set_result(_retry_soon(feed))
