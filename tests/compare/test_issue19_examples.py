"""The examples of issue 19 (a comparison that credits sources with what they did
not say): differing figures are conflicts, never agreements; the last meeting
placed and dated differently is a conflict however the sentences put it; a
quote is credited only to a source that gives its words; common nouns are no
speakers; background past the 30th sentence is read; and the bundled sample's
"About 1,100 trucks" is no longer agreed by an outlet that says 800."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from ohliad.compare import CompareOptions, Comparison, compare_story
from ohliad.ingest.sources import read_inputs
from ohliad.models import Article, Story

PUBLISHED = datetime.fromisoformat("2026-02-16T12:00:00+00:00")
SAMPLE = Path(__file__).resolve().parents[2] / "src" / "ohliad" / "data" / "sample"


def report(article_id: int, text: str, published: datetime = PUBLISHED) -> Article:
    return Article(
        title=f"Report {article_id}",
        text=text,
        url=f"https://outlet{article_id}.example/a",
        outlet=f"Outlet {article_id}",
        language="en",
        id=article_id,
        published=published,
    )


def _compare(*texts: str, published: datetime = PUBLISHED) -> Comparison:
    comparison = compare_story(
        Story("s", tuple(report(k, t, published) for k, t in enumerate(texts, start=1)))
    )
    assert comparison is not None
    return comparison


def _values(comparison: Comparison, slot: str) -> list[set[str]]:
    return [
        {side.value for side in c.sides}
        for c in comparison.conflicts
        if c.slot == slot and not c.soft
    ]


def _sections(comparison: Comparison) -> list[tuple[int, int, str]]:
    """(article, sentence, section) of every cited sentence."""
    cited = [(c, "agreed") for a in comparison.agreed for c in a.citations]
    cited += [(u.citation, "unique") for u in comparison.unique]
    cited += [(c, "conflict") for x in comparison.conflicts for s in x.sides for c in s.citations]
    return [(c.source.article_id, c.sentence or 0, section) for c, section in cited]


def _credited(comparison: Comparison) -> list[tuple[str, str]]:
    """(statement, quote of each credited source)."""
    return [(a.statement, c.quote) for a in comparison.agreed for c in a.citations]


@pytest.fixture(scope="module")
def tram() -> Comparison:
    # Three short reports that differ on a cost and on a daily ridership.
    return _compare(
        "The new tram line in Porto cost 310 million euros, the city said on Monday. "
        "It will carry about 60,000 passengers a day.",
        "Porto's new tram line cost 280 million euros, city officials said on Monday. "
        "The line is expected to carry 45,000 passengers a day.",
        "The tram line, which opened in Porto on Monday, cost 310 million euros. "
        "It is expected to carry 45,000 riders daily.",
    )


def test_differing_figures_are_conflicts_not_agreements(tram: Comparison) -> None:
    numbers = _values(tram, "number")
    assert {"310 million euros", "280 million euros"} in numbers
    assert any("about 60,000 passengers" in v and "45,000 passengers" in v for v in numbers)
    for statement, quote in _credited(tram):
        for figure in ("310", "280", "60,000", "45,000"):
            assert (figure in statement) == (figure in quote), (statement, quote)


def test_each_sentence_lands_in_one_section(tram: Comparison) -> None:
    places = _sections(tram)
    sections: dict[tuple[int, int], set[str]] = {}
    for article, sentence, section in places:
        sections.setdefault((article, sentence), set()).add(section)
    assert all(len(found) == 1 for found in sections.values()), sections
    assert len(sections) == 6  # every sentence of every source is placed


def test_last_meeting_in_other_words_is_a_conflict() -> None:
    comparison = _compare(
        "The last time Ellison and Wen met was in Vienna in March.",
        "Ellison and Wen were last in the same room at a summit in Tokyo in June.",
    )
    assert {"Vienna", "Tokyo"} in _values(comparison, "place")
    assert {"March", "June"} in _values(comparison, "date")
    assert not comparison.agreed


def test_a_quote_is_credited_only_to_a_source_giving_its_words() -> None:
    comparison = _compare(
        '"The talks were useful," the official said. '
        'The report said "prices will rise sharply next year".',
        '"We expect more talks soon," said Ellison. '
        'The agency\'s report warned that "prices will rise sharply next year".',
    )
    credited = _credited(comparison)
    assert not any("useful" in s and "expect" in q for s, q in credited)
    assert any("prices will rise" in s and "warned" in q for s, q in credited)


def test_common_nouns_are_never_speakers() -> None:
    comparison = _compare(
        '"The talks were useful," the official said. One paragraph reads "the state shall '
        'pay all costs". The report said "prices will rise sharply next year".',
        '"We expect more talks soon," said Ellison.',
    )
    speakers = {c.speaker for a in comparison.agreed for c in a.citations}
    speakers |= {u.citation.speaker for u in comparison.unique}
    assert speakers <= {None, "Ellison"}
    assert "Ellison" in speakers


def test_background_past_the_thirtieth_sentence_is_compared() -> None:
    filler = " ".join(f"Delegates from region {n} arrived at the venue." for n in range(40))
    comparison = _compare(
        f"The ministers met in Oslo on Monday. {filler} "
        "The two ministers last met in Vienna in March.",
        "The ministers met in Oslo on Monday. They were last in the same room in Tokyo in June.",
    )
    assert {"Vienna", "Tokyo"} in _values(comparison, "place")
    assert not comparison.notes


def test_sample_trucks_are_not_agreed_by_an_outlet_that_says_800() -> None:
    files = [
        SAMPLE / "text" / "northernledger-dorohusk-blockade-ends.txt",
        SAMPLE / "articles.jsonl",
    ]
    articles = [
        a
        for a in read_inputs([str(f) for f in files])
        if isinstance(a, Article) and "Dorohusk" in a.title
    ]
    assert {a.outlet for a in articles} == {"Northern Ledger", "Lakeside Courier"}
    comparison = compare_story(Story("dorohusk", tuple(articles)))
    assert comparison is not None
    for statement, quote in _credited(comparison):
        assert ("1,100" in statement) == ("1,100" in quote)
        assert ("800" in statement) == ("800" in quote)
    trucks = [
        (c.source.outlet, c.quote)
        for u in comparison.unique
        for c in (u.citation,)
        if "trucks were waiting" in c.quote
    ]
    trucks += [
        (c.source.outlet, c.quote)
        for x in comparison.conflicts
        for s in x.sides
        for c in s.citations
        if "trucks were waiting" in c.quote
    ]
    # Each outlet's own figure is cited to it alone.
    assert sorted(trucks) == sorted(
        [
            ("Lakeside Courier", next(q for o, q in trucks if "800" in q)),
            ("Northern Ledger", next(q for o, q in trucks if "1,100" in q)),
        ]
    )


def test_forecasts_of_one_figure_are_rivals() -> None:
    comparison = _compare(
        "Initial jobless claims fell to 473,000 last week. The number was below "
        "expectations of 500,000.",
        "Initial jobless claims fell to 473,000 last week. Economists had expected claims "
        "to fall to 475,000.",
    )
    assert {"500,000", "475,000"} in _values(comparison, "number")


def test_a_rounded_sum_against_a_precise_one_is_a_soft_difference() -> None:
    comparison = _compare(
        "The Senate voted to approve a roughly $1 trillion bill to revamp the nation's "
        "infrastructure on Tuesday.",
        "A sweeping, $1.2 trillion bipartisan infrastructure package coasted through the "
        "Senate on Tuesday.",
        published=datetime.fromisoformat("2026-02-18T12:00:00+00:00"),  # a Wednesday
    )
    soft = [{s.value for s in c.sides} for c in comparison.conflicts if c.soft]
    assert any(
        "$1.2 trillion" in v and any("1 trillion" in x for x in v - {"$1.2 trillion"}) for v in soft
    ), comparison.conflicts
    assert not _values(comparison, "number")


def test_a_source_cut_at_the_character_cap_is_noted() -> None:
    filler = " ".join(f"Delegates from region {n} arrived at the venue." for n in range(200))
    story = Story(
        "long",
        (
            report(1, f"The ministers last met in Vienna in March. {filler}"),
            report(2, "The ministers were last in the same room in Tokyo in June."),
        ),
    )
    comparison = compare_story(story, CompareOptions(max_article_chars=2_000))
    assert comparison is not None
    assert any(n.startswith("Outlet 1: compared its first") for n in comparison.notes)
    assert not any(n.startswith("Outlet 2") for n in comparison.notes)
    assert {"Vienna", "Tokyo"} in _values(comparison, "place")
