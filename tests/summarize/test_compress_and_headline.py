"""Sentence compression, sentence preparation and headline choice."""

from __future__ import annotations

import pytest

from ohliad.models import Article, Story
from ohliad.summarize import SummaryOptions, summarize_story
from ohliad.summarize.compress import compress_sentence
from ohliad.summarize.entities import entities
from ohliad.summarize.headline import shorten
from ohliad.summarize.loaded import loaded_words
from ohliad.summarize.material import clean_title, story_material
from tests.summarize.stories import HARBOUR


@pytest.mark.parametrize(
    ("sentence", "compressed"),
    [
        (
            "The ferry service will resume on Monday, the mayor told reporters on Thursday.",
            "The ferry service will resume on Monday.",
        ),
        (
            "The ferry service, she said in a statement, will resume on Monday.",
            "The ferry service will resume on Monday.",
        ),
        (
            "Fares will rise by 8 percent, according to the transport authority.",
            "Fares will rise by 8 percent.",
        ),
        (
            "According to the port authority, the terminal reopens in May.",
            "The terminal reopens in May.",
        ),
        (
            "The authority (which runs six ports) cut 300 jobs.",
            "The authority cut 300 jobs.",
        ),
        (
            "The harbour master — a former naval officer — closed the port.",
            "The harbour master closed the port.",
        ),
        (
            "Why it matters: The port handles most of the region's fuel.",
            "The port handles most of the region's fuel.",
        ),
        (
            "SALTBY (Wire) — Ferries now leave from the old quay.",
            "Ferries now leave from the old quay.",
        ),
        (
            "(Wire) - Ferries now leave from the old quay.",
            "Ferries now leave from the old quay.",
        ),
        (
            "VELMORA, March 9 - The first ferry left the old quay on Monday.",
            "The first ferry left the old quay on Monday.",
        ),
        (
            "NATO - the alliance - said on Friday it was ready to help.",
            "NATO said on Friday it was ready to help.",
        ),
    ],
)
def test_compression_drops_attributions_asides_and_labels(sentence: str, compressed: str) -> None:
    assert compress_sentence(sentence) == compressed


@pytest.mark.parametrize(
    "sentence",
    [
        # A quotation keeps its speaker.
        '"We will not reopen the port this week," Brandt said.',
        # Cutting would leave too little.
        "Brandt resigned, officials said.",
        # Nothing to drop.
        "The tanker ran aground at the mouth of the harbour on Tuesday.",
        # Capitals before a dash that are no dateline.
        "NATO said on Friday it was ready to act - and it did so quickly.",
    ],
)
def test_compression_leaves_sentences_it_cannot_shorten_safely(sentence: str) -> None:
    assert compress_sentence(sentence) == sentence


def test_quotation_split_by_the_sentence_splitter_stays_whole() -> None:
    story = Story(
        id="quote",
        articles=(
            Article(
                title="Port reopens",
                text=(
                    "The port of Velmora reopened on Friday after three days. "
                    "“We are open again. Ships can come in from noon,” Ilse Brandt said. "
                    "Ferries will return to the town on Saturday morning"
                ),
            ),
        ),
    )
    material = story_material(story)
    texts = [c.original for c in material.candidates]
    assert texts == [
        "The port of Velmora reopened on Friday after three days.",
        "“We are open again. Ships can come in from noon,” Ilse Brandt said.",
    ]  # the last sentence is cut off (no full stop), so it is not a candidate


def test_sentences_repeating_a_chosen_one_in_other_words_are_skipped() -> None:
    story = Story(
        id="paraphrase",
        articles=(
            Article(
                title="Farmers end blockade of Dorohusk crossing",
                text=(
                    "Polish farmers ended a nine-day blockade of the Dorohusk border crossing "
                    "with Ukraine on Friday after the ministry agreed to tighten grain checks. "
                    "About 800 trucks were waiting to cross into Poland on Friday."
                ),
            ),
            Article(
                title="Trucks move again at Dorohusk as blockade ends",
                text=(
                    "Trucks began rolling again through the Dorohusk border crossing between "
                    "Poland and Ukraine on Friday after Polish farmers called off their blockade. "
                    "Drivers had slept in their cabs for days in freezing weather."
                ),
            ),
        ),
    )
    summary = summarize_story(story)
    assert sum("blockade" in s.text for s in summary.sentences) == 1


def test_bullets_and_titles_do_not_break_sentences() -> None:
    story = Story(
        id="bullets",
        articles=(
            Article(
                title="Inquiry opens",
                text=(
                    "- Lt. Gov. Maren Holt opened an inquiry into the grounding on Monday. "
                    "The inquiry will report to the council by the end of June."
                ),
            ),
        ),
    )
    assert [c.text for c in story_material(story).candidates] == [
        "Lt. Gov. Maren Holt opened an inquiry into the grounding on Monday.",
        "The inquiry will report to the council by the end of June.",
    ]


def test_loaded_words_are_found_and_plain_facts_are_not() -> None:
    assert loaded_words("Mayor SLAMS 'disastrous' plan in furious rant") == [
        "slams",
        "disastrous",
        "furious",
        "rant",
    ]
    assert loaded_words("Prosecutors filed corruption charges after the flood disaster") == []


def test_clean_title() -> None:
    assert clean_title("Port closes after tanker grounding | Coastal Herald") == (
        "Port closes after tanker grounding"
    )
    assert (
        clean_title("“Port closes after tanker grounding”.") == "Port closes after tanker grounding"
    )


def test_shorten_cuts_at_a_clause_boundary() -> None:
    long = "Port of Velmora closes for three days after fuel tanker Aster Crown runs aground in fog"
    assert shorten(long, 12) == "Port of Velmora closes for three days"
    assert shorten("Tanker aground: Velmora port shuts to all shipping", 6) == (
        "Velmora port shuts to all shipping"
    )


def test_entities_are_names_and_numbers_not_sentence_openers() -> None:
    found = entities("The harbour master Ilse Brandt said 40,000 tonnes of diesel were aboard.")
    assert found == {"ilse brandt", "brandt", "40,000"}


def test_headline_prefers_a_neutral_central_title_within_the_limit() -> None:
    loud = Article(
        title="SHOCKING: Reckless tanker crew causes total disaster at Velmora port?!",
        text=HARBOUR.articles[0].text,
    )
    story = Story(id="headline", articles=(loud, *HARBOUR.articles[1:]))
    summary = summarize_story(story, SummaryOptions(headline_max_words=8))
    assert summary.headline in {"Tanker aground shuts Velmora port"} | {
        shorten(a.title, 8) for a in HARBOUR.articles[1:]
    }
    assert len(summary.headline.split()) <= 8
    assert loaded_words(summary.headline) == []


def test_headline_from_the_top_sentence_when_no_source_has_a_title() -> None:
    story = Story(
        id="untitled", articles=tuple(Article(title="", text=a.text) for a in HARBOUR.articles)
    )
    headline = summarize_story(story).headline
    assert headline
    assert len(headline.split()) <= 12
    assert "aground" in headline or "closed" in headline
