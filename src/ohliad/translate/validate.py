"""Checks that a translation is Ukrainian, complete and free of engine chatter.

Each check returns a short reason, or None when the text passes. A text
that fails is never shown as Ukrainian.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ohliad.translate.spelling import unknown_share

_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
# Letters of Russian (and other Cyrillic alphabets) that Ukrainian does not have.
_NOT_UKRAINIAN = re.compile(r"[ыэъёЫЭЪЁ]")
# What chat models wrap around an answer, or echo from the prompt.
_CHATTER = re.compile(
    r"(^|\n)\s*(translation|ukrainian|переклад|український переклад|english|source)\s*:"
    r"|\b(here is|here's|sure[,!]|as an ai|i cannot|i can't|translate the|segments?)\b"
    r"|\b(ось переклад|перекладіть|перекладаю)\b|```|<\|?/?(im_start|im_end|s)\|?>",
    re.IGNORECASE,
)
# Kept in Latin script on purpose: links, handles, hashtags, placeholders, markup.
VERBATIM = re.compile(
    r"https?://\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}\b(?:/\S*)?|[@#]\w+|\[[^\]]*\]|<[^>]*>"
)
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
# Latin words that are names (capitalised, acronyms, with digits) may stay Latin
# (Bing, Instagram, NATO); lower-case English words are a translation left undone.
_NAME_LIKE = re.compile(r"[A-Z]")
# Numbers as written in English (1,200 / 3.5) and in Ukrainian (1 200 / 3,5).
# Ordinals and clock times (3rd, 2pm) are often written otherwise; small
# whole numbers often as words ("two weeks" / "два тижні").
_ENGLISH_NUMBER = re.compile(
    r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?![\w,]\d)(?!\s?(?:st|nd|rd|th|am|pm|a\.m|p\.m)\b)"
)
_UKRAINIAN_NUMBER = re.compile(
    r"(\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:[,.]\d+)?)(?:\s?(тис|млн|млрд))?"
)
_SCALE = {"тис": 1000, "млн": 1000000, "млрд": 1000000000}
SMALLEST_CHECKED_NUMBER = 11

MIN_CYRILLIC_SHARE = 0.6
# Over this share of unknown lower-case words a reply is not Ukrainian
# (shuffled letters, Russian, English in Cyrillic letters); real Ukrainian,
# professional or machine-made, stays far below it (bench/ukrainian_check.py).
MAX_UNKNOWN_SHARE = 0.25
# Below this many checked words one rare word would decide.
MIN_WORDS_FOR_SPELLING = 4
# Ukrainian runs longer than English; outside these bounds a sentence was cut
# short, or the engine rambled.
LENGTH_RATIO = (0.5, 2.5)
# Below this many letters a length ratio says nothing (“EU”, “Q2 GDP”).
MIN_LETTERS_FOR_RATIO = 20


def _letters(text: str) -> int:
    return len(_LETTER.findall(text))


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return None


def english_numbers(text: str) -> list[Decimal]:
    """The numbers a translation must carry over (see ``SMALLEST_CHECKED_NUMBER``)."""
    values = (_decimal(m.group().replace(",", "")) for m in _ENGLISH_NUMBER.finditer(text))
    return [
        v
        for v in values
        if v is not None and (v >= SMALLEST_CHECKED_NUMBER or v != v.to_integral_value())
    ]


def ukrainian_numbers(text: str) -> list[Decimal]:
    """Numbers in Ukrainian text; "20 тис." counts as both 20 and 20000."""
    found = []
    for match in _UKRAINIAN_NUMBER.finditer(text):
        digits = re.sub(r"[ \u00a0\u202f]", "", match.group(1)).replace(",", ".")
        value = _decimal(digits)
        if value is None:
            continue
        found.append(value)
        if match.group(2):
            found.append((value * _SCALE[match.group(2)]).normalize())
    return found


def script_problem(translation: str) -> str | None:
    """Not Ukrainian: too few Cyrillic letters, or letters Ukrainian lacks.
    Links, handles and Latin names are left out of the count."""
    text = VERBATIM.sub(" ", translation)
    text = _LATIN_WORD.sub(lambda m: " " if _NAME_LIKE.search(m.group()) else m.group(), text)
    letters = _letters(text)
    if letters == 0:
        return None
    share = len(_CYRILLIC.findall(text)) / letters
    if share < MIN_CYRILLIC_SHARE:
        return f"only {share:.0%} of the letters are Cyrillic"
    wrong = _NOT_UKRAINIAN.search(translation)
    if wrong:
        return f"contains {wrong.group()!r}, a letter Ukrainian does not use"
    return None


def spelling_problem(translation: str) -> str | None:
    """Garbage Ukrainian: too many lower-case words no Ukrainian dictionary knows."""
    share, checked = unknown_share(VERBATIM.sub(" ", translation))
    if checked >= MIN_WORDS_FOR_SPELLING and share > MAX_UNKNOWN_SHARE:
        return f"{share:.0%} of the words are not Ukrainian"
    return None


def length_problem(source: str, translation: str) -> str | None:
    source_letters = _letters(source)
    if source_letters < MIN_LETTERS_FOR_RATIO:
        return None
    ratio = _letters(translation) / source_letters
    low, high = LENGTH_RATIO
    if not low <= ratio <= high:
        return f"length ratio {ratio:.2f} is outside {low}–{high}"
    return None


def chatter_problem(translation: str) -> str | None:
    match = _CHATTER.search(translation)
    return f"contains leftover prompt text {match.group().strip()!r}" if match else None


def number_problem(source: str, translation: str) -> str | None:
    """Every number of the source must come through (counts and dates matter in news)."""
    remaining = ukrainian_numbers(translation)
    for value in english_numbers(VERBATIM.sub(" ", source)):
        if value in remaining:
            remaining.remove(value)
        else:
            return f"the number {value:f} is missing"
    return None


def translation_problem(source: str, translation: str) -> str | None:
    """The first reason ``translation`` cannot stand for ``source``, or None."""
    if not translation.strip():
        return "empty translation"
    if _LETTER.findall(source) == _LETTER.findall(translation):
        return "the text was left untranslated"
    return (
        script_problem(translation)
        or chatter_problem(translation)
        or length_problem(source, translation)
        or number_problem(source, translation)
    )
