"""An on-disk store of sentence vectors by model and text digest, so that
rebuilding the clusterer's index after a restart does not re-embed the whole
window (``ohliad.cluster.vector_cache.CachedEmbedder`` reads and fills it).

A SQLite file of its own beside the database (``state_dir_for``), whatever the
database is: vectors are a cache, not data, and a PostgreSQL server need not
hold them. SQLite gives atomic writes for free: a run killed mid-batch leaves
the file as it was before the batch. Rows unused for ``retention_days`` are
dropped when the file is opened.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    model TEXT NOT NULL,
    digest BLOB NOT NULL,
    vector BLOB NOT NULL,
    used REAL NOT NULL,
    PRIMARY KEY (model, digest)
);
CREATE INDEX IF NOT EXISTS vectors_used ON vectors (used);
"""
# Bound parameters per query: older SQLite builds allow 999.
_QUERY_CHUNK = 500

Vector = npt.NDArray[np.float32]


class VectorFile:
    """Vectors by (model, digest) in one SQLite file. A connection is bound to
    the thread that opened it: use one ``VectorFile`` per thread."""

    def __init__(self, path: Path, retention_days: float = 30.0) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.executescript(_SCHEMA)
        self._db.execute(
            "DELETE FROM vectors WHERE used < ?", (time.time() - retention_days * 86_400,)
        )
        self._db.commit()

    def lookup(self, model: str, digests: Sequence[bytes]) -> dict[bytes, Vector]:
        """The stored vectors among ``digests``."""
        found: dict[bytes, Vector] = {}
        unique = list(dict.fromkeys(digests))
        for start in range(0, len(unique), _QUERY_CHUNK):
            chunk = unique[start : start + _QUERY_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT digest, vector FROM vectors WHERE model = ? AND digest IN ({marks})",
                [model, *chunk],
            )
            for digest, blob in rows:
                found[digest] = np.frombuffer(blob, dtype=np.float32)
        return found

    def save(self, model: str, fresh: Mapping[bytes, Vector], used: Sequence[bytes]) -> None:
        """Store ``fresh`` vectors and mark ``used`` ones as used now, in one transaction."""
        now = time.time()
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)",
                [(model, digest, vector.tobytes(), now) for digest, vector in fresh.items()],
            )
            self._db.executemany(
                "UPDATE vectors SET used = ? WHERE model = ? AND digest = ?",
                [(now, model, digest) for digest in used],
            )
