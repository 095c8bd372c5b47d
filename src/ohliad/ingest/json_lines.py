"""JSON Lines (``.jsonl``, ``.ndjson``): one article per line, as an object
``{"title", "text", "url", "published", "outlet", "author", "language"}``
(``body`` for ``text`` too). The reader of ``ohliad ingest`` and of the
``cluster`` and ``summarize`` commands' record files."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from ohliad.extract import clean_news_text
from ohliad.ingest.fields import metadata_fields, scalar_text
from ohliad.ingest.readers import IngestFailure, Outcome, Source, TextReader
from ohliad.models import Article


def json_records(text: str, *, origin: str) -> Iterator[tuple[str, dict[str, Any]] | IngestFailure]:
    """Each line's object with where it is (``origin:line``), or a failure
    for a line that holds none. Blank lines are skipped."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestFailure(where, f"invalid JSON ({exc.msg})")
            continue
        except RecursionError:  # [[[[… nested deeper than the parser goes
            yield IngestFailure(where, "invalid JSON (nested too deeply)")
            continue
        if not isinstance(record, dict):
            yield IngestFailure(where, "a line must hold a JSON object")
            continue
        yield where, record


def record_article(record: Mapping[str, Any], where: str) -> Article | IngestFailure:
    """A record's article as given (its text not cleaned); a failure when it
    has neither a title nor a text."""
    title = (scalar_text(record.get("title")) or "").strip()
    text = (scalar_text(record.get("text")) or scalar_text(record.get("body")) or "").strip()
    if not title and not text:
        return IngestFailure(where, "an article needs a title or a text")
    return Article(title=title, text=text, origin=where, **metadata_fields(record))


class JsonLinesReader(TextReader):
    name = "jsonl"
    suffixes = (".jsonl", ".ndjson")
    sniff_order = 30

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"{")

    def read_text(self, text: str, source: Source) -> Iterator[Outcome]:
        for found in json_records(text, origin=source.origin):
            if isinstance(found, IngestFailure):
                yield found
                continue
            where, record = found
            article = record_article(record, where)
            if isinstance(article, IngestFailure) or not article.text:
                yield IngestFailure(where, "no article text (field 'text' is empty or missing)")
                continue
            yield replace(
                article,
                title=article.title or article.text.split("\n", 1)[0][:120],
                text=clean_news_text(article.text, title=article.title or None),
            )
