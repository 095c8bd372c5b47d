"""Full-text search and filters on a real SQLite store (FTS5, migration 0002)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import text

from ohliad.models import Article, DigestEntry, Summary, SummarySentence, UkrainianText
from ohliad.store import Store
from ohliad.store.search import (
    Filters,
    article_hit,
    article_languages,
    find_articles,
    find_stories,
    outlet_names,
    query_words,
)


def _entry(key: str, headline: str, summary: str, uk: UkrainianText | None = None) -> DigestEntry:
    return DigestEntry(
        story_id=key,
        summary=Summary(headline=headline, sentences=(SummarySentence(summary, ()),)),
        sources=(),
        article_ids=(),
        updated=None,
        ukrainian=uk,
    )


def _add(store: Store, key: str, title: str, body: str, **fields: object) -> int:
    with store.transaction() as tx:
        article = tx.add_article(Article(title=title, text=body, **fields))
        assert article.id is not None
        tx.link(article.id, key)
        tx.save_entry(key, _entry(key, title, body), members=frozenset({article.id}))
        return article.id


def _ids(store: Store, filters: Filters) -> list[str]:
    return [s.key for s in find_stories(store, filters)]


def test_words_match_as_prefixes_in_any_case(store: Store) -> None:
    _add(store, "a", "Дрони над Польщею", "Польща підняла винищувачі.")
    _add(store, "b", "Grain corridor", "Izmail ports handled record cargo.")
    assert _ids(store, Filters(text="дрон")) == ["a"]
    assert _ids(store, Filters(text="ПОЛЬЩ винищувач")) == ["a"]
    assert _ids(store, Filters(text="izmail CARGO")) == ["b"]
    assert _ids(store, Filters(text="izmail дрон")) == []


def test_query_syntax_is_only_words(store: Store) -> None:
    _add(store, "a", "Drones over Poland", "Jets scrambled.")
    assert query_words('drones" OR NEAR(poland*') == ["drones", "or", "near", "poland"]
    assert _ids(store, Filters(text='"drones')) == ["a"]
    assert _ids(store, Filters(text="*** ---")) == []


def test_index_follows_edits_and_deletes(store: Store) -> None:
    article_id = _add(store, "a", "Old headline", "Old text about ports.")
    with store.transaction() as tx:
        tx.session.execute(
            text("UPDATE articles SET title = 'Fresh title', text = 'New text' WHERE id = :id"),
            {"id": article_id},
        )
    assert find_articles(store, Filters(text="ports")) == []
    assert [h.article.title for h in find_articles(store, Filters(text="fresh"))] == ["Fresh title"]
    with store.transaction() as tx:
        tx.session.execute(text("DELETE FROM story_articles"))
        tx.session.execute(text("DELETE FROM articles"))
    assert find_articles(store, Filters(text="fresh")) == []


def test_story_text_is_reindexed_when_its_entry_changes(store: Store) -> None:
    _add(store, "a", "Ports", "Cargo.")
    with store.transaction() as tx:
        entry = _entry("a", "Ports", "x", UkrainianText("Порти Ізмаїла", "y", "editor"))
        tx.save_entry("a", entry, members=frozenset({1}))
    assert _ids(store, Filters(text="ізмаїл")) == ["a"]


def test_filters_combine_on_the_same_article(store: Store) -> None:
    day = datetime(2026, 3, 5, 23, 30, tzinfo=UTC)
    _add(
        store,
        "a",
        "One",
        "x",
        outlet="Baltic Wire",
        language="en",
        published=day,
        url="https://a.example/1",
    )
    _add(
        store,
        "b",
        "Two",
        "y",
        outlet="Kyiv Daily",
        language="uk",
        published=day.replace(day=6, hour=0),
        url="https://b.example/1",
    )
    assert _ids(store, Filters(since=date(2026, 3, 5), until=date(2026, 3, 5))) == ["a"]
    assert _ids(store, Filters(since=date(2026, 3, 6))) == ["b"]
    assert _ids(store, Filters(outlet="Baltic Wire", language="uk")) == []
    assert _ids(store, Filters(outlet="Kyiv Daily", language="uk")) == ["b"]
    assert outlet_names(store) == ["Baltic Wire", "Kyiv Daily"]
    assert article_languages(store) == ["en", "uk"]


def test_article_hit_names_its_story(store: Store) -> None:
    article_id = _add(store, "story-key", "Title", "Body")
    hit = article_hit(store, article_id)
    assert hit is not None and hit.story_key == "story-key"
    assert article_hit(store, article_id + 100) is None


def test_latest_news_first_then_undated(store: Store) -> None:
    _add(
        store,
        "old",
        "Old",
        "x",
        published=datetime(2026, 3, 1, tzinfo=UTC),
        url="https://a.example/1",
    )
    _add(store, "undated", "Undated", "y")
    _add(
        store,
        "new",
        "New",
        "z",
        published=datetime(2026, 3, 9, tzinfo=UTC),
        url="https://a.example/2",
    )
    _add(
        store,
        "older",
        "Older",
        "w",
        published=datetime(2026, 2, 1, tzinfo=UTC),
        url="https://a.example/3",
    )
    assert _ids(store, Filters()) == ["new", "old", "older", "undated"]


def test_pages_do_not_overlap(store: Store) -> None:
    for n in range(5):
        _add(store, f"s{n}", f"Story {n}", f"Body {n}")
    pages = [find_stories(store, Filters(), limit=2, offset=o) for o in (0, 2, 4)]
    keys = [s.key for page in pages for s in page]
    assert keys == ["s4", "s3", "s2", "s1", "s0"]


def test_migration_0002_goes_down_and_up_again(store: Store) -> None:
    from alembic import command

    from ohliad.store.db import alembic_config

    _add(store, "a", "Drones over Poland", "Jets scrambled.")
    config = alembic_config(store.engine)
    command.downgrade(config, "0001")
    with store.engine.connect() as connection:
        left = connection.execute(text("SELECT name FROM sqlite_master WHERE name LIKE '%fts%'"))
        assert left.all() == []
    command.upgrade(config, "head")
    # Rebuilt from the stored rows on the way up.
    assert _ids(store, Filters(text="scrambled")) == ["a"]
