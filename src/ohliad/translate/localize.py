"""Dates and numbers written the Ukrainian way, in text already translated.

"March 3, 2023" → "3 березня 2023 року"; "1,200,000" → "1 200 000";
"3.5" → "3,5". Engines often leave English formats in place, or write
"2023 р." where the house style spells "року" out.
"""

from __future__ import annotations

import re
from datetime import date

NBSP = "\u00a0"

GENITIVE_MONTHS = (
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
)
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_NUMBER = {name.lower(): i + 1 for i, name in enumerate(ENGLISH_MONTHS)}
_MONTH_NUMBER.update({name[:3].lower(): i + 1 for i, name in enumerate(ENGLISH_MONTHS)})
_MONTH_NUMBER["sept"] = 9
_ENGLISH_MONTH = r"(?P<month>" + "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"

# "March 3, 2023", "March 3", "3 March 2023", "3 March".
_MONTH_DAY_YEAR = re.compile(rf"\b{_ENGLISH_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(rf"\b{_DAY}\s+{_ENGLISH_MONTH}\b(?:,?\s+{_YEAR}\b)?", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
# "3 березня 2023 р." or "3 березня 2023" → "3 березня 2023 року".
_UKRAINIAN_FULL_DATE = re.compile(
    r"\b(?P<day>\d{1,2})\s+(?P<month>" + "|".join(GENITIVE_MONTHS) + r")\s+(?P<year>\d{4})"
    r"(?:\s*(?:року|р\.|р\b))?"
)
_GROUPED_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]|\.\d)")
_DECIMAL_POINT = re.compile(r"(?<![\d.,])(\d+)\.(\d+)(?![\d]|\.\d)")
_LONG_INTEGER = re.compile(r"(?<![\d.,\u00a0])\d{5,}(?![\d]|[.,]\d)")


def ukrainian_date(day: int, month: int, year: int | None) -> str:
    """``3 березня 2023 року``, or ``3 березня`` without a year."""
    text = f"{day} {GENITIVE_MONTHS[month - 1]}"
    return f"{text} {year} року" if year else text


def _valid(day: int, month: int, year: int | None) -> bool:
    try:
        date(year or 2000, month, day)
    except ValueError:
        return False
    return True


def _english_date(match: re.Match[str]) -> str:
    day = int(match["day"])
    month = _MONTH_NUMBER[match["month"].lower().rstrip(".")]
    year = int(match["year"]) if match["year"] else None
    return ukrainian_date(day, month, year) if _valid(day, month, year) else match.group()


def _iso_date(match: re.Match[str]) -> str:
    day, month, year = int(match["day"]), int(match["month"]), int(match["year"])
    return ukrainian_date(day, month, year) if _valid(day, month, year) else match.group()


def _group_thousands(integer: str) -> str:
    # Ukrainian typography leaves four-digit numbers whole (2023, 1200).
    if len(integer) <= 4:
        return integer
    groups: list[str] = []
    while len(integer) > 3:
        integer, tail = integer[:-3], integer[-3:]
        groups.insert(0, tail)
    return NBSP.join([integer, *groups])


def _grouped(match: re.Match[str]) -> str:
    integer, _, fraction = match.group().replace(",", "").partition(".")
    return _group_thousands(integer) + ("," + fraction if fraction else "")


def localize_dates(text: str) -> str:
    text = _MONTH_DAY_YEAR.sub(_english_date, text)
    text = _DAY_MONTH_YEAR.sub(_english_date, text)
    text = _ISO_DATE.sub(_iso_date, text)
    return _UKRAINIAN_FULL_DATE.sub(
        lambda m: ukrainian_date(
            int(m["day"]), GENITIVE_MONTHS.index(m["month"]) + 1, int(m["year"])
        ),
        text,
    )


def localize_numbers(text: str) -> str:
    """Thousands grouped with a no-break space (from five digits, as Ukrainian
    typography does), a decimal comma."""
    text = _GROUPED_NUMBER.sub(_grouped, text)
    text = _DECIMAL_POINT.sub(r"\1,\2", text)
    return _LONG_INTEGER.sub(lambda m: _group_thousands(m.group()), text)


def localize(text: str) -> str:
    return localize_numbers(localize_dates(text))
