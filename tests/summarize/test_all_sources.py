"""Summaries drawn from all sources (#22), on stories written for these tests:
the outlets' names and the events are fictional."""

from __future__ import annotations

from ohliad.digest_json import ENTRY_SCHEMA, entry_from_dict, entry_to_dict
from ohliad.models import Article, DigestEntry, EntrySource, Story
from ohliad.summarize import SummaryOptions, summarize_story
from ohliad.summarize.loaded import loaded_words

# A wire service, public radio and a state-aligned outlet report one event; the
# state-aligned outlet has the longest lead, which alone states every fact the
# others report, and more sentences besides.
THREE_OUTLETS = Story(
    id="dam",
    articles=(
        Article(
            id=21,
            outlet="Northwire",
            title="Karsk dam opened as Oren river rose two metres",
            text="Engineers opened the floodgates of the Karsk dam on Friday.",
        ),
        Article(
            id=22,
            outlet="Public Radio Ost",
            title="Lower valley evacuated to emergency shelters in Lesh schools",
            text="About 3,000 residents of the lower valley were told to leave their homes.",
        ),
        Article(
            id=23,
            outlet="State Courier",
            title="Karsk dam floodgates opened on schedule, lower valley residents moved",
            text=(
                "Engineers opened the floodgates of the Karsk dam on Friday as the Oren river "
                "rose two metres, and about 3,000 residents of the lower valley were told to "
                "leave their homes. "
                "Emergency shelters opened in Lesh schools, the Ministry of Water said. "
                "The minister praised the engineers for their calm and skilful work."
            ),
        ),
    ),
)
# Room for the long lead and one more sentence.
TIGHT = SummaryOptions(max_words=50, max_share=None)


def test_three_outlets_are_not_summarised_in_the_words_of_the_longest_lead() -> None:
    summary = summarize_story(THREE_OUTLETS, TIGHT)
    outlets = [s.outlet for s in summary.sentences]
    assert len(set(outlets)) >= 2, outlets
    # Without the outlet rule this budget goes to the State Courier's lead and
    # its next sentence, which state every fact the others report.
    assert set(outlets) - {"State Courier"}
    assert summary.notes == ()
    for sentence in summary.sentences:
        article = next(a for a in THREE_OUTLETS.articles if a.id == sentence.taken_from)
        assert sentence.outlet == article.outlet
        assert sentence.taken_from in sentence.sources
    # The opening of the gates, which all three report, is credited to more than one.
    assert any(len(s.sources) >= 2 for s in summary.sentences)


# One outlet reports the vote in loaded wording; the others state the same fact plainly.
LOADED_VOTE = Story(
    id="vote",
    articles=(
        Article(
            id=31,
            outlet="Tarn Times",
            title="Tarn assembly passes water tariff rise",
            text=(
                "The Tarn regional assembly voted 41 to 30 on Wednesday to raise water tariffs "
                "by eight percent from March. "
                "The rise will pay for new pipes in the eastern districts."
            ),
        ),
        Article(
            id=32,
            outlet="Valley Voice",
            title="Water tariffs to rise eight percent in Tarn",
            text=(
                "Water tariffs in Tarn will rise by eight percent from March after the regional "
                "assembly voted 41 to 30 on Wednesday. "
                "Officials said the money would pay for new pipes in the eastern districts."
            ),
        ),
        Article(
            id=33,
            outlet="Tarn Patriot",
            title="Shameful assembly rams through water tariff hike",
            text=(
                "The corrupt regional assembly shamefully rammed through a disastrous eight "
                "percent water tariff rise on Wednesday, 41 votes to 30, from March, to pay for "
                "new pipes in the eastern districts."
            ),
        ),
    ),
)


def test_a_plain_sentence_of_the_same_fact_beats_the_loaded_one() -> None:
    # One sentence: the loaded one states the most facts, and would win on them.
    single = summarize_story(LOADED_VOTE, SummaryOptions(max_sentences=1))
    assert [s.outlet for s in single.sentences] == ["Valley Voice"]
    summary = summarize_story(LOADED_VOTE)
    assert summary.sentences
    for sentence in summary.sentences:
        assert loaded_words(sentence.text) == [], sentence.text
    assert len({s.outlet for s in summary.sentences}) >= 2


def test_a_one_source_story_is_that_source_and_needs_no_note() -> None:
    story = Story(id="one", articles=(THREE_OUTLETS.articles[0],))
    summary = summarize_story(story)
    assert summary.sentences
    assert {s.taken_from for s in summary.sentences} == {21}
    assert {s.outlet for s in summary.sentences} == {"Northwire"}
    assert summary.notes == ()


def test_near_empty_sources_leave_one_outlet_and_a_note_saying_so() -> None:
    story = Story(
        id="thin",
        articles=(
            THREE_OUTLETS.articles[1],
            Article(id=41, outlet="Brief News", title="Dam", text="Developing."),
            Article(id=42, outlet="Quick Wire", title="", text=""),
        ),
    )
    summary = summarize_story(story)
    assert summary.sentences
    assert {s.outlet for s in summary.sentences} == {"Public Radio Ost"}
    assert summary.notes == (
        "The summary is drawn from Public Radio Ost alone: the other sources have no "
        "sentence usable in a summary.",
    )


def test_a_summary_too_short_for_two_outlets_says_so() -> None:
    # One sentence in all: no room for a second outlet.
    summary = summarize_story(THREE_OUTLETS, SummaryOptions(max_sentences=1))
    assert len(summary.sentences) == 1
    assert len(summary.notes) == 1
    assert "alone" in summary.notes[0]


def test_sentence_provenance_survives_the_json_contract() -> None:
    summary = summarize_story(THREE_OUTLETS)
    entry = DigestEntry(
        story_id="dam",
        summary=summary,
        sources=tuple(
            EntrySource(a.url, a.outlet, a.title or "", None, article_id=a.id)
            for a in THREE_OUTLETS.articles
        ),
        article_ids=(21, 22, 23),
        updated=None,
        notes=summary.notes,
    )
    data = entry_to_dict(entry)
    assert [s["article_id"] for s in data["sources"]] == [21, 22, 23]
    for sentence, written in zip(summary.sentences, data["summary_sentences"], strict=True):
        assert written["taken_from"] == sentence.taken_from
        assert written["outlet"] == sentence.outlet
        assert written["sources"] == list(sentence.sources)
    assert set(ENTRY_SCHEMA["properties"]["summary_sentences"]["items"]["properties"]) >= {
        "taken_from",
        "outlet",
        "sources",
    }
    assert entry_from_dict(data).summary.sentences == summary.sentences


def test_an_outlet_with_only_loaded_sentences_is_named_in_the_note() -> None:
    story = Story(id="vote-two", articles=(LOADED_VOTE.articles[0], LOADED_VOTE.articles[2]))
    summary = summarize_story(story)
    assert {s.outlet for s in summary.sentences} == {"Tarn Times"}
    assert summary.notes == (
        "The summary is drawn from Tarn Times alone: the other sources' sentences carry "
        "loaded wording.",
    )
