"""Open stories in memory and how similar two of them are.

Two stories are as similar as their articles are on average (group-average
linkage): the mean, over all pairs of one article from each, of the calibrated
score. A story's centroid would drift toward whatever its articles share, so
each article that joined would make the next same-topic article look closer
and separate events would chain into one; an average over the members does not
inflate as a story loosens. Each story keeps sums of its members' unit vectors,
which gives the mean in one dot product, so the learned score (linear in those
means) costs the same for a story of fifty as for one article. An article is
scored as a one-article story, so joining, merging and splitting use the same
formula (``similarity``).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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
        counts = self.counts
        for day in [d for d in self._days if d < cutoff]:
            self.documents -= self._day_docs.pop(day)
            # Only the day's own keys can fall to zero: rebuilding the whole
            # window's counts instead was 1.3% of the backfill writer's
            # cProfile. One pass, not Counter.subtract's and then a second.
            for key, count in self._days.pop(day).items():
                left = counts[key] - count
                if left > 0:
                    counts[key] = left
                else:
                    del counts[key]
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
    # The shared keys found by the sets' C loop, not a Python loop over the
    # smaller vector: 1.2-1.5x faster (a 120-term article against a 600-term
    # story, 50 against 50), and this is the grouping's hottest line. fsum:
    # the sum of a set's items in any order (it follows the per-process
    # string hash) rounds the same, so the same stream gives the same stories.
    return math.fsum([a[key] * b[key] for key in a.keys() & b.keys()])


def _added(into: dict[str, float], other: Mapping[str, float], sign: float = 1.0) -> None:
    for key, value in other.items():
        into[key] = into.get(key, 0.0) + sign * value


@dataclass(frozen=True, slots=True)
class Member:
    """One article's share of a story's sums: unit vectors of each feature.

    Its tf-idf vectors are weighted with the idf of the day it arrived: idf
    moves slowly, and re-weighting every member on every change would cost
    more than all the rest of the scoring. Kept while its story is open, so
    the story-level pass can score it against the rest of its story.
    """

    key: int
    lead: Vectors
    title: Vectors
    terms: Mapping[str, float]
    entities: Mapping[str, float]
    numbers: Mapping[str, float]
    time: float | None
    # 1 when the article mentions any number or date, and any day of the
    # month: reports of a recurring event (weekly claims, daily advances)
    # share the topic and differ in these, so two that both mention some and
    # share none are less likely one event (the score weighs the presence of
    # both against the ``numbers`` cosine).
    mentions_numbers: int
    mentions_days: int
    # The squared norms of terms, entities and numbers (1 or 0 up to
    # rounding; the exact values, as member_score subtracts them), kept:
    # member_score is called again and again for one member by the story-level
    # pass, and these were half its sparse dot products.
    sparse_norms: tuple[float, float, float]

    @classmethod
    def of(cls, key: int, features: ArticleFeatures, frequencies: Frequencies) -> Member:
        terms = frequencies.terms.unit_vector(features.terms)
        entities = frequencies.entities.unit_vector(dict.fromkeys(features.entities, 1))
        numbers = frequencies.numbers.unit_vector(dict.fromkeys(features.numbers, 1))
        return cls(
            key,
            features.lead,
            features.title,
            terms,
            entities,
            numbers,
            features.time,
            int(bool(features.numbers)),
            int(any(" " in number for number in features.numbers)),
            # fsum rounds a sum the same in any order: the values sparse_dot
            # of each vector with itself gives, without its key intersection.
            (
                math.fsum([value * value for value in terms.values()]),
                math.fsum([value * value for value in entities.values()]),
                math.fsum([value * value for value in numbers.values()]),
            ),
        )

    @property
    def vector(self) -> Vectors:
        """Its candidate-search vector (``ArticleFeatures.vector``)."""
        return np.concatenate([self.lead, self.title]) * np.float32(math.sqrt(0.5))


@dataclass(frozen=True, slots=True)
class Frequencies:
    """Document frequencies of the window, one table per sparse feature."""

    terms: WindowedFrequencies
    entities: WindowedFrequencies
    numbers: WindowedFrequencies

    @classmethod
    def empty(cls) -> Frequencies:
        return cls(WindowedFrequencies(), WindowedFrequencies(), WindowedFrequencies())

    def add(self, features: ArticleFeatures) -> None:
        self.terms.add(features.terms, features.time)
        self.entities.add(features.entities, features.time)
        self.numbers.add(features.numbers, features.time)

    def forget_before(self, time: float) -> None:
        for table in (self.terms, self.entities, self.numbers):
            table.forget_before(time)


# Every change of a story's members gives it a state number never used
# before: two stories' score is a function of their states, so a score can be
# reused while neither has changed (``OnlineClusterer``'s known scores).
_state_numbers = itertools.count()


class StoryState:
    """The running profile of one open story: sums of its members' unit
    vectors (both embeddings, tf-idf of terms, idf-weighted entities and
    numbers), its time span and its members' keys; ``state`` numbers its
    present members (see ``_state_numbers``)."""

    __slots__ = (
        "entities",
        "first_time",
        "key",
        "last_time",
        "lead",
        "members",
        "mentions_days",
        "mentions_numbers",
        "numbers",
        "state",
        "terms",
        "time_sum",
        "timed",
        "title",
    )

    def __init__(self, key: str, first: Member) -> None:
        self.key = key
        self.lead: Vectors = first.lead.astype(np.float32, copy=True)
        self.title: Vectors = first.title.astype(np.float32, copy=True)
        self.terms = dict(first.terms)
        self.entities = dict(first.entities)
        self.numbers = dict(first.numbers)
        self.first_time = first.time
        self.last_time = first.time
        # Sum and count of the members' times, for the mean time.
        self.time_sum = first.time or 0.0
        self.timed = int(first.time is not None)
        # How many members mention numbers, and days of the month.
        self.mentions_numbers = first.mentions_numbers
        self.mentions_days = first.mentions_days
        self.members: dict[int, Member] = {first.key: first}
        self.state = next(_state_numbers)

    @classmethod
    def of_member(cls, key: str, member: Member) -> StoryState:
        """A story of ``member`` alone, numbered by the member (every such
        story has the same sums): the story-level pass scores a member
        against its neighbours pass after pass."""
        story = cls(key, member)
        story.state = -1 - member.key
        return story

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def article_keys(self) -> list[int]:
        return list(self.members)

    @property
    def vector(self) -> Vectors:
        """The sum of the members' candidate-search vectors."""
        return np.concatenate([self.lead, self.title]) * np.float32(math.sqrt(0.5))

    def add(self, member: Member) -> None:
        self.lead += member.lead
        self.title += member.title
        _added(self.terms, member.terms)
        _added(self.entities, member.entities)
        _added(self.numbers, member.numbers)
        self.mentions_numbers += member.mentions_numbers
        self.mentions_days += member.mentions_days
        self.members[member.key] = member
        if member.time is not None:
            self.time_sum += member.time
            self.timed += 1
        self._widen(member.time, member.time)
        self.state = next(_state_numbers)

    def remove(self, member: Member) -> None:
        """Take one member out (the story must keep at least one)."""
        self.lead -= member.lead
        self.title -= member.title
        _added(self.terms, member.terms, -1.0)
        _added(self.entities, member.entities, -1.0)
        _added(self.numbers, member.numbers, -1.0)
        self.mentions_numbers -= member.mentions_numbers
        self.mentions_days -= member.mentions_days
        del self.members[member.key]
        if member.time is not None:
            self.time_sum -= member.time
            self.timed -= 1
        times = [m.time for m in self.members.values() if m.time is not None]
        self.first_time = min(times) if times else None
        self.last_time = max(times) if times else None
        self.state = next(_state_numbers)

    def absorb(self, other: StoryState) -> None:
        """Take ``other``'s members; ``other`` is discarded afterwards."""
        self.lead += other.lead
        self.title += other.title
        for mine, theirs in (
            (self.terms, other.terms),
            (self.entities, other.entities),
            (self.numbers, other.numbers),
        ):
            _added(mine, theirs)
        self.members.update(other.members)
        self.mentions_numbers += other.mentions_numbers
        self.mentions_days += other.mentions_days
        self.time_sum += other.time_sum
        self.timed += other.timed
        self._widen(other.first_time, other.last_time)
        self.state = next(_state_numbers)

    def _widen(self, first: float | None, last: float | None) -> None:
        times = [t for t in (self.first_time, first) if t is not None]
        self.first_time = min(times) if times else None
        times = [t for t in (self.last_time, last) if t is not None]
        self.last_time = max(times) if times else None


def mean_hours_apart(a: StoryState, b: StoryState) -> float:
    """Hours between the two stories' mean times (0 when either has none)."""
    if not a.timed or not b.timed:
        return 0.0
    return abs(a.time_sum / a.timed - b.time_sum / b.timed) / 3600.0


def hours_apart(a: StoryState, b: StoryState) -> float:
    """Hours between two time spans (0 when they overlap or a date is missing)."""
    if None in (a.first_time, a.last_time, b.first_time, b.last_time):
        return 0.0
    assert a.first_time is not None and a.last_time is not None
    assert b.first_time is not None and b.last_time is not None
    gap = max(a.first_time - b.last_time, b.first_time - a.last_time, 0.0)
    return gap / 3600.0


FEATURE_NAMES = (
    "title",
    "lead",
    "terms",
    "entities",
    "numbers",
    "numbers_present",
    "days_present",
    "size",
)


def pair_features(a: StoryState, b: StoryState, terms: float | None = None) -> tuple[float, ...]:
    """The mean of each feature over all pairs of one article from each story
    (the sums' dot product over the number of pairs), in ``FEATURE_NAMES``
    order; ``terms`` is the terms feature, where the caller has it already."""
    pairs = a.size * b.size
    return (
        float(np.dot(a.title, b.title)) / pairs,
        float(np.dot(a.lead, b.lead)) / pairs,
        sparse_dot(a.terms, b.terms) / pairs if terms is None else terms,
        sparse_dot(a.entities, b.entities) / pairs,
        sparse_dot(a.numbers, b.numbers) / pairs,
        a.mentions_numbers * b.mentions_numbers / pairs,
        a.mentions_days * b.mentions_days / pairs,
        math.log(pairs),
    )


def time_penalty(config: ClusterConfig, hours: float) -> float:
    """What the score loses for ``hours`` between two stories."""
    return config.weight_time * hours / config.window_hours


def untimed_bound(
    config: ClusterConfig, title: float, lead: float, pairs: int, terms: float | None = None
) -> float:
    """The highest score before the time penalty that two stories can reach
    given their mean embedding cosines and, when known, their terms cosine.
    Less ``time_penalty`` on the hours between their spans (never more than
    the mean times' distance), it bounds ``similarity``."""
    highest_terms, *sparse = _sparse_extremes(config, highest=True)
    features = (title, lead, highest_terms if terms is None else terms, *sparse, math.log(pairs))
    return _untimed_score(config, features)


def untimed_bounds(
    config: ClusterConfig, titles: np.ndarray, leads: np.ndarray, pairs: np.ndarray
) -> np.ndarray:
    """``untimed_bound`` of many candidates at once, from the embeddings alone
    (one array operation, not a call a candidate: most candidates end here)."""
    w = config.weights
    highest_terms, entities, numbers, numbers_present, days_present = _sparse_extremes(
        config, highest=True
    )
    rest = (
        w.terms * highest_terms
        + w.entities * entities
        + w.numbers * numbers
        + w.numbers_present * numbers_present
        + w.days_present * days_present
    )
    bounds: np.ndarray = (
        w.bias
        + w.title * titles.astype(np.float64)
        + w.lead * leads.astype(np.float64)
        + rest
        + w.size * np.log(pairs.astype(np.float64))
    )
    return bounds


def _sparse_extremes(
    config: ClusterConfig, *, highest: bool
) -> tuple[float, float, float, float, float]:
    """The terms, entities and numbers cosines and the two presence shares
    (each between 0 and 1) that make the score highest, or lowest."""
    w = config.weights
    # Spelled out: a generator here was 5% of the writer's time.
    if highest:
        return (
            float(w.terms > 0),
            float(w.entities > 0),
            float(w.numbers > 0),
            float(w.numbers_present > 0),
            float(w.days_present > 0),
        )
    return (
        float(w.terms <= 0),
        float(w.entities <= 0),
        float(w.numbers <= 0),
        float(w.numbers_present <= 0),
        float(w.days_present <= 0),
    )


def similarity(
    a: StoryState, b: StoryState, config: ClusterConfig, terms: float | None = None
) -> float:
    """The score of ``ScoreWeights`` (a log-odds) less the time penalty on
    the hours between the stories' mean times. The gap between their spans
    would shrink as a story widens, so one early or late member would pull
    it within reach of the day before's or after's events. ``terms``: as
    in ``pair_features``."""
    return untimed_similarity(a, b, config, terms) - time_penalty(config, mean_hours_apart(a, b))


def untimed_similarity(
    a: StoryState, b: StoryState, config: ClusterConfig, terms: float | None = None
) -> float:
    """``similarity`` before the time penalty."""
    return _untimed_score(config, pair_features(a, b, terms))


def member_score(story: StoryState, member: Member, config: ClusterConfig) -> float:
    """``member``'s score against the rest of ``story`` (which holds it): the
    story's sums less the member's own, without copying them."""
    untimed = untimed_member_score(story, member, config)
    return untimed - time_penalty(config, member_hours(story, member))


def untimed_member_score(story: StoryState, member: Member, config: ClusterConfig) -> float:
    """``member_score`` before the time penalty."""
    pairs = story.size - 1
    terms, entities, numbers = member.sparse_norms
    features = (
        *_member_dense_features(story, member),
        (sparse_dot(member.terms, story.terms) - terms) / pairs,
        (sparse_dot(member.entities, story.entities) - entities) / pairs,
        (sparse_dot(member.numbers, story.numbers) - numbers) / pairs,
        member.mentions_numbers * (story.mentions_numbers - member.mentions_numbers) / pairs,
        member.mentions_days * (story.mentions_days - member.mentions_days) / pairs,
        math.log(pairs),
    )
    return _untimed_score(config, features)


def member_score_floor(story: StoryState, member: Member, config: ClusterConfig) -> float:
    """The least ``member_score`` can be, from the embeddings alone: cheaper
    by the six sparse dot products."""
    features = (
        *_member_dense_features(story, member),
        *_sparse_extremes(config, highest=False),
        math.log(story.size - 1),
    )
    return _score(config, features, member_hours(story, member))


def _member_dense_features(story: StoryState, member: Member) -> tuple[float, float]:
    pairs = story.size - 1
    return (
        (float(np.dot(member.title, story.title)) - float(np.dot(member.title, member.title)))
        / pairs,
        (float(np.dot(member.lead, story.lead)) - float(np.dot(member.lead, member.lead))) / pairs,
    )


def member_hours(story: StoryState, member: Member) -> float:
    """Hours between ``member`` and the mean time of the rest of ``story``."""
    others = story.timed - (member.time is not None)
    if not others or member.time is None:
        return 0.0
    return abs((story.time_sum - member.time) / others - member.time) / 3600.0


def _score(config: ClusterConfig, features: tuple[float, ...], hours: float) -> float:
    return _untimed_score(config, features) - time_penalty(config, hours)


def _untimed_score(config: ClusterConfig, features: tuple[float, ...]) -> float:
    w = config.weights
    title, lead, terms, entities, numbers, numbers_present, days_present, size = features
    return (
        w.bias
        + w.title * title
        + w.lead * lead
        + w.terms * terms
        + w.entities * entities
        + w.numbers * numbers
        + w.numbers_present * numbers_present
        + w.days_present * days_present
        + w.size * size
    )
