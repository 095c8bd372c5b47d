from __future__ import annotations

import threading

import pytest

from ohliad.ingest.fetch import FetchOptions, fetch
from ohliad.watch.hosts import HostBusyError, HostGate, RobotsCache
from tests.conftest import LoopbackServer
from tests.watch.feedserver import FeedServer


class FrozenClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_gate_spaces_requests_to_one_host() -> None:
    clock = FrozenClock()
    gate = HostGate(delay=5.0, concurrency=4, clock=clock)
    with gate.slot("a.example"):
        pass
    with pytest.raises(HostBusyError) as busy, gate.slot("a.example", max_wait=1.0):
        pass
    assert busy.value.wait_seconds == pytest.approx(5.0)
    with gate.slot("b.example", max_wait=0):  # other hosts are not held up
        pass
    clock.now += 5.0
    with gate.slot("a.example", max_wait=0):
        pass


def test_gate_hold_and_crawl_delay() -> None:
    clock = FrozenClock()
    gate = HostGate(delay=0.0, concurrency=1, clock=clock)
    gate.hold("a.example", 120)
    assert gate.wait_seconds("a.example") == pytest.approx(120)
    clock.now += 120
    gate.slow_down("a.example", 10)
    with gate.slot("a.example", max_wait=0):
        pass
    assert gate.wait_seconds("a.example") == pytest.approx(10)


def test_gate_caps_concurrent_requests() -> None:
    gate = HostGate(delay=0.0, concurrency=2)
    inside = 0
    most = 0
    lock = threading.Lock()
    release = threading.Event()
    entered = threading.Semaphore(0)

    def request() -> None:
        nonlocal inside, most
        with gate.slot("a.example"):
            with lock:
                inside += 1
                most = max(most, inside)
            entered.release()
            release.wait(10)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=request) for _ in range(5)]
    for thread in threads:
        thread.start()
    assert entered.acquire(timeout=10) and entered.acquire(timeout=10)
    assert not entered.acquire(timeout=0.2)  # a third waits for a free slot
    assert gate.wait_seconds("a.example") == float("inf")
    release.set()
    for thread in threads:
        thread.join(10)
    assert most == 2


def robots_for(server: FeedServer) -> RobotsCache:
    options = FetchOptions(allow_private=True)
    return RobotsCache(lambda url: fetch(url, options))


def test_robots_rules_are_honoured_and_fetched_once() -> None:
    server = FeedServer(
        robots="User-agent: *\nDisallow: /private/\n\nUser-agent: ohliad\n"
        "Disallow: /feeds/secret.xml\nCrawl-delay: 3\n"
    ).start()
    try:
        robots = robots_for(server)
        assert robots.allowed(server.feed_url("open"))
        assert not robots.allowed(server.feed_url("secret"))
        assert robots.crawl_delay(server.feed_url("open")) == 3.0
        assert server.requests["/robots.txt"] == 1
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("status", "allowed"), [(404, True), (403, True), (500, False), (503, False)]
)
def test_robots_status_rules(http_server: LoopbackServer, status: int, allowed: bool) -> None:
    # RFC 9309: a missing robots.txt means no rules; an unreachable one means keep off.
    http_server.add("/robots.txt", "User-agent: *\nDisallow: /\n", status=status)
    robots = RobotsCache(lambda url: fetch(url, FetchOptions(allow_private=True)))
    assert robots.allowed(http_server.url("/feed.xml")) is allowed


def test_robots_of_a_host_that_does_not_answer_forbids() -> None:
    server = FeedServer().start()
    server.stop()
    assert not robots_for(server).allowed(server.feed_url("any"))
