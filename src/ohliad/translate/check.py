"""The editor's Ukrainian, checked: suggestions, never silent rewrites.

An editor writes or fixes the headline and summary of a digest entry; the
desk shows what this module finds (wrong spellings of glossary terms and
names, Russian-style forms, English-style dates and numbers, the house
style, unknown words) and the editor decides. Quotations («…», „…“, "…")
are someone's words and are never checked.
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any, Literal

from ohliad.errors import OhliadError
from ohliad.translate.glossary import Glossary, load_glossary
from ohliad.translate.localize import ENGLISH_MONTHS, GENITIVE_MONTHS, localize_numbers
from ohliad.translate.names import NameTable, name_table
from ohliad.translate.options import TranslateOptions
from ohliad.translate.patterns import compile_pattern, rewrite
from ohliad.translate.spelling import Speller, speller
from ohliad.translate.style import StyleProfile, style_profile, unquoted
from ohliad.translate.validate import VERBATIM, english_numbers, ukrainian_numbers

SuggestionKind = Literal[
    "glossary", "name", "russism", "date", "number", "style", "spelling", "script"
]
# Where two suggestions cover the same words, the more specific one is kept.
_PRIORITY: tuple[SuggestionKind, ...] = (
    "glossary",
    "name",
    "russism",
    "script",
    "date",
    "number",
    "style",
    "spelling",
)


class RussismError(OhliadError, ValueError):
    """A malformed ``resources/russisms.toml``."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    kind: SuggestionKind
    found: str  # the text as the editor wrote it ("" for something missing)
    suggestion: str | None  # None when there is no single fix (an unknown word)
    message: str  # one line for the editor
    start: int  # offsets of ``found`` in the checked text (0, 0 for something missing)
    end: int


@dataclass(frozen=True, slots=True)
class Russism:
    patterns: tuple[str, ...]
    use: str | None
    forms: tuple[tuple[str, str], ...]
    why: str

    def fix_for(self, found: str) -> str | None:
        key = " ".join(found.lower().split())
        right = dict(self.forms).get(key, self.use)
        if right and found[:1].isupper():
            right = right[:1].upper() + right[1:]
        return right


def _russism(entry: Mapping[str, Any], where: str) -> Russism:
    find, forms = entry.get("find"), entry.get("forms", {})
    if not isinstance(find, list) or not find or not all(isinstance(f, str) for f in find):
        raise RussismError(f"{where}: 'find' must be a list of patterns")
    if not isinstance(forms, Mapping) or not all(isinstance(v, str) for v in forms.values()):
        raise RussismError(f"{where}: 'forms' must map wrong forms to right ones")
    use = entry.get("use")
    return Russism(
        tuple(find),
        str(use) if use else None,
        tuple((str(k), v) for k, v in forms.items()),
        str(entry.get("why", "")),
    )


@functools.cache
def bundled_russisms() -> tuple[Russism, ...]:
    path = resources.files("ohliad.translate").joinpath("resources/russisms.toml")
    entries = tomllib.loads(path.read_text("utf-8")).get("russism", [])
    return tuple(_russism(e, f"russisms.toml, entry {i + 1}") for i, e in enumerate(entries))


# --- names --------------------------------------------------------------------

# How a Russian spelling differs from a Ukrainian one, letter by letter.
_RUSSIAN_LETTERS = (("і", "и"), ("ї", "и"), ("є", "е"), ("ґ", "г"), ("Г", "Х"))
# Case endings a name takes in Ukrainian (Блінкена, Блінкенові, Гаррісом).
_NAME_ENDING = r"(ові|еві|ою|ею|ом|ем|ої|ів|ам|ами|ах|а|я|у|ю|і|и|е|о)?"
_VOWEL_END = "аяоеиіїйь"


def _stem(ukrainian: str) -> str:
    return ukrainian[:-1] if len(ukrainian) > 4 and ukrainian[-1] in _VOWEL_END else ukrainian


def russian_style_variants(ukrainian: str) -> set[str]:
    """``ukrainian`` spelt the Russian way: every combination of і→и, ї→и,
    є→е, ґ→г and initial Г→Х (Блінкен → Блинкен, Гарріс → Харрис)."""
    variants = set()
    for chosen in itertools.product((False, True), repeat=len(_RUSSIAN_LETTERS)):
        word = ukrainian
        for (ukr, rus), use in zip(_RUSSIAN_LETTERS, chosen, strict=True):
            if use and ukr.isupper():
                word = rus + word[1:] if word.startswith(ukr) else word
            elif use:
                word = word.replace(ukr, rus)
        variants.add(word)
    variants.discard(ukrainian)
    return variants


@dataclass(frozen=True, slots=True)
class _NameSpellings:
    """Russian-style stems of the name table's spellings, in one pattern."""

    pattern: re.Pattern[str] | None
    right: Mapping[str, tuple[str, str]]  # wrong stem -> (right stem, English)

    @classmethod
    def build(cls, table: NameTable, spell: Speller) -> _NameSpellings:
        established = set(table.overrides.values())
        right: dict[str, tuple[str, str]] = {}
        for english, ukrainian in table.overrides.items():
            if " " in ukrainian or len(ukrainian) < 4:
                continue
            for variant in russian_style_variants(ukrainian):
                # A variant that is itself a word or a name is no misspelling.
                if variant in established or spell.known(variant.lower()):
                    continue
                right.setdefault(_stem(variant), (_stem(ukrainian), english))
        if not right:
            return cls(None, right)
        stems = "|".join(re.escape(s) for s in sorted(right, key=len, reverse=True))
        return cls(re.compile(rf"(?<![\w'’ʼ-])({stems}){_NAME_ENDING}(?![\w'’ʼ])"), right)


# --- dates and numbers --------------------------------------------------------

_NOMINATIVE_MONTHS = (
    "січень",
    "лютий",
    "березень",
    "квітень",
    "травень",
    "червень",
    "липень",
    "серпень",
    "вересень",
    "жовтень",
    "листопад",
    "грудень",
)
_ENGLISH_MONTH_NUMBER = {m: i + 1 for i, m in enumerate(ENGLISH_MONTHS)} | {
    m[:3]: i + 1 for i, m in enumerate(ENGLISH_MONTHS)
}
_EN_MONTH = "(?P<month>" + "|".join(sorted(_ENGLISH_MONTH_NUMBER, key=len, reverse=True)) + r")\.?"
_EN_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>\d{4})(?:\s+(?:року|р\.|р\b))?)?"
_ENGLISH_DATES = (
    re.compile(rf"\b{_EN_MONTH}\s+{_EN_DAY}\b{_YEAR}"),
    re.compile(rf"\b{_EN_DAY}\s+(?:of\s+)?{_EN_MONTH}(?!\w){_YEAR}"),
)
_UK_MONTHS = "|".join(GENITIVE_MONTHS + _NOMINATIVE_MONTHS)
# "березня 5": the month first; only where the number ends the phrase or a
# year follows, so that "до кінця березня 5 країн" is left alone.
_MONTH_FIRST = re.compile(
    rf"(?<!\d\s)\b(?P<month>{_UK_MONTHS})\s+(?P<day>\d{{1,2}})(?:-?го)?"
    rf"(?:(?:,?\s+(?P<year>\d{{4}})(?:\s+(?:року|р\.|р\b))?)|(?=\s*(?:[,.;:!?)]|$)))",
    re.IGNORECASE,
)
_CAPITAL_MONTH = re.compile(
    r"\b(?P<day>\d{1,2})\s+(?P<month>" + "|".join(m.capitalize() for m in GENITIVE_MONTHS) + r")\b"
)
_SLASH_DATE = re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4}|\d{2})(?![\d/])")
_ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th)\b")
_GROUPED = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w]|[.,]\d)")
_DECIMAL_POINT = re.compile(r"(?<![\w.,])\d+\.\d+(?![\w]|[.,]\d)")
# A decimal point is right in versions (Python 3.11) and clock times (о 10.30).
_POINT_ALLOWED_AFTER = re.compile(r"(?:[A-Za-z][\w-]*|\b(?:о|об|до|з|від|по))\s+$")
_SCALE_EN = {"thousand": "тис.", "million": "млн", "billion": "млрд", "trillion": "трлн"}
_SCALE_ANY = {**_SCALE_EN, "k": "тис.", "m": "млн", "bn": "млрд", "тис.": "тис."} | {
    s: s for s in ("тис", "млн", "млрд", "трлн")
}
_CURRENCY = {"$": "доларів", "€": "євро", "£": "фунтів стерлінгів"}
_MONEY = re.compile(
    r"(?P<sign>[$€£])\s?(?P<number>\d[\d,.]*\d|\d)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|m|k|тис\.|тис|млн|млрд|трлн)\b)?"
)
_NUMBER_SCALE = re.compile(
    r"(?<![\w.,$€£])(?P<number>\d[\d,.]*\d|\d)\s+(?P<scale>thousand|million|billion|trillion)\b"
)
_SCRIPT = re.compile(r"\w*[ыэъёЫЭЪЁ]\w*")


def _currency(sign: str, number: str, scaled: bool) -> str:
    """The currency in words, agreeing with the number: 1 долар, 3 долари,
    5 доларів, 2,5 долара; after млн or млрд always доларів."""
    if sign != "$" or scaled:
        return _CURRENCY[sign]
    if "," in number:
        return "долара"
    whole = int(number.replace("\u00a0", ""))
    if whole % 10 == 1 and whole % 100 != 11:
        return "долар"
    if 2 <= whole % 10 <= 4 and not 12 <= whole % 100 <= 14:
        return "долари"
    return "доларів"


def _date_text(day: int, month: int, year: int | None) -> str | None:
    try:
        date(year or 2000, month, day)
    except ValueError:
        return None
    text = f"{day} {GENITIVE_MONTHS[month - 1]}"
    return f"{text} {year} року" if year else text


# --- the checker --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UkrainianChecker:
    glossary: Glossary
    names: _NameSpellings
    style: StyleProfile
    russisms: tuple[Russism, ...]
    speller: Speller

    @classmethod
    def from_options(cls, options: TranslateOptions) -> UkrainianChecker:
        """The bundled and the user's glossary and names, and the chosen style profile."""
        glossary = load_glossary(options.glossary)
        spell = speller()
        return cls(
            glossary,
            _NameSpellings.build(name_table(dict(glossary.names)), spell),
            style_profile(options.style),
            bundled_russisms(),
            spell,
        )

    def check(self, text: str, *, english: str | None = None) -> tuple[Suggestion, ...]:
        """Suggestions for ``text``, sorted by where they start; ``text`` is
        not changed. With the entry's ``english``, glossary terms and numbers
        of the English missing from ``text`` are reported too (at 0, 0)."""
        found: list[Suggestion] = []
        for offset, piece in unquoted(text):
            for check in (
                self._glossary_fixes,
                self._names,
                self._russisms,
                _script,
                _dates,
                _numbers,
                self._spelling,
            ):
                found.extend(_moved(s, offset) for s in check(piece))
        found.extend(
            Suggestion(
                "style",
                text[start:end],
                right,
                self._style_message(text[start:end], right),
                start,
                end,
            )
            for start, end, right in self.style.violations(text)
        )
        kept = _without_overlaps(found)
        if english is not None:
            kept.extend(self._missing(english, text))
        return tuple(sorted(kept, key=lambda s: (s.start, s.end, _PRIORITY.index(s.kind))))

    def _style_message(self, found: str, right: str) -> str:
        return f"{found} → {right}: style {self.style.name!r} ({self.style.description})"

    def _glossary_fixes(self, piece: str) -> Iterator[Suggestion]:
        for term in self.glossary.terms:
            for wrong, right in term.fixes:
                for match in compile_pattern(wrong, ignore_case=False).finditer(piece):
                    fixed = rewrite(match.group(), wrong, right)
                    yield Suggestion(
                        "glossary",
                        match.group(),
                        fixed,
                        f"{match.group()} → {fixed}: {term.english[0]} is {term.ukrainian}",
                        match.start(),
                        match.end(),
                    )

    def _names(self, piece: str) -> Iterator[Suggestion]:
        if self.names.pattern is None:
            return
        for match in self.names.pattern.finditer(piece):
            right_stem, english = self.names.right[match.group(1)]
            fixed = right_stem + (match.group(2) or "")
            yield Suggestion(
                "name",
                match.group(),
                fixed,
                f"{match.group()} → {fixed}: the established spelling of {english}",
                match.start(),
                match.end(),
            )

    def _russisms(self, piece: str) -> Iterator[Suggestion]:
        for russism in self.russisms:
            for pattern in russism.patterns:
                for match in compile_pattern(pattern).finditer(piece):
                    fixed = russism.fix_for(match.group())
                    arrow = f" → {fixed}" if fixed else ""
                    yield Suggestion(
                        "russism",
                        match.group(),
                        fixed,
                        f"{match.group()}{arrow}: {russism.why}",
                        match.start(),
                        match.end(),
                    )

    def _spelling(self, piece: str) -> Iterator[Suggestion]:
        for unknown in self.speller.unknown_words(piece):
            options = self.speller.corrections(unknown.word)
            hint = f"; perhaps {', '.join(options)}" if options else ""
            yield Suggestion(
                "spelling",
                unknown.word,
                options[0] if options else None,
                f"{unknown.word}: not in the Ukrainian dictionary{hint}",
                unknown.start,
                unknown.end,
            )

    def _missing(self, english: str, text: str) -> Iterator[Suggestion]:
        for spelling, term in self.glossary.terms_in(english):
            if not term.rendered_in(text):
                yield Suggestion(
                    "glossary",
                    "",
                    term.ukrainian,
                    f"{spelling} is not rendered: write {term.ukrainian}",
                    0,
                    0,
                )
        remaining = ukrainian_numbers(text)
        for value in english_numbers(VERBATIM.sub(" ", english)):
            if value in remaining:
                remaining.remove(value)
                continue
            number = localize_numbers(f"{value:f}")
            yield Suggestion(
                "number", "", number, f"the number {number} of the English is missing", 0, 0
            )


def _moved(suggestion: Suggestion, offset: int) -> Suggestion:
    if not offset:
        return suggestion
    return Suggestion(
        suggestion.kind,
        suggestion.found,
        suggestion.suggestion,
        suggestion.message,
        suggestion.start + offset,
        suggestion.end + offset,
    )


def _without_overlaps(found: list[Suggestion]) -> list[Suggestion]:
    """One suggestion per stretch of text: the kind first in ``_PRIORITY``,
    then the longest."""
    kept: list[Suggestion] = []
    for s in sorted(found, key=lambda s: (_PRIORITY.index(s.kind), s.start - s.end, s.start)):
        if all(s.end <= k.start or s.start >= k.end for k in kept):
            kept.append(s)
    return kept


def _script(piece: str) -> Iterator[Suggestion]:
    for match in _SCRIPT.finditer(piece):
        letters = "".join(dict.fromkeys(c for c in match.group() if c in "ыэъёЫЭЪЁ"))
        yield Suggestion(
            "script",
            match.group(),
            None,
            f"{match.group()}: Ukrainian has no {', '.join(letters)} (a Russian word?)",
            match.start(),
            match.end(),
        )


def _date(kind_of: str, match: re.Match[str], fixed: str | None) -> Suggestion | None:
    if fixed is None or fixed == match.group():
        return None
    return Suggestion(
        "date",
        match.group(),
        fixed,
        f"{match.group()} → {fixed}: {kind_of}",
        match.start(),
        match.end(),
    )


def _dates(piece: str) -> Iterator[Suggestion]:
    return (s for s in _date_candidates(piece) if s is not None)


def _date_candidates(piece: str) -> Iterator[Suggestion | None]:
    for match in (m for pattern in _ENGLISH_DATES for m in pattern.finditer(piece)):
        month = _ENGLISH_MONTH_NUMBER[match["month"]]
        year = int(match["year"]) if match["year"] else None
        yield _date("a date in English", match, _date_text(int(match["day"]), month, year))
    for match in _MONTH_FIRST.finditer(piece):
        name = match["month"].lower()
        month = (GENITIVE_MONTHS + _NOMINATIVE_MONTHS).index(name) % 12 + 1
        yield _date(
            "the day comes before the month in Ukrainian",
            match,
            _date_text(int(match["day"]), month, int(match["year"]) if match["year"] else None),
        )
    for match in _CAPITAL_MONTH.finditer(piece):
        yield _date(
            "months are written in lower case",
            match,
            f"{match['day']} {match['month'].lower()}",
        )
    for match in _SLASH_DATE.finditer(piece):
        a, b, year = int(match["a"]), int(match["b"]), int(match["year"])
        year += 2000 if year < 100 else 0
        month, day = (a, b) if a <= 12 else (b, a)
        reading = "read as month/day, the US order" if a <= 12 else "read as day/month"
        yield _date(f"{reading}; check the source", match, _date_text(day, month, year))
    for match in _ORDINAL.finditer(piece):
        number = match.group().rstrip("stndrh")
        yield Suggestion(
            "date",
            match.group(),
            None,
            f"{match.group()}: an English ordinal; in Ukrainian {number} березня, {number}-й",
            match.start(),
            match.end(),
        )


def _scaled(number: str) -> str:
    """An English-written number the Ukrainian way (1,200 → 1200, 2.5 → 2,5)."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", number):
        return localize_numbers(number)
    return number


def _numbers(piece: str) -> Iterator[Suggestion]:
    for match in _MONEY.finditer(piece):
        scale = match["scale"]
        number = _scaled(match["number"])
        unit = _SCALE_ANY[scale] if scale else ""
        currency = _currency(match["sign"], number, bool(scale))
        fixed = " ".join(p for p in (number, unit, currency) if p)
        yield Suggestion(
            "number",
            match.group(),
            fixed,
            f"{match.group()} → {fixed}: the amount, then the currency in words",
            match.start(),
            match.end(),
        )
    for match in _NUMBER_SCALE.finditer(piece):
        fixed = f"{_scaled(match['number'])} {_SCALE_EN[match['scale']]}"
        yield Suggestion(
            "number", match.group(), fixed, f"{match.group()} → {fixed}", match.start(), match.end()
        )
    for match in _GROUPED.finditer(piece):
        if match.group().startswith("0"):
            continue
        fixed = localize_numbers(match.group())
        yield Suggestion(
            "number",
            match.group(),
            fixed,
            f"{match.group()} → {fixed}: a comma is the decimal sign in Ukrainian; "
            "thousands are not separated by commas",
            match.start(),
            match.end(),
        )
    for match in _DECIMAL_POINT.finditer(piece):
        if _POINT_ALLOWED_AFTER.search(piece[: match.start()]):
            continue
        fixed = match.group().replace(".", ",")
        yield Suggestion(
            "number",
            match.group(),
            fixed,
            f"{match.group()} → {fixed}: the decimal sign is a comma in Ukrainian",
            match.start(),
            match.end(),
        )
