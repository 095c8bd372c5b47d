"""Online story grouping: each article joins the best-scoring open story or
opens a new one; a story that an article links to another is merged with it
when the two stories are close enough themselves. After each batch a
story-level pass revisits the stories the batch touched, and every
``full_pass_hours`` all open stories: a member that no longer coheres with the
rest of its story leaves it, a story still of one article that tells the
same event as a neighbouring one (a follow-up a day later) is merged into it,
and a member that scores higher against a neighbouring story than against
the rest of its own moves there. Every merge and split is handed to the
caller as a ``StoryChange``."""

from __future__ import annotations

import functools
import heapq
import math
import uuid
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np
from threadpoolctl import ThreadpoolController

from ohliad.cluster.config import ClusterConfig
from ohliad.cluster.features import ArticleEmbedder, ArticleFeatures, featurize
from ohliad.cluster.index import CandidateIndex
from ohliad.cluster.stories import (
    Frequencies,
    Member,
    StoryState,
    hours_apart,
    mean_hours_apart,
    member_hours,
    member_score_floor,
    similarity,
    sparse_dot,
    time_penalty,
    untimed_bound,
    untimed_bounds,
    untimed_member_score,
    untimed_similarity,
)
from ohliad.cluster.vector_cache import CachedEmbedder
from ohliad.models import Article
from ohliad.nlp.embedders import Embedder, PrefetchingEmbedder, get_embedder, normalise

_BATCH = 256
# How far below a threshold a score bound from float32 products may fall
# while the exact score meets it.
_BOUND_MARGIN = 1e-4
# Keys for articles that have no store id; store ids stay far below.
_FIRST_GENERATED_KEY = 1 << 62
# Known pair scores kept at most (285 bytes each, 57 MB in all); past it they
# are dropped all at once, and scored again when asked for. The writer's dense
# stream (2,778 articles, dates packed into three days) kept 117,394.
_KNOWN_SCORES = 200_000
# Up to this many candidates, their bounds are taken one by one (``_dense_bounds``).
_ONE_BY_ONE_BOUNDS = 6


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one article went when it was placed: ``article`` is its key (its
    store id when it has one)."""

    article: int
    story_id: str


@dataclass(frozen=True, slots=True)
class StoryChange:
    """A merge or a split, for the record. A merge took ``articles``, all of
    ``other``'s, into ``story`` (``other`` no longer exists); a split moved
    ``articles`` out of ``story`` into ``other`` (a new story or an open
    one). ``score`` is the story-level score that decided it: merges at or
    above the merge threshold; splits below the split threshold, or, for a
    member that moved to a story it scores higher against, its score against
    the rest of the story it left."""

    kind: Literal["merge", "split"]
    story: str
    other: str
    score: float
    articles: tuple[int, ...]


@functools.cache
def _blas_threads() -> ThreadpoolController:
    return ThreadpoolController()


def _one_blas_thread() -> AbstractContextManager[object]:
    """Grouping's products are small (a story's candidates, a window of a few
    thousand vectors): a second BLAS thread mostly spins. On the scale
    benchmark's steady stream (quiet machine), 1.45 CPU ms an article at
    10,000 stored on one thread against 2.49 on two, and 2.47 against 3.94 at
    300,000, for 6 to 8% more time by the clock. Embedding is not limited (it
    runs before, in ``featurize``)."""
    return _blas_threads().limit(limits=1, user_api="blas")


def eased_time_weight(config: ClusterConfig, density: float) -> float:
    """The time weight in a stream of ``density`` articles a
    ``density_hours``: eased by (reference density / density) **
    ``time_density_exponent`` when that is busier than the reference."""
    busy = (1 + config.reference_density) / (1 + density)
    return config.weight_time * min(1.0, busy) ** config.time_density_exponent


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
        title_embedder: Embedder | None = None,
    ) -> None:
        """``embedder`` overrides the config's title-and-lead engine (and its
        title engine, unless the config names another), ``title_embedder`` its
        title engine."""
        self.config = config or ClusterConfig()
        text_engine, title_engine = self.config.engines
        text = _prefetching(embedder or get_embedder(text_engine))
        if title_embedder is not None:
            title = _prefetching(title_embedder)
        elif title_engine != text_engine:
            title = _prefetching(get_embedder(title_engine))
        else:
            title = text
        if state_dir is not None:
            # Vectors are the costly part of a rebuild, so they are kept on disk.
            same = title is text
            text = _cached(text, state_dir / "vectors.sqlite")
            title = text if same else _cached(title, state_dir / "vectors.sqlite")
        self._embedder = ArticleEmbedder(text, title)
        self._index = CandidateIndex(self._embedder.dim, self.config.entity_postings)
        self._stories: dict[str, StoryState] = {}
        self._frequencies = Frequencies.empty()
        self._expiry: list[tuple[float, str]] = []
        self._clock: float | None = None
        # Times of the articles placed, the oldest dropped past density_hours.
        self._recent: deque[float] = deque()
        self._first_time: float | None = None
        self._last_full_pass: float | None = None
        self._next_generated_key = _FIRST_GENERATED_KEY
        self._changes: list[StoryChange] = []
        self._placed_since_pass = 0
        # Articles near those placed since the last full pass: the ones that
        # pass looks at for a better story.
        self._near_new: set[int] = set()
        # (state of the story scored, state of the candidate) -> the score
        # before the time penalty, or a bound on it, the hours the penalty is
        # taken on, and whether it is exact: the periodic pass scores most
        # singletons and movers against the same unchanged neighbours again.
        self._known_scores: dict[tuple[int, int], tuple[float, float, bool]] = {}
        # (state of the story, member) -> member_score before the time
        # penalty: the pass looks at most members again while their story is
        # unchanged (6,065 looks at 2,390 pairs on the backfill writer's pages).
        self._known_own_scores: dict[tuple[int, int], float] = {}
        self._prior_at: tuple[float | None, int] | None = None
        self._prior_value = 0.0
        # The config that scores: the time weight eased in a busy stream
        # (``_refresh_scoring``), refreshed once per batch and pass.
        self._scoring = self.config

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
        """Assign articles in the given order (embedded together for speed;
        ``add_features``). An article's key is its store id, or a key of the
        clusterer's own when it has none."""
        assignments: list[Assignment] = []
        for start in range(0, len(articles), _BATCH):
            chunk = articles[start : start + _BATCH]
            assignments.extend(self.add_features(self.featurize(chunk), [a.id for a in chunk]))
        return assignments

    def add_features(
        self, batch: Sequence[ArticleFeatures], keys: Sequence[int | None] | None = None
    ) -> list[Assignment]:
        """Assign already featurized articles, in order, then revise the
        stories they are in now (``revise``). An article that opened a story
        which the pass then merged into another is assigned to that other
        story: that is a placement, not a merge of stories anyone has seen."""
        with _one_blas_thread():
            return self._add_features(batch, keys)

    def _add_features(
        self, batch: Sequence[ArticleFeatures], keys: Sequence[int | None] | None
    ) -> list[Assignment]:
        first_change = len(self._changes)
        self._refresh_scoring()
        assignments, opened = self._place_batch(batch, keys)
        self._placed_since_pass += len(batch)
        touched = [
            story for a in assignments if (story := self._index.story_of.get(a.article)) is not None
        ]
        self._refresh_scoring()
        if self._full_pass_due():
            # A better story for a member can only have formed from articles
            # placed since the last full pass, so only their neighbours are
            # looked at for a move: the cost per article stays bounded as
            # the window fills.
            near_new, self._near_new = self._near_new, set()
            self._revise(list(self._stories), movers=near_new)
        # Moves are left to the periodic pass: adding them to the batch's
        # pass changed nothing measurable (calibration split objective
        # 0.7712 with them, 0.7709 without) and costs a look at every member
        # of each touched story.
        self._revise(list(dict.fromkeys(touched)), movers=())
        self._close_old_stories()
        return self._fold_placements(assignments, opened, first_change)

    def _fold_placements(
        self, assignments: list[Assignment], opened: set[str], first_change: int
    ) -> list[Assignment]:
        """Drop this batch's merges of stories its own articles opened (and
        that no other change names), pointing those articles at the survivor."""
        kept: list[StoryChange] = []
        renamed: dict[str, str] = {}
        named: set[str] = set()
        for change in self._changes[first_change:]:
            if change.kind == "merge" and change.other in opened and change.other not in named:
                renamed[change.other] = change.story
                continue
            kept.append(change)
            named |= {change.story, change.other}
        if not renamed:
            return assignments
        del self._changes[first_change:]
        self._changes.extend(kept)

        def final(story: str) -> str:
            while story in renamed:
                story = renamed[story]
            return story

        return [Assignment(a.article, final(a.story_id)) for a in assignments]

    def _full_pass_due(self) -> bool:
        """Whether ``full_pass_hours`` of stream time have passed since the
        last pass over every open story: a story's members can drift apart, or
        two stories meet, through articles that were placed in neither. An
        undated stream has no stream time: it gets the pass every
        ``undated_pass_articles`` articles, or every eighth of its open stories'
        number when that is more (it keeps every story open, and the pass
        covers them all, so its cost per article stays bounded)."""
        if self._clock is None or self._first_time is None:
            every = max(self.config.undated_pass_articles, len(self._stories) // 8)
            if self._placed_since_pass < every:
                return False
            self._placed_since_pass = 0
            return True
        if self._last_full_pass is None:
            self._last_full_pass = self._first_time
        if self._clock - self._last_full_pass < self.config.full_pass_hours * 3600:
            return False
        self._last_full_pass = self._clock
        return True

    def _place_batch(
        self, batch: Sequence[ArticleFeatures], keys: Sequence[int | None] | None
    ) -> tuple[list[Assignment], set[str]]:
        """The assignments, and the stories that articles of the batch opened."""
        opened: set[str] = set()
        if not batch:
            return [], opened
        vectors = np.stack([f.vector for f in batch])
        nearest = self._index.nearest_articles(vectors, self.config.ann_candidates)
        indexed_neighbours = [self._index.stories_of(near) for near in nearest]
        # Their neighbours may belong with them more than where they are.
        for near in nearest:
            self._near_new.update(near)
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
            given = keys[position] if keys is not None else None
            key = self._new_article_key() if given is None else given
            story = self._place(features, key, candidates)
            if self._stories[story].size == 1:
                opened.add(story)
            assignments.append(Assignment(key, story))
            batch_keys.append(key)
        # Added once per batch (a multi-threaded insert); batch-mates were
        # compared through batch_similarity meanwhile.
        self._index.add_vectors(batch_keys, vectors)
        return assignments, opened

    def story_of(self, article: int) -> str | None:
        """The open story an article (by key) is in now."""
        return self._index.story_of.get(article)

    def take_changes(self) -> list[StoryChange]:
        """The merges and splits made since the last call, in order."""
        changes, self._changes = self._changes, []
        return changes

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
        self.restore_features(list(zip(keys, features, strict=True)), [a.id for a in articles])

    def restore_features(
        self,
        members: Sequence[tuple[str, ArticleFeatures]],
        keys: Sequence[int | None] | None = None,
    ) -> None:
        """Rebuild from already featurized members (bulk: one index insert)."""
        article_keys = [
            self._new_article_key() if key is None else key
            for key in (keys if keys is not None else [None] * len(members))
        ]
        # The whole window's frequencies first, so that every member is weighted alike.
        for _, features in members:
            self._frequencies.add(features)
        for (story_key, features), article_key in zip(members, article_keys, strict=True):
            member = Member.of(article_key, features, self._frequencies)
            story = self._stories.get(story_key)
            if story is None:
                self._stories[story_key] = StoryState(story_key, member)
            else:
                story.add(member)
            self._index.assign([article_key], story_key)
            self._index.add_entities(article_key, features.entities)
        if members:
            self._index.add_vectors(article_keys, np.stack([f.vector for _, f in members]))
        for story in self._stories.values():
            self._schedule_expiry(story)
        times = sorted(f.time for _, f in members if f.time is not None)
        self._recent.extend(times)
        if times:
            self._advance_clock(times[0])
            self._advance_clock(times[-1])
            self._close_old_stories()
            # Here, not at the first decision after: restoring a long store
            # left it to drop every older time one by one (986,000 at the scale
            # benchmark's 1M, 5% of its probe's time under cProfile).
            self._forget_old_times()

    def _new_article_key(self) -> int:
        self._next_generated_key += 1
        return self._next_generated_key

    # Placing one article --------------------------------------------------

    def _place(self, features: ArticleFeatures, key: int, candidates: set[str]) -> str:
        if features.time is None and self._clock is not None:
            features = replace(features, time=self._clock)
        if features.time is not None:
            self._advance_clock(features.time)
        member = Member.of(key, features, self._frequencies)
        if features.time is not None:
            self._recent.append(features.time)
        candidates |= self._index.entity_stories(self._rarest(features.entities))
        story = self._settle(member, candidates)
        self._index.add_entities(key, features.entities)
        self._frequencies.add(features)
        return story.key

    def _settle(self, member: Member, candidates: set[str]) -> StoryState:
        """Put a member in its best-linked candidate story (merging the
        stories it links that are close enough to each other), or in a new one."""
        alone = StoryState(uuid.uuid4().hex, member)
        linked = self._linked_stories(alone, candidates)
        if linked:
            survivor = self._join(member, linked)
        else:
            self._stories[alone.key] = survivor = alone
            self._index.assign([member.key], alone.key)
        self._schedule_expiry(survivor)
        return survivor

    def _rarest(self, entities: frozenset[str]) -> list[str]:
        counts = self._frequencies.entities.counts
        return sorted(entities, key=lambda e: counts.get(e, 0))[: self.config.entity_queries]

    def _linked_stories(self, article: StoryState, candidates: Iterable[str]) -> list[StoryState]:
        """Open candidate stories scoring at least the join threshold, best first."""
        return [story for _, story in self._scored(article, candidates, self.config.join_threshold)]

    def _scored(
        self, story: StoryState, candidates: Iterable[str], threshold: float
    ) -> list[tuple[float, StoryState]]:
        """Open candidate stories within the window scoring at least
        ``threshold`` against ``story``, with their scores, best first."""
        scoring, prior, known = self._scoring, self._prior, self._known_scores
        # A bound below this rules a candidate out. The bounds come from
        # float32 products, hence the margin.
        floor = threshold - _BOUND_MARGIN + prior
        scored: list[tuple[float, int, StoryState]] = []
        unknown: list[tuple[int, StoryState, float]] = []
        for position, key in enumerate(candidates):
            other = self._stories.get(key)
            if other is None or other is story:
                continue
            hours = hours_apart(story, other)
            if hours > self.config.window_hours:
                continue
            seen = known.get((story.state, other.state))
            if seen is None:
                unknown.append((position, other, hours))
                continue
            untimed, seen_hours, exact = seen
            score = untimed - time_penalty(scoring, seen_hours)
            if exact:
                if score - prior >= threshold:
                    scored.append((score - prior, position, other))
            elif score >= floor:
                unknown.append((position, other, hours))
        if unknown:
            if len(known) > _KNOWN_SCORES:
                known.clear()
            scored.extend(self._score_unknown(story, unknown, threshold, floor))
        scored.sort(key=lambda found: (-found[0], found[1]))
        return [(score, other) for score, _, other in scored]

    def _score_unknown(
        self,
        story: StoryState,
        unknown: list[tuple[int, StoryState, float]],
        threshold: float,
        floor: float,
    ) -> list[tuple[float, int, StoryState]]:
        """``_scored`` for the candidates (position, story, hours between the
        spans) whose score against ``story`` is not known, noting it."""
        scoring, prior, known = self._scoring, self._prior, self._known_scores
        # The embeddings rule out most candidates before the costlier scores,
        # then the terms cosine (the heaviest sparse feature) most of the
        # rest: sparse dot products were a third of the writer's time.
        bounds, titles, leads, pairs = self._dense_bounds(story, [o for _, o, _ in unknown])
        scored: list[tuple[float, int, StoryState]] = []
        for (position, other, hours), bound, title, lead, count in zip(
            unknown, bounds, titles, leads, pairs, strict=True
        ):
            pair = (story.state, other.state)
            if bound - time_penalty(scoring, hours) < floor:
                known[pair] = (bound, hours, False)
                continue
            terms = sparse_dot(story.terms, other.terms) / count
            bound = untimed_bound(scoring, title, lead, count, terms)
            if bound - time_penalty(scoring, hours) < floor:
                known[pair] = (bound, hours, False)
                continue
            untimed = untimed_similarity(story, other, scoring, terms)
            mean_hours = mean_hours_apart(story, other)
            known[pair] = (untimed, mean_hours, True)
            score = untimed - time_penalty(scoring, mean_hours) - prior
            if score >= threshold:
                scored.append((score, position, other))
        return scored

    def _dense_bounds(
        self, story: StoryState, others: list[StoryState]
    ) -> tuple[list[float], list[float], list[float], list[int]]:
        """For each of ``others``: its ``untimed_bound`` against ``story``
        from the embeddings alone, and the mean title and lead cosines and
        the number of pairs it was taken from. Many candidates in two matrix
        products; a few one by one, where numpy's fixed cost (12 us) is more
        than the products (2.4 us a candidate)."""
        scoring = self._scoring
        if len(others) <= _ONE_BY_ONE_BOUNDS:
            pairs = [other.size * story.size for other in others]
            titles = [
                float(np.dot(other.title, story.title)) / count
                for other, count in zip(others, pairs, strict=True)
            ]
            leads = [
                float(np.dot(other.lead, story.lead)) / count
                for other, count in zip(others, pairs, strict=True)
            ]
            bounds = [
                untimed_bound(scoring, title, lead, count)
                for title, lead, count in zip(titles, leads, pairs, strict=True)
            ]
            return bounds, titles, leads, pairs
        counts = np.array([other.size * story.size for other in others], dtype=np.float32)
        title_array = np.stack([other.title for other in others]) @ story.title / counts
        lead_array = np.stack([other.lead for other in others]) @ story.lead / counts
        bound_array = untimed_bounds(scoring, title_array, lead_array, counts)
        return (
            bound_array.tolist(),
            title_array.tolist(),
            lead_array.tolist(),
            [int(count) for count in counts.tolist()],
        )

    def _join(self, member: Member, linked: list[StoryState]) -> StoryState:
        best, *others = linked
        best.add(member)
        self._index.assign([member.key], best.key)
        threshold = self.config.merge_threshold
        prior = self._prior
        close = [(similarity(best, story, self._scoring) - prior, story) for story in others]
        return self._merge(best, [(score, story) for score, story in close if score >= threshold])

    def _refresh_scoring(self) -> None:
        """Ease the time weight by (reference density / density) **
        ``time_density_exponent`` when the stream is busier than the reference.
        The time gap tells events apart by how far apart in time other events'
        reports are: in a quiet stream the next candidate is another day's
        event, in a busy one most candidates are of the same day, and the
        hours between two reports of one event say less."""
        if not self.config.time_density_exponent:
            return
        weight = eased_time_weight(self.config, self._density())
        if weight != self._scoring.weight_time:
            self._scoring = replace(self.config, weight_time=weight)

    @property
    def _prior(self) -> float:
        """What a score is lowered by before it meets the thresholds: the
        density prior. Taken once per decision, not per pair scored: under
        cProfile it was 13% of the writer's grouping time. Kept while the
        clock and the recent times are as they were (27,000 decisions on the
        backfill writer's 2,778 articles)."""
        if self._prior_at != (self._clock, len(self._recent)):
            density = (1 + self._density()) / (1 + self.config.reference_density)
            self._prior_value = self.config.weight_density * math.log(density)
            # After _density: it drops the times the window has left.
            self._prior_at = (self._clock, len(self._recent))
        return self._prior_value

    def _density(self) -> float:
        """Articles within ``density_hours`` before the newest: how many events
        compete for each new report. With 300 stories a day two reports on
        one topic are less likely to tell one event than with three a day;
        the score's odds come from roundup pairs, which know no density.

        A stream shorter than ``density_hours`` is extrapolated to it (a fresh
        start would otherwise look quiet and merge freely until its first day
        is full). Undated articles give no rate, and no time gap keeps two
        events apart: they are taken to come at ``undated_density``, denser
        than the reference (fitted on the undated calibration split)."""
        if self._clock is None or self._first_time is None:
            return float(self.config.undated_density)
        window = self.config.density_hours * 3600
        cutoff = self._forget_old_times()
        seen = max(self._clock - max(self._first_time, cutoff), 3600.0)
        return len(self._recent) * window / seen

    def _forget_old_times(self) -> float:
        """Drop the recent times older than ``density_hours`` before the
        clock; returns that cutoff."""
        assert self._clock is not None
        cutoff = self._clock - self.config.density_hours * 3600
        while self._recent and self._recent[0] < cutoff:
            self._recent.popleft()
        return cutoff

    def _merge(self, story: StoryState, others: list[tuple[float, StoryState]]) -> StoryState:
        """Merge ``others`` (with their scores against ``story``) into one story;
        the largest keeps its key, so merges rename as little as possible."""
        if not others:
            return story
        group = [story] + [other for _, other in others]
        survivor = max(group, key=lambda s: s.size)
        scores = {other.key: score for score, other in others}
        for merged in group:
            if merged is survivor:
                continue
            survivor.absorb(merged)
            self._index.assign(merged.article_keys, survivor.key)
            del self._stories[merged.key]
            score = scores.get(merged.key, scores.get(survivor.key, 0.0))
            self._changes.append(
                StoryChange("merge", survivor.key, merged.key, score, tuple(merged.article_keys))
            )
        self._schedule_expiry(survivor)
        return survivor

    # The story-level pass -------------------------------------------------

    def revise(self, keys: Iterable[str] | None = None, merge: bool = True) -> None:
        """The story-level pass over these stories (every open one by default):
        members that score below the split threshold against the rest of their
        story leave it (and are placed again, elsewhere), then, with ``merge``,
        each story that is still one article is merged into the neighbouring
        story it scores best against, at least the merge threshold, across
        days within the window. Its partners may have come after it, so the
        periodic pass gives it another look. Stories of several articles are
        not merged with each other here: at the merge threshold that joined
        same-topic events (calibration split, a pass every 24 h: dense pairwise F1
        0.560 against 0.574, as dated 0.907 against 0.956). Last, members of
        these stories move where they score higher (``_move_member``)."""
        with _one_blas_thread():
            self._revise(list(dict.fromkeys(self._stories if keys is None else keys)), merge)

    def _revise(
        self, wanted: list[str], merge: bool = True, movers: Iterable[int] | None = None
    ) -> None:
        """``revise`` over the stories ``wanted``; ``movers`` are the articles
        looked at for a better story (by default, the members of those)."""
        for key in wanted:
            story = self._stories.get(key)
            if story is not None:
                self._split(story)
        if not merge:
            return
        self._merge_singletons(wanted)
        if movers is None:
            movers = [
                article
                for key in wanted
                if (story := self._stories.get(key)) is not None
                for article in story.members
            ]
        for article in list(movers):
            self._move_member(article)

    def _merge_singletons(self, wanted: list[str]) -> None:
        """Each of these stories still of one article merged into the
        neighbouring story it scores best against, at least the merge threshold."""
        alone = [key for key in wanted if key in self._stories and self._stories[key].size == 1]
        if not alone:
            return
        # One search for all of them (one a story, the searches were 5.7% of
        # the writer's cProfile): merges change which story an article is in,
        # never the vectors indexed, so each story's nearest articles are the
        # same either way.
        vectors = normalise(np.stack([self._stories[key].vector for key in alone]))
        neighbours = self._index.nearest_articles(vectors, self.config.ann_candidates)
        for key, articles in zip(alone, neighbours, strict=True):
            story = self._stories.get(key)
            # Earlier merges here may have taken it into another story, or grown it.
            if story is not None and story.size == 1:
                self._merge_neighbours(story, self._index.stories_of(articles))

    def _split(self, story: StoryState) -> None:
        prior = self._prior
        # Most stories keep every member on the embeddings alone.
        floor = self.config.split_threshold + prior + _BOUND_MARGIN
        while story.size > 1:
            if all(
                member_score_floor(story, member, self._scoring) >= floor
                for member in story.members.values()
            ):
                return
            score, worst = min(
                (
                    (self._own_score(story, member) - prior, member)
                    for member in story.members.values()
                ),
                key=lambda pair: pair[0],
            )
            if score >= self.config.split_threshold:
                return
            story.remove(worst)
            [candidates] = self._index.nearest_stories(
                worst.vector[None, :], self.config.ann_candidates
            )
            candidates.discard(story.key)
            moved_to = self._settle(worst, candidates)
            self._schedule_expiry(story)
            self._changes.append(StoryChange("split", story.key, moved_to.key, score, (worst.key,)))

    def _own_score(self, story: StoryState, member: Member) -> float:
        """``member_score`` under the scoring of the moment."""
        pair = (story.state, member.key)
        untimed = self._known_own_scores.get(pair)
        if untimed is None:
            if len(self._known_own_scores) > _KNOWN_SCORES:
                self._known_own_scores.clear()
            untimed = untimed_member_score(story, member, self._scoring)
            self._known_own_scores[pair] = untimed
        return untimed - time_penalty(self._scoring, member_hours(story, member))

    def _move_member(self, article: int) -> None:
        """Move the article to the neighbouring story it scores highest
        against, when that is higher than against the rest of its own story
        and at least the merge threshold. An article is placed with the
        stories open when it comes; the story of its event may form later,
        from reports that came after it, and the full pass finds it there
        (calibration split, dense pairwise / B-cubed F1 0.652 / 0.814 against
        0.602 / 0.782 without moves; as dated 0.956 / 0.972 against 0.953 /
        0.969). A member that scores at least ``settled_score`` against the
        rest of its story is not looked at: each look is a nearest-neighbour
        query."""
        key = self._index.story_of.get(article)
        story = None if key is None else self._stories.get(key)
        if story is None or story.size == 1:
            return
        member = story.members[article]
        prior = self._prior
        settled = self.config.settled_score
        if member_score_floor(story, member, self._scoring) - prior >= settled:
            return
        own = self._own_score(story, member) - prior
        if own >= settled:
            return
        [candidates] = self._index.nearest_stories(
            member.vector[None, :], self.config.ann_candidates
        )
        candidates.discard(story.key)
        threshold = max(own + _BOUND_MARGIN, self.config.merge_threshold)
        better = self._scored(StoryState.of_member(story.key, member), candidates, threshold)
        if not better:
            return
        target = better[0][1]
        story.remove(member)
        target.add(member)
        self._index.assign([member.key], target.key)
        self._schedule_expiry(story)
        self._schedule_expiry(target)
        self._changes.append(StoryChange("split", story.key, target.key, own, (member.key,)))

    def _merge_neighbours(self, story: StoryState, candidates: set[str]) -> None:
        close = self._scored(story, candidates, self.config.merge_threshold)
        self._merge(story, close[:1])

    # The window -------------------------------------------------------------

    def _schedule_expiry(self, story: StoryState) -> None:
        if story.last_time is not None:
            heapq.heappush(self._expiry, (story.last_time, story.key))

    def _close_old_stories(self) -> None:
        """Forget the stories the window has left behind. Done after a batch's
        story-level pass, not as the clock moves: a batch can span more than
        the window, and its stories get their pass first (scores already keep
        stories further apart than the window from meeting)."""
        if self._clock is None:
            return
        cutoff = self._clock - self.config.window_hours * 3600
        while self._expiry and self._expiry[0][0] < cutoff:
            _, story_key = heapq.heappop(self._expiry)
            story = self._stories.get(story_key)
            # A story updated since this entry was pushed has a newer entry.
            if story is not None and story.last_time is not None and story.last_time < cutoff:
                del self._stories[story_key]
                self._index.remove(story.article_keys)

    def _advance_clock(self, time: float) -> None:
        if self._first_time is None or time < self._first_time:
            self._first_time = time
        if self._clock is not None and time <= self._clock:
            return
        previous_day = None if self._clock is None else self._clock // 86_400
        self._clock = time
        cutoff = time - self.config.window_hours * 3600
        if previous_day != time // 86_400:
            self._frequencies.forget_before(cutoff)
            self._index.prune_postings()


def _prefetching(embedder: Embedder) -> Embedder:
    # Only a costly engine gains from embedding ahead on a thread of its own.
    return PrefetchingEmbedder(embedder) if embedder.worth_caching else embedder


def _cached(embedder: Embedder, path: Path) -> Embedder:
    return CachedEmbedder(embedder, path) if embedder.worth_caching else embedder


def final_story_keys(
    assignments: Sequence[Assignment], changes: Sequence[StoryChange]
) -> list[str]:
    """Each assigned article's story after all the changes."""
    story_of = {a.article: a.story_id for a in assignments}
    members: dict[str, set[int]] = defaultdict(set)
    for article, story in story_of.items():
        members[story].add(article)
    for change in changes:
        if change.kind == "merge":
            moved = members.pop(change.other, set())
            members[change.story] |= moved
            story_of.update(dict.fromkeys(moved, change.story))
        else:
            for article in change.articles:
                members[story_of[article]].discard(article)
                members[change.other].add(article)
                story_of[article] = change.other
    return [story_of[a.article] for a in assignments]


def assign_stories(
    articles: Sequence[Article],
    config: ClusterConfig | None = None,
    embedder: Embedder | None = None,
) -> list[str]:
    """The story key of each article, in input order.

    Articles are streamed in publication order (undated ones last, in input
    order) through the same ``OnlineClusterer`` that ingestion uses, its
    story-level pass included.
    """
    order = sorted(
        range(len(articles)),
        key=lambda i: (articles[i].published is None, _sort_time(articles[i])),
    )
    clusterer = OnlineClusterer(config, embedder)
    # Keys of the clusterer's own: ids, if any, need not be unique here.
    ordered = [replace(articles[i], id=None) for i in order]
    assignments = clusterer.add_batch(ordered)
    keys = final_story_keys(assignments, clusterer.take_changes())
    result = [""] * len(articles)
    for position, index in enumerate(order):
        result[index] = keys[position]
    return result


def _sort_time(article: Article) -> float:
    return article.published.timestamp() if article.published is not None else 0.0
