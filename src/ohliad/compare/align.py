"""Cross-source alignment of claims: embedding similarity of the sentences with
their values masked (so that "7 killed" and "9 killed" align), plus the overlap
of the names and values they mention and of their content words (MiniLM does
not know that the ECB is the European Central Bank; shared names and figures do)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ohliad.compare.claims import Claim
from ohliad.nlp.embedders import Embedder

Matrix = npt.NDArray[np.float32]

# How much shared names and values, and shared content words, add to the cosine.
NAME_WEIGHT = 0.15
WORD_WEIGHT = 0.2


# Sentence vectors by (embedder, text): a story is compared again each time an
# article joins it, and its old sentences need not be embedded again.
_VECTOR_CACHE: OrderedDict[tuple[str, str], npt.NDArray[np.float32]] = OrderedDict()
_VECTOR_CACHE_SIZE = 20_000
_VECTOR_LOCK = threading.Lock()  # the web app may compare stories in several threads


def _embed(embedder: Embedder, texts: Sequence[str]) -> Matrix:
    with _VECTOR_LOCK:
        missing = list(dict.fromkeys(t for t in texts if (embedder.name, t) not in _VECTOR_CACHE))
    vectors = embedder.embed(missing)  # embedders return an empty matrix for no texts
    with _VECTOR_LOCK:
        for text, vector in zip(missing, vectors, strict=True):
            _VECTOR_CACHE[(embedder.name, text)] = vector
        rows = []
        for text in texts:
            _VECTOR_CACHE.move_to_end((embedder.name, text))
            rows.append(_VECTOR_CACHE[(embedder.name, text)])
        while len(_VECTOR_CACHE) > _VECTOR_CACHE_SIZE:
            _VECTOR_CACHE.popitem(last=False)
    return np.stack(rows).astype(np.float32)


def clear_vector_cache() -> None:
    """Forget cached sentence vectors (to free memory, or to time a cold run)."""
    with _VECTOR_LOCK:
        _VECTOR_CACHE.clear()


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def _unrelated_sources(claims: Sequence[Claim]) -> set[tuple[int, int]]:
    """Pairs of sources that share no name: they do not report the same event
    (the story's grouping went wrong), so their claims are never aligned."""
    names: dict[int, set[str]] = {}
    for claim in claims:
        names.setdefault(claim.source, set()).update(claim.entities)
    unrelated = set()
    for s, names_s in names.items():
        for t, names_t in names.items():
            if s < t and names_s and names_t and not names_s & names_t:
                unrelated.add((s, t))
    return unrelated


def alignment_scores(claims: Sequence[Claim], embedder: Embedder) -> Matrix:
    """Pairwise alignment scores; pairs from the same source, or from sources
    that do not report the same event, score -1."""
    n = len(claims)
    if n == 0:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = _embed(embedder, [c.masked for c in claims])
    scores = (vectors @ vectors.T).astype(np.float32)
    unrelated = _unrelated_sources(claims)
    for i in range(n):
        for j in range(i + 1, n):
            pair = tuple(sorted((claims[i].source, claims[j].source)))
            if claims[i].source == claims[j].source or pair in unrelated:
                scores[i, j] = scores[j, i] = -1.0
                continue
            a, b = claims[i], claims[j]
            bonus = NAME_WEIGHT * _jaccard(a.entities | a.values, b.entities | b.values)
            bonus += WORD_WEIGHT * _jaccard(a.lemmas, b.lemmas)
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
