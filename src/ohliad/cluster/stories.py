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
        self.generation = 0
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
        self.generation += 1
        self._refreshed_at = self.documents

    def idf(self, key: str) -> float:
        value = self._idf.get(key)
        if value is None:
            value = math.log((1 + self.documents) / (1 + self.counts.get(key, 0))) + 1.0
            self._idf[key] = value
        return value


def idf_norm(vector: Mapping[str, int], df: WindowedFrequencies) -> float:
    idf = df.idf
    return math.sqrt(sum((count * idf(key)) ** 2 for key, count in vector.items()))


def weighted_cosine(
    a: Mapping[str, int],
    b: Mapping[str, int],
    df: WindowedFrequencies,
    norms: tuple[float, float],
) -> float:
    """Cosine of tf-idf vectors, given their norms under the same frequencies."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    idf = df.idf
    dot = sum(count * b[key] * idf(key) ** 2 for key, count in a.items() if key in b)
    return dot / (norms[0] * norms[1]) if dot else 0.0


class StoryState:
    """The running profile of one open story: summed vectors, term and entity
    counts, time span and the ANN keys of its articles."""

    __slots__ = (
        "_norms",
        "article_keys",
        "entities",
        "first_time",
        "key",
        "last_time",
        "terms",
        "unit",
        "vector",
    )

    def __init__(self, key: str, features: ArticleFeatures, article_key: int) -> None:
        self.key = key
        self.vector: Vectors = features.vector.astype(np.float32, copy=True)
        self.unit: Vectors = features.vector  # the centroid, unit length
        self.terms: Counter[str] = Counter(features.terms)
        self.entities: Counter[str] = Counter(features.entities)
        self.first_time = features.time
        self.last_time = features.time
        self.article_keys = [article_key]
        # tf-idf norms, by attribute, with the (frequencies generation, size) they hold for.
        self._norms: dict[str, tuple[int, int, float]] = {}

    @property
    def size(self) -> int:
        return len(self.article_keys)

    def norm(self, attribute: str, df: WindowedFrequencies) -> float:
        """The tf-idf norm of ``terms`` or ``entities``, cached while valid."""
        cached = self._norms.get(attribute)
        if cached is not None and cached[:2] == (df.generation, self.size):
            return cached[2]
        value = idf_norm(getattr(self, attribute), df)
        self._norms[attribute] = (df.generation, self.size, value)
        return value

    def absorb(self, other: StoryState) -> None:
        self.vector += other.vector
        norm = float(np.linalg.norm(self.vector))
        self.unit = self.vector / norm if norm else self.vector
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


def similarity_bound(config: ClusterConfig, embedding: float, hours: float) -> float:
    """The highest score two stories can reach given their embedding cosine and
    the hours between them (term and entity cosines at most 1)."""
    return (
        config.weight_embedding * embedding
        + max(config.weight_terms, 0.0)
        + max(config.weight_entities, 0.0)
        - config.weight_time * hours / config.window_hours
    )


def similarity(
    a: StoryState,
    b: StoryState,
    config: ClusterConfig,
    terms_df: WindowedFrequencies,
    entities_df: WindowedFrequencies,
) -> float:
    """The calibrated score of ``ClusterConfig`` for two stories."""
    embedding = float(np.dot(a.unit, b.unit))
    terms = weighted_cosine(
        a.terms, b.terms, terms_df, (a.norm("terms", terms_df), b.norm("terms", terms_df))
    )
    entities = weighted_cosine(
        a.entities,
        b.entities,
        entities_df,
        (a.norm("entities", entities_df), b.norm("entities", entities_df)),
    )
    return (
        config.weight_embedding * embedding
        + config.weight_terms * terms
        + config.weight_entities * entities
        - config.weight_time * hours_apart(a, b) / config.window_hours
    )
