"""The stateless stages of a backfill, as a Ray actor: one per CPU, each with
its engines (embedders, language ID; the summarizer and the Ukrainian engine
for the summary tier; spaCy and MiniLM for comparisons) loaded once and kept
for every archive and story it is given.

An archive is read in chunks of pages so that a worker holds at most one
chunk's pages at a time; its prepared articles go back to the writer whole.
Each stage's CPU time is the actor process's (its engines may embed on
threads of their own), sent back with the articles (``bench/backfill.py``
reports it per article). Language ID runs inside extraction
(``extract_html``) and is counted there; ``finalize`` is the checks and the
canonical URL.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ohliad.compare import CompareOptions, compare_stories
from ohliad.compare.records import Comparison
from ohliad.ingest import IngestFailure, IngestOptions, Outcome
from ohliad.ingest.sources import finalized, path_name
from ohliad.ingest.warc import WarcPage, page_outcomes, warc_pages
from ohliad.models import Article, CachedTranslation, Story
from ohliad.pipeline import ArticlePreparer, EntryMaker, PipelineOptions, PreparedArticle, Summaries
from ohliad.store import content_hash
from ohliad.translate import open_translator

# Pages extracted and embedded together: the embedders batch them.
CHUNK_PAGES = 128
# The stages, in order, as the benchmark and the docs name them.
STAGES = ("read", "extract", "finalize", "minhash", "features")


@dataclass
class ArchiveResult:
    """What one archive gave: its articles ready for the writer, a one-line
    failure for each record (or the archive) that gave none, and the CPU
    seconds each stage took."""

    path: Path
    size: int
    node: str = ""  # the Ray node that read it
    records: int = 0
    prepared: list[PreparedArticle] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)


class _Clock:
    """Adds the process's CPU time since the last mark to a stage (an actor
    runs one method at a time, so it is the stage's own)."""

    def __init__(self, cpu: dict[str, float]) -> None:
        self._cpu = cpu
        self._last = time.process_time()

    def mark(self, stage: str) -> None:
        now = time.process_time()
        self._cpu[stage] = self._cpu.get(stage, 0.0) + now - self._last
        self._last = now


class _NewTranslations:
    """The translation cache of a worker: it keeps the translations made for
    the driver to store (``Pipeline.save_summaries``) and finds none, as the
    store's cache is the driver's. Nothing is kept past the batch, so a
    worker's memory does not grow over a months-long backfill."""

    def __init__(self) -> None:
        self._made: list[CachedTranslation] = []

    def get_many(self, keys: Sequence[str]) -> Mapping[str, str]:
        return {}

    def put_many(self, entries: Sequence[CachedTranslation]) -> None:
        self._made.extend(entries)

    def take(self) -> list[CachedTranslation]:
        made, self._made = self._made, []
        return made


class ArchiveWorker:
    """Reads archives into prepared articles, and makes stories' summary tier
    and comparisons (made a Ray actor by ``run.py``)."""

    def __init__(self, options: PipelineOptions, ingest: IngestOptions, ukrainian: bool) -> None:
        """``ukrainian``: whether the driver has a Ukrainian engine (else
        Ukrainian is unavailable here too)."""
        # One BLAS/OpenMP thread: the cluster's parallelism is its actors.
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
        self._options = options
        self._preparer = ArticlePreparer(options)
        self._ingest = ingest
        self._ukrainian = ukrainian
        self._translations = _NewTranslations()
        self._entries: EntryMaker | None = None

    def ready(self) -> bool:
        """Loads the engines (the first archive and story would otherwise pay
        for it); one that cannot load raises here, not in the middle of a run."""
        warm_up = Article(title="Warm-up", text="The engines load once.")
        self._preparer.features([warm_up])
        translator = open_translator(self._options.translate) if self._ukrainian else None
        self._entries = EntryMaker(self._options, translator=translator, cache=self._translations)
        self._entries.summarizer.summarize(Story("warm-up", (warm_up,)), self._options.summary)
        return True

    def summarize(self, stories: list[Story]) -> tuple[Summaries, list[CachedTranslation]]:
        """The summary tier of a batch of stories (``EntryMaker.summarize_stories``),
        and the translations made for it."""
        assert self._entries is not None, "ready() loads the engines first"
        return self._entries.summarize_stories(stories), self._translations.take()

    def compare(self, stories: list[Story], options: CompareOptions) -> list[Comparison | None]:
        """The comparison tier of a batch of stories (``compare_stories``)."""
        return compare_stories(stories, options)

    def prepare(self, path: Path) -> ArchiveResult:
        import ray

        result = ArchiveResult(path, size=0, node=ray.get_runtime_context().get_node_id())
        clock = _Clock(result.cpu)
        try:
            result.size = path.stat().st_size
            with path.open("rb") as stream:
                for chunk in _chunks(warc_pages(stream, path_name(path)), clock):
                    self._prepare_chunk(chunk, result, clock)
        except OSError as exc:
            result.failures.append(f"{path_name(path)}: {exc.strerror or exc}")
        return result

    def _prepare_chunk(
        self, chunk: list[WarcPage | IngestFailure], result: ArchiveResult, clock: _Clock
    ) -> None:
        result.records += len(chunk)
        extracted: list[Outcome] = []
        for item in chunk:
            if isinstance(item, IngestFailure):
                result.failures.append(str(item))
                continue
            extracted.extend(page_outcomes(item, self._ingest))
        clock.mark("extract")
        articles: list[Article] = []
        for outcome in extracted:
            done = finalized(outcome, path_name(result.path))
            if isinstance(done, IngestFailure):
                result.failures.append(str(done))
            else:
                articles.append(done)
        digests = [content_hash(article) for article in articles]
        clock.mark("finalize")
        signatures = self._preparer.signatures(articles)
        clock.mark("minhash")
        features = self._preparer.features(articles)
        clock.mark("features")
        result.prepared.extend(
            PreparedArticle(a, s, f, d)
            for a, s, f, d in zip(articles, signatures, features, digests, strict=True)
        )


def _chunks(
    items: Iterator[WarcPage | IngestFailure], clock: _Clock
) -> Iterator[list[WarcPage | IngestFailure]]:
    """The archive's records, ``CHUNK_PAGES`` at a time; reading them counts
    as the read stage."""
    chunk: list[WarcPage | IngestFailure] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == CHUNK_PAGES:
            clock.mark("read")
            yield chunk
            chunk = []
    clock.mark("read")
    if chunk:
        yield chunk
