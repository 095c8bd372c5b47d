"""Two real processes ingest overlapping inputs into one database at the same
moment, on SQLite and on PostgreSQL: every article is stored exactly once,
neither loses a batch, and the stories are those one process after the
other would have made."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from sqlalchemy import text

from ohliad.assembly import open_pipeline
from ohliad.models import Article
from ohliad.settings import Settings
from ohliad.store import Store
from ohliad.store.search import Filters, find_articles

# Seconds each (processes, servers, models): left out of make test-fast.
pytestmark = pytest.mark.slow

START = datetime(2026, 3, 2, 6, tzinfo=UTC)
EVENTS = [
    ("flood defences", "The council in Saltby approved new flood defences for the harbour"),
    ("rail strike", "Train drivers in Velmora walked out over pay, halting the commuter lines"),
    ("port closure", "The port of Ostrava closed after a tanker ran aground in the channel"),
    ("recount", "Election officials in Marlow began a recount of the mayoral ballots"),
    ("wildfire", "A wildfire near Kessel forced the evacuation of three villages overnight"),
    ("bridge", "Engineers shut the Hallam bridge after cracks were found in a pillar"),
]


def _articles() -> list[Article]:
    """Six events, eight outlets' reports of each, published over a day."""
    articles = []
    for number in range(48):
        topic, lead = EVENTS[number % len(EVENTS)]
        outlet = f"Outlet {number // len(EVENTS)}"
        articles.append(
            Article(
                title=f"{lead.split(' ', 4)[-1].capitalize()} ({outlet})",
                text=f"{lead}, {outlet} reported. " * 4 + f"Officials gave details of the {topic}.",
                url=f"https://outlet{number // len(EVENTS)}.example/{topic.replace(' ', '-')}",
                outlet=outlet,
                published=START + timedelta(minutes=17 * number),
            )
        )
    return articles


def _settings(db: str) -> Settings:
    # Static vectors: grouping as the default does it, at a fraction of the cost.
    return Settings(db=db, translator="none", embedder="minilm-static")


def _ingest(db: str, numbers: Sequence[int], start: Barrier | None) -> None:
    if start is not None:
        start.wait(timeout=180)  # both open the new database at once
    pipeline = open_pipeline(_settings(db))
    articles = [_articles()[n] for n in numbers]
    pipeline.ingest(articles[:1])  # the indexes and the models load before the race
    if start is not None:
        start.wait(timeout=180)
    pipeline.ingest(articles[1:])
    pipeline.store.close()


def _stories(db: str) -> set[frozenset[str]]:
    store = Store.open(db)
    members: dict[str, set[str]] = {}
    for key, article in store.story_members(include_copies=True):
        assert article.url is not None
        members.setdefault(key, set()).add(article.url)
    store.close()
    return {frozenset(urls) for urls in members.values()}


FIRST = list(range(0, 32))
SECOND = list(range(16, 48))  # 16 articles in both inputs


def _run_together(db: str) -> None:
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    writers = [
        context.Process(target=_ingest, args=(db, numbers, start)) for numbers in (FIRST, SECOND)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=900)
    assert [writer.exitcode for writer in writers] == [0, 0], "a writer failed"


def _check(db: str, sequential: str) -> None:
    store = Store.open(db)
    urls = [a.url for a in store.articles()]
    store.close()
    assert len(urls) == len(set(urls)) == 48
    _ingest(sequential, FIRST, None)
    _ingest(sequential, SECOND, None)
    assert _stories(db) == _stories(sequential)
    assert len(_stories(db)) == len(EVENTS)


def test_two_writers_on_sqlite(tmp_path: Path) -> None:
    db = str(tmp_path / "together.db")
    _run_together(db)
    _check(db, str(tmp_path / "one-after-the-other.db"))
    # Each article once in the full-text index, none left in its queue
    # (migration 0009); integrity-check with rank 1 also compares the index
    # with the articles' text.
    store = Store.open(db)
    with store.engine.begin() as connection:
        assert connection.scalar(text("SELECT count(*) FROM articles_fts_pending")) == 0
        connection.execute(
            text("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
        )
    assert len(find_articles(store, Filters(text="reported"))) == 48
    store.close()


def test_two_writers_on_postgresql(new_postgres_database: Callable[[], str]) -> None:
    db = new_postgres_database()
    _run_together(db)
    _check(db, new_postgres_database())
