"""The desk in the store: edits kept apart from the machine's drafts, review
states, staleness through new articles, merges and splits, and editions."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ohliad.compare.records import Citation, CitedSource, Comparison, Conflict, ConflictSide
from ohliad.digest_json import entry_to_dict
from ohliad.models import (
    Article,
    DigestEntry,
    EntrySource,
    Story,
    Summary,
    SummarySentence,
    UkrainianText,
)
from ohliad.store import Store
from ohliad.store.reviews import ReviewError, ReviewStore, TextChange
from ohliad.store.search import Filters, find_stories, stored_story


def _article(n: int, day: int = 5) -> Article:
    return Article(
        title=f"Title {n}",
        text=f"Body of article {n}.",
        url=f"https://news{n}.example/story",
        outlet=f"Outlet {n}",
        published=datetime(2026, 3, day, 8, n, tzinfo=UTC),
    )


def _cited(article_id: int) -> CitedSource:
    return CitedSource(
        article_id=article_id, outlet=f"Outlet {article_id}", url=None, published=None
    )


def _entry(story: Story, headline: str, *, conflicts: tuple[Conflict, ...] = ()) -> DigestEntry:
    ids = tuple(a.id for a in story.articles if a.id is not None)
    return DigestEntry(
        story_id=story.id,
        summary=Summary(headline, (SummarySentence(f"{headline}, said the sources.", ids),)),
        sources=tuple(
            EntrySource(a.url, a.outlet, a.title, a.published, article_id=a.id)
            for a in story.articles
        ),
        article_ids=ids,
        updated=max(a.published for a in story.articles if a.published),
        ukrainian=UkrainianText(f"Машинний заголовок {len(ids)}", "Машинний підсумок.", "llm"),
        comparison=Comparison(sources=(), conflicts=conflicts) if conflicts else None,
    )


def _recompute(store: Store, key: str, headline: str, **kw: object) -> None:
    """What the pipeline does after a change: a new machine entry."""
    story = store.story(key)
    assert story is not None
    members = frozenset(a.id for a in story.articles + story.copies if a.id is not None)
    with store.transaction() as tx:
        tx.save_entry(key, _entry(story, headline, **kw), members=members)  # type: ignore[arg-type]


def _story(store: Store, key: str, numbers: range, headline: str = "Machine headline") -> None:
    with store.transaction() as tx:
        for n in numbers:
            stored = tx.add_article(_article(n))
            assert stored is not None and stored.id is not None
            tx.link(stored.id, key)
    _recompute(store, key, headline)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The desk's store on SQLite and on PostgreSQL, through the same code."""
    if request.param == "sqlite":
        db = str(tmp_path / "desk.db")
    else:
        db = request.getfixturevalue("new_postgres_database")()
    opened = Store.open(db)
    yield opened
    opened.close()


@pytest.fixture
def desk(store: Store) -> ReviewStore:
    _story(store, "s1", range(1, 4))
    return ReviewStore(store)


def _published(store: Store, key: str) -> DigestEntry:
    found = stored_story(store, key)
    assert found is not None and found.entry is not None
    return found.entry


def test_an_edit_survives_any_number_of_recomputations(store: Store, desk: ReviewStore) -> None:
    desk.edit("s1", TextChange(headline_uk="Заголовок редактора"), by="olena")
    for round_ in range(5):
        _recompute(store, "s1", f"Machine headline {round_}")
    entry = _published(store, "s1")
    assert entry.ukrainian is not None and entry.ukrainian.headline == "Заголовок редактора"
    assert entry.ukrainian.summary == "Машинний підсумок."  # the machine's, not edited
    assert entry.summary.headline == "Machine headline 4"
    assert entry.review is not None and entry.review.edited and not entry.review.stale
    assert entry_to_dict(entry)["review"] == {
        "status": "draft",
        "edited": True,
        "stale": False,
        "updated_by": "olena",
        "updated_at": entry.review.updated_at.isoformat() if entry.review.updated_at else None,
    }
    # The machine's draft is kept whole beside the edit.
    assert desk.entry("s1").draft.ukrainian == UkrainianText(
        "Машинний заголовок 3", "Машинний підсумок.", "llm"
    )


def test_stale_exactly_when_the_story_changes_after_the_edit(
    store: Store, desk: ReviewStore
) -> None:
    assert not desk.entry("s1").review.stale  # no edit: nothing to go stale
    desk.edit("s1", TextChange(summary_uk="Підсумок редактора."), by="olena")
    _recompute(store, "s1", "Recomputed, same articles")
    assert not desk.entry("s1").review.stale
    with store.transaction() as tx:
        joined = tx.add_article(_article(9))
        assert joined is not None and joined.id is not None
        tx.link(joined.id, "s1")
    _recompute(
        store,
        "s1",
        "With a fourth source",
        conflicts=(
            Conflict(
                "number",
                "the toll",
                (
                    ConflictSide("12", "12", (Citation(_cited(1), "12 died.", "12"),)),
                    ConflictSide("15", "15", (Citation(_cited(joined.id), "15 died.", "15"),)),
                ),
            ),
        ),
    )
    seen = desk.entry("s1")
    assert seen.review.stale
    assert [s.article_id for s in seen.new_sources] == [joined.id]
    assert [c.about for c in seen.new_conflicts] == ["the toll"]
    assert seen.draft.summary.headline == "With a fourth source"
    assert seen.entry.ukrainian is not None
    assert seen.entry.ukrainian.summary == "Підсумок редактора."
    # Editing again (or deciding) covers the story as it is now.
    desk.edit("s1", TextChange(summary_uk="Підсумок редактора, з четвертим джерелом."), by="olena")
    again = desk.entry("s1")
    assert not again.review.stale and not again.new_sources and not again.new_conflicts


def test_a_merge_moves_the_edit_to_the_merged_story_marked_stale(
    store: Store, desk: ReviewStore
) -> None:
    _story(store, "s2", range(4, 6), "Another report")
    desk.edit("s1", TextChange(headline_en="Editor's headline"), by="taras")
    with store.transaction() as tx:
        tx.merge_stories("s2", ["s1"])
    _recompute(store, "s2", "Merged machine headline")
    moved = desk.entry("s2")
    assert moved.entry.summary.headline == "Editor's headline"
    assert moved.review.stale and moved.review.edited
    assert [e.action for e in desk.events("s1")] == ["edit", "merge"]


def test_a_merge_of_two_edited_stories_keeps_the_larger_edit_and_logs_the_other(
    store: Store, desk: ReviewStore
) -> None:
    _story(store, "s2", range(4, 6), "Another report")
    desk.edit("s1", TextChange(headline_en="Three sources"), by="taras")
    desk.edit("s2", TextChange(headline_en="Two sources"), by="olena")
    with store.transaction() as tx:
        tx.merge_stories("s2", ["s1"])
    assert desk.entry("s2").entry.summary.headline == "Three sources"
    dropped = [e for e in desk.events("s2") if e.action == "merge-dropped"]
    assert dropped and dropped[0].detail["headline_en"] == "Two sources"


def test_a_split_leaves_the_edit_with_the_part_holding_most_of_its_articles(
    store: Store, desk: ReviewStore
) -> None:
    desk.edit("s1", TextChange(headline_en="Editor's headline"), by="taras")
    story = store.story("s1")
    assert story is not None
    ids = [a.id for a in story.articles if a.id is not None]
    with store.transaction() as tx:  # one of three leaves: the edit stays
        tx.move_articles(ids[:1], "s1-b")
    _recompute(store, "s1", "Two left")
    _recompute(store, "s1-b", "One left")
    assert desk.entry("s1").entry.summary.headline == "Editor's headline"
    assert desk.entry("s1").review.stale
    assert not desk.entry("s1-b").review.edited
    desk.edit("s1", TextChange(headline_en="Editor's headline"), by="taras")
    with store.transaction() as tx:  # both remaining leave: the edit goes with them
        tx.move_articles(ids[1:], "s1-c")
    _recompute(store, "s1-c", "Moved")
    moved = desk.entry("s1-c")
    assert moved.entry.summary.headline == "Editor's headline" and moved.review.stale


def test_approval_needs_ukrainian_and_freezes_what_was_approved(
    store: Store, desk: ReviewStore
) -> None:
    _story(store, "s2", range(4, 6))
    story = store.story("s2")
    assert story is not None
    entry = replace(_entry(story, "No Ukrainian"), ukrainian=None)
    with store.transaction() as tx:  # a machine entry without Ukrainian
        tx.save_entry("s2", entry, members=frozenset(entry.article_ids))
    with pytest.raises(ReviewError, match="no Ukrainian headline and summary"):
        desk.decide("s2", "approved", by="olena")
    approved = desk.decide("s1", "approved", by="olena")
    assert approved.review.status == "approved"
    _recompute(store, "s1", "A newer machine headline")
    shown = _published(store, "s1")
    assert shown.summary.headline == "Machine headline"  # as approved
    assert shown.review is not None and not shown.review.edited


def test_editing_an_approved_entry_returns_it_to_draft(desk: ReviewStore) -> None:
    desk.decide("s1", "approved", by="olena")
    assert desk.edit("s1", TextChange(headline_uk="Інший"), by="taras").review.status == "draft"
    assert [(e.action, e.by) for e in desk.events("s1")] == [
        ("approved", "olena"),
        ("edit", "taras"),
    ]


def test_bad_edits_are_refused_with_a_reason(desk: ReviewStore) -> None:
    with pytest.raises(ReviewError, match="no story 'nope'"):
        desk.edit("nope", TextChange(headline_uk="x"), by="olena")
    with pytest.raises(ReviewError, match="no source article 999"):
        desk.edit("s1", TextChange(drop_sources=(999,)), by="olena")
    ids = [s.article_id for s in desk.entry("s1").draft.sources]
    with pytest.raises(ReviewError, match="at least one source"):
        desk.edit("s1", TextChange(drop_sources=tuple(i for i in ids if i)), by="olena")
    with pytest.raises(ReviewError, match="over the limit"):
        desk.edit("s1", TextChange(headline_uk="я" * 501), by="olena")


def test_dropped_sources_leave_the_published_entry(store: Store, desk: ReviewStore) -> None:
    first = desk.entry("s1").draft.sources[0].article_id
    assert first is not None
    desk.edit("s1", TextChange(drop_sources=(first,)), by="olena")
    assert first not in [s.article_id for s in _published(store, "s1").sources]
    desk.edit("s1", TextChange(restore_sources=(first,)), by="olena")
    assert first in [s.article_id for s in _published(store, "s1").sources]


def test_publishing_is_idempotent_and_dates_the_edition(store: Store, desk: ReviewStore) -> None:
    _story(store, "s2", range(4, 6))
    desk.decide("s1", "approved", by="olena")
    first = desk.publish(by="olena", day=date(2026, 3, 5))
    assert first.new == ("s1",) and [e.story_id for e in first.entries] == ["s1"]
    again = desk.publish(by="olena", day=date(2026, 3, 5))
    assert again.new == () and [e.story_id for e in again.entries] == ["s1"]
    assert desk.publish(by="olena").new == ()  # nothing approved waits
    assert desk.entry("s1").review.status == "published"
    assert desk.entry("s1").day == date(2026, 3, 5)
    with pytest.raises(ReviewError, match="published already"):
        desk.decide("s1", "rejected", by="olena")
    assert desk.claim_unsent(["s1"]) == ["s1"]
    assert desk.claim_unsent(["s1"]) == []


def test_two_processes_publishing_at_once_publish_each_entry_once(
    store: Store, desk: ReviewStore
) -> None:
    for n in range(2, 6):
        _story(store, f"s{n}", range(10 * n, 10 * n + 2))
        desk.decide(f"s{n}", "approved", by="olena")
    desk.decide("s1", "approved", by="olena")
    results: list[tuple[str, ...]] = []

    def publish() -> None:
        results.append(ReviewStore(Store.open(store.engine.url)).publish(by="bot").new)

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    published = [key for new in results for key in new]
    assert sorted(published) == ["s1", "s2", "s3", "s4", "s5"]


def test_the_queue_filters_by_status_and_by_day_in_the_desk_time_zone(
    store: Store, desk: ReviewStore
) -> None:
    # 8:0n UTC on 5 March is 5 March in Kyiv; 23:30 UTC on 5 March is 6 March there.
    with store.transaction() as tx:
        late = tx.add_article(
            Article(
                title="Late",
                text="Late news.",
                url="https://late.example/1",
                published=datetime(2026, 3, 5, 23, 30, tzinfo=UTC),
            )
        )
        assert late is not None and late.id is not None
        tx.link(late.id, "late")
    _recompute(store, "late", "Late")
    kyiv = ReviewStore(store, timezone="Europe/Kyiv")
    assert [e.key for e in kyiv.queue(day=date(2026, 3, 6))] == ["late"]
    assert [e.key for e in ReviewStore(store).queue(day=date(2026, 3, 5))] == ["late", "s1"]
    desk.decide("s1", "rejected", by="olena")
    assert [e.key for e in desk.queue(statuses=["draft"])] == ["late"]
    assert [e.key for e in desk.queue(statuses=["rejected"])] == ["s1"]


def test_search_finds_a_story_by_the_editors_words(store: Store, desk: ReviewStore) -> None:
    assert find_stories(store, Filters(text="Оновлений заголовок")) == []
    desk.edit("s1", TextChange(headline_uk="Оновлений заголовок редактора"), by="olena")
    found = find_stories(store, Filters(text="оновл заголовок"))
    assert [s.key for s in found] == ["s1"]
    assert find_stories(store, Filters(text="заголовок нічого")) == []
    # "_" is a word character to search, and no wildcard to LIKE (it would match the space).
    assert find_stories(store, Filters(text="оновлений_заголовок")) == []
