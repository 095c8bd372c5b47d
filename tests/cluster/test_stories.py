"""Story-to-story scores: the mean over article pairs (group average)."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from ohliad.cluster.config import ClusterConfig
from ohliad.cluster.features import ArticleFeatures
from ohliad.cluster.stories import StoryState, WindowedFrequencies, similarity

CONFIG = ClusterConfig(weight_embedding=1.0, weight_terms=0.5, weight_entities=0.2, weight_time=1.0)
UNTIMED = replace(CONFIG, weight_time=0.0)


def features(seed: int, words: str, names: str, hour: float) -> ArticleFeatures:
    vector = np.random.default_rng(seed).normal(size=8).astype(np.float32)
    return ArticleFeatures(
        vector=vector / np.linalg.norm(vector),
        terms=Counter(words.split()),
        entities=frozenset(names.split()),
        time=hour * 3600,
    )


ARTICLES = [
    features(1, "court ruling emissions power plant", "EPA Roberts", 0),
    features(2, "court emissions coal ruling ruling", "EPA Kagan", 2),
    features(3, "climate ruling carbon plant", "EPA", 5),
    features(4, "farm bill senate vote", "Senate", 30),
    features(5, "senate bill vote subsidies farm", "Senate Thune", 31),
]


@pytest.fixture
def frequencies() -> tuple[WindowedFrequencies, WindowedFrequencies]:
    terms, entities = WindowedFrequencies(), WindowedFrequencies()
    for f in ARTICLES:
        terms.add(f.terms, f.time)
        entities.add(f.entities, f.time)
    return terms, entities


def story(
    members: list[int], frequencies: tuple[WindowedFrequencies, WindowedFrequencies]
) -> StoryState:
    first, *rest = members
    state = StoryState("s", ARTICLES[first], first, *frequencies)
    for i in rest:
        state.absorb(StoryState("", ARTICLES[i], i, *frequencies))
    return state


def test_story_score_is_the_mean_of_its_article_pair_scores_up_to_time(
    frequencies: tuple[WindowedFrequencies, WindowedFrequencies],
) -> None:
    left, right = [0, 1, 2], [3, 4]
    pairs = [
        similarity(story([i], frequencies), story([j], frequencies), UNTIMED)
        for i, j in itertools.product(left, right)
    ]
    grouped = similarity(story(left, frequencies), story(right, frequencies), UNTIMED)
    assert grouped == pytest.approx(sum(pairs) / len(pairs), abs=1e-6)


def test_a_looser_story_scores_lower_against_the_same_article(
    frequencies: tuple[WindowedFrequencies, WindowedFrequencies],
) -> None:
    # A centroid would score the article the same against a story however far
    # apart its members are; the group average lets a loose story pull less.
    article = story([2], frequencies)
    tight = story([0, 0], frequencies)
    loose = story([0, 3], frequencies)
    embedding_only = replace(UNTIMED, weight_terms=0.0, weight_entities=0.0)
    tight_score = similarity(article, tight, embedding_only)
    assert tight_score == pytest.approx(float(ARTICLES[2].vector @ ARTICLES[0].vector), abs=1e-6)
    assert similarity(article, loose, embedding_only) == pytest.approx(
        float(ARTICLES[2].vector @ (ARTICLES[0].vector + ARTICLES[3].vector)) / 2, abs=1e-6
    )


def test_time_gap_is_counted_once_between_the_two_spans(
    frequencies: tuple[WindowedFrequencies, WindowedFrequencies],
) -> None:
    a, b = story([0, 1], frequencies), story([3, 4], frequencies)
    timed = similarity(a, b, CONFIG)
    untimed = similarity(a, b, UNTIMED)
    assert untimed - timed == pytest.approx(CONFIG.weight_time * 28 / CONFIG.window_hours)
