"""CPU cost of the watcher's two refresh tiers on real text, story by story as it grows.

The watcher summarises a story again each round it gains an article, and compares it
again in the background. This replays that on the AllSides stories in
../shared/data/stories/allsides/stories-2021.jsonl: each story's reports join it one at
a time, in date order, and after each one the story is summarised (``summarize_story``,
the summary tier's engine) and, from two articles on, compared (``compare_story``). The
batch path's cost is measured next to it: every full story summarised and compared once,
starting cold. Each phase runs in a fresh process, so no cache is warm that the watcher
would not have warmed itself.

Workloads:

* ``stories``: the AllSides stories as they are (three outlets each, mostly);
* ``topics``: the stories of one AllSides topic joined in date order into stories of up to
  ``--max-articles`` articles, like a clusterer that lets a running topic grow: the large
  stories whose re-summaries dominate the watcher's summary tier;
* ``all``: every story joined in date order into stories of up to ``--max-articles``
  articles, for stories larger than any one topic (a clusterer that chains everything).

``--sizes N [N ...]`` times the summary tier alone on the largest stories: for each size, a
fresh process summarises the first N articles of the ``all`` workload cold, then once more
with article N+1 added (the watcher's incremental summary), and prints CPU ms of each;
``--dump`` then writes those summaries.

Prints CPU (``time.process_time``) and wall-clock milliseconds per summary and per
comparison, and per article of the incremental workload, with the load average.
``--dump FILE`` writes every summary and comparison as JSON, to check that a change
leaves the outputs as they were. For before/after numbers, point PYTHONPATH at an export
of the older commit's src/ (``git archive``) and run this script again.

    PYTHONPATH=src python bench/refresh.py [--workload stories|topics|all] [--stories N]
        [--max-articles N] [--no-compare] [--dump FILE] [--sizes N [N ...]]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ohliad.models import Article, Story

ROOT = Path(__file__).resolve().parent.parent
ALLSIDES = ROOT.parent / "shared" / "data" / "stories" / "allsides" / "stories-2021.jsonl"
SIDES = ("left", "center", "right")


def allsides_stories(workload: str, limit: int, max_articles: int) -> list[Story]:
    """The workload's stories, articles oldest first, with ids, outlets and dates."""
    rows = [json.loads(line) for line in ALLSIDES.open(encoding="utf-8")]
    rows.sort(key=lambda r: (r["date"], r["id"]))
    groups: list[list[dict[str, Any]]] = []
    if workload == "stories":
        groups = [[row] for row in rows]
    else:
        open_group: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            key = row["topic"] if workload == "topics" else ""
            group = open_group.get(key)
            if group is None or sum(len(r["news"]) for r in group) >= max_articles:
                group = open_group[key] = []
                groups.append(group)
            group.append(row)
    stories = []
    next_id = 1
    for number, group in enumerate(groups[:limit]):
        articles = []
        for row in group:
            published = datetime.fromisoformat(row["date"])
            for side in SIDES:
                news = row["news"].get(side)
                if not news or not news.get("newBody"):
                    continue
                articles.append(
                    Article(
                        title=news["newsTitle"],
                        text="\n\n".join(news["newBody"]),
                        url=news["newsLink"],
                        published=published,
                        outlet=news["newsSource"],
                        language="en",
                        id=next_id,
                    )
                )
                next_id += 1
        stories.append(Story(id=f"s{number}", articles=tuple(articles[:max_articles])))
    return stories


def growing(story: Story) -> Iterator[Story]:
    """The story after each of its articles joins it."""
    for count in range(1, len(story.articles) + 1):
        yield dataclasses.replace(story, articles=story.articles[:count])


class Meter:
    """Summed CPU and wall-clock seconds of the calls it times."""

    def __init__(self) -> None:
        self.calls = 0
        self.cpu = 0.0
        self.wall = 0.0

    def time(self, call: Any, *args: Any) -> Any:
        cpu, wall = time.process_time(), time.perf_counter()
        result = call(*args)
        self.cpu += time.process_time() - cpu
        self.wall += time.perf_counter() - wall
        self.calls += 1
        return result

    def to_dict(self) -> dict[str, float]:
        return {"calls": self.calls, "cpu": self.cpu, "wall": self.wall}


# Loads spaCy, the embedder and the sentence splitter before timing, on text that is
# not in any workload.
WARM_UP = Story(
    id="warm",
    articles=(
        Article(title="A warm-up", text="One sentence here. Another one there.", id=-1),
        Article(title="Another warm-up", text="A third sentence. And a fourth.", id=-2),
    ),
)


def run_phase(args: argparse.Namespace) -> dict[str, Any]:
    """One phase in this process: ``incremental`` or ``batch``."""
    from ohliad.compare import compare_story
    from ohliad.summarize import summarize_story

    stories = allsides_stories(args.workload, args.stories, args.max_articles)
    summarize_story(WARM_UP)
    if args.compare:
        compare_story(WARM_UP)
    summaries, comparisons = Meter(), Meter()
    outputs: list[dict[str, Any]] = []
    for story in stories:
        versions = list(growing(story)) if args.phase == "incremental" else [story]
        for version in versions:
            summary = summaries.time(summarize_story, version)
            comparison = None
            if args.compare and len(version.articles) >= 2:
                compared = comparisons.time(compare_story, version)
                comparison = compared.to_dict() if compared is not None else None
            outputs.append(
                {
                    "story": version.id,
                    "articles": len(version.articles),
                    "summary": dataclasses.asdict(summary),
                    "comparison": comparison,
                }
            )
    if args.dump:
        Path(args.dump).write_text(json.dumps(outputs, indent=1, default=str), encoding="utf-8")
    return {
        "articles": sum(len(s.articles) for s in stories),
        "stories": len(stories),
        "summaries": summaries.to_dict(),
        "comparisons": comparisons.to_dict(),
    }


def _phase_in_subprocess(args: argparse.Namespace, phase: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", phase, "--workload", args.workload]
    command += ["--stories", str(args.stories), "--max-articles", str(args.max_articles)]
    if not args.compare:
        command.append("--no-compare")
    if args.dump and phase == "incremental":
        command += ["--dump", args.dump]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.splitlines()[-1]))


def time_size(size: int) -> dict[str, Any]:
    """CPU and wall seconds of summarising the first ``size`` articles of the ``all``
    workload cold, then with one more article, in this process."""
    from ohliad.summarize import summarize_story

    # Joined with no cap, then cut: the cap counts sides, some of which have no text.
    (joined,) = allsides_stories("all", 1, sys.maxsize)
    joined = dataclasses.replace(joined, articles=joined.articles[: size + 1])
    if len(joined.articles) <= size:
        raise SystemExit(
            f"the data has only {len(joined.articles)} articles, fewer than {size + 1}"
        )
    summarize_story(WARM_UP)
    cold, incremental = Meter(), Meter()
    first = cold.time(summarize_story, dataclasses.replace(joined, articles=joined.articles[:size]))
    then = incremental.time(summarize_story, joined)
    return {
        "articles": size,
        "cold": cold.to_dict(),
        "incremental": incremental.to_dict(),
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "summaries": [dataclasses.asdict(first), dataclasses.asdict(then)],
    }


def _size_in_subprocess(size: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", "size", "--max-articles", str(size)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.splitlines()[-1]))


def size_report(results: list[dict[str, Any]]) -> str:
    lines = [
        "## Summary tier on large stories: AllSides stories joined in date order",
        "",
        f"Load average {os.getloadavg()[0]:.1f} at the end; {os.cpu_count()} CPUs. "
        "One fresh process per size.",
        "",
        "| articles | CPU ms, cold summary | CPU ms, one article added | wall ms, cold "
        "| wall ms, one article added | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    for result in results:
        cold, incremental = result["cold"], result["incremental"]
        cells = [str(result["articles"])]
        cells += [f"{1000 * cold['cpu']:.0f}", f"{1000 * incremental['cpu']:.0f}"]
        cells += [f"{1000 * cold['wall']:.0f}", f"{1000 * incremental['wall']:.0f}"]
        lines.append("| " + " | ".join([*cells, f"{result['max_rss_mb']:.0f}"]) + " |")
    return "\n".join(lines)


def _ms(seconds: float, calls: int) -> str:
    return f"{1000 * seconds / calls:.1f}" if calls else "–"


def report(args: argparse.Namespace, results: dict[str, dict[str, Any]]) -> str:
    lines = [
        f"## Refresh tiers: AllSides {args.workload}, {results['batch']['stories']} stories, "
        f"{results['batch']['articles']} articles (at most {args.max_articles} a story)",
        "",
        f"Load average {os.getloadavg()[0]:.1f} at the end; {os.cpu_count()} CPUs. "
        "CPU ms from time.process_time, wall ms from time.perf_counter.",
        "",
        "| phase | summaries | CPU ms / summary | wall ms / summary "
        "| comparisons | CPU ms / comparison | wall ms / comparison | CPU ms / article |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for phase, result in results.items():
        s, c = result["summaries"], result["comparisons"]
        per_article = 1000 * (s["cpu"] + c["cpu"]) / result["articles"]
        cells = [phase, str(s["calls"]), _ms(s["cpu"], s["calls"]), _ms(s["wall"], s["calls"])]
        cells += [str(c["calls"]), _ms(c["cpu"], c["calls"]), _ms(c["wall"], c["calls"])]
        lines.append("| " + " | ".join([*cells, f"{per_article:.1f}"]) + " |")
    lines += [
        "",
        "incremental: summarised after each article joins its story and compared from two "
        "articles on (what the watcher does each round); batch: each full story once, cold. "
        "CPU ms / article: both tiers' CPU over the workload's articles.",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=("stories", "topics", "all"), default="stories")
    parser.add_argument("--stories", type=int, default=120, help="how many stories")
    parser.add_argument("--max-articles", type=int, default=24, help="articles per story")
    parser.add_argument("--no-compare", dest="compare", action="store_false")
    parser.add_argument(
        "--dump", help="write the incremental phase's (or --sizes') outputs here (JSON)"
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        help="time one cold and one incremental summary of stories of these many articles",
    )
    parser.add_argument("--phase", choices=("incremental", "batch", "size"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not ALLSIDES.exists():
        print(f"skipped: benchmark data not found at {ALLSIDES} (../shared is missing)")
        return 0
    if args.phase == "size":
        print(json.dumps(time_size(args.max_articles)))
        return 0
    if args.phase:
        print(json.dumps(run_phase(args)))
        return 0
    if args.sizes:
        sized = [_size_in_subprocess(size) for size in args.sizes]
        if args.dump:
            dumped = [{"articles": r["articles"], "summaries": r["summaries"]} for r in sized]
            Path(args.dump).write_text(json.dumps(dumped, indent=1), encoding="utf-8")
        print(size_report(sized))
        return 0
    results = {phase: _phase_in_subprocess(args, phase) for phase in ("incremental", "batch")}
    print(report(args, results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
