"""The same search and filters on PostgreSQL (tsvector, GIN indexes of migration
0002), on a throwaway server started for these tests. Set
OHLIAD_TEST_POSTGRES_URL to use an existing empty database instead."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from ohliad.store import Store
from ohliad.store.search import Filters, find_articles, find_stories
from ohliad.web import WebSettings, create_app
from tests.web.conftest import build_digest_store

pytest.importorskip("psycopg", reason="needs psycopg (pip install 'ohliad[postgres]')")


def _server_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None


def _as_server_user() -> list[str]:
    """PostgreSQL refuses to run as root: run it as the postgres user then."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no postgres user to run PostgreSQL as")
    return ["runuser", "-u", "postgres", "--"]


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)}: {done.stderr.strip() or done.stdout.strip()}")


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    if url := os.environ.get("OHLIAD_TEST_POSTGRES_URL"):
        yield url
        return
    initdb, pg_ctl = _server_binary("initdb"), _server_binary("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found")
    prefix = _as_server_user()
    # Not under pytest's tmp folder: the server user must be able to reach it.
    with tempfile.TemporaryDirectory(prefix="ohliad-pg-") as folder:
        root = Path(folder)
        if prefix:
            shutil.chown(root, user="postgres")
        data = root / "data"
        _run([*prefix, initdb, "-D", str(data), "-A", "trust", "-U", "ohliad"])
        # A Unix socket in the private folder only: no TCP port to collide with.
        options = f"-k {root} -c listen_addresses=''"
        _run(
            [
                *prefix,
                pg_ctl,
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(root / "log"),
                "-w",
                "start",
            ]
        )
        try:
            yield f"postgresql+psycopg://ohliad@/postgres?host={root}"
        finally:
            _run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"])


@pytest.fixture(scope="module")
def pg_store(postgres_url: str) -> Iterator[Store]:
    store = build_digest_store(postgres_url)
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
