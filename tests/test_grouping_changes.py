"""Ingestion applies and records the clusterer's merges and splits."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from ohliad.cluster import ClusterConfig
from ohliad.models import Article
from ohliad.pipeline import Pipeline, PipelineOptions
from ohliad.store import Store

MORNING = datetime(2026, 3, 5, 8, tzinfo=UTC)


def _report(n: int, title: str, hours: float) -> Article:
    return Article(
        title=title,
        text=f"{title}. Officials confirmed the details on Thursday.",
        url=f"https://news.example/{n}",
        outlet=f"Outlet {n}",
        published=MORNING + timedelta(hours=hours),
    )


def _pipeline(store: Store, join: float, merge: float) -> Pipeline:
    config = replace(
        ClusterConfig.for_embedder("minilm-static"),
        join_threshold=join,
        merge_threshold=merge,
        split_threshold=-99.0,
    )
    return Pipeline(store, PipelineOptions(cluster=config, compare=False))


def test_a_story_the_batch_opened_and_the_pass_merged_is_a_placement(store: Store) -> None:
    # No article may join a story as it arrives, and any two stories that
    # meet in the story-level pass are merged: the pass alone groups them.
    report = _pipeline(store, join=99.0, merge=-99.0).ingest(
        [
            _report(1, "Poland scrambles jets as drones cross border", 0),
            _report(2, "Drones cross into Poland, jets scrambled", 20),
        ]
    )
    assert report.added == 2
    [survivor] = report.stories_touched
    story = store.story(survivor)
    assert story is not None and len(story.articles) == 2
    # Neither story was ever stored apart: nothing was merged, nothing recorded.
    assert report.stories_merged == set()
    assert store.story_changes(survivor) == []


def test_two_stored_stories_merged_by_a_new_report_are_one_story_with_a_record(
    store: Store,
) -> None:
    first = _pipeline(store, join=99.0, merge=99.0).ingest(
        [
            _report(1, "Poland scrambles jets as drones cross border", 0),
            _report(2, "Drones cross into Poland, jets scrambled", 20),
        ]
    )
    assert len(first.stories_touched) == 2
    # A new process with other thresholds: the report joins one stored story,
    # which then takes in the other.
    report = _pipeline(store, join=-99.0, merge=-99.0).ingest(
        [_report(3, "Polish jets scrambled over drone incursion", 22)]
    )
    [merged_away] = report.stories_merged
    [survivor] = report.stories_touched
    assert {merged_away, survivor} <= first.stories_touched
    story = store.story(survivor)
    assert story is not None and len(story.articles) == 3
    assert store.story(merged_away) is None
    [change] = store.story_changes(survivor)
    assert (change.kind, change.story, change.other) == ("merge", survivor, merged_away)
    assert len(change.articles) == 1
