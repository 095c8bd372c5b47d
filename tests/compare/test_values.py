"""Normalisation of slot values: figures with hedges and units, durations,
dates resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from ohliad.compare.values import Quantity, parse_clock, parse_quantity, resolve_date

MONDAY = date(2026, 2, 16)


def _quantity(text: str) -> Quantity:
    quantity = parse_quantity(text)
    assert quantity is not None, text
    return quantity


@pytest.mark.parametrize(
    ("text", "figure", "unit", "hedge"),
    [
        ("more than 3,000", 3000, "", "above"),
        ("At least 15", 15, "", "atleast"),
        ("twenty-three", 23, "", "exact"),
        ("29.4 percent", 29.4, "percent", "exact"),
        ("31%", 31, "percent", "exact"),
        ("2.1 billion euros", 2.1e9, "euro", "exact"),
        ("$2.3 billion", 2.3e9, "dollar", "exact"),
        ("10 kilometres", 10_000, "metre", "exact"),
        ("nearly four hours", 4 * 3600, "second", "nearly"),
    ],
)
def test_figures_keep_hedge_and_canonical_unit(
    text: str, figure: float, unit: str, hedge: str
) -> None:
    quantity = _quantity(text)
    assert quantity.figure == pytest.approx(figure)
    assert (quantity.unit, quantity.hedge) == (unit, hedge)


def test_no_figure_is_none() -> None:
    assert parse_quantity("the ministry") is None


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ("seven", "nine", False),
        ("1,200", "1,500", False),
        ("6.4", "6.1", False),
        ("more than 3,000", "around 2,000", False),
        ("two hours", "nearly four hours", False),
        ("about 10", "10", True),  # vague against precise: both can be true
        ("at least 15", "fifteen", True),
        ("roughly 10 minutes", "less than 10 minutes", True),
        ("about 12,000", "some 12,500", True),
        ("2.1", "2.14", True),  # rounding
    ],
)
def test_intervals_overlap_only_when_both_can_be_true(a: str, b: str, overlap: bool) -> None:
    assert _quantity(a).overlaps(_quantity(b)) is overlap


def test_durations_compare_across_units() -> None:
    assert _quantity("120 minutes").overlaps(_quantity("two hours"))
    assert not _quantity("30 minutes").overlaps(_quantity("two hours"))


@pytest.mark.parametrize(
    ("text", "tense", "expected"),
    [
        ("last Thursday", "unknown", "2026-02-12"),
        ("Thursday", "past", "2026-02-12"),
        ("Friday", "future", "2026-02-20"),
        ("Friday", "unknown", "2026-02-13"),  # nearest: three days back
        ("Monday", "past", "2026-02-16"),  # the publication day itself
        ("yesterday", "unknown", "2026-02-15"),
        ("February 10", "past", "2026-02-10"),
        ("March 2", "future", "2026-03-02"),
        ("in January", "past", "2026-01"),
        ("last July", "unknown", "2025-07"),
        ("in October", "future", "2026-10"),
        ("March 2024", "past", "2024-03"),
        ("last year", "past", "2025"),
        ("last week", "past", "2026-02-09/2026-02-15"),
        ("the next few days", "future", "2026-02-17/2026-02-23"),
        ("the coming days", "unknown", "2026-02-17/2026-02-23"),
        ("the start of the year", "past", "2026-01"),
        ("the beginning of last year", "past", "2025-01"),
    ],
)
def test_dates_resolve_against_publication(text: str, tense: str, expected: str) -> None:
    span = resolve_date(text, MONDAY, tense=tense)
    assert span is not None
    assert span.normalized() == expected


def test_month_before_publication_month_in_past_tense_is_last_year() -> None:
    span = resolve_date("in July", date(2026, 6, 19), tense="past")
    assert span is not None and span.normalized() == "2025-07"


def test_the_week_ended_a_day_is_that_week() -> None:
    span = resolve_date("the week ended Aug. 7", date(2021, 8, 19), tense="past")
    assert span is not None
    assert (span.start, span.end) == (date(2021, 8, 1), date(2021, 8, 7))


def test_spans_without_calendar_date_are_none() -> None:
    assert resolve_date("five years", MONDAY) is None
    assert resolve_date("overnight", MONDAY) is None
    assert resolve_date("the past 30 days", MONDAY) is None


def test_clock_times() -> None:
    late = parse_clock("11:42 p.m.")
    morning = parse_clock("7 a.m.")
    assert late is not None and late.normalized() == "23:42"
    assert morning is not None and morning.normalized() == "07:00"


def test_month_ranges_span_from_first_to_last_month() -> None:
    span = resolve_date("November to February", date(2021, 7, 29), tense="past")
    assert span is not None and span.normalized() == "2020-11-01/2021-02-28"
    assert resolve_date("the three months through June", MONDAY, tense="past") is None
