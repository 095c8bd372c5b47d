"""The writers' lock of a database: one process at a time stores and groups
articles, so that two writers (an ``ohliad ingest`` beside the watcher, two
ingests with overlapping inputs) neither collide on the same article nor
group against stories the other has changed under them.

It is held around a whole ``Pipeline.ingest`` call, across its per-batch
transactions, and while a database's schema is created or upgraded; it is
released when its process dies: a file lock (``flock``)
beside a SQLite file, a session-level advisory lock on PostgreSQL. Readers
(the web app, the comparison process) never take it.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text

from ohliad.store.db import sqlite_file

# Any number would do, as long as every ohliad process uses the same one.
_ADVISORY_KEY = 0x6F686C6961640001  # "ohliad", 1


@contextmanager
def writer_lock(engine: Engine) -> Iterator[None]:
    """Hold the database's writers' lock, waiting for it if another process has it."""
    backend = engine.url.get_backend_name()
    if backend == "postgresql":
        connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        with connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _ADVISORY_KEY})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _ADVISORY_KEY})
        return
    database = sqlite_file(engine.url)
    if database is None:
        yield  # one connection, one process: nobody to wait for
        return
    with database.with_name(database.name + ".lock").open("a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
