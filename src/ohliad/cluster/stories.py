"""Open stories in memory and how similar two of them are.

Two stories are as similar as their articles are on average (group-average
linkage): the mean, over all pairs of one article from each, of the calibrated
score. A story's centroid would drift toward whatever its articles share, so
each article that joined would make the next same-topic article look closer
and separate events would chain into one; an average over the members does not
inflate as a story loosens. Each story keeps sums of its members' unit vectors,
which gives the mean in one dot product. An article is scored as a one-article
story, so joining and merging use the same formula (``similarity``).
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
# Cached idf values are refreshed once the window has grown by 1/32.
_IDF_STALENESS = 32


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
        # idf moves slowly, so values are cached and refreshed every so often.
        self._idf: dict[str, float] = {}
        self._refreshed_at = 0

    def add(self, keys: Iterable[str], time: float | None) -> None:
        day = int((time or 0.0) // _DAY)
        distinct = set(keys)
        self._days.setdefault(day, Counter()).update(distinct)
        self._day_docs[day] += 1
        self.counts.update(distinct)
        self.documents += 1
        if self.documents - self._refreshed_at > self.documents // _IDF_STALENESS:
            self._refresh()

    def forget_before(self, time: float) -> None:
        cutoff = int(time // _DAY)
        for day in [d for d in self._days if d < cutoff]:
            self.counts.subtract(self._days.pop(day))
            self.documents -= self._day_docs.pop(day)
        self.counts = +self.counts  # drop zero counts
        self._refresh()

    def _refresh(self) -> None:
        self._idf.clear()
        self._refreshed_at = self.documents

    def idf(self, key: str) -> float:
        value = self._idf.get(key)
        if value is None:
            value = math.log((1 + self.documents) / (1 + self.counts.get(key, 0))) + 1.0
            self._idf[key] = value
        return value

    def unit_vector(self, counts: Mapping[str, int]) -> dict[str, float]:
        """The tf-idf vector of ``counts``, unit length, under today's idf."""
        idf = self.idf
        weighted = {key: count * idf(key) for key, count in counts.items()}
        norm = math.sqrt(sum(value * value for value in weighted.values()))
        return {key: value / norm for key, value in weighted.items()} if norm else {}


def sparse_dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(value * b[key] for key, value in a.items() if key in b)


class StoryState:
    """The running profile of one open story: sums of its members' unit
    vectors (embedding, tf-idf of terms, idf-weighted entities), its time span
    and the ANN keys of its articles.

    A member's tf-idf vector is weighted with the idf of the day it arrived:
    idf moves slowly, and re-weighting every member on every change would cost
    more than all the rest of the scoring.
    """

    __slots__ = ("article_keys", "entities", "first_time", "key", "last_time", "terms", "vector")

    def __init__(
        self,
        key: str,
        features: ArticleFeatures,
        article_key: int,
        terms_df: WindowedFrequencies,
        entities_df: WindowedFrequencies,
    ) -> None:
        self.key = key
        self.vector: Vectors = features.vector.astype(np.float32, copy=True)
        self.terms = terms_df.unit_vector(features.terms)
        self.entities = entities_df.unit_vector(dict.fromkeys(features.entities, 1))
        self.first_time = features.time
        self.last_time = features.time
        self.article_keys = [article_key]

    @property
    def size(self) -> int:
        return len(self.article_keys)

    def absorb(self, other: StoryState) -> None:
        """Take ``other``'s articles; ``other`` is discarded afterwards."""
        self.vector += other.vector
        self.terms = _summed(self.terms, other.terms)
        self.entities = _summed(self.entities, other.entities)
        self.article_keys.extend(other.article_keys)
        times = [t for t in (self.first_time, other.first_time) if t is not None]
        self.first_time = min(times) if times else None
        times = [t for t in (self.last_time, other.last_time) if t is not None]
        self.last_time = max(times) if times else None


def _summed(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    """``a + b``, adding the smaller into the larger in place."""
    if len(a) < len(b):
        a, b = b, a
    for key, value in b.items():
        a[key] = a.get(key, 0.0) + value
    return a


def hours_apart(a: StoryState, b: StoryState) -> float:
    """Hours between two time spans (0 when they overlap or a date is missing)."""
    if None in (a.first_time, a.last_time, b.first_time, b.last_time):
        return 0.0
    assert a.first_time is not None and a.last_time is not None
    assert b.first_time is not None and b.last_time is not None
    gap = max(a.first_time - b.last_time, b.first_time - a.last_time, 0.0)
    return gap / 3600.0


def similarity_bound(config: ClusterConfig, embedding: float, hours: float) -> float:
    """The highest score two stories can reach given their mean embedding
    cosine and the hours between them (term and entity cosines at most 1)."""
    return (
        config.weight_embedding * embedding
        + max(config.weight_terms, 0.0)
        + max(config.weight_entities, 0.0)
        - config.weight_time * hours / config.window_hours
    )


def similarity(a: StoryState, b: StoryState, config: ClusterConfig) -> float:
    """The calibrated score of ``ClusterConfig``, averaged over all pairs of
    one article from each story."""
    pairs = a.size * b.size
    return (
        config.weight_embedding * float(np.dot(a.vector, b.vector)) / pairs
        + config.weight_terms * sparse_dot(a.terms, b.terms) / pairs
        + config.weight_entities * sparse_dot(a.entities, b.entities) / pairs
        - config.weight_time * hours_apart(a, b) / config.window_hours
    )
