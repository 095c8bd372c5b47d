"""Extraction benchmark on the Scrapinghub article-extraction pages.

Runs ohliad's extractor (``extract_html``, the code path of ``ohliad extract``)
and plain ``trafilatura.extract`` over every page in this process, scores them
and every stored peer output with the benchmark's shingle metric, prints one
table and writes it to bench/results/extraction.md.

Usage: python bench/extraction.py
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from ohliad.extract import NoArticleTextError, extract_html

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "extraction" / "scrapinghub"
RESULTS = ROOT / "bench" / "results" / "extraction.md"
TOKEN = re.compile(r"\w+")
# F1 published for the stored peers (../shared/README.md), to check our metric against.
# ("readability" is left out: the README lists two Readability ports and not which is stored.)
PUBLISHED_F1 = {
    "rs_trafilatura": 0.970,
    "go_trafilatura": 0.960,
    "trafilatura": 0.958,
    "newspaper": 0.949,
    "goose3": 0.896,
}
SHINGLE = 4


@dataclass(frozen=True)
class Score:
    name: str
    precision: float
    recall: float
    f1: float
    accuracy: float
    pages_per_second: float | None = None
    published_f1: float | None = None


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    """TP, FP, FN over shingle multisets, normalised to sum to 1 (all 0 if both empty)."""
    expected, got = shingles(gold), shingles(predicted)
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def score(
    name: str,
    gold: Mapping[str, str],
    predicted: Mapping[str, str],
    pps: float | None = None,
    published_f1: float | None = None,
) -> Score:
    tp = fp = fn = 0.0
    exact = 0
    for page_id, gold_text in gold.items():
        text = predicted.get(page_id) or ""
        page_tp, page_fp, page_fn = page_counts(gold_text, text)
        tp, fp, fn = tp + page_tp, fp + page_fp, fn + page_fn
        exact += TOKEN.findall(gold_text) == TOKEN.findall(text)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(name, precision, recall, f1, exact / len(gold), pps, published_f1)


def load_peer(path: Path) -> dict[str, str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    outputs = data.get("output", data) if "version" in data else data
    return {page_id: (item or {}).get("articleBody") or "" for page_id, item in outputs.items()}


def ohliad_text(page: bytes, url: str) -> str:
    try:
        return extract_html(page, url).text
    except NoArticleTextError:
        return ""


def trafilatura_text(page: bytes, url: str) -> str:
    return trafilatura.extract(page, url=url) or ""


def run_side_by_side(
    extractors: Mapping[str, Callable[[bytes, str], str]],
    pages: Mapping[str, bytes],
    urls: Mapping[str, str],
) -> tuple[dict[str, dict[str, str]], dict[str, float]]:
    """Run every extractor on each page in turn, so that load from other processes
    slows them alike; returns their outputs and pages per second."""
    outputs: dict[str, dict[str, str]] = {name: {} for name in extractors}
    seconds = dict.fromkeys(extractors, 0.0)
    for turn, (page_id, page) in enumerate(pages.items()):
        names = list(extractors)
        # Alternate who goes first, so that neither always finds the caches warm.
        for name in names if turn % 2 == 0 else reversed(names):
            started = time.perf_counter()
            outputs[name][page_id] = extractors[name](page, urls[page_id])
            seconds[name] += time.perf_counter() - started
    return outputs, {name: len(pages) / seconds[name] for name in extractors}


def table(scores: list[Score], trafilatura_pps: float) -> str:
    lines = [
        "| extractor | F1 | precision | recall | accuracy | pages/s | speed vs trafilatura "
        "| published F1 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in sorted(scores, key=lambda s: s.f1, reverse=True):
        pps = f"{s.pages_per_second:.1f}" if s.pages_per_second else "stored"
        ratio = f"{s.pages_per_second / trafilatura_pps:.2f}×" if s.pages_per_second else ""
        published = f"{s.published_f1:.3f}" if s.published_f1 else ""
        lines.append(
            f"| {s.name} | {s.f1:.3f} | {s.precision:.3f} | {s.recall:.3f} "
            f"| {s.accuracy:.3f} | {pps} | {ratio} | {published} |"
        )
    return "\n".join(lines)


def main() -> int:
    if not DATA.is_dir():
        print(f"skipped: benchmark data not found at {DATA}")
        return 0
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    gold = {page_id: item["articleBody"] for page_id, item in truth.items()}
    urls = {page_id: item["url"] for page_id, item in truth.items()}
    pages = {
        page_id: gzip.decompress((DATA / "html" / f"{page_id}.html.gz").read_bytes())
        for page_id in gold
    }
    # Warm both up (imports, lazy models) so that the timings compare extraction alone.
    first = next(iter(pages))
    ohliad_text(pages[first], urls[first])
    trafilatura_text(pages[first], urls[first])
    outputs, speed = run_side_by_side(
        {"ohliad": ohliad_text, "trafilatura": trafilatura_text}, pages, urls
    )
    plain_pps = speed["trafilatura"]
    scores = [
        score("**ohliad**", gold, outputs["ohliad"], speed["ohliad"]),
        score(
            f"trafilatura {trafilatura.__version__} (in process)",
            gold,
            outputs["trafilatura"],
            plain_pps,
        ),
    ]
    scores += [
        score(
            f"{path.stem} (stored)",
            gold,
            load_peer(path),
            published_f1=PUBLISHED_F1.get(path.stem),
        )
        for path in sorted((DATA / "peers").glob("*.json"))
    ]
    report = table(scores, plain_pps)
    print(report)
    RESULTS.write_text(
        "# Extraction benchmark (Scrapinghub article-extraction, 181 pages)\n\n"
        "Shingle (token 4-gram) precision, recall and F1 summed over pages; accuracy is the\n"
        "share of pages whose token sequence equals the gold one. Stored peers are scored by\n"
        "our implementation of the metric; their published F1 is shown to check it. ohliad\n"
        "(`extract_html`, the code path of `ohliad extract`) and plain `trafilatura.extract`\n"
        "run in the same process, page by page in turn. Produced by\n"
        "`python bench/extraction.py`.\n\n" + report + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
