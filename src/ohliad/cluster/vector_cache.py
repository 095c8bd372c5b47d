"""An embedder whose vectors are kept on disk (``ohliad.store.vectors``), so
that rebuilding the clusterer's index after a restart does not re-embed the
whole window."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ohliad.nlp.embedders import Embedder, Prefetcher, Vectors
from ohliad.store.vectors import VectorFile


class CachedEmbedder:
    """Wraps an embedder; same interface, vectors cached by text digest."""

    def __init__(self, embedder: Embedder, path: Path, retention_days: float = 30.0) -> None:
        self.name = embedder.name
        self.dim = embedder.dim
        self.worth_caching = False  # already cached
        self._embedder = embedder
        self._vectors = VectorFile(path, retention_days)

    def prefetch(self, texts: Sequence[str]) -> None:
        # Texts about to be ingested are new, so they are not looked up here
        # (the lookup would also need this thread's connection).
        if isinstance(self._embedder, Prefetcher):
            self._embedder.prefetch(texts)

    def embed(self, texts: Sequence[str]) -> Vectors:
        digests = [hashlib.blake2b(t.encode(), digest_size=16).digest() for t in texts]
        found = self._vectors.lookup(self.name, digests)
        missing = [i for i, d in enumerate(digests) if d not in found]
        fresh = self._embedder.embed([texts[i] for i in missing])
        self._vectors.save(
            self.name,
            {digests[i]: vector for i, vector in zip(missing, fresh, strict=True)},
            used=list(found),
        )
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, digest in enumerate(digests):
            if digest in found:
                out[i] = found[digest]
        if missing:
            out[missing] = fresh
        return out
