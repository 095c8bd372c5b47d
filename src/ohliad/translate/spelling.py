"""Ukrainian spell check: pymorphy3's Ukrainian dictionary (VESUM-based, offline).

Chosen over Hunspell (spylls with Debian's ``hunspell-uk`` 7.5) by
measurement on the held-out WMT23 references (bench/ukrainian_check.py):
0.25% of lower-case words unknown against 0.53%, 7 µs a word against about
300 µs, loaded in 0.1 s against 4–5 s, and it installs from PyPI alone
(14 MB of dictionary) where Hunspell's dictionary is a system package.

Only lower-case Cyrillic words are checked: a capitalised word may be a
name, and names, acronyms, Latin words and words with digits are not in any
dictionary.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

_LOWER = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
# A word as the checker sees it: letters of any script and digits, with inner
# apostrophes and hyphens, so that "COVID-19" or "ex-прем'єр" stay whole.
_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ-][^\W_]+)*")
# Lower-case Ukrainian words of two letters or more (a lone letter is an
# initial, a list item or a word cut by a stray space: "м’ який").
_CHECKED = re.compile(rf"[{_LOWER}]+(?:['’ʼ-][{_LOWER}]+)*")
# An unknown word this short before a full stop is taken for an abbreviation.
_ABBREVIATION = 4
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})
# Common words the dictionary lacks (seen on a sample of WMT23 references).
_DICTIONARY_GAPS = frozenset({"вже", "ще", "теж", "немає", "аль"})
# Letters an editor mistypes for one another; corrections that swap them come first.
_NEAR = {
    "и": "іїй",
    "і": "иїй",
    "ї": "іи",
    "е": "єи",
    "є": "е",
    "г": "ґх",
    "ґ": "г",
    "о": "а",
    "а": "оя",
    "ь": "'",
    "'": "ь",
}


class _Parse(Protocol):
    tag: object


class _Analyzer(Protocol):
    def word_is_known(self, word: str, strict: bool = False) -> bool: ...

    def parse(self, word: str) -> Sequence[_Parse]: ...


@dataclass(frozen=True, slots=True)
class UnknownWord:
    word: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Speller:
    analyzer: _Analyzer

    def known(self, word: str) -> bool:
        """``word`` (lower case) is a Ukrainian word form; a hyphenated
        compound passes when the whole or each of its parts is known."""
        word = word.translate(_APOSTROPHES)
        if word in _DICTIONARY_GAPS or self._in_dictionary(word):
            return True
        parts = word.split("-")
        return len(parts) > 1 and all(
            p in _DICTIONARY_GAPS or len(p) <= 2 or self._in_dictionary(p) for p in parts
        )

    def _in_dictionary(self, word: str) -> bool:
        """A word form, or an -о form of a known adjective, which the
        dictionary lists only in part: an adverb (порівняльно) or the linking
        stem of a compound (пружинно-гідравлічний)."""
        if self.analyzer.word_is_known(word):
            return True
        return (
            len(word) > 4
            and word.endswith("о")
            and any(self.analyzer.word_is_known(word[:-1] + ending) for ending in ("ий", "ій"))
        )

    def unknown_words(self, text: str) -> Iterator[UnknownWord]:
        """The lower-case Ukrainian words of ``text`` that the dictionary lacks."""
        for match in _TOKEN.finditer(text):
            word = match.group()
            if len(word) < 2 or not _CHECKED.fullmatch(word) or self.known(word):
                continue
            if len(word) <= _ABBREVIATION and text[match.end() : match.end() + 1] == ".":
                continue  # ім., вул., див.: abbreviations
            yield UnknownWord(word, match.start(), match.end())

    def checked_words(self, text: str) -> list[str]:
        """The words of ``text`` a spell check looks at."""
        words = (m.group() for m in _TOKEN.finditer(text))
        return [w for w in words if len(w) > 1 and _CHECKED.fullmatch(w)]

    def corrections(self, word: str, limit: int = 3) -> list[str]:
        """Known words one edit away from ``word``, likeliest slip first: letters
        editors confuse (и/і, е/є, г/ґ), two letters swapped, a letter left
        out, one too many, then any other letter."""
        word = word.translate(_APOSTROPHES)
        found: dict[str, int] = {}
        for candidate, rank in _edits(word):
            if found.get(candidate, rank + 1) > rank and self.known(candidate):
                found[candidate] = rank
        return sorted(found, key=lambda c: (found[c], *self._rarity(c)))[:limit]

    def _rarity(self, word: str) -> tuple[bool, int]:
        """Among equal slips: an imperative is rare in news copy, and a form
        with more readings is the likelier word (новий before навий)."""
        parses = self.analyzer.parse(word)
        return all("impr" in str(p.tag) for p in parses), -len(parses)


def _edits(word: str) -> Iterator[tuple[str, int]]:
    """Every string one edit from ``word``, with how unlikely the slip is."""
    letters = _LOWER + "'"
    for i in range(len(word)):
        for letter in _NEAR.get(word[i], ""):
            yield word[:i] + letter + word[i + 1 :], 0
    for i in range(len(word) - 1):
        yield word[:i] + word[i + 1] + word[i] + word[i + 2 :], 1
    for i in range(len(word) + 1):
        for letter in letters:
            yield word[:i] + letter + word[i:], 2
    for i in range(len(word)):
        yield word[:i] + word[i + 1 :], 3
        for letter in letters:
            yield word[:i] + letter + word[i + 1 :], 4


@functools.cache
def speller() -> Speller:
    """The Ukrainian speller, loaded once (0.1 s)."""
    import pymorphy3

    return Speller(pymorphy3.MorphAnalyzer(lang="uk"))


def unknown_share(text: str) -> tuple[float, int]:
    """The share of ``text``'s lower-case Ukrainian words that are not
    Ukrainian, and how many words were checked."""
    spell = speller()
    checked = len(spell.checked_words(text))
    if checked == 0:
        return 0.0, 0
    return sum(1 for _ in spell.unknown_words(text)) / checked, checked
