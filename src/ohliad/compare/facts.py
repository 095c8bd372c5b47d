"""Agreed facts (claims two or more sources share) and unique details (what only
one source reports, as a whole sentence or as a new figure or name inside a
shared one)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ohliad.compare.align import Matrix
from ohliad.compare.claims import Claim, Slot
from ohliad.compare.conflicts import Mention, compatible, corroborates
from ohliad.compare.lexicon import actor_aliases

_FIGURE_KINDS = frozenset({"number", "duration", "date", "time"})
# Names that make a detail: people and places. Organisations and nationalities
# are mostly attributions ("a State Department official said").
_DETAIL_NAMES = frozenset({"PERSON", "FAC", "GPE", "LOC"})
# A sentence is new content when at least this share of its content words is.
_NEW_WORD_SHARE = 0.6
_MIN_NEW_WORDS = 2
# Words match on their first letters, so "expected" covers "expectations".
_STEM = 5


@dataclass(frozen=True, slots=True)
class SharedClaims:
    """Claims of different sources saying the same thing; ``members`` best first."""

    members: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class NewDetail:
    claim: int
    detail: str | None  # the new figures or names; None when the whole sentence is new


def shared_claims(claims: Sequence[Claim], scores: Matrix, threshold: float) -> list[SharedClaims]:
    """Groups of claims linked by mutual best matches between pairs of sources."""
    n = len(claims)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    sources = sorted({c.source for c in claims})
    by_source = {s: [i for i, c in enumerate(claims) if c.source == s] for s in sources}
    for s in sources:
        for t in sources:
            if t <= s or not by_source[s] or not by_source[t]:
                continue
            block = scores[np.ix_(by_source[s], by_source[t])]
            for row, i in enumerate(by_source[s]):
                col = int(block[row].argmax())
                j = by_source[t][col]
                if block[row, col] >= threshold and int(block[:, col].argmax()) == row:
                    parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    result = []
    for members in groups.values():
        if len({claims[i].source for i in members}) < 2:
            continue
        centrality = {i: sum(float(scores[i, j]) for j in members if j != i) for i in members}
        result.append(SharedClaims(tuple(sorted(members, key=lambda i: -centrality[i]))))
    result.sort(key=lambda g: (-len({claims[i].source for i in g.members}), min(g.members)))
    return result


def _figure_reported(slot: Slot, others: Sequence[Claim]) -> bool:
    """Another source gives this figure; a date counts whatever its preposition
    ('since Monday' and 'on Monday' name the same day)."""
    return any(
        corroborates(slot, s) or (slot.kind == s.kind == "date" and compatible(slot, s))
        for other in others
        for s in other.slots
    )


def _stems(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w[:_STEM] for w in words)


@dataclass(frozen=True, slots=True)
class _Others:
    """What the other sources of a claim say, for 'is this new?'."""

    claims: tuple[Claim, ...]
    text: str
    names: frozenset[str]
    stems: frozenset[str]

    def knows_name(self, name: str) -> bool:
        """Known when the name, or one of its longer words, is in another source."""
        if name in self.names or name in self.text:
            return True
        if any(alias in self.text for alias in actor_aliases(name)):
            return True
        return any(len(word) >= 4 and word in self.text for word in name.split())


def _new_elements(claim: Claim, others: _Others, skip: frozenset[Slot]) -> list[str]:
    """Figures and names in ``claim`` that no other source gives."""
    figures = [
        s.shown
        for s in claim.slots
        if s.kind in _FIGURE_KINDS
        and s not in skip
        and s.text.lower() not in others.text
        and not _figure_reported(s, others.claims)
    ]
    in_conflict = " ".join(s.text.lower() for s in skip)
    names = [
        name
        for label, name in sorted(claim.names)
        if label in _DETAIL_NAMES and name not in in_conflict and not others.knows_name(name)
    ]
    return figures + names


def _new_quote(claim: Claim, others: _Others) -> bool:
    return any(q.text.lower() not in others.text for q in claim.quotes)


def _mostly_new_words(claim: Claim, others: _Others) -> bool:
    new = [w for w in claim.lemmas if w[:_STEM] not in others.stems]
    return len(new) >= _MIN_NEW_WORDS and len(new) >= _NEW_WORD_SHARE * len(claim.lemmas)


def unique_details(
    claims: Sequence[Claim],
    scores: Matrix,
    source_texts: Sequence[str],
    threshold: float,
    disputed: frozenset[Mention],
) -> list[NewDetail]:
    """Sentences no other source has (best alignment below ``threshold`` and a
    new figure, name, quotation or mostly new words), and new figures or names
    inside shared sentences. Slots in ``disputed`` belong to conflicts instead,
    and a sentence holding one is shown there rather than as new."""
    details: list[NewDetail] = []
    for source in sorted({c.source for c in claims}):
        other_claims = tuple(c for c in claims if c.source != source)
        others = _Others(
            claims=other_claims,
            text=" ".join(t for k, t in enumerate(source_texts) if k != source),
            names=frozenset().union(*(c.entities for c in other_claims)),
            stems=_stems(frozenset().union(*(c.lemmas for c in other_claims))),
        )
        for index, claim in enumerate(claims):
            if claim.source != source:
                continue
            skip = frozenset(m.slot for m in disputed if m.claim == index)
            new = _new_elements(claim, others, skip)
            if float(scores[index].max()) < threshold and not skip:
                if new or _new_quote(claim, others) or _mostly_new_words(claim, others):
                    details.append(NewDetail(index, None))
            elif new:
                details.append(NewDetail(index, ", ".join(new)))
    return details
