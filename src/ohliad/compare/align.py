"""Cross-source alignment of claims: embedding similarity of the sentences with
their values masked (so that "7 killed" and "9 killed" align) plus the overlap
of the names they mention."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ohliad.compare.claims import Claim
from ohliad.nlp.embedders import Embedder

Matrix = npt.NDArray[np.float32]

# How much shared names add to the embedding cosine.
ENTITY_WEIGHT = 0.15


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def alignment_scores(claims: Sequence[Claim], embedder: Embedder) -> Matrix:
    """Pairwise alignment scores; pairs from the same source score -1."""
    n = len(claims)
    if n == 0:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = embedder.embed([c.masked for c in claims])
    scores = (vectors @ vectors.T).astype(np.float32)
    for i in range(n):
        for j in range(i + 1, n):
            if claims[i].source == claims[j].source:
                scores[i, j] = scores[j, i] = -1.0
                continue
            bonus = ENTITY_WEIGHT * _jaccard(claims[i].entities, claims[j].entities)
            scores[i, j] = scores[j, i] = scores[i, j] + bonus
    np.fill_diagonal(scores, -1.0)
    return scores


def aligned_pairs(
    claims: Sequence[Claim], scores: Matrix, threshold: float
) -> list[tuple[int, int]]:
    """Index pairs (i < j) from different sources scoring at least ``threshold``,
    best first."""
    rows, cols = np.nonzero(np.triu(scores >= threshold, k=1))
    pairs = [(int(i), int(j)) for i, j in zip(rows, cols, strict=True)]
    return sorted(pairs, key=lambda p: -float(scores[p]))
