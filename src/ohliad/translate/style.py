"""House-style profiles (``resources/styles.toml``), applied after translation.

A profile never touches quoted text: a quotation is what someone said or
wrote, in their spelling.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ohliad.errors import OhliadError
from ohliad.translate.patterns import compile_pattern, rewrite

# «…», „…“, “…”, "…" — Ukrainian and English quotation marks.
_QUOTATION = re.compile(r"«[^»]*»|„[^“”]*[“”]|“[^”]*”|\"[^\"]*\"")
_SENTENCE_START = re.compile(r"(^|[.!?…]\s+|\n\s*)$")


class StyleError(OhliadError, ValueError):
    """An unknown or malformed style profile."""


@dataclass(frozen=True, slots=True)
class StyleProfile:
    name: str
    description: str
    lowercase: tuple[str, ...] = ()
    replacements: tuple[tuple[str, str], ...] = ()

    def apply(self, text: str) -> str:
        return "".join(
            piece if quoted else self._apply_unquoted(piece, text_before)
            for piece, quoted, text_before in _pieces(text)
        )

    def _apply_unquoted(self, piece: str, text_before: str) -> str:
        for wrong, right in self.replacements:
            piece = rewrite(piece, wrong, right)
        # Longest first, so "Російськ* Федераці*" is seen before "Росі*" takes its first word.
        for pattern in sorted(self.lowercase, key=len, reverse=True):

            def lower(match: re.Match[str], piece: str = piece) -> str:
                word = match.group()
                if _starts_sentence(text_before + piece[: match.start()]):
                    return word[:1] + word[1:].lower()
                return word.lower()

            piece = compile_pattern(pattern, ignore_case=False).sub(lower, piece)
        return piece

    def violations(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, right) for each stretch outside quotations that ``apply``
        would change: what the editor's desk suggests instead of rewriting."""
        found: list[tuple[int, int, str]] = []
        for offset, piece in unquoted(text):
            for wrong, right in self.replacements:
                for match in compile_pattern(wrong, ignore_case=False).finditer(piece):
                    fixed = rewrite(match.group(), wrong, right)
                    found.append((offset + match.start(), offset + match.end(), fixed))
            # Lower-casing keeps the length, so offsets hold while ``piece`` changes.
            for pattern in sorted(self.lowercase, key=len, reverse=True):
                for match in compile_pattern(pattern, ignore_case=False).finditer(piece):
                    word = match.group()
                    right = word.lower()
                    if _starts_sentence(text[: offset + match.start()]):
                        right = word[:1] + right[1:]
                    if right != word:
                        found.append((offset + match.start(), offset + match.end(), right))
                        piece = piece[: match.start()] + right + piece[match.end() :]
        return sorted(found)

    def problems(self, text: str) -> list[str]:
        """Words outside quotations that break this profile."""
        if self.apply(text) == text:
            return []
        fixed = self.apply(text).split()
        return [
            f"{word!r} should be {right!r} in style {self.name!r}"
            for word, right in zip(text.split(), fixed, strict=False)
            if word != right
        ]


def _starts_sentence(text_before: str) -> bool:
    return bool(_SENTENCE_START.search(text_before))


def unquoted(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) for each stretch of ``text`` outside quotations."""
    position = 0
    for piece, quoted, _ in _pieces(text):
        if not quoted:
            yield position, piece
        position += len(piece)


def _pieces(text: str) -> Iterator[tuple[str, bool, str]]:
    """(piece, is a quotation, the text before it) covering ``text`` in order."""
    position = 0
    for match in _QUOTATION.finditer(text):
        if match.start() > position:
            yield text[position : match.start()], False, text[:position]
        yield match.group(), True, text[: match.start()]
        position = match.end()
    if position < len(text):
        yield text[position:], False, text[:position]


def _profile(name: str, table: Mapping[str, Any]) -> StyleProfile:
    lowercase = table.get("lowercase", [])
    replace = table.get("replace", {})
    if not isinstance(lowercase, list) or not all(isinstance(w, str) for w in lowercase):
        raise StyleError(f"style {name!r}: 'lowercase' must be a list of strings")
    if not isinstance(replace, Mapping):
        raise StyleError(f"style {name!r}: 'replace' must be a table of strings")
    return StyleProfile(
        name=name,
        description=str(table.get("description", "")),
        lowercase=tuple(lowercase),
        replacements=tuple((str(k), str(v)) for k, v in replace.items()),
    )


@functools.cache
def style_profiles() -> dict[str, StyleProfile]:
    text = resources.files("ohliad.translate").joinpath("resources/styles.toml").read_text("utf-8")
    return {name: _profile(name, table) for name, table in tomllib.loads(text).items()}


def style_profile(name: str) -> StyleProfile:
    profiles = style_profiles()
    try:
        return profiles[name]
    except KeyError:
        raise StyleError(
            f"unknown style {name!r}; available styles: {', '.join(sorted(profiles))}"
        ) from None
