"""Causes of missed and false conflicts found on the real set's dev part (issue
19), each on sentences written here: breakdowns by place, a change against a
level, an earlier level ("from 406,000"), hedges spaCy leaves outside a figure,
figures that share only a rise, and a looser figure beside the source's own."""

from __future__ import annotations

from datetime import date

from ohliad.compare import Comparison, compare_story
from ohliad.compare.claims import Slot, extract_claims
from ohliad.compare.conflicts import _comparable_in, precision_only
from ohliad.compare.values import Quantity, parse_quantity
from ohliad.models import Story
from tests.compare.test_issue19_examples import report


def _compare(*texts: str) -> Comparison:
    articles = tuple(report(k, text) for k, text in enumerate(texts, start=1))
    comparison = compare_story(Story("s", articles))
    assert comparison is not None
    return comparison


def _sides(comparison: Comparison, soft: bool) -> list[set[str]]:
    return [{s.value for s in c.sides} for c in comparison.conflicts if c.soft == soft]


def test_breakdowns_by_place_compare_each_place_with_itself() -> None:
    comparison = _compare(
        "As of Monday evening, 8.4% of pharmacies in Ohio and 6.9% in Iowa had no insulin, "
        "according to figures from RxWatch.",
        "As of Monday evening, nearly 7 percent of Iowa pharmacies, more than 5 percent of Ohio "
        "pharmacies and more than 3 percent of Utah pharmacies were out of insulin, according "
        "to RxWatch.",
    )
    soft = _sides(comparison, soft=True)
    assert {"8.4%", "more than 5 percent"} in soft
    assert {"6.9%", "nearly 7 percent"} in soft
    assert len(comparison.conflicts) == 2


def test_a_change_is_compared_with_a_change_not_with_a_level() -> None:
    comparison = _compare(
        "Home sales rose by 40,000 in January, to 610,000, the realtors' group said.",
        "Home sales climbed by 55,000 in January, the realtors' group said.",
    )
    assert _sides(comparison, soft=False) == [{"40,000", "55,000"}]


def test_an_earlier_level_is_no_rival_of_a_forecast() -> None:
    comparison = _compare(
        "The median estimate in a Bloomberg survey of economists called for 280,000 applications.",
        "Economists had expected claims to fall to 300,000 from last week's 320,000.",
    )
    assert _sides(comparison, soft=False) == [{"280,000 applications", "300,000"}]


def test_figures_sharing_only_a_rise_are_not_rivals() -> None:
    comparison = _compare(
        "The number of Americans filing new claims increased by 51,000 to 419,000.",
        "The four-week moving average, a steadier gauge of layoffs, rose by 750 to 385,250.",
    )
    assert comparison.conflicts == ()


def test_a_hedge_outside_the_figure_is_kept() -> None:
    (claims,) = extract_claims(
        [(["Applications dipped below 400,000 for the first time."], date(2026, 2, 16))]
    )
    (slot,) = [s for s in claims[0].slots if s.kind == "number"]
    assert slot.text == "below 400,000"
    quantity = parse_quantity("just 47%")
    assert quantity is not None and (quantity.figure, quantity.hedge) == (47, "exact")


def test_a_looser_figure_beside_the_source_s_own_is_no_soft_difference() -> None:
    comparison = _compare(
        "President Lee on Friday proposed a budget that would run deficits in excess of "
        "$1 trillion for the next decade. Combined with other programs, the budget would "
        "spend $6 trillion.",
        "President Lee on Friday released his $6 trillion budget for next year.",
    )
    assert _sides(comparison, soft=True) == []


def test_two_bodies_estimates_of_one_figure_are_rivals() -> None:
    comparison = _compare(
        "That means some 9 million people will lose all benefits this week, according to an "
        "estimate by The Century Foundation.",
        "Oxford Economics estimates that roughly 11.2 million people will lose all benefits "
        "this week.",
    )
    # Overlapping only through both hedges: different figures, not a difference in precision.
    assert _sides(comparison, soft=False) == [
        {"some 9 million people", "roughly 11.2 million people"}
    ]
    assert _sides(comparison, soft=True) == []


def _slot(text: str) -> Slot:
    quantity = parse_quantity(text)
    assert quantity is not None
    return Slot("number", text, quantity, frozenset(), 0, len(text))


def test_a_difference_in_precision_has_one_figure_within_the_other() -> None:
    assert precision_only(_slot("nearly 8 percent"), _slot("7.7%"))
    assert precision_only(_slot("$1 trillion"), _slot("$1.2 trillion"))
    assert precision_only(_slot("more than 178,000"), _slot("188,829"))
    assert not precision_only(_slot("some 9 million"), _slot("roughly 11.2 million"))
    assert not precision_only(_slot("387,000"), _slot("400,000"))


def test_a_sentence_cut_before_any_verb_is_noted_not_unique() -> None:
    comparison = _compare(
        "The council approved the new stadium on Monday. The $400 million construction budget...",
        "The city council approved the new stadium on Monday.",
    )
    assert not any("construction budget" in u.citation.quote for u in comparison.unique)
    assert "Outlet 1: sentences cut off before a verb ('...') not compared: 1." in comparison.notes


def test_the_number_of_a_thing_is_about_that_thing() -> None:
    comparison = _compare(
        "Factory orders in Canada soared by nearly a million last week, the statistics office said.",
        "The number of factory orders rose by about 1 million to 7.4 million, the statistics "
        "office said.",
    )
    assert {"nearly a million", "about 1 million"} in _sides(comparison, soft=True)
    assert _sides(comparison, soft=False) == []


def test_a_change_with_or_without_by_is_one_measure() -> None:
    comparison = _compare(
        "Home sales fell by 9,000 last week, the realtors' group said.",
        "Home sales dropped 14,000 last week, the realtors' group said.",
    )
    assert _sides(comparison, soft=False) == [{"9,000", "14,000"}]


def test_figures_sharing_only_one_verb_of_change_are_not_rivals() -> None:
    comparison = _compare(
        "Nordwerk's shares fell 6 percent in Hamburg on Monday.",
        "Quarterly operating profit fell 22 percent to 1.4 billion euros.",
    )
    assert comparison.conflicts == ()


def test_figures_for_places_sharing_a_name_are_rivals() -> None:
    comparison = _compare(
        "Some 12% of homes in New York had no power on Monday, the utility said.",
        "About 20% of homes in New York City had no power on Monday, the utility said.",
    )
    assert _sides(comparison, soft=False) == [{"Some 12%", "About 20%"}]


def test_a_long_figure_written_in_digits_keeps_three_significant_digits() -> None:
    written_out, other = parse_quantity("360,000"), parse_quantity("359,000")
    assert written_out is not None and other is not None
    assert not written_out.overlaps(other)
    round_hedged = parse_quantity("about 12,000")
    assert round_hedged is not None and round_hedged.low <= 12_500 <= round_hedged.high


def test_a_forecast_of_new_claims_is_a_level_not_an_increment() -> None:
    published = date(2026, 2, 16)
    ((forecast,), (hires,)) = extract_claims(
        [
            (["The figure was below expectations of 268,000 new claims."], published),
            (["The plant announced 300 new hires on Monday."], published),
        ]
    )
    (level,) = [s for s in forecast.slots if s.kind == "number"]
    (increment,) = [s for s in hires.slots if s.kind == "number"]
    assert _comparable_in(level, forecast)
    assert not _comparable_in(increment, hires)


def test_one_measurement_at_two_times_is_a_conflict_of_times() -> None:
    comparison = _compare(
        "The booster remains 85% effective against severe illness a year after it is given, "
        "the study found. After four months, it is just 52% effective at preventing infection.",
        "The booster's effectiveness against infection fades, falling from a peak of 91% a "
        "month after the shot to 52% three months later, according to the study.",
    )
    assert _sides(comparison, soft=False) == [{"four months", "three months later"}]


def test_an_offset_alone_is_still_no_duration_to_compare() -> None:
    comparison = _compare(
        "After four months, the booster is 52% effective at preventing infection, the study found.",
        "Three months after the shot, the booster is 61% effective at preventing infection, "
        "the study found.",
    )
    assert [c for c in comparison.conflicts if c.slot == "duration"] == []


def test_a_participle_of_the_counted_noun_is_the_act_it_counts() -> None:
    comparison = _compare(
        "The regional health office raised the number of wounded residents to 4,700 on Monday.",
        "The landslide killed more than 300 people and injured at least 2,500 more, the "
        "regional health office said on Monday.",
    )
    assert _sides(comparison, soft=True) == [{"4,700", "at least 2,500"}]


def test_more_after_a_figure_of_another_act_is_no_increment() -> None:
    published = date(2026, 2, 16)
    ((others,), (increment,)) = extract_claims(
        [
            (["The blast killed 12 workers and injured 40 more."], published),
            (["Rescuers found 40 more bodies on Monday."], published),
        ]
    )
    injured = next(s for s in others.slots if s.text == "40")
    bodies = next(s for s in increment.slots if s.text == "40")
    assert _comparable_in(injured, others)
    assert not _comparable_in(bodies, increment)


def test_one_distinctive_figure_hedged_two_ways_is_compared_at_weak_alignment() -> None:
    comparison = _compare(
        "Nearly 64% of renters are set to get the rebate without having to take any further step.",
        "The housing law, signed by the governor in March, will mail quarterly checks to "
        "families including 64% of renters, starting in October.",
    )
    assert _sides(comparison, soft=True) == [{"Nearly 64%", "64%"}]


def test_a_small_figure_stated_alike_is_not_taken_for_one_figure() -> None:
    comparison = _compare(
        "Nearly 6% of renters are set to get the rebate without having to take any further step.",
        "The housing law, signed by the governor in March, will mail quarterly checks to "
        "families including 6% of renters, starting in October.",
    )
    assert comparison.conflicts == ()


def test_the_days_of_one_milestone_are_rivals_before_and_after_it() -> None:
    comparison = _compare(
        "In the next few days, the state will pass 40,000 cases of measles, the most in decades.",
        "The state recorded a sad milestone on Monday with more than 40,000 cases of measles, "
        "according to the health department.",
    )
    assert [{s.value for s in c.sides} for c in comparison.conflicts if c.slot == "date"] == [
        {"the next few days", "Monday"}
    ]


def test_a_date_of_another_clause_does_not_date_a_milestone() -> None:
    comparison = _compare(
        "The outbreak, which began in late 2024, has infected 40,000 people in the state.",
        "The outbreak infected more than 40,000 people in the state on Monday, officials said.",
    )
    assert [c for c in comparison.conflicts if c.slot == "date"] == []


def test_a_place_that_only_modifies_another_noun_does_not_frame_a_figure() -> None:
    comparison = _compare(
        "Denver-based Frontier Airlines canceled more than 700 flights on Sunday, leaving "
        "passengers stranded across the country.",
        "Frontier Airlines canceled at least 1,200 domestic flights and delayed another 1,500 "
        "flights on Sunday, leaving thousands of U.S. travelers stranded.",
    )
    assert _sides(comparison, soft=True) == [{"more than 700 flights", "at least 1,200"}]


def test_a_place_modifying_what_a_figure_is_about_still_frames_it() -> None:
    comparison = _compare(
        "Ohio voters cast 5.2 million ballots in the election, officials said.",
        "Texas voters cast 11 million ballots in the election, officials said.",
    )
    assert comparison.conflicts == ()


def test_a_date_of_another_clause_sets_no_figure_apart() -> None:
    comparison = _compare(
        "The virus, which emerged in late 2024, has killed 41,300 people in the region.",
        "The virus had killed more than 41,300 people in the region on Monday, the ministry said.",
    )
    assert _sides(comparison, soft=True) == [{"41,300 people", "more than 41,300 people"}]


def test_up_to_after_a_verb_of_change_is_no_hedge() -> None:
    published = date(2026, 2, 16)
    ((moved,), (bounded,)) = extract_claims(
        [
            (["The jobless rate ticked up to 4.4% in January."], published),
            (["The plant will hire up to 500 workers."], published),
        ]
    )
    (level,) = [s for s in moved.slots if s.kind == "number"]
    (most,) = [s for s in bounded.slots if s.kind == "number"]
    assert isinstance(level.value, Quantity) and level.value.hedge == "exact"
    assert level.text == "4.4%"
    assert isinstance(most.value, Quantity) and most.value.hedge == "atmost"


def test_a_demonstrative_subject_stands_for_the_noun_before_it() -> None:
    published = date(2026, 2, 16)
    ((_, level), (_, event)) = extract_claims(
        [
            (["Economists prefer the four-week average.", "This rose to 612,000."], published),
            (
                ["Weekly benefits ended in June.", "This will help fill 10.1 million jobs."],
                published,
            ),
        ]
    )
    (figure,) = [s for s in level.slots if s.kind == "number"]
    assert {"average", "week"} <= figure.context
    assert level.subject == "average"
    # "This will help ..." speaks of the event before, not of its last noun.
    (jobs,) = [s for s in event.slots if s.kind == "number"]
    assert "benefit" not in jobs.context
    assert event.subject == "this"


def test_one_subject_described_alike_gives_rival_levels() -> None:
    comparison = _compare(
        "The four-week moving average was 612,000, a decrease of 3,500 from the previous "
        "week's revised average.",
        "Claims swing from week to week, so economists like to look at the four-week average. "
        "This fell to 598,000, the lowest since the storm struck last March.",
    )
    assert _sides(comparison, soft=False) == [{"612,000", "598,000"}]


def test_figures_dated_to_one_month_are_one_level() -> None:
    comparison = _compare(
        "Weekly applications have fallen steadily this year from more than 700,000 at the "
        "start of the year.",
        "Jobless claims have been more than halved this year after reaching a peak of 712,000 "
        "in January.",
    )
    assert _sides(comparison, soft=True) == [{"more than 700,000", "712,000"}]


def test_figures_dated_to_other_months_are_no_rivals() -> None:
    comparison = _compare(
        "Weekly applications have fallen steadily this year from more than 700,000 at the "
        "start of the year.",
        "Jobless claims have been more than halved this year after reaching a peak of 712,000 "
        "in March.",
    )
    assert comparison.conflicts == ()
