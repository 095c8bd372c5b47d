"""A throwaway PostgreSQL server for the tests, started from Debian's server
binaries on a Unix socket in a private folder (no TCP port to collide with).
Set OHLIAD_TEST_POSTGRES_URL to use an existing server instead."""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text


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


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of the server's default database."""
    pytest.importorskip("psycopg", reason="needs psycopg (pip install 'ohliad[postgres]')")
    if url := os.environ.get("OHLIAD_TEST_POSTGRES_URL"):
        yield url
        return
    initdb, pg_ctl = _server_binary("initdb"), _server_binary("pg_ctl")
    if not initdb or not pg_ctl:
        missing = "PostgreSQL server binaries (initdb, pg_ctl) not found"
        if os.environ.get("OHLIAD_TEST_REQUIRE_SERVICES"):
            pytest.fail(missing)  # CI installs them: a skip there would hide the tests
        pytest.skip(missing)
    prefix = _as_server_user()
    # Not under pytest's tmp folder: the server user must be able to reach it.
    with tempfile.TemporaryDirectory(prefix="ohliad-pg-") as folder:
        root = Path(folder)
        if prefix:
            shutil.chown(root, user="postgres")
        data = root / "data"
        _run([*prefix, initdb, "-D", str(data), "-A", "trust", "-U", "ohliad"])
        options = f"-k {root} -c listen_addresses=''"
        start = [pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]
        _run([*prefix, *start])
        try:
            yield f"postgresql+psycopg://ohliad@/postgres?host={root}"
        finally:
            _run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"])


_numbers = itertools.count()


@pytest.fixture
def new_postgres_database(postgres_server: str) -> Callable[[], str]:
    """Makes new, empty databases on the test server: each call, one more."""

    def create() -> str:
        name = f"ohliad_test_{os.getpid()}_{next(_numbers)}"
        engine = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return postgres_server.replace("/postgres?", f"/{name}?")

    return create
