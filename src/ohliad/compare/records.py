"""The comparison of a story's sources, as frozen records with a JSON form.

Every item names its sources (article id, outlet, url) and quotes the
sentence it rests on, so an editor can check each statement at its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class SourceRef:
    """An article as the comparison cites it. ``article_id`` is the store id, or
    the article's index in the story before storage."""

    article_id: int
    outlet: str | None
    url: str | None
    published: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "outlet": self.outlet,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
        }


@dataclass(frozen=True, slots=True)
class Citation:
    """A source and the sentence of it that supports an item."""

    source: SourceRef
    quote: str
    # In a conflict: the value as this source writes it ("some 12,500").
    value: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {**self.source.to_dict(), "quote": self.quote}
        if self.value is not None:
            data["value"] = self.value
        return data


@dataclass(frozen=True, slots=True)
class AgreedFact:
    """A fact that two or more sources report; ``statement`` is one source's wording."""

    statement: str
    citations: tuple[Citation, ...]
    # Some of these sentences give a figure differently (see the conflicts).
    disputed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "sources": [c.to_dict() for c in self.citations],
            "disputed": self.disputed,
        }


@dataclass(frozen=True, slots=True)
class UniqueDetail:
    """Something only one source reports. ``detail`` is the new element inside an
    otherwise shared sentence (a figure, a name), or None when the whole sentence
    is new."""

    citation: Citation
    detail: str | None
    missing_from: tuple[SourceRef, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.citation.to_dict(),
            "detail": self.detail,
            "missing_from": [s.to_dict() for s in self.missing_from],
        }


@dataclass(frozen=True, slots=True)
class ConflictSide:
    """One version of a disputed point: the value as written, and who gives it."""

    value: str
    normalized: str
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "normalized": self.normalized,
            "sources": [c.to_dict() for c in self.citations],
        }


@dataclass(frozen=True, slots=True)
class Conflict:
    """The same point given differently. ``slot`` is the kind of value (number,
    duration, date, time, place, initiator); ``soft`` means both versions can be
    true and only their precision differs ("about 10" / "10")."""

    slot: str
    about: str
    sides: tuple[ConflictSide, ...]
    soft: bool = False
    # For the editor, e.g. that the reports were published hours apart.
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "slot": self.slot,
            "about": self.about,
            "soft": self.soft,
            "sides": [s.to_dict() for s in self.sides],
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class TermUse:
    """A word choice and the sources that make it, with an example sentence each."""

    term: str
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.term, "sources": [c.to_dict() for c in self.citations]}


@dataclass(frozen=True, slots=True)
class FramingContrast:
    """A difference in how sources frame the story.

    kinds: ``terminology`` (sources name the same thing differently),
    ``loaded_language`` (evaluative words some sources use in their own voice),
    ``quoted_voices`` (whom each source quotes directly, and how much).
    """

    kind: str
    label: str
    uses: tuple[TermUse, ...]
    # Sources that do not make any of these choices (not quoting a speaker, say).
    absent: tuple[SourceRef, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "uses": [u.to_dict() for u in self.uses],
            "absent": [s.to_dict() for s in self.absent],
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    """What the sources of one story agree on, what only one has, where they
    contradict each other and how they frame the event."""

    sources: tuple[SourceRef, ...]
    agreed: tuple[AgreedFact, ...] = ()
    unique: tuple[UniqueDetail, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    framing: tuple[FramingContrast, ...] = ()
    # For people: skipped articles, truncation, why something is missing.
    notes: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not (self.agreed or self.unique or self.conflicts or self.framing or self.notes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": [s.to_dict() for s in self.sources],
            "agreed": [a.to_dict() for a in self.agreed],
            "unique": [u.to_dict() for u in self.unique],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "framing": [f.to_dict() for f in self.framing],
            "notes": list(self.notes),
        }
