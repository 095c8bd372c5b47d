"""Storage: SQLite by default, PostgreSQL through the same code (SQLAlchemy + Alembic)."""

from ohliad.store.db import (
    DatabaseError,
    DatabaseWriteError,
    database_url,
    default_database_url,
    is_transient,
    state_dir_for,
)
from ohliad.store.repository import (
    Store,
    StoredStory,
    StoreOpener,
    Transaction,
    content_hash,
)
from ohliad.store.watchlist import FeedStats, FeedStore

__all__ = [
    "DatabaseError",
    "DatabaseWriteError",
    "FeedStats",
    "FeedStore",
    "Store",
    "StoreOpener",
    "StoredStory",
    "Transaction",
    "content_hash",
    "database_url",
    "default_database_url",
    "is_transient",
    "state_dir_for",
]
