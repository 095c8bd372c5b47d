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
leaning on a sentence before it ("He also said…"). A sentence with a loaded
word is not used at all while the story has others, so a plainer sentence of
the same fact wins.

Sentences are then chosen together, exactly, by a concept-coverage ILP
(``ilp.solve_coverage``, after Gillick and Favre's ICSISumm): the words and
bigrams that two or more articles use are the concepts, each weighed by how
many articles use it and counted once, and each chosen sentence adds its score;
near-repeats exclude each other. In a story from two or more outlets the
summary draws on at least two of them whenever two have usable sentences (a
state-aligned outlet's long lead may state every fact, but the summary is not
to be in one side's words); where it cannot, the summary's notes say why. The
chosen sentences are printed in story order: leads first.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ohliad.models import Story, Summary, SummarySentence
from ohliad.summarize.headline import neutral_headline
from ohliad.summarize.ilp import CoverageProblem, solve_coverage
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
    # Selection (the concept ILP): a bigram used by k articles weighs
    # k ** support_power (the most-used weighs 1); a chosen sentence adds
    # relevance times its scaled score and loses length_cost per word.
    support_power: float = 1.0
    # A bigram concept weighs this much more than a word.
    bigram: float = 1.0
    relevance: float = 3.0
    length_cost: float = 0.0
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


def concept_terms(terms: Sequence[str]) -> list[str]:
    """A sentence's concepts: its content words and their bigrams (what ROUGE-1
    and ROUGE-2 count)."""
    return [*terms, *(f"{a} {b}" for a, b in itertools.pairwise(terms))]


def concept_spread(material: StoryMaterial) -> Counter[str]:
    """How many articles use each concept, in a title or a candidate."""
    per_article: list[set[str]] = [set(concept_terms(t.terms)) for t in material.title_readings]
    for candidate in material.candidates:
        per_article[candidate.article].update(concept_terms(candidate.terms))
    return Counter(concept for used in per_article for concept in used)


@dataclass(frozen=True, slots=True)
class Selection:
    """The chosen candidates, and why they come from one outlet of several
    when the outlet rule could not hold."""

    chosen: list[int]
    one_outlet_because: str | None = None


def select_sentences(
    material: StoryMaterial,
    scores: Scores,
    options: SummaryOptions,
    weights: ScoreWeights,
    word_limit: int | None,
    outlets: Sequence[int] | None = None,
) -> Selection:
    """Candidate indexes within ``options.max_sentences`` and ``word_limit``
    (the best sentence is kept alone if no sentence fits).

    The concept-coverage ILP (``ilp.solve_coverage``): a word or bigram that
    two or more articles use weighs by how many do (support across outlets), to the power
    ``weights.support_power``, and a sentence adds its score and loses
    ``weights.length_cost`` per word, which sets how full the budget gets.
    Near-repeats exclude each other, and with ``outlets`` (each article's
    outlet) the summary draws on two outlets whenever two have usable
    sentences.
    """
    n = len(material.candidates)
    if n == 0:
        return Selection([])
    available = np.array([c.loaded_words < weights.loaded_limit for c in material.candidates])
    if not available.any():
        available[:] = True
    relevance = _scaled(scores - scores.min())
    pool = np.flatnonzero(available)
    if len(pool) > _POOL_SIZE:
        pool = pool[np.argsort(-relevance[pool], kind="stable")[:_POOL_SIZE]]
        pool.sort()
    spread = concept_spread(material)
    # With one source no concept is shared, and the sentence scores (where
    # position counts: news puts the event first) decide alone.
    least = 2 if material.article_count > 1 else material.article_count + 1
    column: dict[str, int] = {}
    concepts = [
        sorted(
            {
                column.setdefault(concept, len(column))
                for concept in concept_terms(material.candidates[i].terms)
                if spread[concept] >= least
            }
        )
        for i in pool
    ]
    if column:
        # A sentence that shares nothing with another source says what one
        # outlet alone does: left out while others share something.
        sharing = [k for k, used in enumerate(concepts) if used]
        pool = pool[sharing]
        concepts = [concepts[k] for k in sharing]
    concept_weights = np.zeros(len(column))
    for concept, k in column.items():
        kind = weights.bigram if " " in concept else 1.0
        concept_weights[k] = kind * spread[concept] ** weights.support_power
    top = float(concept_weights.max()) if len(column) else 1.0
    concept_weights /= top
    lengths = [material.candidates[i].word_count for i in pool]
    # Every sentence is worth something (the least-scored too), so that a
    # summary with room to spare takes it rather than leaving the room.
    values = weights.relevance * (0.05 + relevance[pool]) - weights.length_cost * np.array(lengths)
    rows = material.vectors[pool]
    similar = (rows @ rows.T).toarray()
    first, second = np.nonzero(np.triu(similar >= weights.redundant, 1))
    exclusive = list(zip(first.tolist(), second.tolist(), strict=True))
    groups = None
    if outlets is not None:
        groups = [outlets[material.candidates[i].article] for i in pool]
    problem = CoverageProblem(
        concepts=concepts,
        concept_weights=concept_weights,
        values=values,
        lengths=lengths,
        word_limit=word_limit,
        max_sentences=options.max_sentences,
        exclusive=exclusive,
        groups=groups,
        min_groups=2 if groups is not None and len(set(groups)) >= 2 else 1,
    )
    because = None
    if outlets is not None and groups is not None and len(set(groups)) < 2:
        # Which filter left one outlet: no usable sentence, loaded wording, or
        # nothing shared with another source.
        plain = np.flatnonzero(available)
        if len({outlets[c.article] for c in material.candidates}) < 2:
            because = "the other sources have no sentence usable in a summary"
        elif len({outlets[material.candidates[i].article] for i in plain}) < 2:
            because = "the other sources' sentences carry loaded wording"
        else:
            because = "the other sources' sentences state nothing another source does"
    chosen = solve_coverage(problem)
    if chosen is None and problem.min_groups > 1 and groups is not None:
        # The share of a short story's words leaves room for one outlet only: a
        # second outlet is worth the words its shortest sentence needs, up to
        # the words cap.
        shortest: dict[int, int] = {}
        for group, length in zip(groups, lengths, strict=True):
            shortest[group] = min(length, shortest.get(group, length))
        need = sum(sorted(shortest.values())[:2])
        if options.max_words is None or need <= options.max_words:
            chosen = solve_coverage(replace(problem, word_limit=need))
    if chosen is None and problem.min_groups > 1:
        because = "the other sources' sentences do not fit the summary's length"
        chosen = solve_coverage(replace(problem, min_groups=1))
    if not chosen:
        # Nothing fits the budget: the best sentence alone.
        chosen = [int(np.argmax(relevance[pool]))]
    return Selection([int(pool[i]) for i in chosen], because)


# The ILP reads at most this many candidates, the best-scored: a story of
# hundreds of articles would otherwise make a programme of many thousands.
_POOL_SIZE = 250


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
        outlets = outlet_groups(story)
        selection = select_sentences(
            material, scores, options, self.weights, word_limit, outlets=outlets
        )
        chosen = story_order(material, selection.chosen)
        sentences = tuple(
            SummarySentence(
                text=material.candidates[i].text,
                sources=tuple(
                    keys[a] for a in sentence_sources(material, i, self.weights.equivalent)
                ),
                taken_from=keys[material.candidates[i].article],
                outlet=story.articles[material.candidates[i].article].outlet,
            )
            for i in chosen
        )
        ranked = [int(i) for i in np.argsort(-scores)]
        headline = neutral_headline(material, ranked, options)
        notes = one_outlet_note(story, material, chosen, outlets, selection.one_outlet_because)
        return Summary(headline=headline, sentences=sentences, engine=self.name, notes=notes)


def outlet_groups(story: Story) -> list[int]:
    """Each article's outlet as a number; an article without an outlet name
    counts as an outlet of its own."""
    numbers: dict[str, int] = {}
    groups = []
    for index, article in enumerate(story.articles):
        name = (article.outlet or "").strip().lower() or f"#{index}"
        groups.append(numbers.setdefault(name, len(numbers)))
    return groups


def one_outlet_note(
    story: Story,
    material: StoryMaterial,
    chosen: Sequence[int],
    outlets: Sequence[int],
    because: str | None,
) -> tuple[str, ...]:
    """Why a summary of a story from several outlets draws on one of them, if it does."""
    if len(set(outlets)) < 2 or not chosen:
        return ()
    if len({outlets[material.candidates[i].article] for i in chosen}) > 1:
        return ()
    article = story.articles[material.candidates[chosen[0]].article]
    why = because or "the other sources' sentences add nothing it lacks"
    return (f"The summary is drawn from {article.label} alone: {why}.",)
