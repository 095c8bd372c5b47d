"""Story-to-story scores: the learned score over the mean of each feature
across article pairs (group average)."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from ohliad.cluster.config import ClusterConfig, ScoreWeights
from ohliad.cluster.features import ArticleFeatures
from ohliad.cluster.stories import (
    Frequencies,
    Member,
    StoryState,
    member_score,
    pair_features,
    similarity,
)

WEIGHTS = ScoreWeights(
    bias=-2.0,
    title=1.5,
    lead=1.0,
    terms=4.0,
    entities=0.5,
    numbers=1.0,
    size=-0.1,
    numbers_present=-0.5,
    days_present=-0.7,
)
CONFIG = ClusterConfig(weights=WEIGHTS, weight_time=1.0)
UNTIMED = replace(CONFIG, weight_time=0.0)


def unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).normal(size=8).astype(np.float32)
    return vector / np.linalg.norm(vector)


def features(seed: int, words: str, names: str, numbers: str, hour: float) -> ArticleFeatures:
    return ArticleFeatures(
        lead=unit(seed),
        title=unit(seed + 100),
        terms=Counter(words.split()),
        entities=frozenset(names.split()),
        # Comma-separated: a day of the month holds a space ("jul 30").
        numbers=frozenset(numbers.split(",")) - {""},
        time=hour * 3600,
    )


ARTICLES = [
    features(1, "court ruling emissions power plant", "EPA Roberts", "6-3", 0),
    features(2, "court emissions coal ruling ruling", "EPA Kagan", "6-3,2030", 2),
    features(3, "climate ruling carbon plant", "EPA", "", 5),
    features(4, "farm bill senate vote", "Senate", "867,jul 30", 30),
    features(5, "senate bill vote subsidies farm", "Senate Thune", "867,2023", 31),
]


@pytest.fixture
def members() -> list[Member]:
    frequencies = Frequencies.empty()
    for f in ARTICLES:
        frequencies.add(f)
    return [Member.of(i, f, frequencies) for i, f in enumerate(ARTICLES)]


def story(indices: list[int], members: list[Member]) -> StoryState:
    first, *rest = indices
    state = StoryState("s", members[first])
    for i in rest:
        state.add(members[i])
    return state


def test_story_features_are_the_mean_of_their_article_pair_features(
    members: list[Member],
) -> None:
    left, right = [0, 1, 2], [3, 4]
    pairs = [
        pair_features(story([i], members), story([j], members))
        for i, j in itertools.product(left, right)
    ]
    grouped = pair_features(story(left, members), story(right, members))
    expected = np.mean(pairs, axis=0)
    np.testing.assert_allclose(grouped[:-1], expected[:-1], atol=1e-6)
    assert grouped[-1] == pytest.approx(math.log(len(left) * len(right)))


def test_the_score_is_the_learned_log_odds_of_the_features(members: list[Member]) -> None:
    a, b = story([0], members), story([1], members)
    title, lead, terms, entities, numbers, numbers_present, days_present, _size = pair_features(
        a, b
    )
    expected = (
        WEIGHTS.bias
        + WEIGHTS.title * title
        + WEIGHTS.lead * lead
        + WEIGHTS.terms * terms
        + WEIGHTS.entities * entities
        + WEIGHTS.numbers * numbers
        + WEIGHTS.numbers_present * numbers_present
        + WEIGHTS.days_present * days_present
    )
    assert similarity(a, b, UNTIMED) == pytest.approx(expected, abs=1e-6)
    assert numbers > 0  # both name "6-3"
    assert (numbers_present, days_present) == (1.0, 0.0)  # neither names a day


def test_the_presence_features_count_members_that_mention_numbers_and_days(
    members: list[Member],
) -> None:
    # Article 2 names no number; article 3 names a day of the month.
    assert [(m.mentions_numbers, m.mentions_days) for m in members] == [
        (1, 0),
        (1, 0),
        (0, 0),
        (1, 1),
        (1, 0),
    ]
    *_, numbers_present, days_present, _size = pair_features(
        story([0, 2], members), story([3], members)
    )
    # One pair of two where both mention numbers; none where both mention days.
    assert (numbers_present, days_present) == (0.5, 0.0)


def test_time_gap_is_between_the_two_stories_mean_times(members: list[Member]) -> None:
    # Hours 0 and 2 against 30 and 31: means 1 and 30.5 (the spans' nearest
    # ends are 28 h apart, which a story widened by one stray member would shrink).
    a, b = story([0, 1], members), story([3, 4], members)
    timed = similarity(a, b, CONFIG)
    untimed = similarity(a, b, UNTIMED)
    assert untimed - timed == pytest.approx(CONFIG.weight_time * 29.5 / CONFIG.window_hours)


def test_a_members_score_is_its_score_against_the_rest_of_its_story(
    members: list[Member],
) -> None:
    whole = story([0, 1, 3], members)
    rest = story([0, 1], members)
    alone = story([3], members)
    assert member_score(whole, members[3], CONFIG) == pytest.approx(
        similarity(alone, rest, CONFIG), abs=1e-6
    )


def test_removing_a_member_undoes_adding_it(members: list[Member]) -> None:
    grown = story([0, 1], members)
    grown.add(members[3])
    grown.remove(members[3])
    plain = story([0, 1], members)
    other = story([2], members)
    assert similarity(grown, other, CONFIG) == pytest.approx(
        similarity(plain, other, CONFIG), abs=1e-6
    )
    assert grown.last_time == plain.last_time


def test_a_story_gets_a_new_state_number_whenever_its_members_change(
    members: list[Member],
) -> None:
    grown = story([0], members)
    numbers = [grown.state]
    grown.add(members[1])
    numbers.append(grown.state)
    grown.absorb(story([2], members))
    numbers.append(grown.state)
    grown.remove(members[2])
    numbers.append(grown.state)
    assert len(set(numbers)) == 4
    # Every story of one member alone has the same sums, hence one number.
    alone, again = StoryState.of_member("a", members[3]), StoryState.of_member("b", members[3])
    assert alone.state == again.state != StoryState.of_member("a", members[4]).state
    assert similarity(alone, grown, CONFIG) == similarity(again, grown, CONFIG)
