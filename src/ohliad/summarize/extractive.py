"""Multi-document extractive summarizer.

Every source's sentences compete. A sentence scores by

* **support**: how closely the other sources say the same (its best match in
  each other article, averaged over them), so a fact several outlets report
  outranks one outlet's colour;
* **centrality**: closeness to the story's centroid, titles included;
* **position**: news puts the event first;
* **entity salience**: how many of the names and numbers shared across sources
  it mentions;

minus penalties for loaded wording, for being mostly a quotation, and for
leaning on a sentence before it ("He also said…"). A sentence thick with loaded
words is not used at all while the story has others.
Sentences are then picked greedily for the shared terms they add that the
summary lacks so far (a term several sources use, counted once), weighed
against their score, up to the length limit; near-repeats are left out. They
are printed in story order: leads first.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ohliad.models import Story, Summary, SummarySentence
from ohliad.summarize.headline import neutral_headline
from ohliad.summarize.material import StoryMaterial, story_material, story_words
from ohliad.summarize.options import SummaryOptions
from ohliad.summarize.terms import Scores, cosines, row_dots, weighted_row_sum


@dataclass(frozen=True, slots=True)
class ScoreWeights:
    """How much each feature counts; tuned on the AllSides training stories."""

    support: float = 1.0
    centrality: float = 1.0
    position: float = 0.6
    entities: float = 0.4
    loaded: float = 0.5
    # A sentence with this many loaded words carries one outlet's framing: it is
    # left out unless the story has nothing else (costs no ROUGE on AllSides train).
    loaded_limit: int = 1
    quoted: float = 0.6
    dangling: float = 0.3
    title_weight: float = 2.0
    # Selection trade-off between covering terms the summary lacks yet that
    # several sources use, and the sentence's own score.
    coverage: float = 0.8
    # A sentence this similar to one already chosen adds nothing to the summary.
    redundant: float = 0.5
    # An article with a sentence this similar to a summary sentence reports the
    # same fact, and is credited as a source of it (TF-IDF cosine; paraphrases
    # of one fact score about 0.4 to 0.6 on news, related facts 0.2 to 0.35).
    equivalent: float = 0.4


def _scaled(values: Scores) -> Scores:
    top = float(values.max()) if values.size else 0.0
    return values / top if top > 0 else values


# Candidates compared at once in support_scores: bounds the dense block of their
# similarities to every row to about 32 MB.
_SIMILARITY_BLOCK_ENTRIES = 4_000_000


def support_scores(material: StoryMaterial) -> Scores:
    """Each candidate's mean, over the other articles, of its best similarity
    to a sentence or the title of that article."""
    n = len(material.candidates)
    # Candidates come article by article: each run of them is one article's.
    run_starts = np.flatnonzero(np.diff(material.articles, prepend=-1))
    run_article = material.articles[run_starts]
    best = np.empty((material.article_count, n))
    block = max(1, _SIMILARITY_BLOCK_ENTRIES // material.vectors.shape[0])
    for start in range(0, n, block):
        # Every row's similarity to a block of candidates, one row per line, so
        # that reducing runs of lines gives each candidate's best in each article.
        similar = cosines(
            material.vectors, range(material.vectors.shape[0]), range(start, min(start + block, n))
        )
        # Similarities are never negative, so an article without a title, whose
        # title row is all zeros, keeps the best of its sentences.
        best[:, start : start + block] = similar[n:]
        best_sentence = np.maximum.reduceat(similar[:n], run_starts, axis=0)
        best[run_article, start : start + block] = np.maximum(
            best[run_article, start : start + block], best_sentence
        )
    compared = np.array([bool(material.rows_of_article(a)) for a in range(material.article_count)])
    # A candidate's own article is no support for it.
    best[material.articles, np.arange(n)] = 0.0
    others = int(compared.sum()) - 1
    # Summed over axis 0, article after article, as a running total would be.
    return best[compared].sum(axis=0) / others if others > 0 else np.zeros(n)


def centrality_scores(material: StoryMaterial, title_weight: float) -> Scores:
    n = len(material.candidates)
    weights = np.ones(material.vectors.shape[0])
    weights[n:] = title_weight
    centroid = weighted_row_sum(material.vectors, weights)
    norm = np.linalg.norm(centroid)
    if norm == 0:
        return np.zeros(n)
    return row_dots(material.vectors, range(n), centroid / norm)


def entity_scores(material: StoryMaterial) -> Scores:
    """Sum, over the names a candidate mentions, of the share of articles that
    mention them too; names only one article uses do not count."""
    per_article: list[set[str]] = [set(t.entities) for t in material.title_readings]
    mentions = [c.entities for c in material.candidates]
    for candidate in material.candidates:
        per_article[candidate.article] |= candidate.entities
    spread = Counter(name for names in per_article for name in names)
    shared = {name: count for name, count in spread.items() if count >= 2}
    count = max(material.article_count, 1)
    return np.array([sum(shared.get(n, 0) for n in found) / count for found in mentions])


def position_scores(material: StoryMaterial) -> Scores:
    return np.array([1.0 / (1.0 + c.position) for c in material.candidates])


# A sentence that opens with a pronoun or a connective leans on the one before
# it in its article, which the summary may not carry.
_LEANS_ON_CONTEXT = re.compile(
    r"^(?:He|She|It|They|This|That|These|Those|His|Her|Its|Their|But|And|Or|So|Yet|Still"
    r"|However|Also|Meanwhile|Instead|Then|There)\b"
)


def dangling_scores(material: StoryMaterial) -> Scores:
    return np.array(
        [c.position > 0 and bool(_LEANS_ON_CONTEXT.match(c.text)) for c in material.candidates],
        dtype=float,
    )


def sentence_scores(material: StoryMaterial, weights: ScoreWeights) -> Scores:
    candidates = material.candidates
    loaded = np.array([c.loadedness for c in candidates])
    quoted = np.array([c.quoted_share for c in candidates])
    return (
        weights.support * _scaled(support_scores(material))
        + weights.centrality * _scaled(centrality_scores(material, weights.title_weight))
        + weights.position * position_scores(material)
        + weights.entities * _scaled(entity_scores(material))
        - weights.loaded * loaded
        - weights.quoted * quoted
        - weights.dangling * dangling_scores(material)
    )


def shared_term_weights(material: StoryMaterial) -> dict[str, int]:
    """Each term that two or more articles use (in the title or a candidate),
    weighted by how many do: the facts the sources agree on."""
    per_article: list[set[str]] = [set(t.terms) for t in material.title_readings]
    for candidate in material.candidates:
        per_article[candidate.article].update(candidate.terms)
    spread = Counter(term for article_terms in per_article for term in article_terms)
    return {term: count for term, count in spread.items() if count >= 2}


def select_sentences(
    material: StoryMaterial,
    scores: Scores,
    options: SummaryOptions,
    weights: ScoreWeights,
    word_limit: int | None,
) -> list[int]:
    """Candidate indexes within ``options.max_sentences`` and ``word_limit``
    (the first sentence is kept even if it alone is longer).

    Greedy coverage: the next sentence is the one that best adds shared terms
    the summary has not covered yet, weighed against its score; a term counts
    once, so a sentence repeating a chosen one gains little. Near-repeats are
    left out outright, and so is a sentence that adds no shared term (in a
    one-source story, where no term is shared, the score alone decides).
    """
    n = len(material.candidates)
    shared = shared_term_weights(material)
    # Which shared terms each candidate uses, as (candidate, term) pairs, and the
    # weight of each that the summary has not covered yet: a candidate's gain is
    # one weighted count. The weights are whole numbers, so gains are exact.
    column = {term: k for k, term in enumerate(shared)}
    shared_used = [
        [column[term] for term in set(c.terms) if term in column] for c in material.candidates
    ]
    candidate_of_use = np.repeat(np.arange(n), [len(used) for used in shared_used])
    term_of_use = np.fromiter(
        itertools.chain.from_iterable(shared_used), np.int64, len(candidate_of_use)
    )
    uncovered = np.array(list(shared.values()), dtype=np.float64)

    def gains_now() -> Scores:
        weighed = np.bincount(candidate_of_use, weights=uncovered[term_of_use], minlength=n)
        return np.asarray(weighed, dtype=np.float64)

    # Gains change only when a sentence is chosen.
    gains = gains_now()
    top_gain = float(gains.max()) if n else 0.0
    chosen: list[int] = []
    used_words = 0
    available = np.array([c.loaded_words < weights.loaded_limit for c in material.candidates])
    if not available.any():
        available[:] = True
    relevance = _scaled(scores - scores.min()) if n else scores
    word_counts = np.array([c.word_count for c in material.candidates])

    while available.any() and len(chosen) < options.max_sentences:
        relative_gains = gains / (top_gain or 1)
        best = _best(
            weights.coverage * relative_gains + (1 - weights.coverage) * relevance,
            relevance,
            available,
        )
        available[best] = False
        if chosen and shared and gains[best] == 0:
            continue  # it says nothing the sources share that the summary lacks
        size = material.candidates[best].word_count
        if word_limit is not None and chosen and used_words + size > word_limit:
            continue
        # Similarities to the sentence at hand only: the summary holds a handful.
        similar = material.similarities_to(best)
        if any(similar[j] >= weights.redundant for j in chosen):
            continue
        chosen.append(best)
        uncovered[shared_used[best]] = 0.0
        gains = gains_now()
        used_words += size
        # A sentence that no longer fits, repeats a chosen one or adds no shared
        # term never will again: set aside now, not one per pass, which made a
        # story of n sentences cost n passes over all n (45 s at 800 articles).
        if word_limit is not None:
            available &= word_counts <= word_limit - used_words
        available &= similar < weights.redundant
        if shared:
            available &= gains > 0
    return chosen


def _best(values: Scores, relevance: Scores, available: npt.NDArray[np.bool_]) -> int:
    """The available index of the highest value, then the highest relevance,
    then the lowest index."""
    indexes = np.flatnonzero(available)
    top = indexes[values[indexes] == values[indexes].max()]
    return int(top[np.argmax(relevance[top])])


def story_order(material: StoryMaterial, chosen: list[int]) -> list[int]:
    """Leads before later sentences; among equals, the better-ranked first."""
    rank = {index: r for r, index in enumerate(chosen)}
    return sorted(chosen, key=lambda i: (material.candidates[i].position, rank[i]))


def source_keys(story: Story) -> tuple[int, ...]:
    """Article ids if every article has one, else their indexes."""
    ids = [a.id for a in story.articles]
    if all(i is not None for i in ids):
        return tuple(i for i in ids if i is not None)
    return tuple(range(len(story.articles)))


def sentence_sources(material: StoryMaterial, index: int, equivalent: float) -> list[int]:
    """The candidate's article and every article with an equivalent sentence."""
    best_in_article = np.full(material.article_count, -np.inf)
    np.maximum.at(best_in_article, material.articles, material.similarities_to(index))
    equivalents = np.flatnonzero(best_in_article >= equivalent)
    return sorted({material.candidates[index].article, *(int(a) for a in equivalents)})


class ExtractiveSummarizer:
    """The default engine: sentences drawn from the sources, compressed lightly."""

    name = "extractive"

    def __init__(self, weights: ScoreWeights | None = None) -> None:
        self.weights = weights or ScoreWeights()

    def summarize(self, story: Story, options: SummaryOptions) -> Summary:
        material = story_material(story, compress=options.compress)
        keys = source_keys(story)
        if not material.candidates:
            headline = neutral_headline(material, (), options)
            return Summary(headline=headline, sentences=(), engine=self.name)
        scores = sentence_scores(material, self.weights)
        word_limit = options.word_limit(story_words(story))
        chosen = story_order(
            material, select_sentences(material, scores, options, self.weights, word_limit)
        )
        sentences = tuple(
            SummarySentence(
                text=material.candidates[i].text,
                sources=tuple(
                    keys[a] for a in sentence_sources(material, i, self.weights.equivalent)
                ),
            )
            for i in chosen
        )
        ranked = [int(i) for i in np.argsort(-scores)]
        headline = neutral_headline(material, ranked, options)
        return Summary(headline=headline, sentences=sentences, engine=self.name)
