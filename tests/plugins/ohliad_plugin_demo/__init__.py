"""A third-party package that adds one component of every kind to ohliad,
through the entry points ``tests/test_plugins.py`` declares when it builds
this package's wheel:

- embedder ``hashed-words``: bag of hashed words (no model);
- summarizer ``lede``: the first sentence of the earliest report;
- translator ``table-uk``: translations looked up in a small table;
- reader ``csv``: CSV files with title, text, url, outlet, published columns;
- renderer ``plain``: one line per story, ``.txt``.

It uses only ohliad's public names: records from ``ohliad.models``, and the
interfaces each registry documents (``ohliad.registry``).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Sequence

import numpy as np

from ohliad.dates import parse_datetime
from ohliad.ingest import IngestFailure, IngestOptions, Outcome, Source
from ohliad.models import Article, DigestEntry, Story, Summary, SummarySentence
from ohliad.summarize import SummaryOptions
from ohliad.translate import Segment, TranslateOptions


class HashedWords:
    name = "hashed-words"
    dim = 64
    worth_caching = False

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                vectors[row, hashlib.md5(word.encode()).digest()[0] % self.dim] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return vectors / norms


class Lede:
    name = "lede"

    def summarize(self, story: Story, options: SummaryOptions) -> Summary:
        first = story.articles[0]
        sentence = first.text.split(". ")[0].rstrip(".") + "."
        source = first.id if first.id is not None else 0
        return Summary(first.title, (SummarySentence(sentence, (source,)),), engine=self.name)


def lede(options: SummaryOptions) -> Lede:
    return Lede()


class TableTranslator:
    name = "table-uk"
    model = None
    deterministic = True

    def translate(self, segments: Sequence[Segment]) -> list[str | None]:
        return [None for _ in segments]  # the table is empty: nothing is passed off


def table_translator(options: TranslateOptions) -> TableTranslator:
    return TableTranslator()


class CsvReader:
    name = "csv"
    suffixes = (".csv",)
    media_types = ("text/csv",)
    sniff_order = 50

    def sniff(self, head: bytes) -> bool:
        return False  # only by suffix or media type

    def read(self, data: bytes, source: Source, options: IngestOptions) -> Iterator[Outcome]:
        rows = csv.DictReader(io.StringIO(data.decode("utf-8")))
        for number, row in enumerate(rows, start=2):
            where = f"{source.origin}:{number}"
            if not (row.get("text") or "").strip():
                yield IngestFailure(where, "no text")
                continue
            yield Article(
                title=row["title"],
                text=row["text"],
                url=row.get("url") or None,
                outlet=row.get("outlet") or None,
                published=parse_datetime(row.get("published")),
                origin=where,
            )


class PlainRenderer:
    name = "plain"
    suffix = ".txt"
    media_type = "text/plain; charset=utf-8"

    def render(self, entries: Sequence[DigestEntry], *, title: str | None = None) -> str:
        lines = [title] if title else []
        lines += [f"{e.summary.headline} ({len(e.sources)} sources)" for e in entries]
        return "\n".join(lines) + "\n"
