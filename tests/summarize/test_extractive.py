"""The extractive summarizer on stories written for these tests."""

from __future__ import annotations

import pytest

from ohliad.models import Article, Story
from ohliad.registry import UnknownComponentError, summarizers
from ohliad.summarize import SummaryOptions, SummaryOptionsError, summarize_story
from ohliad.summarize.extractive import concept_spread
from ohliad.summarize.loaded import loaded_words
from ohliad.summarize.material import story_material
from ohliad.summarize.terms import words
from tests.summarize.stories import HARBOUR, LOADED_STORY


def all_source_sentences(story: Story) -> str:
    return " ".join(a.text for a in story.articles)


def test_summary_draws_on_several_sources_and_keeps_them() -> None:
    summary = summarize_story(HARBOUR)
    assert 1 <= len(summary.sentences) <= 4
    cited = {source for sentence in summary.sentences for source in sentence.sources}
    assert cited <= {11, 12, 13}
    assert len(cited) >= 2
    # The event that all three report leads the summary, credited to more than one source.
    lead = summary.sentences[0]
    assert "aground" in lead.text
    assert len(lead.sources) >= 2


def test_fact_reported_by_one_source_ranks_below_shared_facts() -> None:
    summary = summarize_story(HARBOUR, SummaryOptions(max_sentences=2))
    assert "Norrland" not in summary.text
    assert all("aground" in s.text or "leak" in s.text for s in summary.sentences)


def test_fact_only_one_source_states_is_credited_to_that_source_alone() -> None:
    summary = summarize_story(HARBOUR, SummaryOptions(max_sentences=4, max_words=200))
    lone = [s for s in summary.sentences if "Norrland" in s.text or "refloat" in s.text]
    for sentence in lone:
        assert len(sentence.sources) == 1


def test_every_summary_sentence_comes_from_a_source() -> None:
    summary = summarize_story(HARBOUR, SummaryOptions(max_sentences=4, compress=False))
    text = all_source_sentences(HARBOUR)
    for sentence in summary.sentences:
        assert sentence.text in text


def test_redundant_sentences_are_not_repeated() -> None:
    summary = summarize_story(HARBOUR, SummaryOptions(max_sentences=4))
    leak_sentences = [s for s in summary.sentences if "leak" in s.text]
    assert len(leak_sentences) <= 1


def test_word_limit_is_respected() -> None:
    summary = summarize_story(HARBOUR, SummaryOptions(max_sentences=4, max_words=40))
    assert len(words(summary.text)) <= 40 or len(summary.sentences) == 1


def test_sources_are_indexes_when_articles_have_no_ids() -> None:
    story = Story(
        id="no-ids",
        articles=tuple(Article(title=a.title, text=a.text) for a in HARBOUR.articles),
    )
    summary = summarize_story(story)
    cited = {source for sentence in summary.sentences for source in sentence.sources}
    assert cited <= {0, 1, 2}


def test_loaded_source_lends_facts_not_wording() -> None:
    summary = summarize_story(LOADED_STORY)
    assert len(summary.sentences) >= 3
    # The loaded source reports the vote too, and is credited for it.
    assert 2 in summary.sentences[0].sources
    for sentence in summary.sentences:
        assert loaded_words(sentence.text) == []
    assert loaded_words(summary.headline) == []
    assert "!" not in summary.headline


def test_one_source_story() -> None:
    story = Story(id="one", articles=(HARBOUR.articles[0],))
    summary = summarize_story(story, SummaryOptions(max_sentences=2, max_share=None))
    assert len(summary.sentences) == 2
    assert all(s.sources == (11,) for s in summary.sentences)
    assert summary.sentences[0].text.startswith("The port of Velmora closed")
    assert summary.headline == "Port of Velmora closes after fuel tanker runs aground"


def test_summary_of_a_short_story_is_at_most_the_share_of_its_words() -> None:
    story = Story(id="one", articles=(HARBOUR.articles[0],))
    article_words = len(words(story.articles[0].text or ""))
    whole = summarize_story(story, SummaryOptions(max_sentences=4, max_share=None))
    half = summarize_story(story, SummaryOptions(max_sentences=4, max_share=0.5))
    assert len(words(whole.text)) > article_words / 2
    assert len(words(half.text)) <= article_words / 2
    assert half.sentences[0].text.startswith("The port of Velmora closed")


def test_concepts_count_the_sources_that_use_them() -> None:
    spread = concept_spread(story_material(HARBOUR))
    assert spread["velmora"] == 3  # in every title and text
    assert spread["saltbi"] == 2  # the ferries' new port, in two sources
    assert spread["norrland"] == 1  # the owner, named by one source only


def test_a_sentence_adding_no_shared_term_is_left_out() -> None:
    # Room for every sentence: only what the sources share gets in.
    options = SummaryOptions(max_sentences=12, max_words=None, max_share=None)
    summary = summarize_story(HARBOUR, options)
    assert len(summary.sentences) >= 3
    assert "Fishing boats" not in summary.text  # no word of it is in another source
    alone = Story(id="one", articles=(HARBOUR.articles[0],))
    # With one source nothing is shared, and every sentence may go in.
    assert "Fishing boats" in summarize_story(alone, options).text


def test_word_limit_is_the_smaller_of_words_and_share() -> None:
    options = SummaryOptions(max_words=100, max_share=0.5)
    assert options.word_limit(120) == 60
    assert options.word_limit(400) == 100
    assert SummaryOptions(max_words=None, max_share=None).word_limit(400) is None


def test_empty_and_near_empty_sources_are_ignored() -> None:
    story = Story(
        id="thin",
        articles=(
            Article(id=1, title="", text=""),
            Article(id=2, title="Update", text="More soon."),
            *HARBOUR.articles[:2],
        ),
    )
    summary = summarize_story(story)
    assert summary.sentences
    cited = {source for sentence in summary.sentences for source in sentence.sources}
    assert cited <= {11, 12}
    assert summary.headline


def test_articles_in_another_language_sit_out_of_the_english_summary() -> None:
    ukrainian = Article(
        id=14,
        language="uk",
        title="Танкер сів на мілину біля порту Вельмора",
        text=(
            "Порт Вельмора закрили у вівторок після того, як танкер Aster Crown сів на мілину. "
            "Начальниця порту Ільзе Брандт заявила, що пальне не витекло з корпусу танкера."
        ),
    )
    story = Story(id="mixed", articles=(ukrainian, *HARBOUR.articles))
    summary = summarize_story(story)
    printed = summary.headline + summary.text
    assert not any("а" <= ch <= "я" or ch in "іїєґ" for ch in printed.lower())
    assert all(14 not in s.sources for s in summary.sentences)
    assert summary.sentences


def test_story_with_no_usable_text_gets_headline_and_no_sentences() -> None:
    story = Story(id="bare", articles=(Article(title="Storm closes Saltby ferry", text=""),))
    summary = summarize_story(story)
    assert summary.sentences == ()
    assert summary.headline == "Storm closes Saltby ferry"


def test_unknown_engine_is_a_clear_error() -> None:
    with pytest.raises(UnknownComponentError, match="unknown summarizer 'nope'"):
        summarize_story(HARBOUR, SummaryOptions(engine="nope"))
    assert "extractive" in summarizers.names()


def test_impossible_options_are_refused() -> None:
    with pytest.raises(SummaryOptionsError, match="max_sentences"):
        SummaryOptions(max_sentences=0)
    with pytest.raises(SummaryOptionsError, match="max_share"):
        SummaryOptions(max_share=0)
