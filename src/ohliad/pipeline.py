"""The main job, stage by stage: ingest → dedup → group → summarize →
Ukrainian → compare → digest entries in the store.

Articles are stored in small batches, each in one transaction together with
its story links, so a killed run loses at most the batch in flight and never
leaves half of it. Stories touched by new articles are marked dirty and
recomputed afterwards; a story whose recomputation was interrupted stays dirty
and is recomputed by the next run.

A story is recomputed in two tiers. The summary tier (membership, headline,
summary, Ukrainian, sources) is quick and runs for every changed story as soon
as its articles are stored. The comparison tier is slow (every sentence of every
source is parsed and embedded) and may run later, by itself: until it has, the
story keeps its last comparison, marked pending. Each tier saves its part in one
transaction, so a story is never half-updated.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from datasketch import MinHash

from ohliad.cluster import ClusterConfig, OnlineClusterer, StoryChange
from ohliad.cluster.features import ArticleFeatures
from ohliad.compare import CompareOptions, compare_stories, compare_story
from ohliad.compare.records import Comparison
from ohliad.dedup import NearDuplicateIndex
from ohliad.ingest import IngestFailure, Outcome
from ohliad.models import Article, CachedTranslation, DigestEntry, EntrySource, Story
from ohliad.store import Store, Transaction, content_hash, is_transient
from ohliad.store.history import StoryChangeRecord
from ohliad.store.translations import StoreTranslationCache
from ohliad.summarize import Summarizer, SummaryOptions, open_summarizer, summarize_story
from ohliad.translate import TranslateOptions, Translator, UkrainianResult, ukrainian_for
from ohliad.translate.cache import TranslationCache

BATCH_SIZE = 32
# SQLite's full-text index takes a run's new articles every this many batches
# and after its last (migration 0009): on the backfill writer's pages, 1.03-1.07
# CPU ms an article indexed a batch at a time, 0.95-1.02 every 32 batches
# (interleaved runs, load 4).
TEXT_INDEX_BATCHES = 32
# A batch that meets a locked database or a serialization failure is tried
# again this many times, after 0.5, 1, 2 s.
STORE_RETRIES = 3
# Stories compared together: enough sentences for spaCy and MiniLM to batch
# well, few enough that a stop request waits only a second or two.
COMPARE_BATCH = 16
# Stories whose summary tier is read and saved together, in one transaction.
SUMMARY_BATCH = 64


@dataclass(frozen=True, slots=True)
class PipelineOptions:
    """The options of each stage the pipeline runs (``ohliad.assembly``
    builds them from ``Settings``)."""

    summary: SummaryOptions = field(default_factory=SummaryOptions)
    translate: TranslateOptions = field(default_factory=TranslateOptions)
    cluster: ClusterConfig | None = None
    compare: bool = True
    # Where the clusterer caches article vectors, so a restart re-embeds nothing.
    state_dir: Path | None = None
    # Characters of an article's text each NLP stage reads (spaCy refuses over
    # a million; MinHash of 2 million words wanted 2 GB). Stored whole.
    max_article_chars: int = 200_000


@dataclass
class IngestReport:
    added: int = 0
    already_stored: int = 0
    copies: int = 0
    failures: list[IngestFailure] = field(default_factory=list)
    stories_touched: set[str] = field(default_factory=set)
    # Stories merged into others: they no longer exist.
    stories_merged: set[str] = field(default_factory=set)

    def absorb(self, batch: IngestReport) -> None:
        """Count a committed batch in."""
        self.added += batch.added
        self.already_stored += batch.already_stored
        self.copies += batch.copies
        self.failures += batch.failures
        self.stories_touched -= batch.stories_merged
        self.stories_touched |= batch.stories_touched
        self.stories_merged |= batch.stories_merged


# Called with each failure as a one-line message, or each refreshed story key.
Progress = Callable[[str], None]
# Stories' summary-tier entries by key, each with the articles it was made
# from: a story whose articles changed since stays dirty when it is saved.
Summaries = dict[str, tuple[DigestEntry, frozenset[int]]]


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """An article with what the writer would otherwise compute for it: its
    MinHash signature, its grouping features and its ``content_hash``. Made
    by ``ArticlePreparer``, anywhere (a Ray worker), so that the one writer
    only looks up and scores."""

    article: Article
    signature: MinHash | None
    features: ArticleFeatures
    digest: str


class ArticlePreparer:
    """The stateless, costly part of storing an article, apart from the
    store: the same engines and text cut as ``Pipeline`` uses."""

    def __init__(self, options: PipelineOptions | None = None) -> None:
        self.options = options or PipelineOptions()
        # Only their featurize/signature are used: the indexes stay empty.
        self._clusterer = OnlineClusterer(self.options.cluster)
        self._dedup = NearDuplicateIndex()

    def signatures(self, articles: Sequence[Article]) -> list[MinHash | None]:
        limit = self.options.max_article_chars
        return [self._dedup.signature(a.readable(limit).text) for a in articles]

    def features(self, articles: Sequence[Article]) -> list[ArticleFeatures]:
        limit = self.options.max_article_chars
        return self._clusterer.featurize([a.readable(limit) for a in articles])


@contextmanager
def _long_lived_frozen() -> Iterator[None]:
    """What is alive now (the articles to store, the open stories, the
    indexes) lives through the bulk store: the cyclic collector leaves it
    alone meanwhile rather than scan it again at every full collection:
    0.93-0.98 CPU ms an article stored against 0.99-1.03 (bench/backfill.py's
    pages, grouped from precomputed features)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _publication_order(article: Article) -> tuple[bool, datetime]:
    # Undated articles go last, in input order (the sort is stable).
    return (article.published is None, article.published or datetime.min.replace(tzinfo=UTC))


def _window_start(store: Store, window: timedelta | None) -> datetime | None:
    latest = store.latest_published()
    if latest is None or window is None:
        return None
    return latest - window


def _members(story: Story) -> frozenset[int]:
    return frozenset(a.id for a in story.articles + story.copies if a.id is not None)


class EntryMaker:
    """Stories' digest entries from their articles, apart from the store: the
    summarizer and the Ukrainian engine, each loaded once. ``Pipeline`` makes
    its entries with one; each backfill worker holds one of its own."""

    def __init__(
        self,
        options: PipelineOptions,
        *,
        translator: Translator | None,
        summarizer: Summarizer | None = None,
        cache: TranslationCache | None = None,
    ) -> None:
        """``translator`` writes the Ukrainian (None: Ukrainian is unavailable);
        ``summarizer`` defaults to the engine ``options.summary`` names,
        built on first use; ``cache`` keeps the translations made."""
        self.options = options
        self.translator = translator
        self._summarizer = summarizer
        self._cache = cache

    @property
    def summarizer(self) -> Summarizer:
        if self._summarizer is None:
            self._summarizer = open_summarizer(self.options.summary)
        return self._summarizer

    def compare_options(self) -> CompareOptions:
        return CompareOptions(max_article_chars=self.options.max_article_chars)

    def _readable_story(self, story: Story) -> Story:
        limit = self.options.max_article_chars
        return replace(
            story,
            articles=tuple(a.readable(limit) for a in story.articles),
            copies=tuple(a.readable(limit) for a in story.copies),
        )

    def _notes(self, story: Story) -> tuple[str, ...]:
        """What the reader should know about how the entry was made."""
        limit = self.options.max_article_chars
        return tuple(
            f"{a.label}: only its first {limit:,} of {len(a.text):,} characters were read."
            for a in story.articles + story.copies
            if len(a.text) > limit
        )

    def build_entry(self, story: Story, *, compare: bool = True) -> DigestEntry:
        """The story's digest entry; its comparison only with ``compare``."""
        notes = self._notes(story)
        whole, story = story, self._readable_story(story)
        summary = summarize_story(story, self.options.summary, self.summarizer)
        ukrainian: UkrainianResult = ukrainian_for(
            summary,
            story.articles,
            self.translator,
            options=self.options.translate,
            cache=self._cache,
        )
        # The comparison cuts each article itself, and says so in its notes.
        compared = compare and self.options.compare
        comparison = compare_story(whole, self.compare_options()) if compared else None
        sources = tuple(
            EntrySource(
                url=a.url,
                outlet=a.outlet,
                title=a.title,
                published=a.published,
                article_id=a.id,
                copy_of=a.duplicate_of,
            )
            for a in story.articles + story.copies
        )
        return DigestEntry(
            story_id=story.id,
            summary=summary,
            sources=sources,
            article_ids=tuple(a.id for a in story.articles + story.copies if a.id is not None),
            updated=story.updated,
            ukrainian=ukrainian.text,
            ukrainian_unavailable=ukrainian.unavailable,
            comparison=comparison,
            notes=notes + summary.notes,
        )

    def summarize_stories(self, stories: Iterable[Story]) -> Summaries:
        """The summary tier of ``stories``: each one's entry without its
        comparison, with the articles it was made from."""
        return {
            story.id: (self.build_entry(story, compare=False), _members(story)) for story in stories
        }


class Pipeline:
    """Holds the in-memory indexes (near-duplicates, story clusters) that the
    store alone cannot answer quickly, rebuilt from the store on start."""

    def __init__(
        self,
        store: Store,
        options: PipelineOptions | None = None,
        *,
        translator: Translator | None = None,
        summarizer: Summarizer | None = None,
    ) -> None:
        """``translator`` writes the Ukrainian (None: Ukrainian is unavailable);
        ``summarizer`` defaults to the engine ``options.summary`` names,
        built on first use."""
        self.store = store
        self.options = options or PipelineOptions()
        self._translations = StoreTranslationCache(store)
        self.entries = EntryMaker(
            self.options, translator=translator, summarizer=summarizer, cache=self._translations
        )
        self._clusterer: OnlineClusterer | None = None
        self._dedup: NearDuplicateIndex | None = None
        # The newest article the indexes know of (``Store.last_article_id``).
        self._synced = 0

    # Indexes ----------------------------------------------------------------

    def _restore_indexes(self) -> tuple[OnlineClusterer, NearDuplicateIndex]:
        self._synced = self.store.last_article_id()
        clusterer = OnlineClusterer(self.options.cluster, state_dir=self.options.state_dir)
        since = _window_start(self.store, timedelta(hours=clusterer.config.window_hours))
        members = [(key, self._readable(a)) for key, a in self.store.story_members(since)]
        clusterer.restore(members)
        dedup = NearDuplicateIndex()
        dedup.add_all((a.id, a.text) for _key, a in members if a.id is not None)
        self._clusterer, self._dedup = clusterer, dedup
        return clusterer, dedup

    def _indexes(self) -> tuple[OnlineClusterer, NearDuplicateIndex]:
        if self._clusterer is None or self._dedup is None:
            return self._restore_indexes()
        return self._clusterer, self._dedup

    # Ingest -----------------------------------------------------------------

    def prefetch(self, articles: Sequence[Article]) -> None:
        """Start embedding articles that are about to be ingested, in the
        background, so that ``ingest`` finds their vectors ready. Safe to call
        from another thread while ``ingest`` runs; does nothing before the
        indexes are loaded."""
        clusterer = self._clusterer
        if clusterer is not None:
            clusterer.prefetch([self._readable(a) for a in articles])

    def ingest(
        self,
        outcomes: Iterable[Outcome],
        *,
        run_id: int | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Store and group articles, reporting failures as they come.

        Articles are grouped in publication order, whatever order the inputs
        came in: a story only takes articles within its time window, so an
        old article read after newer ones must not find its story closed.
        """
        report = IngestReport()
        articles: list[Article] = []
        for outcome in outcomes:
            if isinstance(outcome, IngestFailure):
                report.failures.append(outcome)
                if progress:
                    progress(str(outcome))
            else:
                articles.append(outcome)
        articles.sort(key=_publication_order)
        self._store_in_order(articles, None, report, run_id)
        return report

    def ingest_prepared(
        self,
        prepared: Sequence[PreparedArticle],
        *,
        run_id: int | None = None,
        stored: Callable[[Sequence[PreparedArticle]], None] | None = None,
    ) -> IngestReport:
        """``ingest`` for articles whose signatures and features were computed
        elsewhere (``ArticlePreparer``): the same order, batches and
        transactions. ``stored`` is called with each batch once committed."""
        ordered = sorted(prepared, key=lambda p: _publication_order(p.article))
        report = IngestReport()
        with _long_lived_frozen():
            self._store_in_order([p.article for p in ordered], ordered, report, run_id, stored)
        return report

    def _store_in_order(
        self,
        articles: Sequence[Article],
        prepared: Sequence[PreparedArticle] | None,
        report: IngestReport,
        run_id: int | None,
        stored: Callable[[Sequence[PreparedArticle]], None] | None = None,
    ) -> None:
        # One writer at a time, across processes: each batch is then grouped
        # against every story stored before it, as a run after the other's.
        with self.store.writer_lock():
            if self._clusterer is not None and self.store.last_article_id() != self._synced:
                # Another process stored articles since: group against them too.
                self._clusterer = self._dedup = None
            for number, start in enumerate(range(0, len(articles), BATCH_SIZE)):
                batch = slice(start, start + BATCH_SIZE)
                ready = prepared[batch] if prepared is not None else None
                index_text = (
                    start + BATCH_SIZE >= len(articles) or (number + 1) % TEXT_INDEX_BATCHES == 0
                )
                report.absorb(
                    self._store_batch_retrying(list(articles[batch]), ready, run_id, index_text)
                )
                if stored is not None and ready is not None:
                    stored(ready)

    def _store_batch_retrying(
        self,
        articles: list[Article],
        prepared: Sequence[PreparedArticle] | None,
        run_id: int | None,
        index_text: bool = True,
    ) -> IngestReport:
        for attempt in range(STORE_RETRIES + 1):
            try:
                return self._store_batch(articles, prepared, run_id, index_text)
            except Exception as error:
                # The transaction rolled back; the in-memory indexes may
                # hold articles that were never stored.
                self._clusterer = self._dedup = None
                if attempt == STORE_RETRIES or not is_transient(error):
                    raise
                time.sleep(0.5 * 2**attempt)
        raise AssertionError("the last attempt returns or raises")

    def _store_batch(
        self,
        articles: list[Article],
        prepared: Sequence[PreparedArticle] | None,
        run_id: int | None,
        index_text: bool = True,
    ) -> IngestReport:
        """Store, deduplicate and group one batch, in one transaction; with
        ``prepared`` (the articles' precomputed signatures and features, in
        the same order), nothing is hashed or embedded here. With
        ``index_text`` the full-text index takes every queued article, this
        batch's and those of batches before it that deferred (even when this
        one stores none); without, this batch's stay queued."""
        report = IngestReport()
        clusterer, dedup = self._indexes()
        with self.store.transaction() as tx:
            if not index_text:
                tx.defer_text_index()
            fresh: list[Article] = []
            fresh_features: list[ArticleFeatures] = []
            copies: list[Article] = []
            digests = (
                [content_hash(article) for article in articles]
                if prepared is None
                else [ready.digest for ready in prepared]
            )
            seen_urls, seen_hashes = tx.stored_identities(
                [a.url for a in articles if a.url], digests
            )
            for position, (article, digest) in enumerate(zip(articles, digests, strict=True)):
                if digest in seen_hashes or (article.url and article.url in seen_urls):
                    report.already_stored += 1
                    continue
                seen_hashes.add(digest)
                if article.url:
                    seen_urls.add(article.url)
                ready = prepared[position] if prepared is not None else None
                if ready is not None:
                    signature = ready.signature
                else:
                    signature = dedup.signature(self._readable(article).text)
                original = dedup.original_of(signature)
                stored = tx.add_article(
                    replace(article, duplicate_of=original), digest=digest, run_id=run_id
                )
                if stored is None:  # a writer that does not take the lock stored it
                    report.already_stored += 1
                    continue
                if original is not None:
                    copies.append(stored)
                    report.copies += 1
                else:
                    if stored.id is not None:
                        dedup.insert(stored.id, signature)
                    fresh.append(stored)
                    if ready is not None:
                        fresh_features.append(ready.features)
                report.added += 1
            assignments = (
                clusterer.add_features(fresh_features, [a.id for a in fresh])
                if prepared is not None
                else clusterer.add_batch([self._readable(a) for a in fresh])
            )
            for article, assignment in zip(fresh, assignments, strict=True):
                assert article.id is not None
                tx.link(article.id, assignment.story_id)
                report.stories_touched.add(assignment.story_id)
            # Merges and splits after the links they move, in the order made.
            changes = clusterer.take_changes()
            for change in changes:
                _apply_change(tx, change, report)
            tx.record_changes([_change_record(change) for change in changes], run_id=run_id)
            # Originals the clusterer has closed are looked up together.
            open_keys = {
                copy.duplicate_of: clusterer.story_of(copy.duplicate_of)
                for copy in copies
                if copy.duplicate_of is not None
            }
            stored_keys = tx.story_keys_of(o for o, key in open_keys.items() if key is None)
            for copy in copies:
                assert copy.id is not None and copy.duplicate_of is not None
                key = open_keys[copy.duplicate_of] or stored_keys.get(copy.duplicate_of)
                if key is not None:
                    tx.link(copy.id, key)
                    report.stories_touched.add(key)
            if index_text:
                tx.index_pending_text()
        self._synced = max([self._synced, *(a.id for a in fresh + copies if a.id is not None)])
        return report

    # Story entries ----------------------------------------------------------

    @property
    def translator(self) -> Translator | None:
        return self.entries.translator

    @property
    def summarizer(self) -> Summarizer:
        return self.entries.summarizer

    def _readable(self, article: Article) -> Article:
        """The article as the NLP stages read it: its text cut at
        ``max_article_chars``, at the last paragraph or sentence end before."""
        return article.readable(self.options.max_article_chars)

    def compare_options(self) -> CompareOptions:
        return self.entries.compare_options()

    def build_entry(self, story: Story, *, compare: bool = True) -> DigestEntry:
        """The story's digest entry; its comparison only with ``compare``."""
        return self.entries.build_entry(story, compare=compare)

    def refresh_story(self, key: str) -> int | None:
        """Recompute one story's digest entry and comparison together; returns
        its article count, or None when there is no such story."""
        story = self.store.story(key)
        if story is None:
            return None
        entry = self.build_entry(story)
        with self.store.transaction() as tx:
            # Without comparisons, the stored one is kept (and stays pending).
            tx.save_entry(key, entry, members=_members(story), with_comparison=self.options.compare)
        return len(_members(story))

    def refresh_comparison(self, key: str) -> frozenset[int] | None:
        """The comparison tier of one story; returns the articles compared, or
        None when there is no such story (merged into another meanwhile) or
        comparisons are turned off."""
        return self.refresh_comparison_batch([key]).get(key)

    def refresh_comparison_batch(self, keys: Sequence[str]) -> dict[str, frozenset[int]]:
        """The comparison tier of several stories, computed together (their new
        sentences parsed and embedded in shared batches) and each saved in a
        transaction of its own. Returns the articles compared, by story, for the
        stories saved: not those merged into another meanwhile."""
        if not self.options.compare:
            return {}
        stories = self.existing_stories(keys)
        return self.save_comparisons(stories, compare_stories(stories, self.compare_options()))

    def existing_stories(self, keys: Sequence[str]) -> list[Story]:
        """The stories of ``keys`` that still exist (not merged into another),
        in that order."""
        found = self.store.stories(keys)
        return [found[key] for key in keys if key in found]

    def save_comparisons(
        self, stories: Sequence[Story], compared: Sequence[Comparison | None]
    ) -> dict[str, frozenset[int]]:
        """Save comparisons made of ``stories`` (here or elsewhere), each in a
        transaction of its own, unless its story changed since; returns the
        articles compared, by story saved."""
        saved: dict[str, frozenset[int]] = {}
        for story, comparison in zip(stories, compared, strict=True):
            members = _members(story)
            with self.store.transaction() as tx:
                if tx.save_comparison(story.id, comparison, members=members):
                    saved[story.id] = members
        return saved

    def summary_batches(self) -> list[list[str]]:
        """The keys of every dirty story, ``SUMMARY_BATCH`` to a batch: the
        stories read, summarized and saved together."""
        keys = self.store.dirty_story_keys()
        return [keys[start : start + SUMMARY_BATCH] for start in range(0, len(keys), SUMMARY_BATCH)]

    def save_summaries(
        self, entries: Summaries, translations: Sequence[CachedTranslation] = ()
    ) -> list[str]:
        """Save a batch of summary-tier entries (made here or elsewhere) in one
        transaction, each story's comparison kept as it was (and left
        pending); ``translations`` made for them elsewhere go to the
        translation cache first. Returns the keys saved."""
        if translations:
            self._translations.put_many(translations)
        with self.store.transaction() as tx:
            tx.save_entries(entries)
        return list(entries)

    def refresh_summaries(self, *, progress: Progress | None = None) -> list[str]:
        """The summary tier of every dirty story: everything but its comparison.
        Returns their keys."""
        done: list[str] = []
        for keys in self.summary_batches():
            entries = self.entries.summarize_stories(self.existing_stories(keys))
            for key in self.save_summaries(entries):
                done.append(key)
                if progress:
                    progress(key)
        return done

    def refresh_comparisons(
        self, *, limit: int | None = None, progress: Progress | None = None
    ) -> list[str]:
        """The comparison tier of stories whose comparison is pending (at most
        ``limit``), the longest unchanged first, ``COMPARE_BATCH`` at a time;
        returns their keys."""
        if not self.options.compare:
            return []
        keys = self.store.pending_comparison_keys(limit)
        done: list[str] = []
        for start in range(0, len(keys), COMPARE_BATCH):
            for key in self.refresh_comparison_batch(keys[start : start + COMPARE_BATCH]):
                done.append(key)
                if progress:
                    progress(key)
        return done

    def refresh(self, *, progress: Progress | None = None) -> list[str]:
        """Both tiers together, to the end: every dirty story in full, then the
        comparisons still pending (left by an interrupted watcher). Returns the
        keys of the stories recomputed."""
        done = _refresh_each(self.store.dirty_story_keys(), self.refresh_story, progress)
        compared = self.refresh_comparisons()
        return list(dict.fromkeys(done + compared))

    def digest(self, *, limit: int | None = None) -> list[DigestEntry]:
        """Stored entries, the stories with the latest news first."""
        return self.store.digest_entries(limit=limit)


def _apply_change(tx: Transaction, change: StoryChange, report: IngestReport) -> None:
    if change.kind == "merge":
        tx.merge_stories(change.story, [change.other])
        report.stories_touched.discard(change.other)
        report.stories_merged.add(change.other)
        report.stories_touched.add(change.story)
    else:
        tx.move_articles(change.articles, change.other)
        report.stories_touched |= {change.story, change.other}


def _change_record(change: StoryChange) -> StoryChangeRecord:
    return StoryChangeRecord(
        change.kind, change.story, change.other, change.articles, round(change.score, 4)
    )


def _refresh_each(
    keys: Iterable[str], refresh: Callable[[str], object | None], progress: Progress | None
) -> list[str]:
    """Run ``refresh`` on each key; the keys it did something for (not None)."""
    done: list[str] = []
    for key in keys:
        if refresh(key) is None:
            continue
        done.append(key)
        if progress:
            progress(key)
    return done
