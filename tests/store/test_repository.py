from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect

from ohliad.models import Article
from ohliad.store import DatabaseError, Store, content_hash


def _article(n: int, **kw: object) -> Article:
    base = dict(
        title=f"Title {n}",
        text=f"Body of article {n}.",
        url=f"https://news.example/{n}",
        outlet="News Example",
        published=datetime(2026, 3, n, tzinfo=UTC),
    )
    base.update(kw)
    return Article(**base)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(str(tmp_path / "t.db"))


def test_open_migrates_and_uses_wal(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "wal.db"))
    tables = set(inspect(store.engine).get_table_names())
    assert {"articles", "stories", "story_articles", "outlets", "runs", "translations"} <= tables
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    # Opening again applies nothing new and keeps the data.
    with store.transaction() as tx:
        tx.add_article(_article(1))
    assert Store.open(str(tmp_path / "wal.db")).article_count() == 1


def test_a_failed_transaction_stores_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as tx:
        stored = tx.add_article(_article(1))
        assert stored.id is not None
        tx.link(stored.id, "story-a")
        raise RuntimeError("killed mid-batch")
    assert store.article_count() == 0
    assert store.story("story-a") is None


def test_same_url_or_same_content_is_found(store: Store) -> None:
    with store.transaction() as tx:
        tx.add_article(_article(1))
    with store.transaction() as tx:
        assert tx.find_existing("https://news.example/1", "0" * 64) is not None
        assert tx.find_existing("https://other.example/x", content_hash(_article(1))) is not None
        assert tx.find_existing("https://other.example/x", content_hash(_article(2))) is None


def test_merge_moves_articles_and_marks_dirty(store: Store) -> None:
    with store.transaction() as tx:
        a = tx.add_article(_article(1))
        b = tx.add_article(_article(2))
        assert a.id and b.id
        tx.link(a.id, "s1")
        tx.link(b.id, "s2")
    with store.transaction() as tx:
        tx.merge_stories("s1", ["s2"])
    story = store.story("s1")
    assert story is not None and [x.id for x in story.articles] == [a.id, b.id]
    assert store.story("s2") is None
    assert store.dirty_story_keys() == ["s1"]


def test_entry_saved_from_stale_members_stays_dirty(store: Store) -> None:
    with store.transaction() as tx:
        a = tx.add_article(_article(1))
        assert a.id
        tx.link(a.id, "s1")
    with store.transaction() as tx:
        b = tx.add_article(_article(2))
        assert b.id
        tx.link(b.id, "s1")
        # Computed before b joined: the story must be recomputed again.
        tx.save_entry(
            "s1", {"headline": {"en": "H"}, "summary": {"en": "S"}}, members=frozenset({a.id})
        )
    assert store.dirty_story_keys() == ["s1"]
    with store.transaction() as tx:
        tx.save_entry(
            "s1", {"headline": {"en": "H"}, "summary": {"en": "S"}}, members=frozenset({a.id, b.id})
        )
    assert store.dirty_story_keys() == []
    [stored] = store.stored_stories()
    assert stored.entry == {"headline": {"en": "H"}, "summary": {"en": "S"}}


def test_time_window_members(store: Store) -> None:
    with store.transaction() as tx:
        for n in (1, 5, 9):
            art = tx.add_article(_article(n))
            assert art.id
            tx.link(art.id, f"s{n}")
    since = datetime(2026, 3, 4, tzinfo=UTC)
    assert [k for k, _ in store.story_members(since)] == ["s5", "s9"]
    assert store.latest_published() == datetime(2026, 3, 9, tzinfo=UTC)


def test_unopenable_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError, match="cannot open database"):
        Store.open(str(bad))
