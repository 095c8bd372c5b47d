"""Typed slot values and their normalisation: numbers with units and vagueness,
durations, dates resolved against the publication date, clock times.

Every value becomes an interval. An exact figure covers the rounding its
digits imply ("2.1" is 2.05–2.15, "1,200" is 1,150–1,250); a hedge widens or
bounds it ("about 10" is 8.5–11.5, "more than 300" is above 300). Two values
conflict only when their intervals are disjoint; overlapping intervals that are
stated differently are a soft difference.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

# Hedges before a figure, and the interval each one implies around it.
_HEDGES: tuple[tuple[str, str], ...] = (
    ("more than", "above"),
    ("over", "above"),
    ("above", "above"),
    ("upwards of", "above"),
    ("in excess of", "above"),
    ("at least", "atleast"),
    ("no fewer than", "atleast"),
    ("less than", "below"),
    ("fewer than", "below"),
    ("under", "below"),
    ("below", "below"),
    ("up to", "atmost"),
    ("at most", "atmost"),
    ("no more than", "atmost"),
    ("nearly", "nearly"),
    ("almost", "nearly"),
    ("close to", "nearly"),
    ("just under", "nearly"),
    ("about", "approx"),
    ("around", "approx"),
    ("roughly", "approx"),
    ("approximately", "approx"),
    ("an estimated", "approx"),
    ("estimated", "approx"),
    ("some", "approx"),
    # Emphasis, no hedge: spaCy keeps it in the figure ("just 47%", "only 12").
    ("just", "exact"),
    ("only", "exact"),
    ("a mere", "exact"),
)
# The phrases, longest first, for finding a hedge before a figure.
HEDGE_PHRASES = tuple(sorted((phrase for phrase, _ in _HEDGES), key=len, reverse=True))
_HEDGE_OF = dict(_HEDGES)
_APPROX_TOLERANCE = 0.15

_UNITS_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "a dozen": 12,
    "dozen": 12,
}
_TENS_WORDS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "mln": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# Units a figure can carry, mapped to a canonical unit; durations in seconds.
_DURATION_SECONDS = {
    "second": 1,
    "minute": 60,
    "hour": 3_600,
    "day": 86_400,
    "week": 604_800,
    "month": 2_629_800,
    "year": 31_557_600,
}
_UNIT_ALIASES = {
    "%": "percent",
    "percent": "percent",
    "per cent": "percent",
    "percentage points": "percentage point",
    "percentage point": "percentage point",
    "km": "kilometre",
    "kilometre": "kilometre",
    "kilometer": "kilometre",
    "mile": "mile",
    "metre": "metre",
    "meter": "metre",
    "m": "metre",
    "euro": "euro",
    "€": "euro",
    "dollar": "dollar",
    "$": "dollar",
    "£": "pound",
    "pound": "pound",
    "hryvnia": "hryvnia",
    "hryvnias": "hryvnia",
    "rouble": "rouble",
    "ruble": "rouble",
    "yuan": "yuan",
    "tonne": "tonne",
    "ton": "tonne",
    "litre": "litre",
    "liter": "litre",
}
# Conversions into one canonical unit per dimension, so "10 km" equals "10,000 metres".
_UNIT_FACTORS = {"kilometre": ("metre", 1_000.0), "mile": ("metre", 1_609.344)}

_SINGULAR_UNITS = frozenset(_DURATION_SECONDS)

# Words that name a unit, not what is measured: sharing them says nothing.
UNIT_WORDS = frozenset(
    {*_UNIT_ALIASES, *_DURATION_SECONDS, *_SCALES, "percentage", "point", "cent", "per"}
)

_NUMBER_RE = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w])")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure as an interval [low, high] in a canonical unit ("" for a bare count)."""

    low: float
    high: float
    unit: str
    hedge: str  # "exact", "approx", "above", "atleast", "below", "atmost", "nearly"
    text: str
    figure: float  # the figure as stated, in the canonical unit

    def overlaps(self, other: Quantity) -> bool:
        if self.low == self.high or other.low == other.high:  # points (clock times)
            return self.low <= other.high and other.low <= self.high
        # Strict: "five" (4.5-5.5) and "six" (5.5-6.5) only touch.
        return self.low < other.high and other.low < self.high

    def normalized(self) -> str:
        """'>3000', '~10 min', '6.4', '29.4 percent': the hedge, figure and unit."""
        sign = _HEDGE_SIGNS[self.hedge]
        if self.unit == "second":
            return f"{sign}{_readable_duration(self.figure)}"
        if self.unit == "clock":
            return f"{int(self.figure) // 60:02d}:{int(self.figure) % 60:02d}"
        unit = f" {self.unit}" if self.unit else ""
        return f"{sign}{self.figure:g}{unit}"


_HEDGE_SIGNS = {
    "exact": "",
    "approx": "~",
    "above": ">",
    "atleast": "≥",
    "below": "<",
    "atmost": "≤",
    "nearly": "nearly ",
}


def _readable_duration(seconds: float) -> str:
    for unit, size in (("year", 31_557_600), ("day", 86_400), ("h", 3_600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:g} {unit}"
    return f"{seconds:g} s"


def _hedge_of(text: str) -> tuple[str, str]:
    """The hedge at the start of ``text`` and the rest of it."""
    lowered = text.lower().strip()
    for phrase in HEDGE_PHRASES:
        if lowered.startswith(phrase + " "):
            return _HEDGE_OF[phrase], text.strip()[len(phrase) + 1 :]
    return "exact", text.strip()


def _word_number(words: list[str]) -> float | None:
    """'twenty-three', 'fifteen', 'a dozen' -> a number; None when not a number word."""
    joined = " ".join(words).lower().replace("-", " ")
    if joined in _UNITS_WORDS:
        return float(_UNITS_WORDS[joined])
    parts = joined.split()
    if parts and parts[0] in _TENS_WORDS:
        rest = parts[1:]
        if not rest:
            return float(_TENS_WORDS[parts[0]])
        if len(rest) == 1 and rest[0] in _UNITS_WORDS and _UNITS_WORDS[rest[0]] < 10:
            return float(_TENS_WORDS[parts[0]] + _UNITS_WORDS[rest[0]])
    return None


_LONG_FIGURE = 5
_WRITTEN_OUT_DIGITS = 3


def _parse_figure(text: str) -> tuple[float, float, str] | None:
    """The first figure in ``text``: (value, rounding half-width, the text after it)."""
    match = _NUMBER_RE.search(text)
    if match and not text[: match.start()].strip(" $€£"):
        digits = match.group(1).replace(",", "")
        decimals = match.group(2) or ""
        value = float(f"{digits}.{decimals}" if decimals else digits)
        if decimals:
            half = 0.5 * 10 ** -len(decimals)
        else:
            trailing_zeros = len(digits) - len(digits.rstrip("0"))
            # A long figure written out in digits ("360,000") keeps three
            # significant digits: a rounder one would read "360 thousand".
            kept = _WRITTEN_OUT_DIGITS if len(digits) >= _LONG_FIGURE else 2
            half = 0.5 * 10 ** min(trailing_zeros, max(len(digits) - kept, 0))
        return value, half, text[match.end() :]
    words = text.replace("-", " ").split()
    if len(words) >= 2 and words[0].lower() in ("a", "an") and words[1].lower() in _SINGULAR_UNITS:
        return 1.0, 0.5, " ".join(words[1:])  # "a month", "an hour"
    if len(words) >= 2 and words[0].lower() in ("a", "an") and words[1].lower() in _SCALES:
        return 1.0, 0.5, " ".join(words[1:])  # "a million": one, then the scale
    for size in (2, 1):
        if len(words) >= size and (spelled := _word_number(words[:size])) is not None:
            return spelled, 0.5, " ".join(words[size:])
    return None


def _unit_of(rest: str, prefix: str) -> tuple[str, float]:
    """The canonical unit named after (or, for currency signs, before) a figure,
    with the scale multiplier ('2.1 billion euros' -> ('euro', 1e9))."""
    words = rest.lower().replace("-", " ").split()
    scale = 1.0
    if words and words[0] in _SCALES:
        scale = float(_SCALES[words.pop(0)])
    sign = prefix.strip()[-1:] if prefix.strip() else ""
    if sign in _UNIT_ALIASES:
        return _UNIT_ALIASES[sign], scale
    if rest.lstrip().startswith("%"):
        return "percent", scale
    for size in (2, 1):
        phrase = " ".join(words[:size])
        singular = phrase[:-1] if phrase.endswith("s") else phrase
        for candidate in (phrase, singular):
            if candidate in _UNIT_ALIASES:
                return _UNIT_ALIASES[candidate], scale
            if candidate in _DURATION_SECONDS:
                return "second", scale * _DURATION_SECONDS[candidate]
    return "", scale


def parse_quantity(text: str) -> Quantity | None:
    """A figure with its hedge and unit: 'more than 3,000', 'roughly 10 minutes',
    'nearly four hours', '$2.3 billion', '29.4 percent'. None when no figure."""
    hedge, rest = _hedge_of(text)
    prefix_match = re.match(r"^\s*([$€£]?)", rest)
    prefix = prefix_match.group(1) if prefix_match else ""
    figure = _parse_figure(rest)
    if figure is None:
        return None
    value, half, after = figure
    unit, scale = _unit_of(after, prefix)
    multiplier = scale
    if unit in _UNIT_FACTORS:
        unit, factor = _UNIT_FACTORS[unit]
        multiplier *= factor
    value, half = value * multiplier, half * multiplier
    low, high = _interval(hedge, value, half)
    return Quantity(low=low, high=high, unit=unit, hedge=hedge, text=text.strip(), figure=value)


def _interval(hedge: str, value: float, half: float) -> tuple[float, float]:
    # Bounds are open in speech ("more than 300" excludes 300); a tiny step keeps them so.
    step = max(half, abs(value) * 1e-9) * 1e-3
    if hedge == "approx":  # never narrower than the figure as written ("roughly $1 trillion")
        low, high = value * (1 - _APPROX_TOLERANCE), value * (1 + _APPROX_TOLERANCE)
        return min(low, value - half), max(high, value + half)
    if hedge == "above":
        return value + step, math.inf
    if hedge == "atleast":
        return value, math.inf
    if hedge == "below":
        return 0.0, value - step
    if hedge == "atmost":
        return 0.0, value
    if hedge == "nearly":
        return value * (1 - _APPROX_TOLERANCE), value - step
    return value - half, value + half


# ---------------------------------------------------------------- dates

_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS.pop("may", None)
_MONTHS["may"] = 5
_PERIOD_WORDS = frozenset({"months", "weeks", "days", "quarter", "half", "through", "between"})
_YEAR_RE = re.compile(r"\b(19\d\d|20\d\d)\b")
_DAY_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\b")


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A calendar interval [start, end] (inclusive) with the text it came from."""

    start: date
    end: date
    text: str

    def overlaps(self, other: DateSpan) -> bool:
        return self.start <= other.end and other.start <= self.end

    def normalized(self) -> str:
        """'2026-02-12', '2024-03', '2025', or 'start/end'."""
        if self.start == self.end:
            return self.start.isoformat()
        first, last = _month_span(self.start.year, self.start.month)
        if (self.start, self.end) == (first, last):
            return self.start.strftime("%Y-%m")
        if (self.start, self.end) == (date(self.start.year, 1, 1), date(self.start.year, 12, 31)):
            return str(self.start.year)
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _weekday_date(weekday: int, published: date, direction: str) -> date:
    """The weekday in the given direction from the publication date: 'past'
    includes the publication day, 'last' excludes it, 'future' is after it,
    'nearest' is within three days either way ("on Friday" in a Thursday paper)."""
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if direction == "future":  # "will vote on Wednesday" in a Wednesday paper: today
        return published + timedelta(days=ahead)
    if direction == "next":
        return published + timedelta(days=ahead or 7)
    if direction == "last" and back == 0:
        back = 7
    if direction == "nearest" and back > 3:
        return published + timedelta(days=7 - back)
    return published - timedelta(days=back)


def _direction(words: list[str], tense: str) -> str:
    if "last" in words:
        return "last"
    if "next" in words:
        return "next"
    if tense == "future":
        return "future"
    return "past" if tense == "past" else "nearest"


def resolve_date(text: str, published: date, tense: str = "unknown") -> DateSpan | None:
    """Resolve a date expression against the article's publication date.

    'Thursday', 'last Thursday', 'yesterday', 'last July', 'in January',
    'March 2', 'April 2024', 'last year', '2029'. ``tense`` ('past', 'future'
    or 'unknown') is the tense of the verb the date belongs to: a bare weekday
    or month points back in a past-tense sentence, forward in a future one, and
    to the nearest one otherwise. None when the text names no calendar date
    ('five years', 'overnight').
    """
    lowered = text.lower()
    words = re.findall(r"[a-z]+", lowered)
    direction = _direction(words, tense)
    for word, offset in (("yesterday", -1), ("today", 0), ("tonight", 0), ("tomorrow", 1)):
        if word in words:
            day = published + timedelta(days=offset)
            return DateSpan(day, day, text)
    year_match = _YEAR_RE.search(lowered)
    months = [_MONTHS[w] for w in words if w in _MONTHS]
    if months and _PERIOD_WORDS & set(words):
        return None  # "the three months through June": a period this reading does not model
    if len(months) >= 2:  # "November to February": from the first month to the last
        end_year = (
            int(year_match.group(1))
            if year_match
            else _year_for_month(months[-1], published, direction)
        )
        start, _ = _month_span(end_year - (months[0] > months[-1]), months[0])
        _, end = _month_span(end_year, months[-1])
        return DateSpan(start, end, text)
    month = months[0] if months else None
    weekday = next((_WEEKDAYS[w] for w in words if w in _WEEKDAYS), None)
    if month is not None:
        day_match = _DAY_RE.search(_YEAR_RE.sub("", lowered))
        if year_match:
            year = int(year_match.group(1))
        else:
            year = _year_for_month(month, published, direction)
        if day_match and 1 <= int(day_match.group(1)) <= calendar.monthrange(year, month)[1]:
            day = date(year, month, int(day_match.group(1)))
            if "week" in words and ("ended" in words or "ending" in words):
                return DateSpan(day - timedelta(days=6), day, text)  # "the week ended Aug. 7"
            return DateSpan(day, day, text)
        start, end = _month_span(year, month)
        return DateSpan(start, end, text)
    if weekday is not None:
        day = _weekday_date(weekday, published, direction)
        return DateSpan(day, day, text)
    if year_match and len(words) <= 3:
        year = int(year_match.group(1))
        return DateSpan(date(year, 1, 1), date(year, 12, 31), text)
    return _relative_period(words, published, text)


def _year_for_month(month: int, published: date, direction: str) -> int:
    """'in July' in a June article: last year's July when looking back, this
    year's ahead, and the closer of the two when the tense does not say."""
    if direction in ("future", "next"):
        return published.year if month >= published.month else published.year + 1
    if direction == "last":
        return published.year if month < published.month else published.year - 1
    if direction == "past" or month <= published.month:
        return published.year if month <= published.month else published.year - 1
    ahead, behind = month - published.month, published.month + 12 - month
    return published.year if ahead <= behind else published.year - 1


# "The next few days", "the coming days": after the publication day, up to a week on.
_FEW_DAYS = 7
_AHEAD_WORDS = frozenset({"next", "coming"})
_VAGUE_COUNTS = frozenset({"few", "several", "coming"})
_YEAR_START = frozenset({"start", "beginning"})


def _relative_period(words: list[str], published: date, text: str) -> DateSpan | None:
    """'last week', 'this month', 'last year', 'next year', 'the next few days'."""
    if "days" in words and _AHEAD_WORDS & set(words) and _VAGUE_COUNTS & set(words):
        return DateSpan(published + timedelta(days=1), published + timedelta(days=_FEW_DAYS), text)
    offsets = {"last": -1, "this": 0, "next": 1}
    offset = next((offsets[w] for w in words if w in offsets), None)
    if "year" in words and _YEAR_START & set(words):
        # "at the start of the year", "the beginning of last year": its first month.
        start, end = _month_span(published.year + (offset or 0), 1)
        return DateSpan(start, end, text)
    if offset is None:
        return None
    if "year" in words:
        year = published.year + offset
        return DateSpan(date(year, 1, 1), date(year, 12, 31), text)
    if "month" in words:
        month_index = published.year * 12 + published.month - 1 + offset
        start, end = _month_span(month_index // 12, month_index % 12 + 1)
        return DateSpan(start, end, text)
    if "week" in words:
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=offset)
        return DateSpan(monday, monday + timedelta(days=6), text)
    return None


# ---------------------------------------------------------------- clock times

_CLOCK_RE = re.compile(
    r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)|\b(\d{1,2}):(\d{2})\b", re.IGNORECASE
)


def parse_clock(text: str) -> Quantity | None:
    """'11:42 p.m.', '7 a.m.', '15:00' as minutes after midnight (unit 'clock')."""
    match = _CLOCK_RE.search(text)
    if not match:
        return None
    if match.group(3):
        hour, minute = int(match.group(1)) % 12, int(match.group(2) or 0)
        if match.group(3).lower().startswith("p"):
            hour += 12
    else:
        hour, minute = int(match.group(4)), int(match.group(5))
    if hour > 23 or minute > 59:
        return None
    value = float(hour * 60 + minute)
    return Quantity(
        low=value, high=value, unit="clock", hedge="exact", text=text.strip(), figure=value
    )
