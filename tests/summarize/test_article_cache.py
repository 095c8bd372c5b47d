"""What the summarizer reads once per article (its candidates, title and word
count) is cached by the article's text: a story summarised again as it grows
gets the summary a cold run gives, and a changed text is read afresh."""

from __future__ import annotations

from dataclasses import replace

from ohliad.models import Story
from ohliad.summarize import summarize_story
from ohliad.summarize.headline import _title_penalty
from ohliad.summarize.material import (
    ARTICLE_CACHE_SIZE,
    article_candidates,
    article_candidates_at,
    read_title,
    word_count,
)
from tests.summarize.stories import HARBOUR

CACHES = (article_candidates, article_candidates_at, read_title, word_count, _title_penalty)


def _clear() -> None:
    for cache in CACHES:
        cache.cache_clear()


def test_a_growing_story_is_summarised_as_a_cold_run_would() -> None:
    _clear()
    growing = [
        summarize_story(replace(HARBOUR, articles=HARBOUR.articles[:count]))
        for count in range(1, len(HARBOUR.articles) + 1)
    ]
    assert article_candidates_at.cache_info().hits > 0
    _clear()
    assert growing[-1] == summarize_story(HARBOUR)


def test_a_changed_article_text_is_not_served_from_the_cache() -> None:
    _clear()
    summarize_story(HARBOUR)
    first = HARBOUR.articles[0]
    edited = replace(first, text=first.text.replace("aground", "adrift"))
    story = Story(HARBOUR.id, (edited, *HARBOUR.articles[1:]))
    warm = summarize_story(story)
    assert all("aground" not in c.text for c in article_candidates(edited.text, True))
    _clear()
    assert warm == summarize_story(story)


def test_the_caches_are_bounded() -> None:
    _clear()
    for number in range(ARTICLE_CACHE_SIZE + 10):
        article_candidates(f"Report number {number} says the ferry ran aground.", True)
    info = article_candidates.cache_info()
    assert info.maxsize == ARTICLE_CACHE_SIZE
    assert info.currsize == ARTICLE_CACHE_SIZE
    for cache in CACHES:
        assert cache.cache_info().maxsize == ARTICLE_CACHE_SIZE
