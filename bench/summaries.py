"""Summary and headline quality on AllSides roundups, against peers run in the same process.

Reads ../shared/data/stories/allsides/roundup-{val,train}.{source,target}: three outlets'
articles per story, and the neutral AllSides headline and summary. Prints ROUGE-1, ROUGE-2
and ROUGE-Lsum F1 (rouge-score, Porter stemming) for

* summaries: ohliad's extractive engine (the same ``summarize_story`` the pipeline calls;
  also without compression and without the two-outlet rule), the first article's lead, a
  TF-IDF centroid with MMR, sumy's LexRank and TextRank, a concept ILP (Gillick & Favre)
  and submodular coverage (Lin & Bilmes), with the share of summaries drawn from two or
  more outlets;
* headlines: ohliad's neutral headline against single-source titles picked by a fixed
  rule (first source, shortest, most central);

ROUGE-1.5.5 recall (the perl scorer in ../shared/tools, with the flags of the published
100-word multi-document news tables; it needs Debian's libxml-dom-perl) beside rouge-score;
every system with the same length budget per story (ohliad's default: at most 4 sentences
and the smaller of 100 words and half the words of the story's articles), plus stories per
second, and how ROUGE varies with the budget. Writes bench/results/summaries.md.

    PYTHONPATH=src python bench/summaries.py [--split val|train] [--limit N]
        [--max-sentences N] [--max-words W] [--max-share S]

Use ``--split train`` for tuning; the committed table is the validation split.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from nltk.stem.porter import PorterStemmer
from rouge_score import rouge_scorer
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from spacy.lang.en.stop_words import STOP_WORDS
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from ohliad.models import Article, Story
from ohliad.nlp.sentences import split_sentences
from ohliad.summarize import SummaryOptions, summarize_story
from ohliad.summarize.ilp import CoverageProblem, solve_coverage
from ohliad.summarize.material import MIN_SENTENCE_WORDS, clean_title, story_words
from ohliad.summarize.terms import words

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "stories" / "allsides"
ROUGE_TOOL = ROOT.parent / "shared" / "tools" / "ROUGE-1.5.5.tgz"
RESULTS = ROOT / "bench" / "results" / "summaries.md"
METRICS = ("rouge1", "rouge2", "rougeLsum")
GOAL_R1, GOAL_R2 = 44.0, 19.5
GOAL_LEAD_OVER_PEERS = 2.0
GOAL_MULTI_OUTLET = 0.9
GOAL_STORIES_PER_SECOND = 50.0
# The standard 100-word multi-document news setting of the published tables (DUC, TAC).
ROUGE155_FLAGS = ("-n", "2", "-x", "-m", "-l", "100", "-p", "0.5")
ROUGE155_FLAGS += ("-c", "95", "-r", "1000", "-f", "A", "-t", "0", "-a")


@dataclass(frozen=True)
class Reference:
    headline: str
    summary: str


Summarizer = Callable[[Story], list[str]]
Headliner = Callable[[Story], str]


def _field(part: str) -> tuple[str, str]:
    title, _, body = part.partition(" ARTICLE=> ")
    return title.removeprefix("TITLE=> ").strip(), body.strip()


def load_split(split: str, limit: int | None) -> tuple[list[Story], list[Reference]]:
    sources = (DATA / f"roundup-{split}.source").read_text(encoding="utf-8").splitlines()
    targets = (DATA / f"roundup-{split}.target").read_text(encoding="utf-8").splitlines()
    stories, references = [], []
    for number, (source, target) in enumerate(zip(sources, targets, strict=True)):
        # Each story's articles come from three outlets (left, centre, right) that the
        # files do not name: numbered, so that the outlet rule sees three outlets.
        articles = tuple(
            Article(title=t, text=b, outlet=f"outlet {k + 1}")
            for k, (t, b) in enumerate(map(_field, source.split(" [SEP] ")))
        )
        stories.append(Story(id=f"{split}-{number}", articles=articles))
        headline, summary = _field(target)
        references.append(Reference(headline.rstrip("."), summary))
    return stories[:limit], references[:limit]


def within_budget(ranked: Sequence[str], max_sentences: int, max_words: int) -> list[str]:
    """The same length rule as SummaryOptions: sentences in rank order while they fit."""
    chosen: list[str] = []
    used = 0
    for sentence in ranked:
        if len(chosen) == max_sentences:
            break
        size = len(words(sentence))
        if chosen and used + size > max_words:
            continue
        chosen.append(sentence)
        used += size
    return chosen


def story_sentences(story: Story) -> list[str]:
    return [s for a in story.articles for s in split_sentences(a.text)]


class SumyTokenizer:
    """Our sentence splitter and word pattern, so sumy needs no NLTK data."""

    def to_sentences(self, text: str) -> list[str]:
        return split_sentences(text)

    def to_words(self, sentence: str) -> list[str]:
        return words(sentence)


def sumy_summarizer(
    kind: type[LexRankSummarizer] | type[TextRankSummarizer],
) -> Callable[[Story, int, int], list[str]]:
    engine = kind(Stemmer("english"))
    engine.stop_words = get_stop_words("english")
    tokenizer = SumyTokenizer()

    def summarize(story: Story, max_sentences: int, max_words: int) -> list[str]:
        sentences = [Sentence(s, tokenizer) for s in story_sentences(story)]
        document = ObjectDocumentModel([Paragraph(sentences)])
        # sumy returns its top-k in document order; take the largest k that fits.
        for count in range(max_sentences, 0, -1):
            picked = [str(s) for s in engine(document, count)]
            if count == 1 or sum(len(words(s)) for s in picked) <= max_words:
                return picked
        return []

    return summarize


def lead_summary(story: Story, max_sentences: int, max_words: int) -> list[str]:
    return within_budget(split_sentences(story.articles[0].text), max_sentences, max_words)


def centroid_mmr_summary(
    story: Story, max_sentences: int, max_words: int, relevance: float = 0.7
) -> list[str]:
    sentences = story_sentences(story)
    if not sentences:
        return []
    vectors = TfidfVectorizer(stop_words="english").fit_transform(sentences).toarray()
    centroid = vectors.mean(axis=0)
    scores = vectors @ centroid / (np.linalg.norm(centroid) or 1.0)
    similarity = vectors @ vectors.T
    ranked: list[int] = []
    remaining = set(range(len(sentences)))
    while remaining:
        best = max(
            remaining,
            key=lambda i: (
                relevance * scores[i]
                - (1 - relevance) * max((similarity[i, j] for j in ranked), default=0.0)
            ),
        )
        ranked.append(best)
        remaining.discard(best)
    return within_budget([sentences[i] for i in ranked], max_sentences, max_words)


_PORTER = PorterStemmer()


def _bigrams(sentence: str) -> set[tuple[str, str]]:
    """Stemmed word bigrams, less those of two stop words (Gillick and Favre's concepts)."""
    tokens = [w.lower() for w in words(sentence)]
    return {
        (_PORTER.stem(a), _PORTER.stem(b))
        for a, b in itertools.pairwise(tokens)
        if not (a in STOP_WORDS and b in STOP_WORDS)
    }


def concept_ilp_summary(story: Story, max_sentences: int, max_words: int) -> list[str]:
    """ICSISumm (Gillick and Favre 2009): the sentences whose bigrams, each weighed by
    how many articles use it (two at least), cover the most weight, solved exactly
    (ohliad's ILP with no sentence values and no outlet rule)."""
    sentences = [
        s for s in story_sentences(story) if len(words(s)) >= MIN_SENTENCE_WORDS
    ] or story_sentences(story)
    if not sentences:
        return []
    spread: dict[tuple[str, str], int] = {}
    for article in story.articles:
        for bigram in set().union(*map(_bigrams, split_sentences(article.text))):
            spread[bigram] = spread.get(bigram, 0) + 1
    least = 2 if len(story.articles) > 1 else 1
    column: dict[tuple[str, str], int] = {}
    concepts = [
        [column.setdefault(b, len(column)) for b in _bigrams(s) if spread[b] >= least]
        for s in sentences
    ]
    weights = np.zeros(len(column))
    for bigram, k in column.items():
        weights[k] = spread[bigram]
    chosen = solve_coverage(
        CoverageProblem(
            concepts=concepts,
            concept_weights=weights,
            values=np.zeros(len(sentences)),
            lengths=[len(words(s)) for s in sentences],
            word_limit=max_words,
            max_sentences=max_sentences,
        )
    )
    return [sentences[i] for i in chosen] if chosen else sentences[:1]


def submodular_summary(
    story: Story,
    max_sentences: int,
    max_words: int,
    a: float = 5.0,
    diversity: float = 6.0,
    cost_power: float = 0.3,
) -> list[str]:
    """Lin and Bilmes (2011): coverage sum_i min(C_i(S), a/N C_i(V)) plus diversity
    lambda * sum_k sqrt(reward of S in cluster k) over k-means clusters of 0.2 N
    sentences, picked greedily by gain over cost ** r, then the best single sentence
    if it beats them. The paper's settings (a = 5, lambda = 6, r = 0.3), not tuned."""
    sentences = story_sentences(story)
    n = len(sentences)
    if n == 0:
        return []
    vectors = TfidfVectorizer(stop_words="english").fit_transform(sentences)
    similarity = (vectors @ vectors.T).toarray()
    whole = similarity.sum(axis=1)
    cap = min(1.0, a / n) * whole
    reward = whole / n
    clusters = max(1, round(0.2 * n))
    labels = (
        KMeans(clusters, n_init=1, random_state=0).fit_predict(vectors)
        if 1 < clusters < n
        else np.zeros(n, dtype=int)
    )
    costs = np.array([max(len(words(t)), 1) for t in sentences], dtype=float)

    def value(chosen: list[int]) -> float:
        coverage = np.minimum(similarity[:, chosen].sum(axis=1), cap).sum()
        per_cluster = np.bincount(labels[chosen], weights=reward[chosen], minlength=clusters)
        return float(coverage + diversity * np.sqrt(per_cluster).sum())

    chosen: list[int] = []
    used = 0.0
    current = 0.0
    left = set(range(n))
    while left and len(chosen) < max_sentences:
        gains = {k: (value([*chosen, k]) - current) / costs[k] ** cost_power for k in left}
        best = max(gains, key=lambda k: gains[k])
        left.discard(best)
        if chosen and used + costs[best] > max_words:
            continue
        chosen.append(best)
        used += costs[best]
        current = value(chosen)
    fitting = [k for k in range(n) if costs[k] <= max_words] or [int(np.argmin(costs))]
    single = max(fitting, key=lambda k: value([k]))
    if value([single]) > current:
        chosen = [single]
    return [sentences[i] for i in sorted(chosen)]


def oracle_summary(story: Story, reference: str, max_sentences: int, max_words: int) -> list[str]:
    """Greedy extractive oracle: sentences added while they raise ROUGE-1 + ROUGE-2
    against the reference. It reads the answer, so it is a ceiling, not a system."""
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    sentences = story_sentences(story)
    chosen: list[str] = []
    best_value = 0.0
    while len(chosen) < max_sentences:
        used = sum(len(words(s)) for s in chosen)
        best = None
        for sentence in sentences:
            if sentence in chosen or (chosen and used + len(words(sentence)) > max_words):
                continue
            scores = scorer.score(reference, " ".join([*chosen, sentence]))
            value = scores["rouge1"].fmeasure + scores["rouge2"].fmeasure
            if value > best_value:
                best_value, best = value, sentence
        if best is None:
            break
        chosen.append(best)
    return chosen


def outlet_share(stories: Sequence[Story], texts: Sequence[str]) -> float:
    """The share of multi-outlet stories whose summary has sentences of two or more
    outlets; a sentence is credited to the first article whose text holds it."""
    many = [(s, t) for s, t in zip(stories, texts, strict=True) if len(_outlets(s)) > 1]
    drawn = 0
    for story, text in many:
        used = set()
        for sentence in filter(None, text.split("\n")):
            owner = next((a.outlet for a in story.articles if sentence in a.text), None)
            if owner is None:  # compressed: the article with most of its words
                owner = max(story.articles, key=lambda a: _overlap(sentence, a.text)).outlet
            used.add(owner)
        drawn += len(used) > 1
    return drawn / max(len(many), 1)


def _outlets(story: Story) -> set[str | None]:
    return {a.outlet for a in story.articles}


def _overlap(sentence: str, text: str) -> int:
    return len(set(words(sentence.lower())) & set(words(text.lower())))


def rouge155(texts: Sequence[str], refs: Sequence[Reference], scratch: Path) -> dict[str, str]:
    """ROUGE-1 and ROUGE-2 recall ×100 by the original perl scorer with the standard
    100-word flags, each with its 95% interval; empty if the scorer cannot run."""
    script = scratch / "RELEASE-1.5.5" / "ROUGE-1.5.5.pl"
    if not ROUGE_TOOL.exists():
        print(f"ROUGE-1.5.5 skipped: {ROUGE_TOOL} not found")
        return {}
    if not script.exists():
        with tarfile.open(ROUGE_TOOL) as archive:
            archive.extractall(scratch, filter="data")
    system, models = scratch / "system", scratch / "models"
    system.mkdir(exist_ok=True)
    models.mkdir(exist_ok=True)
    evals = []
    for k, (text, ref) in enumerate(zip(texts, refs, strict=True)):
        (system / f"{k}.spl").write_text(text.strip() + "\n", encoding="utf-8")
        (models / f"{k}.spl").write_text(
            "\n".join(split_sentences(ref.summary)) + "\n", encoding="utf-8"
        )
        evals.append(
            f'<EVAL ID="{k}"><PEER-ROOT>{system}</PEER-ROOT><MODEL-ROOT>{models}</MODEL-ROOT>'
            f'<INPUT-FORMAT TYPE="SPL"></INPUT-FORMAT><PEERS><P ID="1">{k}.spl</P></PEERS>'
            f'<MODELS><M ID="A">{k}.spl</M></MODELS></EVAL>'
        )
    config = scratch / "config.xml"
    config.write_text(
        '<ROUGE-EVAL version="1.0">' + "".join(evals) + "</ROUGE-EVAL>", encoding="utf-8"
    )
    command = ["perl", str(script), "-e", str(script.parent / "data"), *ROUGE155_FLAGS]
    run = subprocess.run(
        [*command, str(config)], capture_output=True, text=True, check=False, timeout=600
    )
    found = re.findall(
        r"ROUGE-([12]) Average_R: ([\d.]+) \(95%-conf.int. ([\d.]+) - ([\d.]+)\)", run.stdout
    )
    if run.returncode != 0 or len(found) < 2:
        print(f"ROUGE-1.5.5 did not run: {(run.stderr or run.stdout).strip()[:300]}")
        return {}
    return {
        f"rouge{n}": f"{100 * float(r):.2f} ({100 * float(lo):.2f}–{100 * float(hi):.2f})"
        for n, r, lo, hi in found
    }


def first_title(story: Story) -> str:
    return clean_title(story.articles[0].title)


def shortest_title(story: Story) -> str:
    return min((clean_title(a.title) for a in story.articles), key=lambda t: len(t.split()))


def most_central_title(story: Story) -> str:
    titles = [clean_title(a.title) for a in story.articles]
    vectors = TfidfVectorizer(stop_words="english").fit_transform(titles).toarray()
    similarity = vectors @ vectors.T
    return titles[int(np.argmax(similarity.sum(axis=1)))]


def rouge(pairs: Sequence[tuple[str, str]]) -> dict[str, float]:
    """Mean F1 ×100 over (prediction, reference) pairs; Lsum over sentence lines."""
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    totals = dict.fromkeys(METRICS, 0.0)
    for prediction, reference in pairs:
        scores = scorer.score(
            "\n".join(split_sentences(reference)), "\n".join(split_sentences(prediction))
        )
        for metric in METRICS:
            totals[metric] += scores[metric].fmeasure
    return {m: 100 * totals[m] / max(len(pairs), 1) for m in METRICS}


@dataclass(frozen=True)
class Row:
    system: str
    scores: dict[str, float]
    mean_words: float
    stories_per_second: float | None = None
    # Of the stories with two or more outlets, the share whose summary draws on two.
    multi_outlet: float | None = None
    # ROUGE-1.5.5 recall with its 95% interval, by metric.
    rouge155: dict[str, str] = field(default_factory=dict)


def run_ohliad(
    stories: Sequence[Story], options: SummaryOptions
) -> tuple[list[str], list[str], float]:
    summarize_story(stories[0], options)  # load the sentence splitter before timing
    started = time.perf_counter()
    summaries = [summarize_story(story, options) for story in stories]
    elapsed = time.perf_counter() - started
    texts = ["\n".join(s.text for s in summary.sentences) for summary in summaries]
    return texts, [s.headline for s in summaries], len(stories) / elapsed


def summary_row(
    system: str,
    texts: Sequence[str],
    refs: Sequence[Reference],
    speed: float | None = None,
    stories: Sequence[Story] | None = None,
) -> Row:
    mean_words = float(np.mean([len(words(t)) for t in texts]))
    pairs = list(zip(texts, (r.summary for r in refs), strict=True))
    multi = outlet_share(stories, texts) if stories is not None else None
    outputs[system] = texts
    return Row(system, rouge(pairs), mean_words, speed, multi)


# Each summary row's texts, by system, for the second scorer.
outputs: dict[str, Sequence[str]] = {}


def word_budget(story: Story, options: SummaryOptions) -> int:
    """The word limit ohliad applies to ``story``, given to every system."""
    return options.word_limit(story_words(story)) or 10**6


def timed(
    stories: Sequence[Story],
    system: Callable[[Story, int, int], list[str]],
    options: SummaryOptions,
) -> tuple[list[str], float]:
    started = time.perf_counter()
    texts = ["\n".join(system(s, options.max_sentences, word_budget(s, options))) for s in stories]
    return texts, len(stories) / (time.perf_counter() - started)


def table(rows: Sequence[Row], title: str) -> str:
    outlets = any(row.multi_outlet is not None for row in rows)
    lines = [
        f"### {title}",
        "",
        "| system | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | mean words |"
        + (" from 2+ outlets |" if outlets else "")
        + " stories/s |",
        "|---|---|---|---|---|" + ("---|" if outlets else "") + "---|",
    ]
    for row in rows:
        speed = f"{row.stories_per_second:.1f}" if row.stories_per_second else "–"
        r1, r2, rl = (row.scores[m] for m in METRICS)
        share = "–" if row.multi_outlet is None else f"{row.multi_outlet:.1%}"
        lines.append(
            f"| {row.system} | {r1:.2f} | {r2:.2f} | {rl:.2f} | {row.mean_words:.1f} |"
            + (f" {share} |" if outlets else "")
            + f" {speed} |"
        )
    return "\n".join(lines)


def rouge155_table(rows: Sequence[Row]) -> str:
    lines = [
        "### ROUGE-1.5.5 recall, 100 words (`" + " ".join(ROUGE155_FLAGS) + "`)",
        "",
        "| system | ROUGE-1 R (95% interval) | ROUGE-2 R (95% interval) |",
        "|---|---|---|",
    ]
    for row in rows:
        if row.rouge155:
            lines.append(f"| {row.system} | {row.rouge155['rouge1']} | {row.rouge155['rouge2']} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("val", "train"), default="val")
    parser.add_argument("--limit", type=int, default=None)
    defaults = SummaryOptions()
    parser.add_argument("--max-sentences", type=int, default=defaults.max_sentences)
    parser.add_argument("--max-words", type=int, default=defaults.max_words)
    parser.add_argument(
        "--max-share",
        type=float,
        default=defaults.max_share,
        help="share of the story's words; 1 for no share limit",
    )
    parser.add_argument(
        "--no-sweep", action="store_true", help="skip the table of ROUGE against the budget"
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--no-rouge155", action="store_true", help="skip the original perl ROUGE-1.5.5"
    )
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: benchmark data not found at {DATA} (../shared is missing)")
        return 0
    stories, refs = load_split(args.split, args.limit)
    options = SummaryOptions(
        max_sentences=args.max_sentences, max_words=args.max_words, max_share=args.max_share
    )

    texts, headlines, speed = run_ohliad(stories, options)
    summary_rows = [summary_row("ohliad extractive", texts, refs, speed, stories)]
    # No speed for these rows: they run after, on caches the first run warmed.
    plain_texts, _, _ = run_ohliad(stories, replace(options, compress=False))
    summary_rows.append(
        summary_row("ohliad extractive, no compression", plain_texts, refs, stories=stories)
    )
    one_outlet = [
        replace(s, articles=tuple(replace(a, outlet="one") for a in s.articles)) for s in stories
    ]
    free_texts, _, _ = run_ohliad(one_outlet, options)
    summary_rows.append(
        summary_row("ohliad extractive, no outlet rule", free_texts, refs, stories=stories)
    )
    peers: list[tuple[str, Callable[[Story, int, int], list[str]]]] = [
        ("first article's lead", lead_summary),
        ("TF-IDF centroid + MMR", centroid_mmr_summary),
        ("LexRank (sumy)", sumy_summarizer(LexRankSummarizer)),
        ("TextRank (sumy)", sumy_summarizer(TextRankSummarizer)),
        ("concept ILP (Gillick & Favre 2009)", concept_ilp_summary),
        ("submodular (Lin & Bilmes 2011)", submodular_summary),
    ]
    for name, system in peers:
        peer_texts, peer_speed = timed(stories, system, options)
        summary_rows.append(summary_row(name, peer_texts, refs, peer_speed, stories))

    oracle = [
        "\n".join(oracle_summary(s, r.summary, options.max_sentences, word_budget(s, options)))
        for s, r in zip(stories, refs, strict=True)
    ]
    summary_rows.append(
        summary_row("extractive oracle (reads the reference: a ceiling)", oracle, refs)
    )
    if not args.no_rouge155:
        with tempfile.TemporaryDirectory() as scratch:
            for row in summary_rows:
                row.rouge155.update(rouge155(outputs[row.system], refs, Path(scratch)))
    headline_rows = [summary_row_of_headlines("ohliad neutral headline", headlines, refs)]
    rules: list[tuple[str, Headliner]] = [
        ("first source's title", first_title),
        ("shortest title", shortest_title),
        ("most central title (TF-IDF)", most_central_title),
    ]
    for name, rule in rules:
        headline_rows.append(summary_row_of_headlines(name, [rule(s) for s in stories], refs))

    sweep = [] if args.no_sweep else budget_sweep(stories, refs, peers[:2])
    report = render_report(args, len(stories), summary_rows, headline_rows, sweep, speed)
    print(report)
    if not args.no_write and args.split == "val" and args.limit is None:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(report + "\n", encoding="utf-8")
        print(f"\nwritten: {RESULTS.relative_to(ROOT)}")
    return 0


def summary_row_of_headlines(
    system: str, headlines: Sequence[str], refs: Sequence[Reference]
) -> Row:
    pairs = list(zip(headlines, (r.headline for r in refs), strict=True))
    return Row(system, rouge(pairs), float(np.mean([len(words(h)) for h in headlines])))


# Budgets for the sweep: (sentences, words, share of the story's words).
SWEEP_BUDGETS: tuple[tuple[int, int, float | None], ...] = (
    (4, 60, None),
    (4, 75, None),
    (4, 100, None),
    (6, 120, None),
    (4, 100, 0.4),
    (4, 100, 0.5),
    (5, 120, 0.5),
    (4, 100, 0.6),
)


def budget_label(options: SummaryOptions) -> str:
    share = f", {options.max_share:.0%} of the story" if options.max_share else ""
    return f"{options.max_sentences} sentences, {options.max_words} words{share}"


def budget_sweep(
    stories: Sequence[Story],
    refs: Sequence[Reference],
    peers: Sequence[tuple[str, Callable[[Story, int, int], list[str]]]],
) -> list[tuple[str, list[Row]]]:
    """ROUGE of ohliad and the given peers under each budget of SWEEP_BUDGETS."""
    out = []
    for sentences, max_words, share in SWEEP_BUDGETS:
        options = SummaryOptions(max_sentences=sentences, max_words=max_words, max_share=share)
        texts, _, _ = run_ohliad(stories, options)
        rows = [summary_row("ohliad extractive", texts, refs)]
        for name, system in peers:
            rows.append(summary_row(name, timed(stories, system, options)[0], refs))
        out.append((budget_label(options), rows))
    return out


def sweep_table(sweep: Sequence[tuple[str, Sequence[Row]]]) -> str:
    systems = [row.system for row in sweep[0][1]]
    lines = [
        "### ROUGE-1 / ROUGE-2 (mean words) against the length budget",
        "",
        "| budget | " + " | ".join(systems) + " |",
        "|---" * (len(systems) + 1) + "|",
    ]
    for label, rows in sweep:
        cells = [
            f"{r.scores['rouge1']:.2f} / {r.scores['rouge2']:.2f} ({r.mean_words:.0f})"
            for r in rows
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_report(
    args: argparse.Namespace,
    count: int,
    summary_rows: Sequence[Row],
    headline_rows: Sequence[Row],
    sweep: Sequence[tuple[str, Sequence[Row]]],
    speed: float,
) -> str:
    ours, best_rule = headline_rows[0], max(headline_rows[1:], key=lambda r: r.scores["rouge1"])
    summary = summary_rows[0].scores
    ceiling = summary_rows[-1].scores
    peers = [r for r in summary_rows[1:-1] if not r.system.startswith("ohliad")]
    best_peer = max(peers, key=lambda r: r.scores["rouge1"])
    lead = summary["rouge1"] - best_peer.scores["rouge1"]
    multi = summary_rows[0].multi_outlet or 0.0

    def met(ok: bool) -> str:
        return "met" if ok else "not met"

    goals = [
        f"- summary ROUGE-1 ≥ {GOAL_R1}: {summary['rouge1']:.2f} "
        f"({met(summary['rouge1'] >= GOAL_R1)})",
        f"- summary ROUGE-2 ≥ {GOAL_R2}: {summary['rouge2']:.2f} "
        f"({met(summary['rouge2'] >= GOAL_R2)})",
        f"- ROUGE-1 at least {GOAL_LEAD_OVER_PEERS} ahead of every peer (best: {best_peer.system}, "
        f"{best_peer.scores['rouge1']:.2f}): {lead:+.2f} ({met(lead >= GOAL_LEAD_OVER_PEERS)})",
        f"- ≥ {GOAL_MULTI_OUTLET:.0%} of summaries from two or more outlets: {multi:.1%} "
        f"({met(multi >= GOAL_MULTI_OUTLET)})",
        *rouge155_goals(summary_rows),
        f"- headline ROUGE-1 above the best fixed-rule title ({best_rule.system}, "
        f"{best_rule.scores['rouge1']:.2f}): {ours.scores['rouge1']:.2f} "
        f"({met(ours.scores['rouge1'] > best_rule.scores['rouge1'])})",
        f"- for scale: the greedy extractive oracle, which picks sentences by their ROUGE "
        f"against the reference, reaches {ceiling['rouge1']:.2f} / {ceiling['rouge2']:.2f} "
        "under the same budget",
        f"- ≥ {GOAL_STORIES_PER_SECOND:.0f} stories/s on 2 cores: {speed:.1f} in one process "
        f"({met(speed >= GOAL_STORIES_PER_SECOND)})",
    ]
    return "\n".join(
        [
            f"## Summaries and headlines: AllSides roundup-{args.split}, {count} stories",
            "",
            f"Budget for every system, story by story: at most {args.max_sentences} sentences "
            f"and {budget_words(args)} (ohliad's defaults, chosen on roundup-train; the first "
            "sentence is kept even if it alone is longer; ohliad goes past the share of the "
            "story's words, never past the words cap, where the share leaves room for one "
            "outlet only). ROUGE F1 ×100, rouge-score with "
            f"Porter stemming; Lsum over sentence lines. Machine: {os.cpu_count()} CPUs, load "
            f"average {os.getloadavg()[0]:.1f} at the end of the run (other work shares the "
            "CPUs, so stories/s is a floor).",
            "",
            table(summary_rows, "Summaries"),
            "",
            *([rouge155_table(summary_rows), ""] if summary_rows[0].rouge155 else []),
            table(headline_rows, "Headlines (against the neutral AllSides headline)"),
            "",
            "### Goals",
            "",
            *goals,
            *(["", sweep_table(sweep)] if sweep else []),
        ]
    )


def rouge155_goals(rows: Sequence[Row]) -> list[str]:
    """ohliad's ROUGE-1.5.5 recall against its own concept-ILP and submodular rows."""
    if not rows[0].rouge155:
        return ["- ROUGE-1.5.5: not run"]

    def recall(row: Row, metric: str) -> float:
        return float(row.rouge155[metric].split()[0])

    anchors = [r for r in rows if r.system.startswith(("concept ILP", "submodular"))]
    lines = []
    for metric, label in (("rouge1", "ROUGE-1"), ("rouge2", "ROUGE-2")):
        best = max(anchors, key=lambda r: recall(r, metric))
        ours = recall(rows[0], metric)
        verdict = "met" if ours > recall(best, metric) else "not met"
        lines.append(
            f"- ROUGE-1.5.5 {label} recall above the concept-ILP and submodular rows "
            f"({best.system}, {recall(best, metric):.2f}): {ours:.2f} ({verdict})"
        )
    return lines


def budget_words(args: argparse.Namespace) -> str:
    if args.max_share is None or args.max_share >= 1:
        return f"{args.max_words} words"
    return f"the smaller of {args.max_words} words and {args.max_share:.0%} of the story's words"


if __name__ == "__main__":
    sys.exit(main())
