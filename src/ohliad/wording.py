"""Wording of the messages ohliad prints for people."""

from __future__ import annotations


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``count`` and the noun in its number: "1 feed", "3 feeds", "1 story",
    "2 stories" (a noun in consonant + y takes -ies; give other irregular
    forms as ``plural_form``)."""
    if count == 1:
        return f"{count:,} {noun}"
    if plural_form is None:
        consonant_y = noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u")
        plural_form = noun[:-1] + "ies" if consonant_y else noun + "s"
    return f"{count:,} {plural_form}"
