"""Online story grouping: each article joins the best-scoring open story or
opens a new one; a story that an article links to another is merged with it
when the two stories are close enough themselves."""

from __future__ import annotations

import heapq
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ohliad.cluster.config import ClusterConfig
from ohliad.cluster.features import ArticleEmbedder, ArticleFeatures, featurize
from ohliad.cluster.index import CandidateIndex
from ohliad.cluster.stories import (
    StoryState,
    WindowedFrequencies,
    hours_apart,
    similarity,
    similarity_bound,
)
from ohliad.cluster.vector_cache import CachedEmbedder
from ohliad.models import Article
from ohliad.nlp.embedders import Embedder, PrefetchingEmbedder, get_embedder

_BATCH = 256


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one article went. ``merged`` are story keys that this article's
    arrival merged into ``story_id``; they no longer exist."""

    story_id: str
    merged: tuple[str, ...] = ()


class OnlineClusterer:
    """Stories of the current time window, with their candidate indexes.

    Memory holds only stories updated within ``config.window_hours`` of the
    newest article seen; older ones are closed and forgotten.
    """

    def __init__(
        self,
        config: ClusterConfig | None = None,
        embedder: Embedder | None = None,
        state_dir: Path | None = None,
    ) -> None:
        """``embedder`` overrides the config's title-and-lead engine (and its
        title engine, unless the config names another)."""
        self.config = config or ClusterConfig()
        text_engine, title_engine = self.config.engines
        text = _prefetching(embedder or get_embedder(text_engine))
        separate_title = title_engine != text_engine and self.config.title_weight
        title = _prefetching(get_embedder(title_engine)) if separate_title else text
        if state_dir is not None:
            # Vectors are the costly part of a rebuild, so they are kept on disk.
            same = title is text
            text = _cached(text, state_dir / "vectors.sqlite")
            title = text if same else _cached(title, state_dir / "vectors.sqlite")
        self._embedder = ArticleEmbedder(text, title, self.config.title_weight)
        self._index = CandidateIndex(self._embedder.dim, self.config.entity_postings)
        self._stories: dict[str, StoryState] = {}
        self._terms_df = WindowedFrequencies()
        self._entities_df = WindowedFrequencies()
        self._expiry: list[tuple[float, str]] = []
        self._clock: float | None = None
        self._next_article_key = 0

    @property
    def open_stories(self) -> int:
        return len(self._stories)

    @property
    def indexed_articles(self) -> int:
        return len(self._index)

    def featurize(self, articles: Sequence[Article]) -> list[ArticleFeatures]:
        return featurize(
            articles,
            self._embedder,
            lead_chars=self.config.lead_chars,
            entity_extractor=self.config.entity_extractor,
        )

    def prefetch(self, articles: Sequence[Article]) -> None:
        """Start embedding articles that will soon be added, in the background."""
        self._embedder.prefetch(articles, self.config.lead_chars)

    def add_batch(self, articles: Sequence[Article]) -> list[Assignment]:
        """Assign articles in the given order (embedded together for speed)."""
        assignments: list[Assignment] = []
        for start in range(0, len(articles), _BATCH):
            features = self.featurize(articles[start : start + _BATCH])
            assignments.extend(self.add_features(features))
        return assignments

    def add_features(self, batch: Sequence[ArticleFeatures]) -> list[Assignment]:
        """Assign already featurized articles, in order."""
        if not batch:
            return []
        vectors = np.stack([f.vector for f in batch])
        indexed_neighbours = self._index.nearest_stories(vectors, self.config.ann_candidates)
        # Batch-mates are not in the ANN index yet: compare them directly.
        batch_similarity = vectors @ vectors.T
        batch_keys: list[int] = []
        assignments: list[Assignment] = []
        for position, features in enumerate(batch):
            earlier = batch_similarity[position, :position]
            nearest_earlier = np.argsort(-earlier)[: self.config.ann_candidates]
            candidates = indexed_neighbours[position] | {
                story
                for j in nearest_earlier
                if (story := self._index.story_of.get(batch_keys[j])) is not None
            }
            key = self._new_article_key()
            assignment = self._place(features, key, candidates)
            batch_keys.append(key)
            assignments.append(assignment)
        # Added once per batch (a multi-threaded insert); batch-mates were
        # compared through batch_similarity meanwhile.
        self._index.add_vectors(batch_keys, vectors)
        return assignments

    def restore(self, members: Iterable[tuple[str, Article]]) -> None:
        """Rebuild the open stories from stored (story key, article) pairs."""
        by_story: dict[str, list[Article]] = defaultdict(list)
        for story_key, article in members:
            by_story[story_key].append(article)
        keys = [k for k, articles in by_story.items() for _ in articles]
        articles = [a for group in by_story.values() for a in group]
        features: list[ArticleFeatures] = []
        for start in range(0, len(articles), _BATCH):
            features.extend(self.featurize(articles[start : start + _BATCH]))
        self.restore_features(list(zip(keys, features, strict=True)))

    def restore_features(self, members: Sequence[tuple[str, ArticleFeatures]]) -> None:
        """Rebuild from already featurized members (bulk: one index insert)."""
        article_keys = [self._new_article_key() for _ in members]
        # The whole window's frequencies first, so that every member is weighted alike.
        for _, features in members:
            self._count_frequencies(features)
        for (story_key, features), article_key in zip(members, article_keys, strict=True):
            article = self._profile(story_key, features, article_key)
            story = self._stories.get(story_key)
            if story is None:
                self._stories[story_key] = story = article
            else:
                story.absorb(article)
            self._index.assign([article_key], story_key)
            self._index.add_entities(article_key, features.entities)
        if members:
            self._index.add_vectors(article_keys, np.stack([f.vector for _, f in members]))
        for story in self._stories.values():
            self._schedule_expiry(story)
        times = [f.time for _, f in members if f.time is not None]
        if times:
            self._advance_clock(max(times))

    def _new_article_key(self) -> int:
        self._next_article_key += 1
        return self._next_article_key

    def _place(self, features: ArticleFeatures, key: int, candidates: set[str]) -> Assignment:
        if features.time is None and self._clock is not None:
            features = replace(features, time=self._clock)
        if features.time is not None:
            self._advance_clock(features.time)
        article = self._profile("", features, key)
        candidates |= self._index.entity_stories(self._rarest(features.entities))
        linked = self._linked_stories(article, candidates)
        if linked:
            survivor, merged = self._join(article, linked)
        else:
            article.key = uuid.uuid4().hex
            self._stories[article.key] = article
            survivor, merged = article, []
        self._index.assign([key], survivor.key)
        self._index.add_entities(key, features.entities)
        self._count_frequencies(features)
        self._schedule_expiry(survivor)
        return Assignment(survivor.key, tuple(story.key for story in merged))

    def _rarest(self, entities: frozenset[str]) -> list[str]:
        counts = self._entities_df.counts
        return sorted(entities, key=lambda e: counts.get(e, 0))[: self.config.entity_queries]

    def _linked_stories(self, article: StoryState, candidates: set[str]) -> list[StoryState]:
        """Open candidate stories scoring at least the join threshold, best first."""
        stories: list[tuple[StoryState, float]] = []
        for key in candidates:
            story = self._stories.get(key)
            if story is None:
                continue
            hours = hours_apart(article, story)
            if hours <= self.config.window_hours:
                stories.append((story, hours))
        if not stories:
            return []
        # One matrix product rules out most candidates before the costlier scores.
        sizes = np.array([story.size for story, _ in stories], dtype=np.float32)
        embedding = np.stack([story.vector for story, _ in stories]) @ article.vector / sizes
        threshold = self.config.join_threshold
        scored: list[tuple[float, StoryState]] = []
        for (story, hours), cosine in zip(stories, embedding, strict=True):
            if similarity_bound(self.config, float(cosine), hours) < threshold:
                continue
            score = self._similarity(article, story)
            if score >= threshold:
                scored.append((score, story))
        scored.sort(key=lambda pair: -pair[0])
        return [story for _, story in scored]

    def _join(
        self, article: StoryState, linked: list[StoryState]
    ) -> tuple[StoryState, list[StoryState]]:
        best, *others = linked
        best.absorb(article)
        threshold = self.config.merge_threshold
        group = [best] + [story for story in others if self._similarity(best, story) >= threshold]
        # The largest story keeps its key, so merges rename as little as possible.
        survivor = max(group, key=lambda story: story.size)
        merged = [story for story in group if story is not survivor]
        for story in merged:
            survivor.absorb(story)
            self._index.assign(story.article_keys, survivor.key)
            del self._stories[story.key]
        return survivor, merged

    def _similarity(self, a: StoryState, b: StoryState) -> float:
        return similarity(a, b, self.config)

    def _profile(self, key: str, features: ArticleFeatures, article_key: int) -> StoryState:
        return StoryState(key, features, article_key, self._terms_df, self._entities_df)

    def _count_frequencies(self, features: ArticleFeatures) -> None:
        self._terms_df.add(features.terms, features.time)
        self._entities_df.add(features.entities, features.time)

    def _schedule_expiry(self, story: StoryState) -> None:
        if story.last_time is not None:
            heapq.heappush(self._expiry, (story.last_time, story.key))

    def _advance_clock(self, time: float) -> None:
        if self._clock is not None and time <= self._clock:
            return
        previous_day = None if self._clock is None else self._clock // 86_400
        self._clock = time
        cutoff = time - self.config.window_hours * 3600
        while self._expiry and self._expiry[0][0] < cutoff:
            _, story_key = heapq.heappop(self._expiry)
            story = self._stories.get(story_key)
            # A story updated since this entry was pushed has a newer entry.
            if story is not None and story.last_time is not None and story.last_time < cutoff:
                del self._stories[story_key]
                self._index.remove(story.article_keys)
        if previous_day != time // 86_400:
            self._terms_df.forget_before(cutoff)
            self._entities_df.forget_before(cutoff)
            self._index.prune_postings()


def _prefetching(embedder: Embedder) -> Embedder:
    # Only a costly engine gains from embedding ahead on a thread of its own.
    return PrefetchingEmbedder(embedder) if embedder.worth_caching else embedder


def _cached(embedder: Embedder, path: Path) -> Embedder:
    return CachedEmbedder(embedder, path) if embedder.worth_caching else embedder


def final_story_keys(assignments: Sequence[Assignment]) -> list[str]:
    """Story keys after all merges (a merged key points to its survivor)."""
    merged_into: dict[str, str] = {}
    for assignment in assignments:
        for key in assignment.merged:
            merged_into[key] = assignment.story_id

    def resolve(key: str) -> str:
        while key in merged_into:
            key = merged_into[key]
        return key

    return [resolve(a.story_id) for a in assignments]


def assign_stories(
    articles: Sequence[Article],
    config: ClusterConfig | None = None,
    embedder: Embedder | None = None,
) -> list[str]:
    """The story key of each article, in input order.

    Articles are streamed in publication order (undated ones last, in input
    order) through the same ``OnlineClusterer`` that ingestion uses.
    """
    order = sorted(
        range(len(articles)),
        key=lambda i: (articles[i].published is None, _sort_time(articles[i])),
    )
    clusterer = OnlineClusterer(config, embedder)
    assignments = clusterer.add_batch([articles[i] for i in order])
    keys = final_story_keys(assignments)
    result = [""] * len(articles)
    for position, index in enumerate(order):
        result[index] = keys[position]
    return result


def _sort_time(article: Article) -> float:
    return article.published.timestamp() if article.published is not None else 0.0
