"""Causes of false conflicts, found by reading ohliad's conflicts on AllSides
stories outside the annotated set (issue 19), each on sentences written here:
an age read as a duration, an offset that holds its own "ago", the informants
of a report, one figure hedged two ways, a date of a thing rather than of the
act, and a sum an act moves set against the size of a thing."""

from __future__ import annotations

from datetime import date

from ohliad.compare import Comparison, compare_story
from ohliad.compare.claims import extract_claims
from ohliad.compare.conflicts import _comparable_in, _same_measure, _same_order, precision_only
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


def test_a_looser_figure_stays_within_the_order_of_the_other() -> None:
    published = date(2026, 2, 16)
    ((deaths,), (doses,), (exact,)) = extract_claims(
        [
            (["The outbreak has killed more than 2 million people."], published),
            (["The pledge now stands at more than 900 million shots."], published),
            (["The outbreak has killed 2,310,000 people."], published),
        ]
    )
    looser, far, near = (
        next(s for s in c.slots if s.kind == "number") for c in (deaths, doses, exact)
    )
    assert precision_only(looser, far)  # the bound alone would allow it
    assert not _same_order(looser, far)
    assert _same_order(looser, near)


def test_one_item_of_a_list_is_no_rival_of_the_total() -> None:
    comparison = _compare(
        "Pharmacies have thrown away at least 14.2 million masks since March 1, according to "
        "government data, a far larger number than previously known.",
        "According to the self-reported numbers, Boots reported wasting 3.1 million masks, "
        "Superdrug reported 2.4 million, Tesco reported 1.2 million and Asda reported 0.9 million.",
        "The 14.2 million wasted masks might even be an undercount, according to the report.",
    )
    assert comparison.conflicts == ()


def test_what_is_expected_is_no_rival_of_what_was() -> None:
    comparison = _compare(
        "The turbine brought in $2.1 billion in revenue in the first three months of this year, "
        "Vestra reported.",
        "Vestra said it expects its turbine to generate about $9 billion in revenue this year.",
    )
    assert comparison.conflicts == ()


def test_two_named_bodies_acting_on_two_days_are_two_acts() -> None:
    comparison = _compare(
        "The European Medicines Agency gave emergency approval Thursday night for a second dose "
        "of the malaria vaccine in young children.",
        "The World Health Organization gave final approval Friday to start giving second doses "
        "of the malaria vaccine to young children.",
    )
    assert comparison.conflicts == ()


def test_a_figure_in_a_name_is_no_count() -> None:
    (claims,) = extract_claims(
        [(["The Group of 7 pledged 1 billion doses to poorer countries."], date(2026, 2, 16))]
    )
    assert [s.text for s in claims[0].slots if s.kind == "number"] == ["1 billion"]
