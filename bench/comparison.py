"""Benchmark of the source comparison (issue 7) on the annotated set in
bench/data/comparison/ (dev and held-out parts scored separately).

How a prediction matches a gold item:
- conflict: same slot kind and softness; some pair of sources the prediction
  puts on different sides is on different gold sides, and each of the two
  predicted values shares a word or figure with the gold value of its side.
  One prediction matches at most one gold conflict.
- unique detail: same source, and the gold key is a substring of the quoted
  sentence (or of the named detail). Precision counts predicted items, recall
  gold keys.
- framing: predictions are flattened to (kind, source, term) triples; a triple
  matches a gold one of the same kind and source whose term contains, or is
  contained in, the predicted term.
- agreed (recall only: gold agreements are not exhaustive): some predicted
  agreement cites all the gold sources and one of its quotes holds a gold key.

A naive peer runs in the same process on the same embeddings: sentences align
when their cosine is at least 0.6; any two aligned sentences whose sets of
numbers differ are a conflict; a sentence aligned with nothing is unique.

Run: PYTHONPATH=src .venv/bin/python bench/comparison.py
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from ohliad.compare import CompareOptions, Comparison, Conflict, compare_story
from ohliad.compare.align import clear_vector_cache
from ohliad.compare.compare import clear_claim_cache
from ohliad.models import Article, Story
from ohliad.nlp.embedders import get_embedder
from ohliad.nlp.pipelines import english
from ohliad.nlp.sentences import split_sentences

DATA = Path(__file__).parent / "data" / "comparison"
RESULT = Path(__file__).parent / "results" / "comparison.md"
GOALS = {"conflicts precision": 0.90, "conflicts recall": 0.70, "unique precision": 0.85}
SECONDS_PER_3_SOURCE_STORY = 2.0


Items = Sequence[Mapping[str, Any]]


@dataclass
class Tally:
    tp_pred: int = 0  # predictions that match gold
    predicted: int = 0
    tp_gold: int = 0  # gold items found
    gold: int = 0

    def add(self, other: Tally) -> None:
        self.tp_pred += other.tp_pred
        self.predicted += other.predicted
        self.tp_gold += other.tp_gold
        self.gold += other.gold

    @property
    def precision(self) -> float | None:
        return self.tp_pred / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.tp_gold / self.gold if self.gold else None


@dataclass
class Scores:
    kinds: dict[str, Tally] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    three_source_seconds: list[float] = field(default_factory=list)
    three_source_cpu: list[float] = field(default_factory=list)
    false_conflicts: list[str] = field(default_factory=list)

    def tally(self, kind: str) -> Tally:
        return self.kinds.setdefault(kind, Tally())


def load_stories(part: str) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((DATA / part).glob("*.json"))]


def to_story(data: Mapping[str, Any]) -> Story:
    articles = tuple(
        Article(
            title=a["title"],
            text=a["text"],
            url=a["url"],
            outlet=a["outlet"],
            language=a.get("language"),
            id=a["id"],
            published=datetime.fromisoformat(a["published"]) if a.get("published") else None,
        )
        for a in data["articles"]
    )
    return Story(id=data["id"], articles=articles)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower().replace(",", "")))


def _side_of(gold: Mapping[str, Any], source: int) -> int | None:
    return next((k for k, side in enumerate(gold["sides"]) if source in side["sources"]), None)


def _conflict_matches(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    if pred["slot"] != gold["slot"] or bool(pred["soft"]) != bool(gold["soft"]):
        return False
    placed = [
        (source["article_id"], side["value"])
        for side in pred["sides"]
        for source in side["sources"]
    ]
    for a, value_a in placed:
        for b, value_b in placed:
            side_a, side_b = _side_of(gold, a), _side_of(gold, b)
            if side_a is None or side_b is None or side_a == side_b:
                continue
            gold_a, gold_b = gold["sides"][side_a]["value"], gold["sides"][side_b]["value"]
            if _words(value_a) & _words(gold_a) and _words(value_b) & _words(gold_b):
                return True
    return False


def score_conflicts(
    predicted: Items, gold: Items, soft: bool
) -> tuple[Tally, list[Mapping[str, Any]]]:
    preds = [p for p in predicted if bool(p["soft"]) == soft]
    golds = [g for g in gold if bool(g["soft"]) == soft]
    unmatched = list(range(len(golds)))
    wrong = []
    tally = Tally(predicted=len(preds), gold=len(golds))
    for pred in preds:
        hit = next((g for g in unmatched if _conflict_matches(pred, golds[g])), None)
        if hit is None:
            wrong.append(pred)
        else:
            unmatched.remove(hit)
            tally.tp_pred += 1
            tally.tp_gold += 1
    return tally, wrong


def score_unique(predicted: Items, gold: Items) -> Tally:
    def holds(item: Mapping[str, Any], key: Mapping[str, Any]) -> bool:
        source = item["source"]
        text = f"{source['quote']} {item.get('detail') or ''}".lower()
        return source["article_id"] == key["source"] and key["key"].lower() in text

    return Tally(
        tp_pred=sum(any(holds(p, g) for g in gold) for p in predicted),
        predicted=len(predicted),
        tp_gold=sum(any(holds(p, g) for p in predicted) for g in gold),
        gold=len(gold),
    )


def framing_triples(framing: Iterable[Mapping[str, Any]]) -> set[tuple[str, int, str]]:
    triples = set()
    for item in framing:
        for use in item["uses"]:
            term = item["label"] if item["kind"] == "quoted_voices" else use["term"]
            for source in use["sources"]:
                triples.add((item["kind"], source["article_id"], term.lower()))
    return triples


def score_framing(predicted: Iterable[Mapping[str, Any]], gold: Items) -> Tally:
    gold_triples = {(g["kind"], g["source"], g["term"].lower()) for g in gold}

    def same(p: tuple[str, int, str], g: tuple[str, int, str]) -> bool:
        return p[:2] == g[:2] and (p[2] in g[2] or g[2] in p[2])

    preds = framing_triples(predicted)
    return Tally(
        tp_pred=sum(any(same(p, g) for g in gold_triples) for p in preds),
        predicted=len(preds),
        tp_gold=sum(any(same(p, g) for p in preds) for g in gold_triples),
        gold=len(gold_triples),
    )


def score_agreed(predicted: Items, gold: Items) -> Tally:
    def found(g: Mapping[str, Any]) -> bool:
        for item in predicted:
            cited = {s["article_id"] for s in item["sources"]}
            quotes = " ".join(s["quote"] for s in item["sources"])
            if set(g["sources"]) <= cited and any(k in quotes for k in g["keys"]):
                return True
        return False

    return Tally(tp_gold=sum(found(g) for g in gold), gold=len(gold))


# ---------------------------------------------------------------- naive peer

_NUMBER = re.compile(r"\d[\d,.]*")


def naive_peer(story: Story) -> dict[str, Any]:
    """Aligned sentences with different numbers conflict; unaligned ones are unique."""
    sentences = [
        (a.id, s)
        for a in story.articles
        if (a.language or "en") == "en"
        for s in split_sentences(a.text)
    ]
    if not sentences:
        return {"conflicts": [], "unique": []}
    vectors = get_embedder(CompareOptions().embedder).embed([s for _, s in sentences])
    sims = vectors @ vectors.T
    conflicts, unique = [], []
    for i, (source_i, text_i) in enumerate(sentences):
        others = [j for j, (source_j, _) in enumerate(sentences) if source_j != source_i]
        if not others or max(float(sims[i, j]) for j in others) < 0.6:
            ref = {"article_id": source_i, "quote": text_i}
            unique.append({"source": ref, "detail": None})
        for j in others:
            if j <= i or sims[i, j] < 0.6:
                continue
            numbers_i, numbers_j = (
                set(_NUMBER.findall(text_i)),
                set(_NUMBER.findall(sentences[j][1])),
            )
            if numbers_i and numbers_j and numbers_i != numbers_j:
                conflicts.append(
                    {
                        "slot": "number",
                        "soft": False,
                        "sides": [
                            {
                                "value": " ".join(sorted(numbers_i)),
                                "sources": [{"article_id": source_i}],
                            },
                            {
                                "value": " ".join(sorted(numbers_j)),
                                "sources": [{"article_id": sentences[j][0]}],
                            },
                        ],
                    }
                )
    return {"conflicts": conflicts, "unique": unique}


# ---------------------------------------------------------------- runs


def cold_compare(story: Story) -> tuple[Comparison | None, float, float]:
    """compare_story with its per-article caches emptied first (a story's first
    comparison), and its wall and CPU seconds."""
    clear_vector_cache()
    clear_claim_cache()
    started, cpu_started = time.perf_counter(), time.process_time()
    comparison = compare_story(story)
    return comparison, time.perf_counter() - started, time.process_time() - cpu_started


def score_part(part: str) -> tuple[Scores, Scores]:
    ours, peer = Scores(), Scores()
    for data in load_stories(part):
        story = to_story(data)
        gold = data["gold"]
        comparison, elapsed, cpu = cold_compare(story)
        ours.seconds.append(elapsed)
        ours.cpu_seconds.append(cpu)
        if len(story.articles) == 3:
            ours.three_source_seconds.append(elapsed)
            ours.three_source_cpu.append(cpu)
        result = comparison.to_dict() if comparison else {}
        hard, wrong = score_conflicts(result.get("conflicts", []), gold["conflicts"], soft=False)
        ours.tally("conflicts").add(hard)
        ours.false_conflicts += [f"{data['id']}: {_describe(c)}" for c in wrong]
        ours.tally("soft differences").add(
            score_conflicts(result.get("conflicts", []), gold["conflicts"], soft=True)[0]
        )
        ours.tally("unique").add(score_unique(result.get("unique", []), gold["unique"]))
        ours.tally("framing").add(score_framing(result.get("framing", []), gold["framing"]))
        ours.tally("agreed").add(score_agreed(result.get("agreed", []), gold["agreed"]))

        baseline = naive_peer(story)
        peer.tally("conflicts").add(
            score_conflicts(baseline["conflicts"], gold["conflicts"], False)[0]
        )
        peer.tally("unique").add(score_unique(baseline["unique"], gold["unique"]))
    return ours, peer


def _describe(conflict: Mapping[str, Any]) -> str:
    sides = " vs ".join(
        f"{side['value']} ({', '.join(str(s['article_id']) for s in side['sources'])})"
        for side in conflict["sides"]
    )
    return f"{conflict['slot']}: {sides}"


def stress() -> list[tuple[str, float, float, str]]:
    """Bounded time on awkward stories: one source, 20 sources, very long articles,
    mixed languages. The 20 sources pool the articles of all stories (outlets
    renamed per story, so that each counts) and also test precision: a conflict
    between articles of different stories is false."""
    stories = [to_story(d) for part in ("dev", "heldout") for d in load_stories(part)]
    story_of = {a.id: s.id for s in stories for a in s.articles}
    pool = [
        replace(a, outlet=f"{a.outlet} ({s.id[:3]})")
        for s in stories
        for a in s.articles
        if (a.language or "en") == "en"
    ]
    long_text = "\n".join(a.text for a in pool)
    cases = {
        "1 source": Story("one", stories[0].articles[:1]),
        "20 sources (pooled stories)": Story("twenty", tuple(pool[:20])),
        "3 very long articles": Story(
            "long",
            tuple(replace(a, text=long_text * 3) for a in pool[:3]),
        ),
        "English + Ukrainian": next(
            s for s in stories if any(a.language == "uk" for a in s.articles)
        ),
    }
    rows = []
    for name, story in cases.items():
        comparison, elapsed, cpu = cold_compare(story)
        if comparison is None:
            outcome = "None (fewer than 2 sources)"
        else:
            hard = [c for c in comparison.conflicts if not c.soft]
            across = [c for c in hard if len(_stories_of(c, story_of)) > 1]
            outcome = (
                f"{len(hard)} conflicts ({len(across)} across stories, false), "
                f"{len(comparison.unique)} unique; notes: "
                + (" | ".join(comparison.notes) or "none")
            )
        rows.append((name, elapsed, cpu, outcome))
    return rows


def _stories_of(conflict: Conflict, story_of: Mapping[int | None, str]) -> set[str]:
    return {story_of[c.source.article_id] for side in conflict.sides for c in side.citations}


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def table(part: str, ours: Scores, peer: Scores) -> list[str]:
    lines = [
        f"### {part}",
        "",
        "| kind | system | precision | recall | matched predictions / predicted | found / gold |",
        "|---|---|---|---|---|---|",
    ]
    for kind, tally in ours.kinds.items():
        for system, t in (("ohliad", tally), ("naive peer", peer.kinds.get(kind))):
            if t is None:
                continue
            lines.append(
                f"| {kind} | {system} | {_fmt(t.precision)} | {_fmt(t.recall)} | "
                f"{t.tp_pred}/{t.predicted} | {t.tp_gold}/{t.gold} |"
            )
    three = ours.three_source_seconds
    lines += [
        "",
        f"Time per story: mean {statistics.mean(ours.seconds):.2f} s, max {max(ours.seconds):.2f} s"
        f" (CPU mean {statistics.mean(ours.cpu_seconds):.2f} s); 3-source stories: median "
        f"{statistics.median(three):.2f} s, max {max(three):.2f} s.",
    ]
    if ours.false_conflicts:
        lines += ["", "False conflicts:", *(f"- {c}" for c in ours.false_conflicts)]
    return lines


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def goals(ours: Scores) -> list[str]:
    c, u = ours.kinds["conflicts"], ours.kinds["unique"]
    measured = {
        "conflicts precision": c.precision or 0.0,
        "conflicts recall": c.recall or 0.0,
        "unique precision": u.precision or 0.0,
    }
    lines = [
        f"- {name} ≥ {goal:.2f}: {measured[name]:.2f} {_verdict(measured[name] >= goal)}"
        for name, goal in GOALS.items()
    ]
    slowest, slowest_cpu = max(ours.three_source_seconds), max(ours.three_source_cpu)
    limit = SECONDS_PER_3_SOURCE_STORY
    lines.append(
        f"- 3-source story < {limit:.0f} s: slowest {slowest:.2f} s wall "
        f"{_verdict(slowest < limit)}; {slowest_cpu:.2f} s CPU {_verdict(slowest_cpu < limit)} "
        "(CPU time bounds the wall time on an idle machine; the wall time counts other "
        "processes sharing the cores, see the load average above)"
    )
    return lines


def main() -> int:
    if not DATA.is_dir():
        print(f"annotated set missing: {DATA}", file=sys.stderr)
        return 1
    # Load the models first so that story times do not include loading.
    english()
    get_embedder(CompareOptions().embedder).embed(["warm up"])
    report = [
        "# Source comparison benchmark (issue 7)",
        "",
        f"Run {datetime.now().isoformat(timespec='minutes')} on {_cpu_note()}.",
        "Annotated set: bench/data/comparison (see its README for the annotation rules).",
        f"Sentence embedder: {CompareOptions().embedder} (ohliad and the naive peer alike).",
        "",
    ]
    parts = {}
    for part in ("dev", "heldout"):
        ours, peer = score_part(part)
        parts[part] = ours
        report += [*table(part, ours, peer), ""]
    everything = Scores()
    for scores in parts.values():
        for kind, tally in scores.kinds.items():
            everything.tally(kind).add(tally)
        everything.three_source_seconds += scores.three_source_seconds
        everything.three_source_cpu += scores.three_source_cpu
    report += ["### Goals (dev + held-out)", "", *goals(everything), ""]
    report += [
        "### Robustness",
        "",
        "| case | seconds | CPU seconds | outcome |",
        "|---|---|---|---|",
    ]
    report += [
        f"| {name} | {seconds:.2f} | {cpu:.2f} | {outcome} |"
        for name, seconds, cpu, outcome in stress()
    ]
    text = "\n".join(report) + "\n"
    print(text)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(text)
    return 0


def _cpu_note() -> str:
    import os

    load = os.getloadavg()[0]
    return f"{os.cpu_count()} cores, load average {load:.1f} at start"


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())
