"""The same search and filters on PostgreSQL (tsvector, GIN indexes of migration
0002), on a throwaway server started for these tests (``tests/postgres.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from ohliad.store import Store
from ohliad.store.search import Filters, find_articles, find_stories
from ohliad.web import WebSettings, create_app
from tests.web.conftest import build_digest_store


@pytest.fixture(scope="module")
def pg_store(postgres_server: str) -> Iterator[Store]:
    store = build_digest_store(postgres_server)
    yield store
    store.close()


def test_migration_creates_the_gin_indexes(pg_store: Store) -> None:
    with pg_store.engine.connect() as connection:
        indexes = connection.execute(
            text("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%fulltext'")
        ).scalars()
        assert sorted(indexes) == ["ix_articles_fulltext", "ix_stories_fulltext"]


def test_search_matches_words_as_prefixes(pg_store: Store) -> None:
    assert [s.key for s in find_stories(pg_store, Filters(text="ГРУБЕШОВ"))] == ["drones-poland"]
    assert [s.key for s in find_stories(pg_store, Filters(text="barn hrubiesz"))] == [
        "drones-poland"
    ]
    assert [h.article.outlet for h in find_articles(pg_store, Filters(text="barn"))] == [
        "Continental Post"
    ]
    assert find_stories(pg_store, Filters(text="barn izmail")) == []
    assert find_stories(pg_store, Filters(text="') | ('")) == []


def test_filters_and_the_api_work_the_same(pg_store: Store) -> None:
    one_day = Filters(since=date(2026, 3, 4), until=date(2026, 3, 4))
    assert [s.key for s in find_stories(pg_store, one_day)] == ["izmail-ports"]
    client = TestClient(create_app(pg_store, WebSettings()))
    found = client.get("/api/search", params={"q": "дрон", "outlet": "Baltic Wire"}).json()
    assert [s["id"] for s in found["stories"]] == ["drones-poland"]
    page = client.get("/search", params={"q": "Izmail"})
    assert "Izmail ports handle record February cargo" in page.text
