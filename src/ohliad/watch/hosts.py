"""Politeness per host: a gate that spaces requests and caps how many run at
once, and robots.txt, fetched with the safe fetcher and cached."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from ohliad.ingest.fetch import FetchError, FetchResult
from ohliad.ingest.urls import UnsafeURLError

# The token robots.txt rules name us by (the User-Agent's product name).
ROBOTS_AGENT = "ohliad"


@functools.lru_cache(maxsize=4096)
def host_of(url: str) -> str:
    # Cached: the watcher asks for every due feed's host several times a second.
    parts = urlsplit(url)
    return (parts.netloc or parts.path).lower()


class HostBusyError(RuntimeError):
    """A host cannot take a request soon (Retry-After, crawl delay); retry later."""

    def __init__(self, host: str, wait_seconds: float) -> None:
        super().__init__(f"{host} asked us to wait {wait_seconds:.0f} s")
        self.wait_seconds = wait_seconds


@dataclass
class _HostSlots:
    running: int = 0
    next_start: float = 0.0
    delay: float = 0.0


class HostGate:
    """Spaces request starts to one host by ``delay`` seconds and runs at most
    ``concurrency`` at once; a host can be held (429 Retry-After)."""

    def __init__(
        self,
        delay: float,
        concurrency: int,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.delay = delay
        self.concurrency = max(1, concurrency)
        self._clock = clock
        self._hosts: dict[str, _HostSlots] = {}
        self._changed = threading.Condition()

    def _slots(self, host: str) -> _HostSlots:
        return self._hosts.setdefault(host, _HostSlots(delay=self.delay))

    def wait_seconds(self, host: str) -> float:
        """How long until a request to ``host`` could start (0: now)."""
        with self._changed:
            slots = self._slots(host)
            if slots.running >= self.concurrency:
                return float("inf")
            return max(0.0, slots.next_start - self._clock())

    def hold(self, host: str, seconds: float) -> None:
        """Start no request to ``host`` for ``seconds``."""
        with self._changed:
            slots = self._slots(host)
            slots.next_start = max(slots.next_start, self._clock() + seconds)

    def slow_down(self, host: str, delay: float) -> None:
        """Space requests to ``host`` at least ``delay`` apart (robots.txt Crawl-delay)."""
        with self._changed:
            slots = self._slots(host)
            slots.delay = max(slots.delay, delay)

    @contextmanager
    def slot(self, host: str, *, max_wait: float = 30.0) -> Iterator[None]:
        """Hold one request slot for ``host``; raises HostBusyError instead of
        waiting longer than ``max_wait`` for the spacing or a hold."""
        with self._changed:
            while True:
                slots = self._slots(host)
                now = self._clock()
                if slots.running < self.concurrency and slots.next_start <= now:
                    slots.running += 1
                    slots.next_start = now + slots.delay
                    break
                if slots.next_start - now > max_wait:
                    raise HostBusyError(host, slots.next_start - now)
                # At the cap, wait for a release; otherwise for the spacing to pass.
                at_cap = slots.running >= self.concurrency
                self._changed.wait(None if at_cap else max(slots.next_start - now, 0.001))
        try:
            yield
        finally:
            with self._changed:
                self._slots(host).running -= 1
                self._changed.notify_all()


Fetcher = Callable[[str], FetchResult]


@dataclass(frozen=True, slots=True)
class _Rules:
    parser: RobotFileParser | None  # None: everything disallowed (robots.txt unreachable)
    expires: float


class RobotsCache:
    """robots.txt per origin, as RFC 9309 reads it: a 4xx means no rules, an
    unreachable file (network error, 5xx) means keep off for a while."""

    def __init__(
        self,
        fetcher: Fetcher,
        *,
        ttl_seconds: float = 24 * 3600.0,
        error_ttl_seconds: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetcher
        self._ttl = ttl_seconds
        self._error_ttl = error_ttl_seconds
        self._clock = clock
        self._rules: dict[str, _Rules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _load(self, origin: str) -> _Rules:
        now = self._clock()
        try:
            result = self._fetch(f"{origin}/robots.txt")
        except (FetchError, UnsafeURLError, HostBusyError):
            return _Rules(None, now + self._error_ttl)
        if result.status >= 500 or result.status == 429:
            return _Rules(None, now + self._error_ttl)
        parser = RobotFileParser()
        # A missing robots.txt (any other 4xx) means no rules: an empty file.
        text = "" if result.status >= 400 else result.content.decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        return _Rules(parser, now + self._ttl)

    def _rules_for(self, url: str) -> _Rules:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            rules = self._rules.get(origin)
            if rules is None or rules.expires <= self._clock():
                rules = self._rules[origin] = self._load(origin)
            return rules

    def allowed(self, url: str) -> bool:
        parser = self._rules_for(url).parser
        return parser is not None and parser.can_fetch(ROBOTS_AGENT, url)

    def crawl_delay(self, url: str) -> float | None:
        parser = self._rules_for(url).parser
        delay = parser.crawl_delay(ROBOTS_AGENT) if parser is not None else None
        return float(delay) if delay is not None else None
