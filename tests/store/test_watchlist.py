from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from ohliad.models import Article, EntryOutcome
from ohliad.store import FeedStore, Store

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_sync_adds_and_updates_feeds(store: Store) -> None:
    feeds = FeedStore(store)
    first = feeds.sync([("https://a.example/rss", "A", "en", 600)])
    again = feeds.sync(
        [
            ("https://a.example/rss", "A Daily", None, 300),
            ("https://b.example/rss", None, None, 900),
        ]
    )
    assert again[0].id == first[0].id
    assert (again[0].outlet, again[0].language, again[0].interval_seconds) == ("A Daily", None, 300)
    assert [f.url for f in feeds.feeds()] == ["https://a.example/rss", "https://b.example/rss"]


def test_state_and_entries_are_saved_together(store: Store) -> None:
    feeds = FeedStore(store)
    (feed,) = feeds.sync([("https://a.example/rss", None, None, 600)])
    with store.transaction() as tx:
        stored = tx.add_article(Article(title="T", text="Body text.", url="https://a.example/1"))
    long_key = "https://a.example/" + "x" * 3000
    state = replace(feed, etag='"v1"', last_success=NOW, next_poll=NOW + timedelta(minutes=10))
    feeds.save(state, [EntryOutcome("guid-1", stored.id), EntryOutcome(long_key, None, "no text")])
    assert feeds.known_entry_keys(feed.id, ["guid-1", long_key, "guid-2"]) == {"guid-1", long_key}
    (reread,) = feeds.feeds()
    assert reread.etag == '"v1"' and reread.last_success == NOW
    # Recording an entry again updates it instead of duplicating it.
    feeds.save(state, [EntryOutcome("guid-1", stored.id)])
    (stats,) = feeds.stats()
    assert stats.articles_24h == 1


def test_states_of_many_feeds_are_saved_at_once(store: Store) -> None:
    feeds = FeedStore(store)
    first, second = feeds.sync(
        [("https://a.example/rss", None, None, 600), ("https://b.example/rss", None, None, 600)]
    )
    parked = replace(second, consecutive_failures=5, last_error="HTTP 500", parked_reason="failing")
    feeds.save_states([replace(first, etag='"v2"', last_polled=NOW), parked])
    assert feeds.feeds() == [replace(first, etag='"v2"', last_polled=NOW), parked]
    # A feed taken off the list while it was polled: its state and entries are
    # left out, and the rest of the round is saved.
    assert feeds.remove("https://b.example/rss")
    feeds.save_polls(
        [
            (replace(first, etag='"v3"'), [EntryOutcome("kept", article_id=None, error="x")]),
            (parked, [EntryOutcome("dropped", article_id=None, error="x")]),
        ]
    )
    assert feeds.feeds() == [replace(first, etag='"v3"')]
    assert feeds.known_entry_keys(first.id, ["kept"]) == {"kept"}
    assert feeds.known_entry_keys(parked.id, ["dropped"]) == set()


def test_stored_article_ids_by_url_or_content(store: Store) -> None:
    feeds = FeedStore(store)
    with store.transaction() as tx:
        one = tx.add_article(Article(title="One", text="First text.", url="https://a.example/1"))
        two = tx.add_article(Article(title="Two", text="Second text.", url="https://a.example/2"))
    same_url = Article(title="One, updated", text="Changed.", url="https://a.example/1")
    same_text = Article(title="Two", text="Second   text.", url="https://mirror.example/2")
    absent = Article(title="Three", text="Third.", url="https://a.example/3")
    assert feeds.stored_article_ids([same_url, same_text, absent]) == [one.id, two.id, None]


def test_a_rounds_polls_are_saved_in_one_go(store: Store) -> None:
    """Several feeds' states and entries at once: the same entry key in two
    feeds is two entries, and an entry recorded before is updated."""
    feeds = FeedStore(store)
    first, second = feeds.sync(
        [("https://a.example/rss", None, None, 600), ("https://b.example/rss", None, None, 600)]
    )
    with store.transaction() as tx:
        one = tx.add_article(Article(title="One", text="First body.", url="https://a.example/1"))
        two = tx.add_article(Article(title="Two", text="Second body.", url="https://b.example/2"))
    feeds.save(first, [EntryOutcome("guid-1", None, "no text yet")])
    feeds.save_polls(
        [
            (replace(first, etag='"a2"'), [EntryOutcome("guid-1", one.id)]),
            (replace(second, etag='"b2"'), [EntryOutcome("guid-1", two.id)]),
        ]
    )
    assert [f.etag for f in feeds.feeds()] == ['"a2"', '"b2"']
    assert feeds.known_entry_keys(first.id, ["guid-1"]) == {"guid-1"}
    assert feeds.known_entry_keys(second.id, ["guid-1"]) == {"guid-1"}
    stats = feeds.stats()
    assert [s.articles_24h for s in stats] == [1, 1]
