import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from ohliad.compare.records import Comparison
from ohliad.digest_json import entry_to_dict
from ohliad.models import Article, DigestEntry, Summary, SummarySentence
from ohliad.store import DatabaseError, Store, content_hash
from ohliad.store.db import alembic_config, create_database_engine, database_url
from ohliad.store.history import StoryChangeRecord
from ohliad.store.search import Filters, find_stories


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


def test_stored_identities_names_the_urls_and_hashes_already_stored(store: Store) -> None:
    with store.transaction() as tx:
        tx.add_article(_article(1))
    with store.transaction() as tx:
        urls, digests = tx.stored_identities(
            ["https://news.example/1", "https://news.example/2"],
            [content_hash(_article(1)), content_hash(_article(2))],
        )
    assert urls == {"https://news.example/1"}
    assert digests == {content_hash(_article(1))}


def test_links_written_before_a_merge_in_the_same_transaction_move_with_it(
    store: Store,
) -> None:
    with store.transaction() as tx:
        a, b, c = (tx.add_article(_article(n)) for n in (1, 2, 3))
        assert a.id and b.id and c.id
        tx.link(a.id, "s1")
        tx.link(b.id, "s2")
        tx.merge_stories("s1", ["s2"])  # the links above are not written yet
        tx.link(c.id, "s1")
        assert tx.story_keys_of([b.id, c.id]) == {b.id: "s1", c.id: "s1"}
    story = store.story("s1")
    assert story is not None and [x.id for x in story.articles] == [a.id, b.id, c.id]
    assert store.story("s2") is None


def test_stories_are_read_together_and_entries_saved_together(store: Store) -> None:
    with store.transaction() as tx:
        a, b, c = (tx.add_article(_article(n)) for n in (1, 2, 3))
        copy = tx.add_article(_article(4, duplicate_of=a.id))
        assert a.id and b.id and c.id and copy.id
        tx.link(a.id, "s1")
        tx.link(copy.id, "s1")
        tx.link(b.id, "s2")
    stories = store.stories(["s1", "s2", "gone"])
    assert sorted(stories) == ["s1", "s2"]
    assert [x.id for x in stories["s1"].articles] == [a.id]
    assert [x.id for x in stories["s1"].copies] == [copy.id]
    assert stories["s1"].articles[0].outlet == "News Example"
    with store.transaction() as tx:
        tx.link(c.id, "s2")  # joins after s2's entry was computed
        tx.save_entries(
            {
                "s1": (_summary("one"), frozenset({a.id, copy.id})),
                "s2": (_summary("two"), frozenset({b.id})),
            }
        )
    assert store.dirty_story_keys() == ["s2"]
    headlines = {s.key: s.entry.summary.headline for s in store.stored_stories() if s.entry}
    assert headlines == {"s1": "one", "s2": "two"}


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


def test_a_split_moves_an_article_with_its_copies_and_is_recorded(store: Store) -> None:
    with store.transaction() as tx:
        a = tx.add_article(_article(1))
        b = tx.add_article(_article(2))
        assert a is not None and b is not None and a.id and b.id
        copy = tx.add_article(_article(3, duplicate_of=b.id))
        assert copy is not None and copy.id
        for article in (a, b, copy):
            assert article.id
            tx.link(article.id, "s1")
    with store.transaction() as tx:
        tx.move_articles([b.id], "s2")
        tx.record_changes([StoryChangeRecord("split", "s1", "s2", (b.id,), -3.5)])
    moved, kept = store.story("s2"), store.story("s1")
    assert moved is not None and kept is not None
    assert {x.id for x in moved.articles + moved.copies} == {b.id, copy.id}
    assert [x.id for x in kept.articles] == [a.id]
    assert sorted(store.dirty_story_keys()) == ["s1", "s2"]
    [record] = store.story_changes("s2")
    assert (record.kind, record.story, record.articles, record.score) == (
        "split",
        "s1",
        (b.id,),
        -3.5,
    )
    assert record.at is not None and record.at.tzinfo is not None
    assert store.story_changes("s1") == [record]
    assert store.story_changes("s3") == []


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
        tx.save_entry("s1", _summary("H"), members=frozenset({a.id}), with_comparison=False)
    assert store.dirty_story_keys() == ["s1"]
    with store.transaction() as tx:
        tx.save_entry("s1", _summary("H"), members=frozenset({a.id, b.id}), with_comparison=False)
    assert store.dirty_story_keys() == []
    [stored] = store.stored_stories()
    assert stored.entry is not None
    assert stored.entry.summary.headline == "H"
    assert stored.entry.comparison is None
    assert stored.entry.comparison_pending  # no comparison was saved for these articles


def _summary(text: str) -> DigestEntry:
    """A story's entry without a comparison."""
    return DigestEntry(
        story_id="s",
        summary=Summary(headline=text, sentences=(SummarySentence(text, ()),)),
        sources=(),
        article_ids=(),
        updated=None,
    )


def _comparison(note: str) -> Comparison:
    return Comparison(sources=(), notes=(note,))


def test_comparison_is_saved_apart_and_kept_until_a_new_one_lands(store: Store) -> None:
    with store.transaction() as tx:
        a, b = tx.add_article(_article(1)), tx.add_article(_article(2))
        assert a.id and b.id
        tx.link(a.id, "s1")
        tx.link(b.id, "s1")
    both = frozenset({a.id, b.id})
    with store.transaction() as tx:
        tx.save_entry("s1", _summary("first"), members=both, with_comparison=False)
    assert store.pending_comparison_keys() == ["s1"] and store.comparison_backlog() == 1
    with store.transaction() as tx:
        assert tx.save_comparison("s1", _comparison("x"), members=both)
    assert store.pending_comparison_keys() == [] and store.comparison_backlog() == 0
    # A new article: the summary is redone at once, the comparison later. Until
    # then the last comparison is shown, marked pending.
    with store.transaction() as tx:
        c = tx.add_article(_article(3))
        assert c.id
        tx.link(c.id, "s1")
    assert store.pending_comparison_keys() == []  # its summary is not current yet
    all_three = both | {c.id}
    with store.transaction() as tx:
        tx.save_entry("s1", _summary("second"), members=all_three, with_comparison=False)
    [stored] = store.stored_stories()
    assert stored.entry is not None
    assert stored.entry.summary.headline == "second"
    assert stored.entry.comparison == _comparison("x")
    assert stored.entry.comparison_pending is True
    assert store.pending_comparison_keys() == ["s1"]
    # A comparison computed before c joined lands, but the story stays pending.
    with store.transaction() as tx:
        assert tx.save_comparison("s1", _comparison("y"), members=both)
    assert store.pending_comparison_keys() == ["s1"]
    with store.transaction() as tx:
        assert tx.save_comparison("s1", _comparison("z"), members=all_three)
    [stored] = store.stored_stories()
    assert stored.entry is not None and stored.entry.comparison == _comparison("z")
    assert stored.entry.comparison_pending is False
    assert store.comparison_backlog() == 0


def test_entry_with_its_comparison_saves_both(store: Store) -> None:
    with store.transaction() as tx:
        a = tx.add_article(_article(1))
        assert a.id
        tx.link(a.id, "s1")
        entry = replace(_summary("h"), comparison=Comparison(sources=()))
        tx.save_entry("s1", entry, members=frozenset({a.id}))
    [stored] = store.stored_stories()
    assert stored.entry is not None
    assert stored.entry.comparison == Comparison(sources=())
    assert stored.entry.comparison_pending is False


def test_comparison_of_a_story_merged_away_is_not_saved(store: Store) -> None:
    with store.transaction() as tx:
        a, b = tx.add_article(_article(1)), tx.add_article(_article(2))
        assert a.id and b.id
        tx.link(a.id, "s1")
        tx.link(b.id, "s2")
    with store.transaction() as tx:
        tx.merge_stories("s1", ["s2"])
    with store.transaction() as tx:
        assert not tx.save_comparison("s2", Comparison(sources=()), members=frozenset({b.id}))
    assert store.story("s2") is None
    assert store.comparison_backlog() == 1  # s1, which now holds both


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


def test_upgrade_moves_stored_comparisons_out_of_entries(tmp_path: Path) -> None:
    engine = create_database_engine(database_url(str(tmp_path / "old.db")))
    command.upgrade(alembic_config(engine), "0002")
    # An entry as stored before 0003, comparison and all (and before schema_version).
    old = {**entry_to_dict(replace(_summary("H"), comparison=_comparison("x")))}
    del old["schema_version"], old["comparison_pending"], old["review"]
    entry = json.dumps(old)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO stories (key, created_at, updated_at, dirty, entry) "
                "VALUES ('s1', '2026-03-01', '2026-03-01', 0, :entry)"
            ),
            {"entry": entry},
        )
    engine.dispose()
    store = Store.open(str(tmp_path / "old.db"))
    [stored] = store.stored_stories()
    assert stored.entry == replace(_summary("H"), comparison=_comparison("x"))
    # The full-text triggers of 0002 survive: a new headline is searchable.
    with store.transaction() as tx:
        tx.save_entry("s1", _summary("Zeppelin"), members=frozenset(), with_comparison=False)
    assert [s.key for s in find_stories(store, Filters(text="zeppelin"))] == ["s1"]


def test_an_outlet_added_by_a_rolled_back_transaction_is_not_taken_on_trust(
    store: Store,
) -> None:
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.add_article(_article(1, outlet="Gone Daily"))
        raise RuntimeError("rolled back")
    with store.transaction() as tx:  # its outlet id would not exist (foreign keys are on)
        stored = tx.add_article(_article(2, outlet="Gone Daily"))
    assert stored.id is not None
    found = store.article(stored.id)
    assert found is not None and found.outlet == "Gone Daily"
