"""Load benchmark of the feed watcher (``ohliad watch``).

A separate process serves FEEDS feeds on loopback in which ARTICLES generated
articles (several outlets per story, one outlet in six publishing teasers only)
appear at RATE articles per second. The watcher polls them, ingests through the
real pipeline (bundled embedder, extractive summaries, comparison; no Ukrainian
engine) and recomputes changed stories. Measured: articles ingested per second,
time from an article appearing in its feed to its story being recomputed
(median, p95), and peak memory (max RSS of this process, the watcher's). Its
peer, run next in the same process on the same articles, is the batch path:
one ``Pipeline.ingest`` call and one ``refresh``.

With ``--kills N`` it also runs the kill test: the watcher as a subprocess,
SIGKILLed N times at random moments and restarted, the store then checked
against the feeds.

Usage: python bench/watch.py [--feeds 200] [--articles 20000] [--rate 50]
                             [--max-seconds 3600] [--kills 50]
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the feed server and kill harness live with the tests

from tests.watch.feedserver import FeedArticle, FeedServer, story_text  # noqa: E402
from tests.watch.killharness import NewsDesk, kill_and_restart  # noqa: E402

from ohliad.ingest.fetch import FetchOptions  # noqa: E402
from ohliad.ingest.urls import canonical_url  # noqa: E402
from ohliad.models import Article  # noqa: E402
from ohliad.pipeline import Pipeline  # noqa: E402
from ohliad.store import Store  # noqa: E402
from ohliad.watch import FeedSpec, WatchPolicy  # noqa: E402
from ohliad.watch.watcher import FlushReport, Watcher  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "watch.md"
PUBLISHED = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
OUTLETS_PER_STORY = 5
TEASER_EVERY = 6  # outlet n publishes teasers when n % 6 == 0


@dataclass(frozen=True)
class Load:
    feeds: int
    articles: int
    rate: float
    interval: float


def feed_name(feed: int) -> str:
    return f"outlet{feed:03d}"


def generated_articles(load: Load, start: float) -> list[tuple[str, FeedArticle]]:
    """(feed, article): stories of OUTLETS_PER_STORY reports from different
    outlets, appearing one after another at ``load.rate`` per second."""
    items = []
    for number in range(load.articles):
        story, variant = divmod(number, OUTLETS_PER_STORY)
        feed = (story * 7 + variant * 13) % load.feeds
        title, text = story_text(story, variant)
        items.append(
            (
                feed_name(feed),
                FeedArticle(
                    guid=f"a{number}",
                    title=title,
                    text=f"{text}\n\nReported by {feed_name(feed)} as item {number}.",
                    published=PUBLISHED + timedelta(seconds=number),
                    teaser=feed % TEASER_EVERY == 0,
                    appears_at=start + number / load.rate,
                ),
            )
        )
    return items


def serve(load: Load, start: float, channel: Connection) -> None:
    """The feed server process: serves until the parent closes the channel."""
    server = FeedServer(window=50)
    for feed in range(load.feeds):
        server.feeds[feed_name(feed)] = []
    for name, article in generated_articles(load, start):
        server.add(name, article)
    server.start()
    channel.send(server.base)
    with contextlib.suppress(EOFError):
        channel.recv()
    server.stop()


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class WatchRun:
    seconds: float
    cpu_seconds: float
    stored: int
    latencies: list[float]
    peak_rss_mb: float
    polls: int
    failures: int


def run_watcher(load: Load, base: str, start: float, db: Path, max_seconds: float) -> WatchRun:
    appears = {
        canonical_url(f"{base}/articles/{a.guid}.html"): a.appears_at
        for _n, a in generated_articles(load, start)
    }
    latencies: list[float] = []
    store = Store.open(str(db))
    feeds = [
        FeedSpec(f"{base}/feeds/{feed_name(n)}.xml", interval_seconds=round(load.interval))
        for n in range(load.feeds)
    ]
    watcher: Watcher

    def on_flush(report: FlushReport) -> None:
        for article in report.articles:
            if article.url in appears:
                latencies.append(report.finished_at - appears.pop(article.url))
        if not appears:
            watcher.stop()

    watcher = Watcher(
        Pipeline(store),
        feeds,
        # One loopback host stands for every outlet: space no requests, allow many at once.
        policy=WatchPolicy(host_delay_seconds=0.0, host_concurrency=8, workers=8),
        fetch_options=FetchOptions(allow_private=True),
        on_flush=on_flush,
    )
    timer = threading.Timer(max(0.0, start - time.time()) + max_seconds, watcher.stop)
    timer.start()
    cpu_before = cpu_seconds()
    summary = watcher.run(once=False)
    cpu = cpu_seconds() - cpu_before
    timer.cancel()
    ended = time.time()
    stored = store.article_count()
    store.close()
    return WatchRun(
        seconds=ended - start,
        cpu_seconds=cpu,
        stored=stored,
        latencies=latencies,
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        polls=summary.polls,
        failures=summary.failures,
    )


def run_batch_peer(load: Load, db: Path) -> tuple[float, float, int]:
    """The same articles (full text) through one ingest call and one refresh."""
    articles = [
        Article(
            title=a.title,
            text=a.text,
            url=f"https://{name}.example/{a.guid}",
            published=a.published,
            outlet=name,
            language="en",
        )
        for name, a in generated_articles(load, 0.0)
    ]
    store = Store.open(str(db))
    pipeline = Pipeline(store)
    began, cpu_before = time.perf_counter(), cpu_seconds()
    pipeline.ingest(articles)
    pipeline.refresh()
    seconds, cpu = time.perf_counter() - began, cpu_seconds() - cpu_before
    stored = store.article_count()
    store.close()
    return seconds, cpu, stored


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--rate", type=float, default=50.0, help="articles appearing per second")
    parser.add_argument("--interval", type=float, default=2.0, help="feed polling interval, s")
    parser.add_argument("--max-seconds", type=float, default=3600.0)
    parser.add_argument("--kills", type=int, default=0, help="also run the kill test")
    parser.add_argument("--skip-load", action="store_true", help="only the kill test")
    parser.add_argument("--skip-peer", action="store_true")
    args = parser.parse_args()
    load = Load(args.feeds, args.articles, args.rate, args.interval)
    sections: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="ohliad-watch-bench-") as tmp:
        work = Path(tmp)
        if not args.skip_load:
            command = (
                f"python bench/watch.py --feeds {load.feeds} --articles {load.articles} "
                f"--rate {load.rate:g} --interval {load.interval:g} "
                f"--max-seconds {args.max_seconds:g}"
            )

            def save_load(lines: list[str]) -> None:
                # Written as soon as the watcher has run, again after its peer.
                sections[LOAD] = [f"`{command}`\n", *lines]
                update_results({LOAD: sections[LOAD]})

            measure_load(load, work, args.max_seconds, skip_peer=args.skip_peer, save=save_load)
        if args.kills:
            sections[KILLS] = measure_kills(args.kills, work / "kills")
    text = update_results(sections)
    print(text)
    print(f"written to {RESULTS.relative_to(ROOT)}")


LOAD = "## Load"
KILLS = "## Kill test"


def update_results(sections: dict[str, list[str]]) -> str:
    """Rewrite the sections run now, keep the others from the last run."""
    kept: dict[str, str] = {}
    if RESULTS.exists():
        current = None
        for line in RESULTS.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                current = line
                kept[current] = ""
            elif current is not None:
                kept[current] += line + "\n"
    for heading, lines in sections.items():
        kept[heading] = "\n" + "\n".join(lines) + "\n"
    text = "# Feed watcher benchmark\n\n" + "".join(
        f"{heading}\n{kept[heading].strip(chr(10))}\n\n"
        for heading in (LOAD, KILLS)
        if heading in kept
    )
    RESULTS.write_text(text, encoding="utf-8")
    return text


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _result_row(name: str, stored: int, total: int, seconds: float, cpu: float) -> list[str]:
    return [
        name,
        f"{stored}/{total}",
        f"{seconds:.0f}",
        f"{cpu:.0f}",
        f"{stored / seconds:.1f}" if seconds else "–",
        f"{stored / cpu:.1f}" if cpu else "–",
    ]


def measure_load(
    load: Load,
    work: Path,
    max_seconds: float,
    *,
    skip_peer: bool,
    save: Callable[[list[str]], None],
) -> None:
    load_average = os.getloadavg()[0]
    # Give the watcher time to start (imports, models) before articles appear.
    start = time.time() + 20.0
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(
        target=serve, args=(load, start, child), daemon=True
    )
    server.start()
    base = parent.recv()
    try:
        run = run_watcher(load, base, start, work / "watch.db", max_seconds)
    finally:
        parent.send("stop")
        server.join(30)
    latency = (
        [f"{statistics.median(run.latencies):.1f}", f"{percentile(run.latencies, 0.95):.1f}"]
        if run.latencies
        else ["–", "–"]
    )
    lines = [
        f"{load.feeds} feeds, {load.articles} articles appearing at {load.rate:g}/s "
        f"({OUTLETS_PER_STORY} outlets per story, every {TEASER_EVERY}th outlet teasers only, "
        f"feeds list their newest 50), polled every {load.interval:g} s: "
        f"{run.polls} polls, {run.failures} failed. Machine load average at the start: "
        f"{load_average:.1f} on {os.cpu_count()} cores.",
        "",
        _row(
            "path",
            "articles stored",
            "wall s",
            "CPU s",
            "articles/s",
            "articles/CPU-s",
            "feed→story median s",
            "p95 s",
            "peak RSS MB",
        ),
        _row(*["---"] * 9),
        _row(
            *_result_row(
                "watcher, end to end", run.stored, load.articles, run.seconds, run.cpu_seconds
            ),
            *latency,
            f"{run.peak_rss_mb:.0f}",
        ),
    ]
    note = []
    if run.stored < load.articles:
        note = ["", f"The watcher run hit the {max_seconds:g} s limit before storing all."]
    save([*lines, *note])
    if not skip_peer:
        seconds, cpu, stored = run_batch_peer(load, work / "batch.db")
        lines.append(
            _row(
                *_result_row(
                    "peer: one Pipeline.ingest + one refresh", stored, load.articles, seconds, cpu
                ),
                "–",
                "–",
                "–",
            )
        )
        save([*lines, *note])


def measure_kills(kills: int, work: Path, log: Callable[[str], None] = print) -> list[str]:
    work.mkdir(parents=True)
    server = FeedServer().start()
    try:
        desk = NewsDesk(server, feeds=4, seed=kills)
        desk.publish(12)
        report = kill_and_restart(work, desk, kills=kills, seed=kills, log=log)
    finally:
        server.stop()
    behind = sum(
        1
        for stored, total in zip(report.articles_at_kill, report.published_at_kill, strict=True)
        if stored < total
    )
    verdict = (
        "nothing lost, nothing duplicated, no story half-updated"
        if not report.problems
        else "; ".join(report.problems[:5])
    )
    return [
        f"`python bench/watch.py --skip-load --kills {kills}`",
        "",
        f"{report.kills} SIGKILLs at random moments; {report.feed_articles} articles in the "
        f"feeds by the end; {behind} kills came while articles were waiting to be stored. "
        f"Stored at each kill: {report.articles_at_kill}. Final `--once` run exit "
        f"{report.final_exit}: {verdict}.",
    ]


if __name__ == "__main__":
    main()
