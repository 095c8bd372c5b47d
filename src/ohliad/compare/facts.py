"""Who states what: agreed facts (a statement that two or more sources each
state in a sentence of their own) and unique details (sentences no other source
states).

A source is credited with a statement only if one of its own sentences gives
every value the statement gives (its figures, dates, times, places and the
people it names): similar wording is not enough. Sentences in a conflict are
neither agreed nor unique, so each sentence lands in exactly one section.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ohliad.compare.align import Matrix
from ohliad.compare.claims import QUOTE_RE, Claim, Slot
from ohliad.compare.conflicts import compatible, corroborates
from ohliad.compare.lexicon import actor_aliases

_FIGURE_KINDS = frozenset({"number", "duration", "date", "time"})
# Values a statement gives that a crediting sentence must give too.
_STATED_KINDS = frozenset({"number", "duration", "date", "time", "place"})
# Content words match on their first letters ("reopened" / "reopens"), and a
# statement's must be half in a crediting sentence.
_STEM = 5
_COVERAGE = 0.5
# Names that make a detail: people and places. Organisations and nationalities
# are mostly attributions ("a State Department official said").
_DETAIL_NAMES = frozenset({"PERSON", "FAC", "GPE", "LOC"})


# Words of a quotation that a crediting sentence must give too (most of them):
# quoted words are what someone said, not a paraphrase ('"The talks were
# useful," the official said' is not stated by '"We expect more talks," said
# Ellison', though the two share half their content words).
_QUOTED_WORD = re.compile(r"[^\W\d_]{4,}")


def _gives_quotes(supporter: Claim, statement: Claim) -> bool:
    text = supporter.text.lower()
    for quote in QUOTE_RE.finditer(statement.text):
        words = set(_QUOTED_WORD.findall(quote.group(1).lower()))
        if len(words) >= 2 and sum(w in text for w in words) < _COVERAGE * len(words):
            return False
    return True


@dataclass(frozen=True, slots=True)
class Agreement:
    """A statement (``statement`` indexes the story's claims) and the sentences
    of other sources that state it, one per source, best aligned first."""

    statement: int
    supporters: tuple[int, ...]

    @property
    def members(self) -> tuple[int, ...]:
        return (self.statement, *self.supporters)


@dataclass(frozen=True, slots=True)
class NewDetail:
    claim: int
    detail: str | None  # the new figures or names; None when the whole sentence is new


def _gives(claim: Claim, slot: Slot) -> bool:
    """``claim`` gives the value of ``slot``: a slot that corroborates it, a date
    overlapping it, or the value's own words."""
    if slot.text.lower() in claim.text.lower():
        return True
    return any(
        corroborates(slot, s) or (slot.kind == s.kind == "date" and compatible(slot, s))
        for s in claim.slots
    )


def _stems(words: frozenset[str]) -> set[str]:
    return {w[:_STEM] for w in words}


def states(supporter: Claim, statement: Claim) -> bool:
    """Whether ``supporter`` states what ``statement`` does: each of its values,
    each date it names (also when something was said), each person, in the same
    tense, and at least half of its content words (by their first letters).
    Similar wording alone credits no one: the words keep apart sentences that
    are close in MiniLM's space but say other things ("held nearly steady last
    week" / "have been more than halved this year")."""
    if not all(_gives(supporter, s) for s in statement.slots if s.kind in _STATED_KINDS):
        return False
    text = supporter.text.lower()
    if not all(mention in text for mention in statement.mentions):
        return False
    if any(key not in text for label, key in statement.names if label == "PERSON"):
        return False
    if "unknown" not in (supporter.tense, statement.tense) and supporter.tense != statement.tense:
        return False
    if not _gives_quotes(supporter, statement):
        return False
    words = _stems(statement.lemmas)
    return len(words & _stems(supporter.lemmas)) >= _COVERAGE * len(words)


def _mutual_best_links(
    claims: Sequence[Claim], scores: Matrix, threshold: float, excluded: frozenset[int]
) -> list[tuple[int, int]]:
    """Pairs of claims of two sources that are each other's best match there,
    scoring at least ``threshold``; claims in ``excluded`` take no part."""
    sources = sorted({c.source for c in claims})
    by_source = {
        s: [i for i, c in enumerate(claims) if c.source == s and i not in excluded] for s in sources
    }
    links = []
    for s in sources:
        for t in sources:
            if t <= s or not by_source[s] or not by_source[t]:
                continue
            block = scores[np.ix_(by_source[s], by_source[t])]
            for row, i in enumerate(by_source[s]):
                col = int(block[row].argmax())
                if block[row, col] >= threshold and int(block[:, col].argmax()) == row:
                    links.append((i, by_source[t][col]))
    return links


def _components(n: int, links: Sequence[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in links:
        parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in sorted({k for link in links for k in link}):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def agreements(
    claims: Sequence[Claim], scores: Matrix, threshold: float, excluded: frozenset[int]
) -> list[Agreement]:
    """Statements stated by two or more sources.

    Aligned sentences (mutual best matches) are grouped; the group's statement
    is the sentence that the most other sources state in full (see ``states``),
    and only those sources are credited, each with its own sentence. A source
    whose sentence adds a value the statement lacks is still credited (it
    states the statement); a sentence missing one of the statement's values is
    not."""
    found: list[Agreement] = []
    for group in _components(len(claims), _mutual_best_links(claims, scores, threshold, excluded)):
        best: Agreement | None = None
        for candidate in group:
            supporters: dict[int, int] = {}
            for other in sorted(group, key=lambda k: -float(scores[candidate, k])):
                source = claims[other].source
                if source == claims[candidate].source or source in supporters:
                    continue
                if states(claims[other], claims[candidate]):
                    supporters[source] = other
            if best is None or len(supporters) > len(best.supporters):
                best = Agreement(candidate, tuple(supporters.values()))
        if best is not None and best.supporters:
            found.append(best)
    found.sort(key=lambda a: (-len(a.members), min(a.members)))
    return found


def _figure_reported(slot: Slot, others: Sequence[Claim]) -> bool:
    """Another source gives this figure; a date counts whatever its preposition
    ('since Monday' and 'on Monday' name the same day)."""
    return any(
        corroborates(slot, s) or (slot.kind == s.kind == "date" and compatible(slot, s))
        for other in others
        for s in other.slots
    )


@dataclass(frozen=True, slots=True)
class Others:
    """What the other sources of a claim say, for 'is this new?'."""

    claims: tuple[Claim, ...]
    text: str
    names: frozenset[str]

    def knows_name(self, name: str) -> bool:
        """Known when the name, or one of its longer words, is in another source."""
        if name in self.names or name in self.text:
            return True
        if any(alias in self.text for alias in actor_aliases(name)):
            return True
        return any(len(word) >= 4 and word in self.text for word in name.split())


def others_of(source: int, claims: Sequence[Claim], source_texts: Sequence[str]) -> Others:
    other_claims = tuple(c for c in claims if c.source != source)
    return Others(
        claims=other_claims,
        text=" ".join(t for k, t in enumerate(source_texts) if k != source),
        names=frozenset().union(*(c.entities for c in other_claims)),
    )


def new_elements(claim: Claim, others: Others) -> list[str]:
    """Figures and names in ``claim`` that no other source gives."""
    figures = [
        s.shown
        for s in claim.slots
        if s.kind in _FIGURE_KINDS
        and s.text.lower() not in others.text
        and not _figure_reported(s, others.claims)
    ]
    names = [
        name
        for label, name in sorted(claim.names)
        if label in _DETAIL_NAMES and not others.knows_name(name)
    ]
    return figures + names


def unique_details(
    claims: Sequence[Claim], source_texts: Sequence[str], placed: frozenset[int]
) -> list[NewDetail]:
    """Every sentence not ``placed`` in an agreement or a conflict: no other
    source states it. ``detail`` names its figures and names that no other
    source gives anywhere, or is None when those are all known elsewhere."""
    details: list[NewDetail] = []
    for source in sorted({c.source for c in claims}):
        others = others_of(source, claims, source_texts)
        for index, claim in enumerate(claims):
            if claim.source == source and index not in placed:
                new = new_elements(claim, others)
                details.append(NewDetail(index, ", ".join(new) if new else None))
    return details
