"""Framing contrasts: which term each source uses for the same thing, loaded
words in an outlet's own voice (headline included), and whom each source
quotes directly and how much."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ohliad.compare.claims import QUOTE_RE, Claim
from ohliad.compare.lexicon import LOADED_WORDS, TERM_GROUPS, compiled


@dataclass(frozen=True, slots=True)
class SourceText:
    """One compared article: its headline and sentences (claims), by source index."""

    source: int
    title: str
    claims: tuple[Claim, ...]

    def passages(self) -> list[str]:
        return [self.title, *(c.text for c in self.claims)]


@dataclass(frozen=True, slots=True)
class Use:
    term: str
    source: int
    example: str  # the headline or sentence where the source uses it
    # Quoted voices: how many quotations of the speaker, and of how many words.
    quotes: int | None = None
    words: int | None = None


@dataclass(frozen=True, slots=True)
class Contrast:
    kind: str
    label: str
    uses: tuple[Use, ...]
    absent: tuple[int, ...]


def _own_voice(passage: str) -> str:
    """The passage with quotations blanked out: words inside them are not the outlet's."""
    return QUOTE_RE.sub(lambda m: " " * len(m.group(0)), passage)


# (term, compiled pattern) lists: one per term group, then the loaded words.
Patterns = tuple[tuple[str, re.Pattern[str]], ...]


@functools.cache
def _pattern_sets() -> tuple[Patterns, ...]:
    groups = [tuple((term, compiled(p)) for term, p in group.terms) for group in TERM_GROUPS]
    loaded = tuple((word, compiled(p)) for word, p in LOADED_WORDS.items())
    # Longest term first, so that 'full-scale invasion' is not also counted as 'invasion'.
    return tuple(tuple(sorted(s, key=lambda p: -len(p[0]))) for s in [*groups, loaded])


_LOADED_SET = len(TERM_GROUPS)


# A story is compared again each time an article joins it, and an article's
# passages (its headline and compared sentences) read the same each time.
@functools.lru_cache(maxsize=4096)
def _source_uses(passages: tuple[str, ...]) -> tuple[tuple[tuple[str, str], ...], ...]:
    """For each pattern set, the (term, passage) of each term's first use in
    one source's passages."""
    voices = [_own_voice(p) for p in passages]
    found = []
    for patterns in _pattern_sets():
        uses: dict[str, str] = {}
        for passage, voice in zip(passages, voices, strict=True):
            text = voice
            for term, pattern in patterns:
                for match in pattern.finditer(text):
                    text = text[: match.start()] + " " * len(match.group(0)) + text[match.end() :]
                    uses.setdefault(term, passage)
        found.append(tuple(uses.items()))
    return tuple(found)


def _first_uses(sources: Sequence[SourceText], pattern_set: int) -> list[Use]:
    """Each source's uses of the terms of one pattern set; one use per term and source."""
    return [
        Use(term, source.source, passage)
        for source in sources
        for term, passage in _source_uses(tuple(source.passages()))[pattern_set]
    ]


def _terminology(sources: Sequence[SourceText]) -> list[Contrast]:
    contrasts = []
    for index, group in enumerate(TERM_GROUPS):
        uses = _first_uses(sources, index)
        choices = {u.source: frozenset(v.term for v in uses if v.source == u.source) for u in uses}
        if len({u.term for u in uses}) >= 2 and len(set(choices.values())) >= 2:
            contrasts.append(Contrast("terminology", group.label, tuple(uses), ()))
    return contrasts


def _loaded_language(sources: Sequence[SourceText]) -> list[Contrast]:
    uses = _first_uses(sources, _LOADED_SET)
    contrasts = []
    for word in dict.fromkeys(u.term for u in uses):
        users = tuple(u for u in uses if u.term == word)
        absent = tuple(s.source for s in sources if s.source not in {u.source for u in users})
        if absent:
            contrasts.append(Contrast("loaded_language", word, users, absent))
    return contrasts


def _quoted_voices(sources: Sequence[SourceText]) -> list[Contrast]:
    contrasts = []
    speakers: dict[str, str] = {}
    for source in sources:
        for claim in source.claims:
            for quote in claim.quotes:
                speakers.setdefault(quote.key, quote.speaker)
    for key, speaker in speakers.items():
        uses = []
        for source in sources:
            quotes = [(c, q) for c in source.claims for q in c.quotes if q.key == key]
            if quotes:
                words = sum(len(q.text.split()) for _, q in quotes)
                count = len(quotes)
                summary = f"{speaker}: {count} quote{'s' * (count > 1)}, {words} words"
                uses.append(Use(summary, source.source, quotes[0][0].text, count, words))
        absent = tuple(s.source for s in sources if s.source not in {u.source for u in uses})
        if absent:
            contrasts.append(Contrast("quoted_voices", speaker, tuple(uses), absent))
    return contrasts


def framing_contrasts(sources: Sequence[SourceText]) -> list[Contrast]:
    """Contrasts between at least two sources; nothing when they all frame alike."""
    if len(sources) < 2:
        return []
    return _terminology(sources) + _loaded_language(sources) + _quoted_voices(sources)
