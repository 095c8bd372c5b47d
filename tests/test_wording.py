"""Counts in messages take the noun's number."""

from __future__ import annotations

import pytest

from ohliad.wording import plural


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (1, "feed", "1 feed"),
        (0, "feed", "0 feeds"),
        (2, "story", "2 stories"),
        (1, "story", "1 story"),
        (3, "day", "3 days"),
        (12_000, "poll", "12,000 polls"),
    ],
)
def test_plural(count: int, noun: str, expected: str) -> None:
    assert plural(count, noun) == expected


def test_an_irregular_plural_is_given() -> None:
    assert plural(2, "copy of a report", "copies of a report") == "2 copies of a report"
