"""The digest entry's JSON contract: the one shape in which ohliad publishes a
story (``digest --format json``, the web API, a day's ``.json`` digest) and
in which the store keeps it.

Version 1::

    {"schema_version": 1, "id", "headline": {"en", "uk"}, "summary": {"en", "uk"},
     "sources": [{"url", "outlet", "title", "published", "article", "article_id", "copy_of"}],
     "articles": [ids], "updated", "comparison": {…} | null, "comparison_pending",
     "summary_sentences": [{"text", "sources": [ids], "taken_from", "outlet"}],
     "summary_engine",
     "ukrainian": {"engine", "model"} | null, "ukrainian_unavailable", "notes": [...],
     "review": {"status", "edited", "stale", "updated_by", "updated_at"}}

``uk`` is null when no translation engine wrote Ukrainian; the reason is in
``ukrainian_unavailable``. ``summary_sentences`` keeps each sentence's sources
(the articles that support it), the article it was taken from and that
article's outlet. A source's ``article_id`` is its ``article`` under the name
the summary sentences' readers look for (added later, so both are written).
``comparison`` is ``ohliad.compare.Comparison``'s JSON form, or null for a
story with one source or not compared yet; ``comparison_pending`` says that it
does not yet cover all the story's articles (a newer one is on its way).
``notes`` tell the reader how the entry was made, where it matters (an
article too long to be read whole). The web API's story object adds
``changes``: the merges and splits that grouping made to the story (optional,
added in version 1). ``review`` says where the entry stands on the editor's
desk (added in version 1): ``draft``, ``approved``, ``published`` or
``rejected``; ``edited`` when the headline and summary are the editor's text;
``stale`` when the story changed after the editor's last edit or decision.

``schema_version`` goes up when a key is renamed or removed or changes its
meaning; keys added alongside the others keep it. ``ENTRY_SCHEMA`` is the
contract as a JSON Schema (draft 2020-12, no references, so that the web
API's OpenAPI document can embed it), which the tests hold every published
entry to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

from ohliad.compare.records import Comparison
from ohliad.dates import parse_datetime
from ohliad.errors import OhliadError
from ohliad.models import (
    REVIEW_STATUSES,
    DigestEntry,
    EntrySource,
    Review,
    Summary,
    SummarySentence,
    UkrainianText,
)

SCHEMA_VERSION = 1


class UnknownSchemaError(OhliadError, ValueError):
    """An entry written to a newer contract than this ohliad reads."""


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def entry_to_dict(entry: DigestEntry) -> dict[str, Any]:
    """The entry in the JSON contract."""
    uk = entry.ukrainian
    return {
        "schema_version": SCHEMA_VERSION,
        "id": entry.story_id,
        "headline": {"en": entry.summary.headline, "uk": uk.headline if uk else None},
        "summary": {"en": entry.summary.text, "uk": uk.summary if uk else None},
        "sources": [
            {
                "url": s.url,
                "outlet": s.outlet,
                "title": s.title,
                "published": _time(s.published),
                "article": s.article_id,
                "article_id": s.article_id,
                "copy_of": s.copy_of,
            }
            for s in entry.sources
        ],
        "articles": list(entry.article_ids),
        "updated": _time(entry.updated),
        "comparison": entry.comparison.to_dict() if entry.comparison is not None else None,
        "comparison_pending": entry.comparison_pending,
        "summary_sentences": [
            {
                "text": s.text,
                "sources": list(s.sources),
                "taken_from": s.taken_from,
                "outlet": s.outlet,
            }
            for s in entry.summary.sentences
        ],
        "summary_engine": entry.summary.engine,
        "ukrainian": {"engine": uk.engine, "model": uk.model} if uk else None,
        "ukrainian_unavailable": entry.ukrainian_unavailable,
        "notes": list(entry.notes),
        "review": _review_to_dict(entry.review or Review()),
    }


def _review_to_dict(review: Review) -> dict[str, Any]:
    return {
        "status": review.status,
        "edited": review.edited,
        "stale": review.stale,
        "updated_by": review.updated_by,
        "updated_at": _time(review.updated_at),
    }


def _review_from_dict(data: Mapping[str, Any] | None) -> Review | None:
    if not data:
        return None
    status = data.get("status", "draft")
    review = Review(
        status=status if status in REVIEW_STATUSES else "draft",
        edited=bool(data.get("edited", False)),
        stale=bool(data.get("stale", False)),
        updated_by=data.get("updated_by"),
        updated_at=parse_datetime(data.get("updated_at")),
    )
    # An entry no one reviewed is written as the default review.
    return None if review == Review() else review


def entry_from_dict(data: Mapping[str, Any]) -> DigestEntry:
    """The entry from its JSON form (entries stored before ``schema_version``
    was written are version 1)."""
    version = data.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise UnknownSchemaError(
            f"story {data.get('id')!r} follows digest schema version {version!r}; "
            f"this ohliad reads up to version {SCHEMA_VERSION}: upgrade ohliad"
        )
    sentences = tuple(
        SummarySentence(
            text=s["text"],
            sources=tuple(s.get("sources", ())),
            taken_from=s.get("taken_from"),
            outlet=s.get("outlet"),
        )
        for s in data.get("summary_sentences", ())
    )
    headline = data["headline"]
    summary_text = data["summary"]
    uk_meta = data.get("ukrainian")
    ukrainian = None
    if headline.get("uk") and summary_text.get("uk") and uk_meta:
        ukrainian = UkrainianText(
            headline=headline["uk"],
            summary=summary_text["uk"],
            engine=uk_meta.get("engine", ""),
            model=uk_meta.get("model"),
        )
    comparison = data.get("comparison")
    return DigestEntry(
        story_id=data["id"],
        summary=Summary(
            headline=headline["en"],
            sentences=sentences or (SummarySentence(summary_text["en"], ()),),
            engine=data.get("summary_engine", "extractive"),
        ),
        sources=tuple(
            EntrySource(
                url=s.get("url"),
                outlet=s.get("outlet"),
                title=s.get("title", ""),
                published=parse_datetime(s.get("published")),
                article_id=s.get("article", s.get("article_id")),
                copy_of=s.get("copy_of"),
            )
            for s in data.get("sources", ())
        ),
        article_ids=tuple(data.get("articles", ())),
        updated=parse_datetime(data.get("updated")),
        ukrainian=ukrainian,
        ukrainian_unavailable=data.get("ukrainian_unavailable"),
        comparison=Comparison.from_dict(comparison) if comparison else None,
        comparison_pending=bool(data.get("comparison_pending", False)),
        notes=tuple(data.get("notes", ())),
        review=_review_from_dict(data.get("review")),
    )


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


_TEXT = {"type": "string"}
_TIME = _nullable({"type": "string", "format": "date-time"})
_ID = {"type": "integer"}
_BILINGUAL = {
    "type": "object",
    "additionalProperties": False,
    "required": ["en", "uk"],
    "properties": {"en": _TEXT, "uk": _nullable(_TEXT)},
}

ENTRY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": f"https://ohliad.example/schema/digest-entry/{SCHEMA_VERSION}",
    "title": "ohliad digest entry",
    "description": "One story of the digest: headline and summary in English and "
    "Ukrainian, its sources, and how they compare.",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "schema_version",
        "id",
        "headline",
        "summary",
        "sources",
        "articles",
        "updated",
        "comparison",
        "comparison_pending",
        "summary_sentences",
        "summary_engine",
        "ukrainian",
        "ukrainian_unavailable",
        "notes",
    ],
    "properties": {
        "schema_version": {"const": SCHEMA_VERSION},
        "id": {**_TEXT, "description": "The story's key"},
        "headline": _BILINGUAL,
        "summary": _BILINGUAL,
        "sources": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["url", "outlet", "title", "published", "article", "copy_of"],
                "properties": {
                    "url": _nullable(_TEXT),
                    "outlet": _nullable(_TEXT),
                    "title": _TEXT,
                    "published": _TIME,
                    "article": _nullable(_ID),
                    "article_id": {**_nullable(_ID), "description": "The same as article"},
                    "copy_of": {
                        **_nullable(_ID),
                        "description": "The article this one is a near-copy of (wire copy)",
                    },
                },
            },
        },
        "articles": {"type": "array", "items": _ID},
        "updated": _TIME,
        "comparison": _nullable(Comparison.json_schema()),
        "comparison_pending": {"type": "boolean"},
        "summary_sentences": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["text", "sources"],
                "properties": {
                    "text": _TEXT,
                    "sources": {
                        **{"type": "array", "items": _ID},
                        "description": "The articles that support the sentence",
                    },
                    "taken_from": {
                        **_nullable(_ID),
                        "description": "The article whose sentence it is",
                    },
                    "outlet": {**_nullable(_TEXT), "description": "That article's outlet"},
                },
            },
        },
        "summary_engine": _TEXT,
        "ukrainian": _nullable(
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["engine", "model"],
                "properties": {"engine": _TEXT, "model": _nullable(_TEXT)},
            }
        ),
        "ukrainian_unavailable": {
            **_nullable(_TEXT),
            "description": "Why there is no Ukrainian, when there is none",
        },
        "notes": {
            "type": "array",
            "items": _TEXT,
            "description": "For the reader: how the entry was made, where it matters",
        },
        "review": {
            "type": "object",
            "description": "Where the entry stands on the editor's desk",
            "additionalProperties": False,
            "required": ["status", "edited", "stale", "updated_by", "updated_at"],
            "properties": {
                "status": {"enum": list(REVIEW_STATUSES)},
                "edited": {
                    "type": "boolean",
                    "description": "The headline and summary are (partly) the editor's text",
                },
                "stale": {
                    "type": "boolean",
                    "description": "The story changed after the editor's last edit or decision",
                },
                "updated_by": _nullable(_TEXT),
                "updated_at": _TIME,
            },
        },
        "changes": {
            "type": "array",
            "description": "Merges and splits that involved the story, oldest first (the web "
            "API's story object has it; a stored entry does not)",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["kind", "story", "other", "articles", "score", "at"],
                "properties": {
                    "kind": {
                        "enum": ["merge", "split"],
                        "description": "merge: every article of other joined story (other is "
                        "gone); split: articles left story for other",
                    },
                    "story": _TEXT,
                    "other": _TEXT,
                    "articles": {"type": "array", "items": _ID},
                    "score": {
                        "type": "number",
                        "description": "The story-level score (log-odds) that decided it",
                    },
                    "at": _TIME,
                },
            },
        },
    },
}


class ChangeRecord(Protocol):
    """A merge or split as the store keeps it (``ohliad.store.history``)."""

    @property
    def kind(self) -> str: ...
    @property
    def story(self) -> str: ...
    @property
    def other(self) -> str: ...
    @property
    def articles(self) -> tuple[int, ...]: ...
    @property
    def score(self) -> float: ...
    @property
    def at(self) -> datetime | None: ...


def changes_to_list(changes: Iterable[ChangeRecord]) -> list[dict[str, Any]]:
    """A story's merges and splits, as the entry's optional ``changes`` key."""
    return [
        {
            "kind": change.kind,
            "story": change.story,
            "other": change.other,
            "articles": list(change.articles),
            "score": change.score,
            "at": _time(change.at),
        }
        for change in changes
    ]
