"""Opening a database: SQLite by default, any SQLAlchemy URL (PostgreSQL)
through the same code. Opening also brings the schema up to date with Alembic."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from ohliad.errors import OhliadError

MIGRATIONS = Path(__file__).with_name("migrations")


class DatabaseError(OhliadError, RuntimeError):
    """A database could not be opened or migrated; the message names it."""


def default_database_url() -> str:
    data_dir = Path(platformdirs.user_data_dir("ohliad"))
    return f"sqlite:///{data_dir / 'ohliad.db'}"


# "sqlite:/news.db", "postgresql:host": a scheme without its "//" (a drive
# letter, "C:", is one character and stays a path).
_HALF_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:(?!//)")


def database_url(db: str | None) -> str:
    """``--db`` accepts a SQLAlchemy URL or a plain file path (SQLite); a
    malformed URL is a DatabaseError, not a file of that name."""
    if not db:
        return default_database_url()
    if "://" in db:
        try:
            make_url(db)
        except ArgumentError:
            raise DatabaseError(f"not a database URL: {db!r}") from None
        return db
    if _HALF_URL.match(db):
        raise DatabaseError(
            f"malformed database URL {db!r}: write sqlite:///path/to/file.db (three slashes "
            "for a path), postgresql+psycopg://user@host/name, or a plain file path"
        )
    return f"sqlite:///{Path(db).expanduser().absolute()}"


def sqlite_file(url: str | URL) -> Path | None:
    """The file of a SQLite database URL, ``file:`` URIs (``?uri=true``)
    included; None for another database or an in-memory one."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        path = urlsplit(database).path
        return Path(path) if path and path != ":memory:" else None
    return Path(database)


def state_dir_for(url: str) -> Path:
    """A folder for caches that belong with a database: beside a SQLite file,
    else in the user cache folder under the database's name."""
    parsed = make_url(url)
    if (database := sqlite_file(parsed)) is not None:
        return database.with_name(database.name + ".state")
    name = f"{parsed.get_backend_name()}-{parsed.host or 'local'}-{parsed.database or 'default'}"
    return Path(platformdirs.user_cache_dir("ohliad")) / name


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (the web app) work while a writer (the watcher) runs,
    # and keeps committed transactions safe when the process is killed.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# The extra that installs each database's driver.
_DRIVER_EXTRAS = {"postgresql": "postgres"}


def create_database_engine(url: str | URL) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if (path := sqlite_file(parsed)) is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except (ImportError, NoSuchModuleError) as exc:
        backend = parsed.get_backend_name()
        extra = _DRIVER_EXTRAS.get(backend)
        install = f"pip install 'ohliad[{extra}]'" if extra else "install its SQLAlchemy driver"
        raise DatabaseError(
            f"no driver for {parsed.drivername} databases ({exc}): {install}"
        ) from None


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Apply pending migrations (idempotent)."""
    try:
        command.upgrade(alembic_config(engine), "head")
    except Exception as exc:
        # The driver's own message, first line: SQLAlchemy adds a link and the SQL.
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DatabaseError(
            f"cannot open database {engine.url.render_as_string(hide_password=True)}: {reason}"
        ) from exc


# Errors a retry can mend: another writer held the database longer than the
# busy timeout (SQLite), or a serialization failure or deadlock (PostgreSQL).
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
_TRANSIENT_SQLITE = ("database is locked", "database table is locked")


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` is one a transaction may simply be run again after."""
    if not isinstance(error, OperationalError | DBAPIError):
        return False
    cause = error.orig
    if getattr(cause, "sqlstate", None) in _TRANSIENT_SQLSTATES:
        return True
    return any(message in str(cause) for message in _TRANSIENT_SQLITE)


class DatabaseWriteError(DatabaseError):
    """The database cannot be written to (a full disk, a read-only database):
    what is stored can still be read."""


_FULL_OR_READ_ONLY_SQLSTATES = frozenset({"53100", "25006"})  # disk_full, read-only
_FULL_OR_READ_ONLY_SQLITE = (
    "database or disk is full",
    "attempt to write a readonly database",
    "disk I/O error",
)


def write_failure(error: BaseException) -> str | None:
    """Why the database cannot be written to, if ``error`` says it cannot."""
    if not isinstance(error, OperationalError | DBAPIError):
        return None
    cause = error.orig
    if getattr(cause, "sqlstate", None) in _FULL_OR_READ_ONLY_SQLSTATES:
        return str(cause).splitlines()[0]
    return next((m for m in _FULL_OR_READ_ONLY_SQLITE if m in str(cause)), None)
