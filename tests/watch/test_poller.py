from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ohliad.ingest.fetch import FetchOptions
from ohliad.models import EntryOutcome, FeedState
from ohliad.store import FeedStore, Store
from ohliad.watch.hosts import HostGate
from ohliad.watch.poller import FeedPoller
from tests.conftest import LoopbackServer
from tests.ingest.servers import PUBLIC_NOWHERE, DripServer, PageServer, rebinding_resolver
from tests.watch.feedserver import FeedArticle, FeedServer, story_text

PUBLISHED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'


def article(number: int, *, teaser: bool = False) -> FeedArticle:
    title, text = story_text(number, 0)
    return FeedArticle(f"a{number}", title, text, PUBLISHED + timedelta(minutes=number), teaser)


def poller_for(store: Store, *, allow_private: bool = True) -> FeedPoller:
    return FeedPoller(
        FeedStore(store), HostGate(0.0, 2), FetchOptions(allow_private=allow_private, timeout=5)
    )


def feed_state(store: Store, url: str, language: str | None = None) -> FeedState:
    (state,) = FeedStore(store).sync([(url, "Test Outlet", language, 60)])
    return state


def test_new_entries_then_conditional_get(store: Store, feed_server: FeedServer) -> None:
    feed_server.add("world", article(1))
    feed_server.add("world", article(2))
    poller = poller_for(store)
    state = feed_state(store, feed_server.feed_url("world"), language="en")

    first = poller.poll(state)
    assert first.failure is None
    assert [e.entry_key for e in first.entries] == ["a2", "a1"]
    taken = first.entries[0].article
    assert taken is not None
    assert (taken.outlet, taken.language) == ("Test Outlet", "en")
    assert "report 2.0.5" in taken.text  # the feed carried the whole text
    assert first.etag and first.last_modified

    state = replace(state, etag=first.etag, last_modified=first.last_modified)
    FeedStore(store).save(state, [EntryOutcome("a1", None, "kept out on purpose")])
    second = poller.poll(state)
    assert second.failure is None and second.entries == ()
    assert feed_server.not_modified == 1

    feed_server.add("world", article(3))
    third = poller.poll(state)
    # a1 is recorded; a2 was never recorded, so it comes again with the new a3.
    assert [e.entry_key for e in third.entries] == ["a3", "a2"]
    poller.close()


def test_items_taken_before_stay_taken_when_the_feed_is_read_in_part(
    store: Store, feed_server: FeedServer
) -> None:
    # After the first poll the poller parses only items it has not seen taken;
    # what it returns must be what a whole reading would return.
    for number in (1, 2, 3):
        feed_server.add("world", article(number))
    poller = poller_for(store)
    state = feed_state(store, feed_server.feed_url("world"))
    first = poller.poll(state)
    records = [EntryOutcome(e.entry_key, None, "recorded") for e in first.entries]
    FeedStore(store).save(state, records)
    assert poller.poll(state).entries == ()  # read whole: all three known

    feed_server.add("world", article(4))
    assert [e.entry_key for e in poller.poll(state).entries] == ["a4"]
    # An item edited in place keeps its guid: it is not taken again.
    edited = replace(article(2), title="Corrected headline")
    feed_server.feeds["world"][1] = edited
    assert [e.entry_key for e in poller.poll(state).entries] == ["a4"]
    # A fresh poller (a restarted watcher) reads the feed whole and agrees.
    assert [e.entry_key for e in poller_for(store).poll(state).entries] == ["a4"]
    poller.close()


def test_teaser_items_bring_the_full_page(store: Store, feed_server: FeedServer) -> None:
    feed_server.add("briefs", article(4, teaser=True))
    poller = poller_for(store)
    result = poller.poll(feed_state(store, feed_server.feed_url("briefs")))
    (entry,) = result.entries
    assert entry.article is not None
    assert entry.article.title == article(4).title  # the feed's own title
    assert "report 4.0.5" in entry.article.text  # only the page has it
    assert entry.article.url == feed_server.article_url("a4")
    assert feed_server.requests["/articles/a4.html"] == 1
    poller.close()


def test_robots_txt_can_forbid_a_feed(store: Store) -> None:
    server = FeedServer(robots="User-agent: ohliad\nDisallow: /feeds/\n").start()
    try:
        server.add("world", article(1))
        result = poller_for(store).poll(feed_state(store, server.feed_url("world")))
        assert result.failure is not None
        assert result.failure.reason == "robots.txt disallows fetching it"
        assert server.requests["/feeds/world.xml"] == 0
    finally:
        server.stop()


def test_too_many_requests_holds_the_host(store: Store, http_server: LoopbackServer) -> None:
    http_server.add("/robots.txt", "", status=404)
    url = http_server.add("/feed.xml", "slow down", status=429, Retry_After="120")
    poller = poller_for(store)
    result = poller.poll(feed_state(store, url))
    assert result.failure is not None and result.failure.status == 429
    assert result.failure.retry_after is not None
    assert result.failure.retry_after - result.polled_at >= timedelta(seconds=119)
    assert poller.gate.wait_seconds(url.split("/")[2]) > 100
    # Every request names the bot, robots.txt first.
    assert [path for path, _headers in http_server.requests] == ["/robots.txt", "/feed.xml"]
    assert all(h["User-Agent"].startswith("ohliad/") for _path, h in http_server.requests)


def test_gone_feed_and_broken_feed(store: Store, http_server: LoopbackServer) -> None:
    http_server.add("/robots.txt", "", status=404)
    gone = http_server.add("/gone.xml", "gone", status=410)
    junk = http_server.add("/junk.xml", "this is not a feed at all")
    poller = poller_for(store)
    gone_result = poller.poll(feed_state(store, gone))
    assert gone_result.failure is not None and gone_result.failure.reason == "HTTP 410"
    junk_result = poller.poll(feed_state(store, junk))
    assert junk_result.failure is not None
    assert "not a readable RSS or Atom feed" in junk_result.failure.reason


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_xml_bomb_is_refused(store: Store, http_server: LoopbackServer, encoding: str) -> None:
    http_server.add("/robots.txt", "", status=404)
    bomb = (
        f'<?xml version="1.0" encoding="{encoding}"?>'
        '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        + RSS.format(items="<item><title>&b;</title><description>&b;</description></item>")
    ).replace('<?xml version="1.0"?>', "")
    url = http_server.add("/bomb.xml", bomb.encode(encoding))
    result = poller_for(store).poll(feed_state(store, url))
    assert result.failure is not None and result.failure.reason.startswith("feed refused")


def test_private_addresses_need_permission(store: Store, feed_server: FeedServer) -> None:
    feed_server.add("world", article(1))
    result = poller_for(store, allow_private=False).poll(
        feed_state(store, feed_server.feed_url("world"))
    )
    assert result.failure is not None and "--allow-private" in result.failure.reason
    assert sum(feed_server.requests.values()) == 0


def test_unavailable_article_page_is_put_off(store: Store, http_server: LoopbackServer) -> None:
    http_server.add("/robots.txt", "", status=404)
    items = "".join(
        f"<item><guid>{n}</guid><title>Item {n}</title><link>{http_server.url(f'/{n}.html')}"
        "</link><description>Only a teaser.</description></item>"
        for n in (1, 2)
    )
    url = http_server.add("/feed.xml", RSS.format(items=items), ETag='"v1"')
    http_server.add("/1.html", "busy", status=503)
    http_server.add("/2.html", "no such page", status=404)
    result = poller_for(store).poll(feed_state(store, url))
    # Item 1 may well work later; item 2 keeps its teaser.
    (entry,) = result.entries
    assert entry.entry_key == "2" and entry.article is not None
    assert entry.article.text == "Only a teaser."
    assert result.etag is None  # so the next poll fetches the whole feed again


def test_a_dripping_feed_fails_at_the_deadline(store: Store) -> None:
    server = DripServer().start()  # robots.txt at once, the feed a byte at a time
    try:
        poller = FeedPoller(
            FeedStore(store),
            HostGate(0.0, 2),
            FetchOptions(allow_private=True, timeout=1.0, deadline=2.0),
        )
        result = poller.poll(feed_state(store, server.url("/feed.xml")))
        poller.close()
    finally:
        server.stop()
    assert result.failure is not None
    assert result.failure.reason == "no complete response within 2 s"


def test_robots_txt_comes_from_the_address_the_guard_checked(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # robots.txt goes through the poller's own client, which must connect
    # where the guard looked, not where a second DNS answer points.
    rebound = PageServer("127.0.0.2").start()
    rebound.add("/robots.txt", b"User-agent: *\nAllow: /\n")
    dns = rebinding_resolver(monkeypatch)
    dns.rebind("feeds.test", PUBLIC_NOWHERE, "127.0.0.2")
    poller = FeedPoller(FeedStore(store), HostGate(0.0, 2), FetchOptions(timeout=1.0))
    try:
        # The approved public address does not answer: robots.txt is
        # unreachable, and the host is kept off.
        assert not poller.robots.allowed(f"http://feeds.test:{rebound.port}/feed.xml")
    finally:
        poller.close()
        rebound.stop()
    assert rebound.requests == []


def test_an_item_with_a_broken_link_fails_alone(store: Store, http_server: LoopbackServer) -> None:
    # It made the whole feed fail, on every poll (issue 21).
    http_server.add("/robots.txt", "", status=404)
    _title, text = story_text(7, 0)
    links = ["https://good.example/1", "https://bad.example:99999/x", "http://[::1/x"]
    items = "".join(
        f"<item><guid>g{n}</guid><title>Item {n}</title><link>{link}</link>"
        f"<description>{text} (item {n})</description></item>"
        for n, link in enumerate(links)
    )
    url = http_server.add("/feed.xml", RSS.format(items=items))
    result = poller_for(store).poll(feed_state(store, url))
    assert result.failure is None
    by_key = {e.entry_key: e for e in result.entries}
    assert by_key["g0"].article is not None
    for key in ("g1", "g2"):
        assert by_key[key].article is None
        assert by_key[key].error is not None and "invalid URL" in by_key[key].error
