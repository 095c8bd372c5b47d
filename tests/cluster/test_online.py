"""Story grouping on small groups of hand-written articles, with the real
MiniLM embedder and the calibrated configuration."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from ohliad.cluster import Assignment, ClusterConfig, OnlineClusterer, StoryChange, assign_stories
from ohliad.cluster.config import ScoreWeights
from ohliad.cluster.features import ArticleFeatures
from ohliad.cluster.online import final_story_keys
from ohliad.models import Article
from ohliad.nlp.embedders import get_embedder

MONDAY = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)


def article(title: str, text: str, hours: float = 0.0, outlet: str = "x") -> Article:
    return Article(title=title, text=text, published=MONDAY + timedelta(hours=hours), outlet=outlet)


EPA_RULING = [
    article(
        "Supreme Court curbs EPA's power to limit power plant emissions",
        "The Supreme Court on Monday limited the Environmental Protection Agency's authority "
        "to regulate greenhouse gas emissions from power plants. In a 6-3 decision written by "
        "Chief Justice John Roberts, the court said Congress had not given the EPA the power "
        "to force a nationwide shift away from coal.",
        outlet="Reuters",
    ),
    article(
        "Justices side with coal states, rein in environmental regulators",
        "A divided high court handed a win to West Virginia and other coal-producing states, "
        "ruling that the Environmental Protection Agency overstepped when it tried to push "
        "utilities toward cleaner electricity. Roberts wrote for the conservative majority; Justice Elena Kagan "
        "dissented, warning the ruling strips the agency of tools to fight climate change.",
        hours=3,
        outlet="Fox News",
    ),
    article(
        "Climate advocates decry high court ruling against EPA carbon rules",
        "Environmental groups said the 6-3 ruling in West Virginia v. EPA would make it far "
        "harder for the Biden administration to meet its climate goals, after the justices "
        "restricted how the agency can cut carbon pollution from coal and gas power plants.",
        hours=6,
        outlet="The Guardian",
    ),
]

DEATH_ROW_RULING = article(
    "Supreme Court rejects Texas death row inmate's appeal over DNA testing",
    "The Supreme Court on Thursday turned away an appeal from a Texas death row inmate who "
    "sought DNA testing of evidence from a 1998 murder, clearing the way for his execution "
    "next month. Justice Sonia Sotomayor dissented from the unsigned order.",
    hours=72,
    outlet="AP",
)


@pytest.fixture(scope="module")
def config() -> ClusterConfig:
    return ClusterConfig()


def test_same_event_told_with_different_vocabulary(config: ClusterConfig) -> None:
    keys = assign_stories(EPA_RULING, config)
    assert len(set(keys)) == 1


def test_two_court_rulings_in_one_week_stay_apart(config: ClusterConfig) -> None:
    keys = assign_stories([*EPA_RULING, DEATH_ROW_RULING], config)
    assert keys[0] == keys[1] == keys[2]
    assert keys[3] != keys[0]


def test_same_topic_weeks_apart_is_a_new_story(config: ClusterConfig) -> None:
    march = article(
        "Fed raises interest rates by a quarter point to fight inflation",
        "The Federal Reserve raised its benchmark interest rate by 0.25 percentage points on "
        "Wednesday, its latest step to cool inflation. Chair Jerome Powell said further "
        "increases were likely as the labour market stays tight.",
    )
    march_again = article(
        "Powell's Fed lifts rates again, signals more hikes ahead",
        "Federal Reserve policymakers voted to increase the federal funds rate by a quarter of "
        "a point, and Jerome Powell told reporters inflation remained too high.",
        hours=2,
    )
    six_weeks_later = article(
        "Fed raises interest rates by a quarter point as inflation persists",
        "The Federal Reserve raised its benchmark interest rate by 0.25 percentage points on "
        "Wednesday. Chair Jerome Powell said the central bank would keep fighting inflation.",
        hours=6 * 7 * 24,
    )
    keys = assign_stories([march, march_again, six_weeks_later], config)
    assert keys[0] == keys[1]
    assert keys[2] != keys[0]


def test_title_only_article_joins_its_story(config: ClusterConfig) -> None:
    title_only = article("Supreme Court limits EPA authority over power plant emissions", "", 4)
    keys = assign_stories([*EPA_RULING[:2], title_only, DEATH_ROW_RULING], config)
    assert keys[2] == keys[0]
    assert keys[3] != keys[0]


def test_results_come_back_in_input_order(config: ClusterConfig) -> None:
    shuffled = [DEATH_ROW_RULING, EPA_RULING[2], EPA_RULING[0]]
    keys = assign_stories(shuffled, config)
    assert keys[1] == keys[2] != keys[0]


def test_restore_rebuilds_stories_from_stored_members(config: ClusterConfig) -> None:
    first = OnlineClusterer(config)
    assignments = first.add_batch(EPA_RULING[:2])
    story = assignments[-1].story_id
    # A new process: rebuild from the stored (story, article) pairs, then go on.
    restarted = OnlineClusterer(config)
    restarted.restore([(story, a) for a in EPA_RULING[:2]])
    assert restarted.open_stories == 1
    [assignment] = restarted.add_batch([EPA_RULING[2]])
    assert assignment.story_id == story


def test_stories_older_than_the_window_are_forgotten(config: ClusterConfig) -> None:
    clusterer = OnlineClusterer(config)
    clusterer.add_batch([*EPA_RULING, DEATH_ROW_RULING])
    assert clusterer.open_stories == 2
    late = article("Senate passes farm bill", "The Senate passed the farm bill.", 24 * 30)
    clusterer.add_batch([late])
    assert clusterer.open_stories == 1
    assert clusterer.indexed_articles == 1


def test_state_dir_keeps_costly_vectors_across_restarts(tmp_path: Path) -> None:
    config = ClusterConfig.for_embedder("minilm")
    OnlineClusterer(config, state_dir=tmp_path).add_batch(EPA_RULING)
    cached = tmp_path / "vectors.sqlite"
    assert cached.is_file()
    restarted = OnlineClusterer(config, state_dir=tmp_path)
    restarted.restore([("story", a) for a in EPA_RULING])
    [assignment] = restarted.add_batch([EPA_RULING[0]])
    assert assignment.story_id == "story"


def test_static_vectors_are_recomputed_rather_than_cached(tmp_path: Path) -> None:
    config = ClusterConfig.for_embedder("minilm-static")
    OnlineClusterer(config, state_dir=tmp_path).add_batch(EPA_RULING)
    assert not (tmp_path / "vectors.sqlite").exists()
    restarted = OnlineClusterer(config, state_dir=tmp_path)
    restarted.restore([("story", a) for a in EPA_RULING])
    [assignment] = restarted.add_batch([EPA_RULING[0]])
    assert assignment.story_id == "story"


def features(*axes: int, hours: float = 0.0) -> ArticleFeatures:
    vector = np.zeros(384, dtype=np.float32)
    vector[list(axes)] = 1.0
    vector /= np.linalg.norm(vector)
    return ArticleFeatures(
        lead=vector,
        title=vector,
        terms=Counter(),
        entities=frozenset(),
        numbers=frozenset(),
        time=(MONDAY + timedelta(hours=hours)).timestamp(),
    )


# The score is the embedding cosine alone; no member is ever split off.
EMBEDDING_ONLY = ClusterConfig(
    embedder="minilm",
    weights=ScoreWeights(
        bias=0.0, title=0.5, lead=0.5, terms=0.0, entities=0.0, numbers=0.0, size=0.0
    ),
    weight_time=0.0,
    weight_density=0.0,
    merge_threshold=0.9,
    split_threshold=-1.0,
)


def precomputed(config: ClusterConfig) -> OnlineClusterer:
    return OnlineClusterer(config, embedder=get_embedder("minilm"))


@pytest.mark.parametrize(("merge_threshold", "merges"), [(0.3, True), (0.5, False)])
def test_an_article_linking_two_stories_merges_them(merge_threshold: float, merges: bool) -> None:
    config = replace(EMBEDDING_ONLY, join_threshold=0.7, merge_threshold=merge_threshold)
    clusterer = precomputed(config)
    first, second = clusterer.add_features([features(0), features(1)])
    assert first.story_id != second.story_id
    # cos 0.71 to both stories: it joins one, which is then 0.35 close to the other.
    [bridge] = clusterer.add_features([features(0, 1)])
    changes = clusterer.take_changes()
    assert bool(changes) is merges
    if merges:
        [merge] = changes
        assert merge.kind == "merge"
        assert {merge.story, merge.other} == {first.story_id, second.story_id}
        assert clusterer.open_stories == 1
        keys = final_story_keys([first, second, bridge], changes)
        assert keys[0] == keys[1] == keys[2]
    else:
        assert clusterer.open_stories == 2


def test_a_member_that_no_longer_coheres_is_split_off() -> None:
    clusterer = precomputed(replace(EMBEDDING_ONLY, join_threshold=0.7, split_threshold=0.3))
    # A stored story whose third member shares nothing with the other two.
    stored = [features(0), features(0, 1), features(5)]
    clusterer.restore_features([("stored", f) for f in stored], [1, 2, 3])
    clusterer.revise()
    [split] = clusterer.take_changes()
    assert (split.kind, split.story, split.articles) == ("split", "stored", (3,))
    assert split.score < 0.3
    assert clusterer.story_of(3) == split.other != "stored"
    assert clusterer.story_of(1) == clusterer.story_of(2) == "stored"


def test_a_periodic_pass_revises_stories_that_no_batch_touched() -> None:
    clusterer = precomputed(replace(EMBEDDING_ONLY, join_threshold=0.7, split_threshold=0.3))
    period = clusterer.config.full_pass_hours
    stored = [features(0), features(0, 1), features(5)]
    clusterer.restore_features([("stored", f) for f in stored], [1, 2, 3])
    # Unrelated news: within the period only the stories a batch touches are revised.
    clusterer.add_features([features(9, hours=period / 2)])
    assert clusterer.take_changes() == []
    clusterer.add_features([features(20, hours=period + 1)])
    [split] = clusterer.take_changes()
    assert (split.kind, split.story, split.articles) == ("split", "stored", (3,))


def unit_features(*values: float, hours: float) -> ArticleFeatures:
    vector = np.zeros(384, dtype=np.float32)
    vector[: len(values)] = values
    vector /= np.linalg.norm(vector)
    return replace(features(0, hours=hours), lead=vector, title=vector)


def test_the_periodic_pass_gives_a_story_still_alone_another_look() -> None:
    clusterer = precomputed(replace(EMBEDDING_ONLY, merge_threshold=0.5))
    period = clusterer.config.full_pass_hours
    [alone] = clusterer.add_features([unit_features(0.7, -0.1833, 0.69, hours=0)])
    # cos 0.45 to the first report: below the threshold, it opens a story.
    [second] = clusterer.add_features([unit_features(0.8, 0.6, hours=1)])
    # cos 0.8 to the second, 0.7 to the first: it merges with its best only.
    [third] = clusterer.add_features([unit_features(1.0, hours=2)])
    [merge] = clusterer.take_changes()
    assert {merge.story, merge.other} == {second.story_id, third.story_id}
    assert clusterer.story_of(alone.article) == alone.story_id
    # The first report now scores (0.45 + 0.7) / 2 against that story; the
    # pass after `period` hours finds it there.
    clusterer.add_features([unit_features(0, 0, 0, 1.0, hours=period + 3)])
    [late] = clusterer.take_changes()
    assert (late.kind, late.other, late.articles) == ("merge", alone.story_id, (alone.article,))
    assert late.score == pytest.approx(0.575, abs=1e-3)
    assert clusterer.story_of(alone.article) == clusterer.story_of(second.article)


def test_the_story_level_pass_merges_a_follow_up_a_day_later() -> None:
    # Too far apart for the follow-up to join at once, close enough to merge.
    # (No periodic pass within the 30 h: it would find the pair first, and an
    # article of the batch that opened a story is then placed, not merged.)
    config = replace(
        EMBEDDING_ONLY,
        join_threshold=0.9,
        merge_threshold=0.45,
        weight_time=1.0,
        full_pass_hours=48.0,
    )
    clusterer = precomputed(config)
    [report] = clusterer.add_features([features(0, 1)])
    [follow_up] = clusterer.add_features([features(0, 1, 2, hours=30)])
    [merge] = clusterer.take_changes()
    assert merge.kind == "merge"
    assert {merge.story, merge.other} == {report.story_id, follow_up.story_id}
    # cos 0.82, less 30 h of a 96 h window
    assert merge.score == pytest.approx(0.816 - 30 / 96, abs=1e-3)
    assert final_story_keys([report, follow_up], [merge]) == [merge.story] * 2


def test_final_story_keys_follow_splits_and_merges() -> None:
    assignments = [Assignment(1, "a"), Assignment(2, "a"), Assignment(3, "b")]
    changes = [
        StoryChange("split", "a", "c", -2.0, (2,)),
        StoryChange("merge", "b", "c", 1.0, (2,)),
    ]
    assert final_story_keys(assignments, changes) == ["a", "b", "b"]


@pytest.mark.parametrize(("others", "joins"), [(0, True), (200, False)])
def test_the_same_pair_joins_in_a_quiet_stream_and_not_in_a_busy_one(
    others: int, joins: bool
) -> None:
    config = replace(EMBEDDING_ONLY, join_threshold=0.7, weight_density=0.1, reference_density=100)
    clusterer = precomputed(config)
    # Unrelated reports of the same day: events competing for each new one.
    busy = [features(10 + i, hours=1) for i in range(others)]
    clusterer.restore_features([(f"other-{i}", f) for i, f in enumerate(busy)])
    [first] = clusterer.add_features([features(0, hours=2)])
    # cos 0.71: above the threshold less the prior of a quiet day, below a busy day's.
    [second] = clusterer.add_features([features(0, 1, hours=3)])
    assert (second.story_id == first.story_id) is joins


@pytest.mark.parametrize(("undated_density", "joins"), [(100, True), (10_000, False)])
def test_an_undated_stream_is_taken_to_come_at_the_undated_density(
    undated_density: int, joins: bool
) -> None:
    config = replace(
        EMBEDDING_ONLY,
        join_threshold=0.6,
        weight_density=0.1,
        reference_density=100,
        undated_density=undated_density,
    )
    clusterer = precomputed(config)
    [first] = clusterer.add_features([replace(features(0), time=None)])
    # cos 0.71: above the threshold at the reference rate (prior 0), below it
    # less the prior of 10,000 a day (0.1 * log(10001 / 101) = 0.46).
    [second] = clusterer.add_features([replace(features(0, 1), time=None)])
    assert (second.story_id == first.story_id) is joins


@pytest.mark.parametrize(
    ("others", "exponent", "joins"), [(0, 1.0, False), (300, 1.0, True), (300, 0.0, False)]
)
def test_the_time_gap_weighs_less_in_a_busy_stream(
    others: int, exponent: float, joins: bool
) -> None:
    config = replace(
        EMBEDDING_ONLY,
        join_threshold=0.55,
        weight_time=1.0,
        reference_density=100,
        time_density_exponent=exponent,
    )
    clusterer = precomputed(config)
    # Unrelated reports over the day: about 300 a day, three times the reference.
    busy = [features(10 + i, hours=23 * i / max(others, 1)) for i in range(others)]
    clusterer.restore_features([(f"other-{i}", f) for i, f in enumerate(busy)])
    # A shared name makes each the other's candidate (entities weigh 0 here):
    # among 300 equidistant vectors the nearest-neighbour graph may miss it.
    named = frozenset({"lublin"})
    [first] = clusterer.add_features([replace(features(0, hours=0), entities=named)])
    # cos 0.71 a day later: less 24 / 96 of the time weight in a quiet stream
    # (0.46, below the threshold), about a third of that in the busy one (0.62).
    [second] = clusterer.add_features([replace(features(0, 1, hours=24), entities=named)])
    assert (second.story_id == first.story_id) is joins


def test_a_member_moves_to_a_story_it_scores_higher_against() -> None:
    clusterer = precomputed(replace(EMBEDDING_ONLY, merge_threshold=0.5))
    # Stored before the story of its event had formed, it shares nothing with
    # the rest of its story (cos 0) and scores 0.71 against the other.
    stored = [("early", features(0)), ("early", features(2, 3)), ("later", features(2))]
    clusterer.restore_features([*stored, ("later", features(3))], [1, 2, 3, 4])
    clusterer.revise()
    [move] = clusterer.take_changes()
    assert (move.kind, move.story, move.other, move.articles) == ("split", "early", "later", (2,))
    assert move.score == pytest.approx(0.0, abs=1e-6)
    assert [clusterer.story_of(key) for key in (1, 2, 3, 4)] == ["early", *["later"] * 3]


@pytest.mark.parametrize(("every", "moves"), [(4, True), (64, False)])
def test_an_undated_stream_gets_the_full_pass_by_article_count(every: int, moves: bool) -> None:
    config = replace(EMBEDDING_ONLY, merge_threshold=0.5, undated_pass_articles=every)
    clusterer = precomputed(config)
    stored = [("early", features(0)), ("early", features(2, 3)), ("later", features(2))]
    clusterer.restore_features(
        [(story, replace(f, time=None)) for story, f in [*stored, ("later", features(3))]],
        [1, 2, 3, 4],
    )
    # Four unrelated undated reports: no batch touches either story.
    clusterer.add_features([replace(features(10 + i), time=None) for i in range(4)])
    assert (clusterer.story_of(2) == "later") is moves


class ForgetfulScores(dict[tuple[int, int], tuple[float, float, bool]]):
    """Known scores that know nothing: every pair is scored afresh."""

    def __setitem__(self, key: tuple[int, int], value: tuple[float, float, bool]) -> None:
        pass


class CountedScores(dict[tuple[int, int], tuple[float, float, bool]]):
    def __init__(self) -> None:
        super().__init__()
        self.reused = 0

    def get(self, key: tuple[int, int], default: object = None) -> object:  # type: ignore[override]
        found = super().get(key, default)
        self.reused += found is not None
        return found


def test_scores_reused_between_passes_make_the_same_stories() -> None:
    # A busy stream of 40 topics over three days, with words and names, under
    # the calibrated score: the periodic pass looks at the same singletons and
    # movers again and again, and the time weight eases as the stream fills.
    rng = np.random.default_rng(7)
    topics = rng.normal(size=(40, 384)).astype(np.float32)
    stream = []
    for i in range(480):
        topic = int(rng.integers(40))
        vector = topics[topic] + rng.normal(scale=0.9, size=384).astype(np.float32)
        vector /= np.linalg.norm(vector)
        words = [f"t{topic}w{int(w)}" for w in rng.integers(12, size=8)] + [f"x{i}"]
        stream.append(
            ArticleFeatures(
                lead=vector,
                title=vector,
                terms=Counter(words),
                entities=frozenset({f"E{topic}", f"E{int(rng.integers(80))}"}),
                numbers=frozenset({str(topic)}),
                time=(MONDAY + timedelta(hours=float(i) * 0.15)).timestamp(),
            )
        )

    def grouped(known: dict[tuple[int, int], tuple[float, float, bool]]) -> list[object]:
        """The stream's final stories as first-seen numbers, and its changes."""
        clusterer = precomputed(ClusterConfig())
        clusterer._known_scores = known
        assignments: list[Assignment] = []
        changes: list[StoryChange] = []
        for start in range(0, len(stream), 32):
            assignments += clusterer.add_features(stream[start : start + 32])
            changes += clusterer.take_changes()
        numbers: dict[str, int] = {}
        stories = [
            numbers.setdefault(key, len(numbers)) for key in final_story_keys(assignments, changes)
        ]
        return [stories, [(c.kind, c.articles, c.score) for c in changes]]

    counted = CountedScores()
    made = grouped(counted)
    assert made == grouped(ForgetfulScores())
    assert counted.reused > 1_000
    assert 5 < len(set(made[0])) < 400  # neither one story nor all apart


def test_a_restored_store_keeps_only_the_last_day_of_times_for_the_density() -> None:
    # A week of stored reports, one an hour: only the last day's count
    # toward the density, and they are dropped at the restore, not one by
    # one at the first decision after it.
    clusterer = precomputed(EMBEDDING_ONLY)
    week = [features(i % 300, hours=hour) for i, hour in enumerate(range(7 * 24))]
    clusterer.restore_features([(f"story-{i}", f) for i, f in enumerate(week)])
    assert len(clusterer._recent) == 25  # hours 143 to 167, the newest's day included
