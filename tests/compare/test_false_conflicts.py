"""Causes of false conflicts, found by reading ohliad's conflicts on AllSides
stories outside the annotated set (issue 19), each on sentences written here:
an age read as a duration, an offset that holds its own "ago", the informants
of a report, one figure hedged two ways, a date of a thing rather than of the
act, and a sum an act moves set against the size of a thing."""

from __future__ import annotations

from datetime import date

from ohliad.compare import Comparison, compare_story
from ohliad.compare.claims import extract_claims
from ohliad.compare.conflicts import _comparable_in, _same_measure
from ohliad.models import Story
from tests.compare.test_issue19_examples import report


def _compare(*texts: str) -> Comparison:
    articles = tuple(report(k, text) for k, text in enumerate(texts, start=1))
    comparison = compare_story(Story("s", articles))
    assert comparison is not None
    return comparison


def test_an_age_is_no_duration() -> None:
    (claims,) = extract_claims(
        [(["Marta Kovacs, a 41-year-old nurse from Leeds, was jailed."], date(2026, 2, 16))]
    )
    assert [s for s in claims[0].slots if s.kind in ("duration", "date")] == []
    comparison = _compare(
        "Marta Kovacs, a 41-year-old nurse from Leeds, is the first protester to be jailed.",
        "A judge on Monday gave Marta Kovacs a nine-month jail term for her role in the protest.",
    )
    assert comparison.conflicts == ()


def test_an_offset_that_holds_its_ago_is_no_duration_to_dispute() -> None:
    (claims,) = extract_claims(
        [(["Diesel prices are up 41% from a year ago, the fuel board said."], date(2026, 2, 16))]
    )
    (claim,) = claims
    (offset,) = [s for s in claim.slots if s.kind == "duration"]
    assert offset.text == "a year ago"
    assert not _comparable_in(offset, claim)


def test_the_number_of_informants_is_no_fact_to_dispute() -> None:
    comparison = _compare(
        "Several engineers at the Tallinn plant fell ill in March and were taken to hospital, "
        "according to two people familiar with the inspection report.",
        "Three engineers at the Tallinn plant fell ill in March and were taken to hospital, "
        "according to the inspection report.",
    )
    assert comparison.conflicts == ()


def test_one_figure_hedged_two_ways_is_a_soft_difference() -> None:
    comparison = _compare(
        "Nearly 6 percent of passengers on the Riga line were fined for travelling without a "
        "ticket last month, the transport authority said.",
        "Over 6% of passengers on the Riga line were fined for travelling without a ticket last "
        "month, the transport authority said.",
    )
    assert [(c.soft, {s.value for s in c.sides}) for c in comparison.conflicts] == [
        (True, {"Nearly 6 percent", "Over 6%"})
    ]


def test_a_date_of_a_thing_is_no_rival_of_the_act_s_date() -> None:
    ((monday,), (appeal,)) = extract_claims(
        [
            (["The court declined on Monday to hear the city's challenge."], date(2026, 2, 16)),
            (["The court declined to hear an appeal of a 2020 ruling."], date(2026, 2, 16)),
        ]
    )
    (of_the_act,) = [s for s in monday.slots if s.kind == "date"]
    (of_a_thing,) = [s for s in appeal.slots if s.kind == "date"]
    assert not _same_measure(of_the_act, of_a_thing)
    # A part of the day still dates the act.
    (afternoon,) = extract_claims([(["He was jailed on Friday afternoon."], date(2026, 2, 16))])
    (friday,) = [s for s in afternoon[0].slots if s.kind == "date"]
    assert _same_measure(of_the_act, friday)


def test_a_sum_an_act_moves_is_no_size_of_the_thing() -> None:
    comparison = _compare(
        "Parliament is set to vote this week on a roughly $40 billion rail bill, the speaker said.",
        "The rail legislation up for a vote in parliament this week would add $9 billion to the "
        "deficit over the next decade, budget analysts said.",
    )
    assert comparison.conflicts == ()
