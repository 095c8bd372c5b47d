"""The digest JSON contract: one object per story.

``{"id", "headline": {"en", "uk"}, "summary": {"en", "uk"}, "sources": [{"url",
"outlet", "title", "published"}], "articles": [ids], "updated", "comparison"}``

``uk`` is null when no translation engine wrote Ukrainian; the reason is in
``ukrainian_unavailable``. ``summary_sentences`` keeps each sentence's sources.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ohliad.dates import parse_datetime
from ohliad.models import DigestEntry, SourceRef, Summary, SummarySentence, UkrainianText


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def entry_to_dict(entry: DigestEntry) -> dict[str, Any]:
    uk = entry.ukrainian
    return {
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
                "copy_of": s.copy_of,
            }
            for s in entry.sources
        ],
        "articles": list(entry.article_ids),
        "updated": _time(entry.updated),
        "comparison": dict(entry.comparison) if entry.comparison is not None else None,
        "summary_sentences": [
            {"text": s.text, "sources": list(s.sources)} for s in entry.summary.sentences
        ],
        "summary_engine": entry.summary.engine,
        "ukrainian": {"engine": uk.engine, "model": uk.model} if uk else None,
        "ukrainian_unavailable": entry.ukrainian_unavailable,
    }


def entry_from_dict(data: dict[str, Any]) -> DigestEntry:
    """The inverse of :func:`entry_to_dict` (for rendering stored entries)."""
    sentences = tuple(
        SummarySentence(text=s["text"], sources=tuple(s.get("sources", ())))
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
    return DigestEntry(
        story_id=data["id"],
        summary=Summary(
            headline=headline["en"],
            sentences=sentences or (SummarySentence(summary_text["en"], ()),),
            engine=data.get("summary_engine", "extractive"),
        ),
        sources=tuple(
            SourceRef(
                url=s.get("url"),
                outlet=s.get("outlet"),
                title=s.get("title", ""),
                published=parse_datetime(s.get("published")),
                article_id=s.get("article"),
                copy_of=s.get("copy_of"),
            )
            for s in data.get("sources", ())
        ),
        article_ids=tuple(data.get("articles", ())),
        updated=parse_datetime(data.get("updated")),
        ukrainian=ukrainian,
        ukrainian_unavailable=data.get("ukrainian_unavailable"),
        comparison=data.get("comparison"),
    )


def render_json(entries: Sequence[DigestEntry]) -> str:
    """The digest as a JSON array of story objects."""
    return json.dumps([entry_to_dict(e) for e in entries], ensure_ascii=False, indent=2) + "\n"
