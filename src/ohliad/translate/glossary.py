"""The glossary: enforced Ukrainian renderings of names and terms.

A glossary is a TOML file of ``[[term]]`` tables (see
``resources/glossary.toml``). A user glossary is merged over the bundled one;
a user entry replaces a bundled entry that shares an English spelling. After
translation, known wrong spellings are corrected (``fix``) and every term the
English text contains must appear in the Ukrainian in an accepted form.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ohliad.errors import OhliadError
from ohliad.translate.engine import Rendering
from ohliad.translate.patterns import compile_pattern, rewrite
from ohliad.translate.validate import VERBATIM


class GlossaryError(OhliadError, ValueError):
    """A glossary file that cannot be read; the message names the file and entry."""


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    english: tuple[str, ...]
    ukrainian: str
    # Ukrainian forms that count as this rendering (patterns, ``*`` = ending).
    forms: tuple[str, ...]
    # Wrong spelling pattern -> right spelling pattern.
    fixes: tuple[tuple[str, str], ...] = ()

    def found_in(self, english_text: str) -> str | None:
        """The English spelling of this term that ``english_text`` contains, if any."""
        for spelling in self.english:
            if _english_pattern(spelling).search(english_text):
                return spelling
        return None

    def rendered_in(self, ukrainian_text: str) -> bool:
        return any(compile_pattern(form).search(ukrainian_text) for form in self.forms) or any(
            _in_latin_name(spelling).search(ukrainian_text) for spelling in self.english
        )


def _is_acronym(spelling: str) -> bool:
    letters = [c for c in spelling if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


@functools.cache
def _english_pattern(spelling: str) -> re.Pattern[str]:
    # Acronyms (EU, UN) are case-sensitive; "us" is not "US".
    flags = 0 if _is_acronym(spelling) else re.IGNORECASE
    return re.compile(r"(?<![\w-])" + re.escape(spelling) + r"(?![\w])", flags)


@functools.cache
def _in_latin_name(spelling: str) -> re.Pattern[str]:
    """``spelling`` inside a name left in Latin (The Washington Post, Tate
    Britain), where it is part of the name, not a term to translate."""
    word = re.escape(spelling)
    neighbour = r"[A-Z][\w'&.-]*"
    return re.compile(rf"{neighbour}\s+{word}(?!\w)|(?<!\w){word}\s+{neighbour}")


@dataclass(frozen=True, slots=True)
class Glossary:
    terms: tuple[GlossaryTerm, ...]
    # Established spellings of name words ([names] table), added to the
    # bundled name table (``resources/names.toml``).
    names: tuple[tuple[str, str], ...] = ()

    def terms_in(self, english_text: str) -> list[tuple[str, GlossaryTerm]]:
        """(English spelling, term) for each term ``english_text`` contains
        outside links and handles."""
        english_text = VERBATIM.sub(" ", english_text)
        found = []
        for term in self.terms:
            spelling = term.found_in(english_text)
            if spelling is not None:
                found.append((spelling, term))
        return found

    def renderings_for(self, english_text: str) -> tuple[Rendering, ...]:
        return tuple(Rendering(s, t.ukrainian) for s, t in self.terms_in(english_text))

    def apply(self, ukrainian_text: str) -> str:
        """Correct known wrong spellings of every term."""
        for term in self.terms:
            for wrong, right in term.fixes:
                ukrainian_text = rewrite(ukrainian_text, wrong, right)
        return ukrainian_text

    def missing(self, english_text: str, ukrainian_text: str) -> list[str]:
        """Descriptions of the terms in ``english_text`` not rendered as required."""
        return [
            f"{spelling!r} must be rendered as {term.ukrainian!r}"
            for spelling, term in self.terms_in(english_text)
            if not term.rendered_in(ukrainian_text)
        ]


def _strings(value: Any, where: str, field: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise GlossaryError(f"{where}: {field!r} must be a string or a list of strings")
    return tuple(v.strip() for v in value if v.strip())


def _term(entry: Mapping[str, Any], where: str) -> GlossaryTerm:
    if not isinstance(entry, Mapping) or "en" not in entry or "uk" not in entry:
        raise GlossaryError(f"{where}: every [[term]] needs 'en' and 'uk'")
    ukrainian = _strings(entry["uk"], where, "uk")[0]
    fixes = entry.get("fix", {})
    if not isinstance(fixes, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in fixes.items()
    ):
        raise GlossaryError(f"{where}: 'fix' must map wrong spellings to right ones")
    return GlossaryTerm(
        english=_strings(entry["en"], where, "en"),
        ukrainian=ukrainian,
        forms=_strings(entry.get("forms", ukrainian), where, "forms"),
        fixes=tuple(fixes.items()),
    )


def parse_glossary(text: str, source: str) -> Glossary:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise GlossaryError(f"{source}: not valid TOML: {error}") from None
    entries = data.get("term", [])
    if not isinstance(entries, list):
        raise GlossaryError(f"{source}: 'term' must be an array of tables ([[term]])")
    names = data.get("names", {})
    if not isinstance(names, Mapping) or not all(isinstance(v, str) for v in names.values()):
        raise GlossaryError(f"{source}: [names] must map English name words to Ukrainian ones")
    return Glossary(
        tuple(_term(e, f"{source}, term {i + 1}") for i, e in enumerate(entries)),
        tuple(names.items()),
    )


def merge(base: Glossary, override: Glossary) -> Glossary:
    """``override``'s terms replace the terms of ``base`` that share an English spelling."""
    overridden = {s.casefold() for t in override.terms for s in t.english}
    kept = [t for t in base.terms if not overridden & {s.casefold() for s in t.english}]
    return Glossary((*kept, *override.terms), (*base.names, *override.names))


def bundled_glossary() -> Glossary:
    text = (
        resources.files("ohliad.translate").joinpath("resources/glossary.toml").read_text("utf-8")
    )
    return parse_glossary(text, "bundled glossary")


@functools.cache
def load_glossary(user_file: Path | None = None) -> Glossary:
    """The bundled glossary, with ``user_file`` merged over it."""
    glossary = bundled_glossary()
    if user_file is None:
        return glossary
    try:
        text = user_file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise GlossaryError(f"cannot read glossary {user_file}: {error}") from None
    return merge(glossary, parse_glossary(text, str(user_file)))
