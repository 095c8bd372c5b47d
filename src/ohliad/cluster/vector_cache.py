"""An on-disk cache of sentence vectors, so that rebuilding the clusterer's
index after a restart does not re-embed the whole window.

SQLite gives atomic writes for free: a run killed mid-batch leaves the cache
as it was before the batch. Rows unused for ``retention_days`` are dropped.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ohliad.nlp.embedders import Embedder, Prefetcher, Vectors

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


class CachedEmbedder:
    """Wraps an embedder; same interface, vectors cached by text digest."""

    def __init__(self, embedder: Embedder, path: Path, retention_days: float = 30.0) -> None:
        self.name = embedder.name
        self.dim = embedder.dim
        self.worth_caching = False  # already cached
        self._embedder = embedder
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.executescript(_SCHEMA)
        self._db.execute(
            "DELETE FROM vectors WHERE used < ?", (time.time() - retention_days * 86_400,)
        )
        self._db.commit()

    def prefetch(self, texts: Sequence[str]) -> None:
        # Texts about to be ingested are new, so they are not looked up here
        # (the lookup would also need this thread's connection).
        if isinstance(self._embedder, Prefetcher):
            self._embedder.prefetch(texts)

    def embed(self, texts: Sequence[str]) -> Vectors:
        digests = [hashlib.blake2b(t.encode(), digest_size=16).digest() for t in texts]
        found = self._lookup(digests)
        missing = [i for i, d in enumerate(digests) if d not in found]
        fresh = self._embedder.embed([texts[i] for i in missing])
        now = time.time()
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)",
                [
                    (self.name, digests[i], vector.tobytes(), now)
                    for i, vector in zip(missing, fresh, strict=True)
                ],
            )
            self._db.executemany(
                "UPDATE vectors SET used = ? WHERE model = ? AND digest = ?",
                [(now, self.name, d) for d in found],
            )
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, digest in enumerate(digests):
            if digest in found:
                out[i] = found[digest]
        if missing:
            out[missing] = fresh
        return out

    def _lookup(self, digests: Sequence[bytes]) -> dict[bytes, Vectors]:
        found: dict[bytes, Vectors] = {}
        unique = list(dict.fromkeys(digests))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT digest, vector FROM vectors WHERE model = ? AND digest IN ({marks})",
                [self.name, *chunk],
            )
            for digest, blob in rows:
                found[digest] = np.frombuffer(blob, dtype=np.float32)
        return found
