"""Where candidate stories come from: an approximate nearest-neighbour index
over article vectors (usearch HNSW) and an inverted index from entity to the
most recent articles naming it. Neither scans all stories, so the cost per
article stays near-constant as the store grows."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence

import numpy as np

# onnxruntime must be loaded before usearch: the other order segfaults
# (usearch 2.26's numkong and onnxruntime 1.x clash on load).
import onnxruntime  # noqa: F401
from usearch.index import BatchMatches, Index

from ohliad.nlp.embedders import Vectors

# usearch only marks removed vectors: their nodes and links stay in the graph
# (a later insert may reuse a slot), so after a large eviction the graph keeps
# its old size and searches slow down (100x with 19 removed per live vector).
# Rebuilding once the removed outnumber the live keeps the graph the size of
# the window, at an amortised cost of one re-insert per article.
_REBUILD_AFTER = 1024
# Below this many live articles a scan of the int8 vectors costs less than
# the graph search, and its neighbours are exact (the backfill writer's
# window of about 130 articles: 0.063 against 0.091 CPU ms an article of
# searching; the two cost about the same at 1,000 vectors). Searches run on
# the caller's thread: usearch's pool made them 0.065 CPU ms an article, not 0.048.
_EXACT_BELOW = 1024


class CandidateIndex:
    def __init__(self, dim: int, entity_postings: int) -> None:
        self._dim = dim
        self._ann = self._new_ann()
        self._removed = 0
        self._postings: dict[str, deque[int]] = {}
        self._entity_postings = entity_postings
        self.story_of: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.story_of)

    def _new_ann(self) -> Index:
        # Inner product on unit vectors is cosine. Candidates are re-scored
        # exactly, so the index only has to find them: int8 vectors and a
        # modest insert effort make adds several times cheaper than f32.
        return Index(ndim=self._dim, metric="ip", dtype="i8", expansion_add=64)

    @property
    def graph_nodes(self) -> int:
        """Nodes in the nearest-neighbour graph, removed ones included."""
        return int(self._ann.stats.nodes)

    def add_vectors(self, keys: Sequence[int], vectors: Vectors) -> None:
        """Index the vectors of articles that are still assigned to a story.
        On one thread: inserts on several build a different graph each run,
        so the same stream gave other candidates and other stories (2 of 4
        runs of the undated AllSides stream differed)."""
        live = [i for i, key in enumerate(keys) if key in self.story_of]
        if live:
            self._ann.add(
                np.asarray([keys[i] for i in live], dtype=np.uint64), vectors[live], threads=1
            )

    def add_entities(self, key: int, entities: Iterable[str]) -> None:
        for entity in entities:
            posting = self._postings.get(entity)
            if posting is None:
                posting = self._postings[entity] = deque(maxlen=self._entity_postings)
            posting.append(key)

    def assign(self, keys: Iterable[int], story: str) -> None:
        for key in keys:
            self.story_of[key] = story

    def remove(self, keys: Sequence[int]) -> None:
        self._ann.remove(np.asarray(keys, dtype=np.uint64))
        for key in keys:
            del self.story_of[key]
        self._removed += len(keys)
        if self._removed > max(len(self._ann), _REBUILD_AFTER):
            self._rebuild()

    def _rebuild(self) -> None:
        """A fresh graph of the live vectors only."""
        keys = np.asarray(self._ann.keys, dtype=np.uint64)
        fresh = self._new_ann()
        if len(keys):
            # get() hands back one array per key (a key may hold several vectors).
            vectors = self._ann.get(keys, dtype="f32")
            assert isinstance(vectors, tuple)
            live = [
                (key, vector)
                for key, vector in zip(keys, vectors, strict=True)
                if vector is not None
            ]
            fresh.add(
                np.asarray([key for key, _ in live], dtype=np.uint64),
                np.stack([vector for _, vector in live]),
                threads=1,
            )
        self._ann = fresh
        self._removed = 0

    def prune_postings(self) -> None:
        """Drop entities whose remembered articles have all left the window."""
        for entity in [e for e, keys in self._postings.items() if keys[-1] not in self.story_of]:
            del self._postings[entity]

    def nearest_stories(self, vectors: Vectors, count: int) -> list[set[str]]:
        """For each vector, the stories of its ``count`` nearest articles."""
        return [self.stories_of(keys) for keys in self.nearest_articles(vectors, count)]

    def nearest_articles(self, vectors: Vectors, count: int) -> list[list[int]]:
        """For each vector, the keys of its ``count`` nearest indexed articles
        (some may have left their stories since: see ``stories_of``)."""
        if not len(self._ann) or not len(vectors):
            return [[] for _ in range(len(vectors))]
        exact = len(self.story_of) < _EXACT_BELOW
        matches = self._ann.search(np.atleast_2d(vectors), count, exact=exact, threads=1)
        if not isinstance(matches, BatchMatches):
            matches = BatchMatches(
                np.atleast_2d(matches.keys),
                np.atleast_2d(matches.distances),
                np.array([len(matches.keys)]),
            )
        return [row[:n].tolist() for row, n in zip(matches.keys, matches.counts, strict=True)]

    def stories_of(self, articles: Iterable[int]) -> set[str]:
        """The stories these articles are in now."""
        story_of = self.story_of
        return {story_of[key] for key in articles if key in story_of}

    def entity_stories(self, entities: Iterable[str]) -> set[str]:
        stories: set[str] = set()
        for entity in entities:
            for key in self._postings.get(entity, ()):
                story = self.story_of.get(key)
                if story is not None:
                    stories.add(story)
        return stories
