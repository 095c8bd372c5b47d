"""Cross-source alignment of claims: embedding similarity of the sentences with
their values masked (so that "7 killed" and "9 killed" align), plus the overlap
of the names and values they mention and of their content words (MiniLM does
not know that the ECB is the European Central Bank; shared names and figures do)."""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
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


def embed_sentences(embedder: Embedder, texts: Sequence[str]) -> Matrix:
    """The texts' vectors, those not embedded lately in one call."""
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
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


def _jaccards(sets: Sequence[frozenset[str]]) -> npt.NDArray[np.float64]:
    """Pairwise Jaccard overlaps of ``sets`` (0 where both are empty)."""
    counts = Counter(item for found in sets for item in found)
    # Only items in two sets or more can be shared.
    column = {item: k for k, item in enumerate(i for i, c in counts.items() if c >= 2)}
    member = np.zeros((len(sets), len(column) or 1))
    for row, found in enumerate(sets):
        member[row, [column[item] for item in found if item in column]] = 1.0
    shared = member @ member.T  # whole counts, so exact
    sizes = np.array([len(found) for found in sets], dtype=np.float64)
    union = sizes[:, None] + sizes[None, :] - shared
    return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)


def alignment_scores(claims: Sequence[Claim], embedder: Embedder) -> Matrix:
    """Pairwise alignment scores; pairs from the same source score -1.

    Sources are not kept apart for sharing no name (as they were before issue
    19): real reports of one event name its bodies differently ("the Labor
    Department" / "the Department of Labor"), and content words cannot tell
    them from other stories either (a Jaccard of 0.05 to 0.09 between the
    reports of one AllSides story, up to 0.21 between stories on one topic)."""
    n = len(claims)
    if n == 0:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = embed_sentences(embedder, [c.masked for c in claims])
    bonus = NAME_WEIGHT * _jaccards([c.entities | c.values for c in claims])
    bonus += WORD_WEIGHT * _jaccards([c.lemmas for c in claims])
    combined = (vectors @ vectors.T).astype(np.float32) + bonus.astype(np.float32)
    # One value per pair, from the upper triangle, so the scores are symmetric.
    upper = np.triu_indices(n, k=1)
    scores = np.empty((n, n), dtype=np.float32)
    scores[upper] = combined[upper]
    scores.T[upper] = combined[upper]
    sources = np.array([c.source for c in claims])
    scores[sources[:, None] == sources[None, :]] = -1.0
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
