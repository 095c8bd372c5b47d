"""SQLite's full-text index takes stored articles in bulk (migration 0009): an
article is found once the transaction that stored it commits, or, in a run
of ingest batches, once the run's next indexing batch commits; an article
still queued can be edited or deleted, and the index stays consistent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from ohliad import pipeline as pipeline_module
from ohliad.assembly import open_pipeline
from ohliad.models import Article
from ohliad.settings import Settings
from ohliad.store import Store
from ohliad.store.search import Filters, find_articles

START = datetime(2026, 3, 2, 6, tzinfo=UTC)


def report(number: int, words: str) -> Article:
    return Article(
        title=f"Report {number}: {words}",
        text=f"Officials described the {words} in detail. " * 6,
        url=f"https://news.example/{number}",
        outlet="News",
        published=START + timedelta(minutes=number),
    )


def found(store: Store, query: str) -> list[str]:
    return sorted(hit.article.title for hit in find_articles(store, Filters(text=query)))


def queued(store: Store) -> int:
    with store.engine.connect() as connection:
        return int(connection.scalar(text("SELECT count(*) FROM articles_fts_pending")) or 0)


def assert_index_consistent(store: Store) -> None:
    # rank 1: the index is also checked against the articles' own text.
    with store.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
        )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(str(tmp_path / "index.db"))


def test_an_article_is_found_once_the_transaction_that_stored_it_commits(store: Store) -> None:
    with store.transaction() as tx:
        tx.add_article(report(1, "harbour flood"))
    assert found(store, "harbour") == ["Report 1: harbour flood"]
    assert queued(store) == 0
    assert_index_consistent(store)


def test_deferred_articles_are_indexed_by_the_next_transaction_that_indexes(
    store: Store,
) -> None:
    with store.transaction() as tx:
        tx.defer_text_index()
        tx.add_article(report(1, "harbour flood"))
    assert found(store, "harbour") == []
    assert queued(store) == 1
    with store.transaction() as tx:
        tx.add_article(report(2, "harbour closure"))
    assert found(store, "harbour") == ["Report 1: harbour flood", "Report 2: harbour closure"]
    assert queued(store) == 0
    assert_index_consistent(store)


def test_a_queued_article_can_be_edited_and_deleted(store: Store) -> None:
    with store.transaction() as tx:
        tx.defer_text_index()
        edited = tx.add_article(report(1, "harbour flood"))
        deleted = tx.add_article(report(2, "rail strike"))
    assert edited is not None and deleted is not None
    with store.transaction() as tx:
        tx.session.execute(
            text("UPDATE articles SET text = 'Engineers closed the bridge.' WHERE id = :id"),
            {"id": edited.id},
        )
        tx.session.execute(text("DELETE FROM articles WHERE id = :id"), {"id": deleted.id})
    assert queued(store) == 1
    with store.transaction() as tx:
        tx.index_pending_text()
    assert found(store, "bridge") == ["Report 1: harbour flood"]
    assert found(store, "officials") == []
    assert found(store, "strike") == []
    # Indexed now: an edit and a delete go through the index itself.
    with store.transaction() as tx:
        tx.session.execute(
            text("UPDATE articles SET text = 'Divers searched the canal.' WHERE id = :id"),
            {"id": edited.id},
        )
    assert found(store, "bridge") == []
    assert found(store, "canal") == ["Report 1: harbour flood"]
    assert_index_consistent(store)


def indexing_every(
    batches: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> pipeline_module.Pipeline:
    """A pipeline on a new database that indexes every ``batches`` ingest batches."""
    monkeypatch.setattr(pipeline_module, "TEXT_INDEX_BATCHES", batches)
    return open_pipeline(Settings(db=str(tmp_path / "run.db"), translator="none"))


def test_a_run_of_ingest_batches_indexes_every_few_batches_and_after_its_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline = indexing_every(2, tmp_path, monkeypatch)
    store = pipeline.store
    queue_after_batches: list[int] = []
    original = pipeline._store_batch

    def store_batch(*args: object, **kwargs: object) -> object:
        made = original(*args, **kwargs)  # type: ignore[arg-type]
        queue_after_batches.append(queued(store))
        return made

    monkeypatch.setattr(pipeline, "_store_batch", store_batch)
    size = pipeline_module.BATCH_SIZE
    articles = [report(n, f"event {n}") for n in range(5 * size)]
    pipeline.ingest(articles)
    # Indexed after the second and fourth batches, and after the last.
    assert queue_after_batches == [size, 0, size, 0, 0]
    assert len(found(store, "officials")) == 5 * size
    assert_index_consistent(store)


def test_a_run_whose_last_batch_stores_nothing_still_indexes_the_batches_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline = indexing_every(4, tmp_path, monkeypatch)
    size = pipeline_module.BATCH_SIZE
    stored_before = [report(1_000 + n, f"earlier {n}") for n in range(size)]
    pipeline.ingest(stored_before)
    fresh = [report(n, f"event {n}") for n in range(size)]
    # In publication order: a batch of new reports (deferred), then a last
    # batch of reports already stored, which stores nothing.
    made = pipeline.ingest([*fresh, *stored_before])
    assert (made.added, made.already_stored) == (size, size)
    assert queued(pipeline.store) == 0
    assert len(found(pipeline.store, "event")) == size
    assert_index_consistent(pipeline.store)
