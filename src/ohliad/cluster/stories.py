"""Open stories in memory and how similar two of them are.

An article is scored as a one-article story, so joining and merging use the
same formula (``similarity``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np

from ohliad.cluster.config import ClusterConfig
from ohliad.cluster.features import ArticleFeatures
from ohliad.nlp.embedders import Vectors

_DAY = 86_400.0


class WindowedFrequencies:
    """Document frequencies over the articles of the current window.

    Counts are kept per day so that a day's counts can be subtracted when it
    leaves the window: memory is bounded by the window, not by history.
    """

    def __init__(self) -> None:
        self._days: dict[int, Counter[str]] = {}
        self._day_docs: Counter[int] = Counter()
        self.counts: Counter[str] = Counter()
        self.documents = 0

    def add(self, keys: Iterable[str], time: float | None) -> None:
        day = int((time or 0.0) // _DAY)
        distinct = set(keys)
        self._days.setdefault(day, Counter()).update(distinct)
        self._day_docs[day] += 1
        self.counts.update(distinct)
        self.documents += 1

    def forget_before(self, time: float) -> None:
        cutoff = int(time // _DAY)
        for day in [d for d in self._days if d < cutoff]:
            self.counts.subtract(self._days.pop(day))
            self.documents -= self._day_docs.pop(day)
        self.counts = +self.counts  # drop zero counts

    def idf(self, key: str) -> float:
        return math.log((1 + self.documents) / (1 + self.counts.get(key, 0))) + 1.0


def weighted_cosine(a: Mapping[str, int], b: Mapping[str, int], df: WindowedFrequencies) -> float:
    """Cosine of tf-idf vectors (with the given document frequencies)."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    idf = {key: df.idf(key) for key in set(a) | set(b)}
    dot = sum(count * b[key] * idf[key] ** 2 for key, count in a.items() if key in b)
    if dot == 0:
        return 0.0
    norm_a = math.sqrt(sum((count * idf[key]) ** 2 for key, count in a.items()))
    norm_b = math.sqrt(sum((count * idf[key]) ** 2 for key, count in b.items()))
    return dot / (norm_a * norm_b)


class StoryState:
    """The running profile of one open story: summed vectors, term and entity
    counts, time span and the ANN keys of its articles."""

    __slots__ = ("article_keys", "entities", "first_time", "key", "last_time", "terms", "vector")

    def __init__(self, key: str, features: ArticleFeatures, article_key: int) -> None:
        self.key = key
        self.vector: Vectors = features.vector.astype(np.float32, copy=True)
        self.terms: Counter[str] = Counter(features.terms)
        self.entities: Counter[str] = Counter(features.entities)
        self.first_time = features.time
        self.last_time = features.time
        self.article_keys = [article_key]

    @property
    def size(self) -> int:
        return len(self.article_keys)

    def centroid(self) -> Vectors:
        norm = float(np.linalg.norm(self.vector))
        return self.vector / norm if norm else self.vector

    def absorb(self, other: StoryState) -> None:
        self.vector += other.vector
        self.terms.update(other.terms)
        self.entities.update(other.entities)
        self.article_keys.extend(other.article_keys)
        times = [t for t in (self.first_time, other.first_time) if t is not None]
        self.first_time = min(times) if times else None
        times = [t for t in (self.last_time, other.last_time) if t is not None]
        self.last_time = max(times) if times else None


def hours_apart(a: StoryState, b: StoryState) -> float:
    """Hours between two time spans (0 when they overlap or a date is missing)."""
    if None in (a.first_time, a.last_time, b.first_time, b.last_time):
        return 0.0
    assert a.first_time is not None and a.last_time is not None
    assert b.first_time is not None and b.last_time is not None
    gap = max(a.first_time - b.last_time, b.first_time - a.last_time, 0.0)
    return gap / 3600.0


def similarity(
    a: StoryState,
    b: StoryState,
    config: ClusterConfig,
    terms_df: WindowedFrequencies,
    entities_df: WindowedFrequencies,
) -> float:
    """The calibrated score of ``ClusterConfig`` for two stories."""
    embedding = float(np.dot(a.centroid(), b.centroid()))
    return (
        config.weight_embedding * embedding
        + config.weight_terms * weighted_cosine(a.terms, b.terms, terms_df)
        + config.weight_entities * weighted_cosine(a.entities, b.entities, entities_df)
        - config.weight_time * hours_apart(a, b) / config.window_hours
    )
