"""Agreed facts (claims two or more sources share) and unique details (what only
one source reports, as a whole sentence or as a new figure or name inside a
shared one)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ohliad.compare.align import Matrix
from ohliad.compare.claims import Claim, Slot
from ohliad.compare.conflicts import compatible

_FIGURE_KINDS = frozenset({"number", "duration", "date", "time"})
# A sentence is new content when at least this share of its content words is.
_NEW_WORD_SHARE = 0.5
_MIN_NEW_WORDS = 2


@dataclass(frozen=True, slots=True)
class SharedClaims:
    """Claims of different sources saying the same thing; ``members`` best first."""

    members: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class NewDetail:
    claim: int
    detail: str | None  # the new figure or name; None when the whole sentence is new


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
    return any(s.kind == slot.kind and compatible(slot, s) for other in others for s in other.slots)


def _new_anchor(claim: Claim, others: Sequence[Claim], other_text: str) -> str | None:
    """A figure, name or quotation in ``claim`` that no other source has."""
    for slot in claim.slots:
        if slot.kind in _FIGURE_KINDS and not _figure_reported(slot, others):
            return slot.shown
    for entity in sorted(claim.entities):
        if entity not in other_text:
            return entity
    for quote in claim.quotes:
        if quote.text.lower() not in other_text:
            return quote.text
    return None


def _mostly_new_words(claim: Claim, other_lemmas: frozenset[str]) -> bool:
    new = claim.lemmas - other_lemmas
    return len(new) >= _MIN_NEW_WORDS and len(new) >= _NEW_WORD_SHARE * len(claim.lemmas)


def unique_details(
    claims: Sequence[Claim],
    scores: Matrix,
    source_texts: Sequence[str],
    threshold: float,
    disputed: frozenset[int],
) -> list[NewDetail]:
    """Sentences no other source has (best alignment below ``threshold`` and new
    figures, names, quotes or words), and new figures inside shared sentences.
    Claims in ``disputed`` (part of a conflict) keep their figures for the conflict."""
    details: list[NewDetail] = []
    sources = sorted({c.source for c in claims})
    for index, claim in enumerate(claims):
        others = [c for c in claims if c.source != claim.source]
        other_text = " ".join(source_texts[s] for s in sources if s != claim.source)
        best = float(scores[index].max()) if len(claims) > 1 else 0.0  # same source: -1
        if best < threshold:
            anchor = _new_anchor(claim, others, other_text)
            other_lemmas = frozenset().union(*(c.lemmas for c in others))
            if anchor is not None or _mostly_new_words(claim, other_lemmas):
                details.append(NewDetail(index, None))
        elif index not in disputed:
            new_figures = [
                s for s in claim.slots if s.kind == "number" and not _figure_reported(s, others)
            ]
            if new_figures:
                details.append(NewDetail(index, ", ".join(s.shown for s in new_figures)))
    return details
