"""How much ohliad's extractive summaries could gain, and from what: ceilings on AllSides roundups.

Each row changes one part of ohliad's summarizer and lets it read the reference, so it is a
ceiling for that part, not a system (the rows marked "learned" read inputs only):

* the word budget: each story's budget set to its reference's length (what a perfect
  length predictor would give), and to a learned prediction of it from the inputs
  (gradient boosting on story size, lead and title features, 5-fold cross-validated);
* the sentence scores: each candidate scored by its own ROUGE-1 + ROUGE-2 F1 against the
  reference (what a perfect sentence scorer would give inside ohliad's concept ILP);
* the selection: the best subset of ohliad's candidates within ohliad's budget, found by
  trying every subset, with and without the two-outlet rule.

ROUGE F1 ×100 with rouge-score (Porter stemming), as in bench/summaries.py. Tune on
``--split train`` only; the ceilings are for diagnosis. Writes
bench/results/summary_headroom.md for the full training split.

    PYTHONPATH=src python bench/summary_headroom.py [--split train|val] [--limit N]
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from nltk.stem.porter import PorterStemmer
from rouge_score import tokenize
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.model_selection import KFold, cross_val_predict

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the split loader and scorer are bench/summaries.py's

from bench.summaries import DATA, Reference, load_split, rouge  # noqa: E402

from ohliad.models import Story  # noqa: E402
from ohliad.nlp.sentences import split_sentences  # noqa: E402
from ohliad.summarize import SummaryOptions  # noqa: E402
from ohliad.summarize.extractive import (  # noqa: E402
    ScoreWeights,
    outlet_groups,
    select_sentences,
    sentence_scores,
    story_order,
)
from ohliad.summarize.material import StoryMaterial, story_material, story_words  # noqa: E402
from ohliad.summarize.terms import Scores, words  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "summary_headroom.md"
# Subsets tried per story: every one of up to 4 sentences among this many best-scored
# candidates (AllSides stories have 6 on average, 12 at most).
EXHAUSTIVE_POOL = 14
# Inside the ILP a sentence's score counts against the concepts it covers; read from the
# reference, the scores are trusted this much more than ohliad's own (3.0).
ORACLE_RELEVANCE = 30.0
LENGTH_SCALES = (1.0, 1.5)
WORDS_CAP = SummaryOptions().max_words or 100


@dataclass(frozen=True)
class Picked:
    """One story's summary: its sentences and each one's outlet number."""

    sentences: list[str]
    outlets: list[int]


@dataclass(frozen=True)
class Prepared:
    story: Story
    reference: Reference
    material: StoryMaterial
    scores: Scores
    outlets: list[int]
    # ohliad's default word limit for the story.
    limit: int


_STEMMER = PorterStemmer()


def stems(text: str) -> list[str]:
    """rouge-score's tokens, stemmed as its Porter option does (words over 3 letters)."""
    return [_STEMMER.stem(t) if len(t) > 3 else t for t in tokenize.tokenize(text, None)]


def ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(zip(*(tokens[i:] for i in range(n)), strict=False))


def f1(found: Counter[tuple[str, ...]], wanted: Counter[tuple[str, ...]]) -> float:
    overlap = sum((found & wanted).values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / sum(found.values()), overlap / sum(wanted.values())
    return 2 * precision * recall / (precision + recall)


class ReferenceGrams:
    """A reference's unigrams and bigrams, to score candidate summaries fast (the same
    F1 as rouge-score's ROUGE-1 and ROUGE-2)."""

    def __init__(self, reference: str) -> None:
        tokens = stems(reference)
        self.unigrams, self.bigrams = ngrams(tokens, 1), ngrams(tokens, 2)

    def value(self, tokens: Sequence[str]) -> float:
        return f1(ngrams(tokens, 1), self.unigrams) + f1(ngrams(tokens, 2), self.bigrams)


def prepare(stories: Sequence[Story], refs: Sequence[Reference]) -> list[Prepared]:
    options, weights = SummaryOptions(), ScoreWeights()
    out = []
    for story, ref in zip(stories, refs, strict=True):
        material = story_material(story, compress=options.compress)
        scores = sentence_scores(material, weights) if material.candidates else np.zeros(0)
        limit = options.word_limit(story_words(story)) or 10**6
        out.append(Prepared(story, ref, material, scores, outlet_groups(story), limit))
    return out


def ohliad_pick(
    item: Prepared, scores: Scores, limit: int, weights: ScoreWeights | None = None
) -> Picked:
    """ohliad's selection (the concept ILP with the outlet rule, as ExtractiveSummarizer
    runs it) with the given scores and word limit."""
    material = item.material
    if not material.candidates:
        return Picked([], [])
    chosen = select_sentences(
        material, scores, SummaryOptions(), weights or ScoreWeights(), limit, item.outlets
    ).chosen
    ordered = story_order(material, chosen)
    return Picked(
        [material.candidates[i].text for i in ordered],
        [item.outlets[material.candidates[i].article] for i in ordered],
    )


def own_rouge_scores(item: Prepared) -> Scores:
    """Each candidate's ROUGE-1 + ROUGE-2 F1 against the reference (reads the answer)."""
    grams = ReferenceGrams(item.reference.summary)
    return np.array([grams.value(stems(c.text)) for c in item.material.candidates])


def two_outlet_stretch(item: Prepared) -> int:
    """The words ohliad allows a summary from two outlets: its limit, or where no two
    outlets' sentences fit it, their two shortest up to the words cap (as the ILP does)."""
    shortest: dict[int, int] = {}
    for candidate in item.material.candidates:
        outlet = item.outlets[candidate.article]
        shortest[outlet] = min(candidate.word_count, shortest.get(outlet, candidate.word_count))
    if len(shortest) < 2:
        return item.limit
    need = sum(sorted(shortest.values())[:2])
    return need if item.limit < need <= WORDS_CAP else item.limit


def best_subset(item: Prepared, outlet_rule: bool) -> Picked:
    """The subset of up to max_sentences candidates, within the budget, with the highest
    ROUGE-1 + ROUGE-2 F1 against the reference; with ``outlet_rule``, of two outlets where
    the story has two and they fit (else, as ohliad does, of one)."""
    candidates = item.material.candidates
    if not candidates:
        return Picked([], [])
    grams = ReferenceGrams(item.reference.summary)
    pool = sorted(np.argsort(-item.scores, kind="stable")[:EXHAUSTIVE_POOL].tolist())
    tokens = {i: stems(candidates[i].text) for i in pool}
    outlet_of = {i: item.outlets[candidates[i].article] for i in pool}
    two = outlet_rule and len(set(outlet_of.values())) > 1
    stretch = two_outlet_stretch(item) if two else item.limit
    best: tuple[float, tuple[int, ...]] = (-1.0, ())
    for size in range(1, SummaryOptions().max_sentences + 1):
        for subset in itertools.combinations(pool, size):
            if two and len({outlet_of[i] for i in subset}) < 2:
                continue
            length = sum(candidates[i].word_count for i in subset)
            if size > 1 and length > stretch:
                continue
            value = grams.value([t for i in subset for t in tokens[i]])
            if value > best[0]:
                best = (value, subset)
    if not best[1]:
        return best_subset(item, outlet_rule=False)
    return Picked([candidates[i].text for i in best[1]], [outlet_of[i] for i in best[1]])


def length_features(item: Prepared) -> list[float]:
    """What the inputs say about how long the reference is."""
    story = item.story
    article_words = sorted(len(words(a.text or "")) for a in story.articles)[-3:]
    leads = sorted(
        len(words(sentences[0])) if (sentences := split_sentences(a.text or "")) else 0
        for a in story.articles
    )[-3:]
    article_words = [0] * (3 - len(article_words)) + article_words
    leads = [0] * (3 - len(leads)) + leads
    titles = [set(t.terms) for t in item.material.title_readings]
    overlap = [len(a & b) / max(1, len(a | b)) for a, b in itertools.combinations(titles, 2)]
    candidates = item.material.candidates
    return [
        float(np.log1p(story_words(story))),
        len(story.articles),
        *np.log1p(article_words),
        *leads,
        sum(len(split_sentences(a.text or "")) for a in story.articles),
        len(candidates),
        float(np.mean([c.word_count for c in candidates])) if candidates else 0.0,
        float(np.mean(overlap)) if overlap else 0.0,
        float(np.mean([len(t) for t in titles])) if titles else 0.0,
    ]


def learned_lengths(items: Sequence[Prepared]) -> tuple[np.ndarray, float]:
    """Each story's reference length as predicted by a model that did not see it (5-fold
    cross-validation on the split), and the prediction's R² on log length."""
    features = np.array([length_features(item) for item in items])
    target = np.log([max(1, len(words(item.reference.summary))) for item in items])
    model = GradientBoostingRegressor(
        max_depth=2, n_estimators=150, learning_rate=0.05, subsample=0.8, random_state=0
    )
    predicted = cross_val_predict(
        model, features, target, cv=KFold(5, shuffle=True, random_state=0)
    )
    r2 = 1 - ((target - predicted) ** 2).sum() / ((target - target.mean()) ** 2).sum()
    return np.exp(predicted), float(r2)


@dataclass(frozen=True)
class Row:
    system: str
    scores: dict[str, float]
    mean_words: float
    multi_outlet: float


def row(system: str, items: Sequence[Prepared], picks: Sequence[Picked]) -> Row:
    pairs = [
        ("\n".join(p.sentences), i.reference.summary) for i, p in zip(items, picks, strict=True)
    ]
    several = [len(set(i.outlets)) > 1 for i in items]
    drawn = [len(set(p.outlets)) > 1 for p, many in zip(picks, several, strict=True) if many]
    mean_words = float(np.mean([len(words(text)) for text, _ in pairs]))
    result = Row(system, rouge(pairs), mean_words, float(np.mean(drawn)) if drawn else 0.0)
    print(
        f"{system}: {result.scores['rouge1']:.2f} / {result.scores['rouge2']:.2f} "
        f"({result.mean_words:.1f} words, {result.multi_outlet:.1%} from 2+ outlets)",
        flush=True,
    )
    return result


def reference_length(item: Prepared) -> int:
    return len(words(item.reference.summary))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "val"), default="train")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: benchmark data not found at {DATA} (../shared is missing)")
        return 0
    stories, refs = load_split(args.split, args.limit)
    items = prepare(stories, refs)
    predicted, r2 = learned_lengths(items)
    oracle_weights = replace(ScoreWeights(), relevance=ORACLE_RELEVANCE)

    def each(pick: Callable[[int, Prepared], Picked]) -> list[Picked]:
        return [pick(k, item) for k, item in enumerate(items)]

    rows = [
        row("ohliad extractive", items, each(lambda k, i: ohliad_pick(i, i.scores, i.limit))),
        row(
            "ohliad, budget = the reference's length (ceiling)",
            items,
            each(lambda k, i: ohliad_pick(i, i.scores, reference_length(i))),
        ),
        *(
            row(
                f"ohliad, budget = {scale:g} × learned length (5-fold CV)",
                items,
                each(
                    lambda k, i, s=scale: ohliad_pick(
                        i, i.scores, min(WORDS_CAP, max(1, round(s * predicted[k])))
                    )
                ),
            )
            for scale in LENGTH_SCALES
        ),
        row(
            "ohliad, sentence scores = their ROUGE against the reference (ceiling)",
            items,
            each(lambda k, i: ohliad_pick(i, own_rouge_scores(i), i.limit, oracle_weights)),
        ),
        row(
            "ohliad, both of the above ceilings",
            items,
            each(
                lambda k, i: ohliad_pick(
                    i, own_rouge_scores(i), reference_length(i), oracle_weights
                )
            ),
        ),
        row(
            "best subset of ohliad's candidates, two-outlet rule (ceiling)",
            items,
            each(lambda k, i: best_subset(i, outlet_rule=True)),
        ),
        row(
            "best subset of ohliad's candidates, no outlet rule (ceiling)",
            items,
            each(lambda k, i: best_subset(i, outlet_rule=False)),
        ),
    ]
    report = render(args.split, len(items), rows, r2)
    print(report)
    if not args.no_write and args.split == "train" and args.limit is None:
        RESULTS.write_text(report + "\n", encoding="utf-8")
        print(f"\nwritten: {RESULTS.relative_to(ROOT)}")
    return 0


def render(split: str, count: int, rows: Sequence[Row], r2: float) -> str:
    lines = [
        f"## Summary headroom: AllSides roundup-{split}, {count} stories",
        "",
        "ohliad's extractive summarizer with one part replaced by a ceiling that reads the "
        "reference (or, where marked learned, by a model cross-validated on the split). "
        "Budget: ohliad's default (4 sentences, the smaller of 100 words and half the "
        "story's words, stretched up to 100 words where two outlets do not fit). ROUGE F1 "
        f"×100, rouge-score with Porter stemming. Learned length: R² {r2:.2f} on log words. "
        f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}.",
        "",
        "| system | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | mean words | from 2+ outlets |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        r1, r2_, rl = (r.scores[m] for m in ("rouge1", "rouge2", "rougeLsum"))
        lines.append(
            f"| {r.system} | {r1:.2f} | {r2_:.2f} | {rl:.2f} | {r.mean_words:.1f} "
            f"| {r.multi_outlet:.1%} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
