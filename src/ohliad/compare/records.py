"""The comparison of a story's sources, as frozen records with a JSON form.

Every item names its sources (article id, outlet, url) and quotes the
sentence it rests on, so an editor can check each statement at its source.

The kinds of finding are listed once, in ``SECTIONS``: the JSON form and
every renderer (``ohliad.render.markdown``, the web app's story page) go
through it. A new kind is a record here with a field on ``Comparison`` and an
entry in ``SECTIONS``, the code in ``compare.py`` that finds it, and one
renderer per format.

This module holds records only (no NLP), so that storage and renderers can
read comparisons without loading the comparison's models.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol, Self

from ohliad.dates import parse_datetime


def _object(properties: Mapping[str, Any], optional: Mapping[str, Any] | None = None) -> Any:
    """The JSON Schema of an object with these keys (``optional`` may be absent)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": {**properties, **(optional or {})},
    }


def _array(items: Any) -> Any:
    return {"type": "array", "items": items}


def _nullable(schema: Any) -> Any:
    return {"anyOf": [schema, {"type": "null"}]}


_TEXT = {"type": "string"}
_FLAG = {"type": "boolean"}


@dataclass(frozen=True, slots=True)
class CitedSource:
    """An article as the comparison cites it. ``article_id`` is the store id, or
    the article's index in the story before storage."""

    article_id: int
    outlet: str | None
    url: str | None
    published: datetime | None = None
    # For a source with neither outlet nor address (a local file): the file's name.
    file: str | None = None

    @property
    def name(self) -> str:
        """What people call it: the outlet, else its address, else its file."""
        return self.outlet or self.url or self.file or f"article {self.article_id}"

    def to_dict(self) -> dict[str, Any]:
        data = {
            "article_id": self.article_id,
            "outlet": self.outlet,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
        }
        if self.file:
            data["file"] = self.file
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            article_id=data["article_id"],
            outlet=data.get("outlet"),
            url=data.get("url"),
            published=parse_datetime(data.get("published")),
            file=data.get("file"),
        )

    @staticmethod
    def json_properties() -> dict[str, Any]:
        return {
            "article_id": {"type": "integer"},
            "outlet": _nullable(_TEXT),
            "url": _nullable(_TEXT),
            "published": _nullable({"type": "string", "format": "date-time"}),
        }

    # Keys present only when they have a value.
    OPTIONAL_JSON_PROPERTIES: ClassVar[dict[str, Any]] = {"file": _TEXT}

    @classmethod
    def json_schema(cls) -> Any:
        return _object(cls.json_properties(), cls.OPTIONAL_JSON_PROPERTIES)


@dataclass(frozen=True, slots=True)
class Citation:
    """A source and the sentence of it that supports an item: the source is
    credited only with what this sentence of its own states."""

    source: CitedSource
    quote: str
    # In a conflict: the value as this source writes it ("some 12,500").
    value: str | None = None
    # The sentence's position in the compared text (0 = first), so that a
    # reader can tell two sentences of one source apart.
    sentence: int | None = None
    # Who the sentence quotes directly, when it names them ("Kirby", "CDC").
    speaker: str | None = None
    # In an agreement: what this source's sentence gives beyond the statement
    # (a figure or name no other source gives).
    detail: str | None = None

    _OPTIONAL: ClassVar[tuple[str, ...]] = ("value", "sentence", "speaker", "detail")

    def to_dict(self) -> dict[str, Any]:
        data = {**self.source.to_dict(), "quote": self.quote}
        for name in self._OPTIONAL:
            if (found := getattr(self, name)) is not None:
                data[name] = found
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        optional = {name: data.get(name) for name in cls._OPTIONAL}
        return cls(CitedSource.from_dict(data), data.get("quote", ""), **optional)

    @staticmethod
    def json_schema() -> Any:
        # The source's keys, flattened, with the quote and what the item adds.
        return _object(
            {**CitedSource.json_properties(), "quote": _TEXT},
            {
                **CitedSource.OPTIONAL_JSON_PROPERTIES,
                "value": _TEXT,
                "sentence": {"type": "integer"},
                "speaker": _TEXT,
                "detail": _TEXT,
            },
        )


def _citations(items: Any) -> tuple[Citation, ...]:
    return tuple(Citation.from_dict(item) for item in items or ())


def _sources(items: Any) -> tuple[CitedSource, ...]:
    return tuple(CitedSource.from_dict(item) for item in items or ())


class Finding(Protocol):
    """An item of one of the comparison's sections."""

    def to_dict(self) -> dict[str, Any]: ...

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self: ...

    @staticmethod
    def json_schema() -> Any:
        """The JSON Schema of ``to_dict``'s output."""
        ...


@dataclass(frozen=True, slots=True)
class AgreedFact:
    """A statement that two or more sources each state in a sentence of their
    own; ``statement`` is one source's wording, and every cited sentence gives
    all of its figures, dates, places and people."""

    statement: str
    citations: tuple[Citation, ...]
    # Another source's sentence on the same point is in a conflict (see there).
    disputed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "sources": [c.to_dict() for c in self.citations],
            "disputed": self.disputed,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(data["statement"], _citations(data.get("sources")), bool(data.get("disputed")))

    @staticmethod
    def json_schema() -> Any:
        return _object(
            {"statement": _TEXT, "sources": _array(Citation.json_schema()), "disputed": _FLAG}
        )


@dataclass(frozen=True, slots=True)
class UniqueDetail:
    """Something only one source reports. ``detail`` is the new element inside an
    otherwise shared sentence (a figure, a name), or None when the whole sentence
    is new."""

    citation: Citation
    detail: str | None
    missing_from: tuple[CitedSource, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.citation.to_dict(),
            "detail": self.detail,
            "missing_from": [s.to_dict() for s in self.missing_from],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            Citation.from_dict(data["source"]),
            data.get("detail"),
            _sources(data.get("missing_from")),
        )

    @staticmethod
    def json_schema() -> Any:
        return _object(
            {
                "source": Citation.json_schema(),
                "detail": _nullable(_TEXT),
                "missing_from": _array(CitedSource.json_schema()),
            }
        )


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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(data["value"], data["normalized"], _citations(data.get("sources")))

    @staticmethod
    def json_schema() -> Any:
        return _object(
            {"value": _TEXT, "normalized": _TEXT, "sources": _array(Citation.json_schema())}
        )


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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            data["slot"],
            data["about"],
            tuple(ConflictSide.from_dict(side) for side in data.get("sides") or ()),
            bool(data.get("soft")),
            data.get("note"),
        )

    @staticmethod
    def json_schema() -> Any:
        return _object(
            {
                "slot": _TEXT,
                "about": _TEXT,
                "soft": _FLAG,
                "sides": _array(ConflictSide.json_schema()),
                "note": _nullable(_TEXT),
            }
        )


@dataclass(frozen=True, slots=True)
class TermUse:
    """A word choice and the sources that make it, with an example sentence each."""

    term: str
    citations: tuple[Citation, ...]
    # For quoted voices: the speaker's quotations in this source and their words
    # (the term says the same in English, for the Markdown digest).
    quotes: int | None = None
    words: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "term": self.term,
            "sources": [c.to_dict() for c in self.citations],
        }
        if self.quotes is not None:
            data.update(quotes=self.quotes, words=self.words)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            data["term"], _citations(data.get("sources")), data.get("quotes"), data.get("words")
        )

    @staticmethod
    def json_schema() -> Any:
        return _object(
            {"term": _TEXT, "sources": _array(Citation.json_schema())},
            {"quotes": {"type": "integer"}, "words": {"type": "integer"}},
        )


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
    absent: tuple[CitedSource, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "uses": [u.to_dict() for u in self.uses],
            "absent": [s.to_dict() for s in self.absent],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            data["kind"],
            data["label"],
            tuple(TermUse.from_dict(use) for use in data.get("uses") or ()),
            _sources(data.get("absent")),
        )

    @staticmethod
    def json_schema() -> Any:
        return _object(
            {
                "kind": _TEXT,
                "label": _TEXT,
                "uses": _array(TermUse.json_schema()),
                "absent": _array(CitedSource.json_schema()),
            }
        )


@dataclass(frozen=True, slots=True)
class Comparison:
    """What the sources of one story agree on, what only one has, where they
    contradict each other and how they frame the event."""

    sources: tuple[CitedSource, ...]
    agreed: tuple[AgreedFact, ...] = ()
    unique: tuple[UniqueDetail, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    framing: tuple[FramingContrast, ...] = ()
    # For people: skipped articles, truncation, why something is missing.
    notes: tuple[str, ...] = field(default=())

    # The sections of findings: field name (also the JSON key and the name
    # renderers know a section by) and item record, in the order readers see
    # them, the disagreements first.
    SECTIONS: ClassVar[Mapping[str, type[Finding]]] = {
        "conflicts": Conflict,
        "agreed": AgreedFact,
        "unique": UniqueDetail,
        "framing": FramingContrast,
    }

    def sections(self) -> list[tuple[str, tuple[Finding, ...]]]:
        """The sections that have items, as (name, items), in reading order."""
        found = ((name, getattr(self, name)) for name in self.SECTIONS)
        return [(name, items) for name, items in found if items]

    def to_dict(self) -> dict[str, Any]:
        sections = {name: [item.to_dict() for item in getattr(self, name)] for name in _JSON_ORDER}
        return {
            "sources": [s.to_dict() for s in self.sources],
            **sections,
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Comparison:
        sections = {
            name: tuple(item.from_dict(found) for found in data.get(name) or ())
            for name, item in cls.SECTIONS.items()
        }
        return cls(
            sources=_sources(data.get("sources")),
            notes=tuple(data.get("notes") or ()),
            **sections,  # type: ignore[arg-type]
        )

    @classmethod
    def json_schema(cls) -> Any:
        sections = {name: _array(item.json_schema()) for name, item in cls.SECTIONS.items()}
        return _object(
            {
                "sources": _array(CitedSource.json_schema()),
                **{name: sections[name] for name in _JSON_ORDER},
                "notes": _array(_TEXT),
            }
        )


# The JSON form lists the sections in field order, as it always has.
_JSON_ORDER = tuple(name for name in Comparison.__dataclass_fields__ if name in Comparison.SECTIONS)
