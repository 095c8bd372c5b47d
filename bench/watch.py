"""Load benchmark of the feed watcher (``ohliad watch``).

A separate process serves FEEDS feeds on loopback in which ARTICLES articles
(several outlets per story, one outlet in six publishing teasers only; AllSides
excerpts are short enough to count as teasers too) appear at
RATE articles per second. Their text is real: the AllSides multi-outlet stories
in ../shared/data/stories/allsides (``--text synthetic`` uses the generated
stories of the tests instead; their stories are too alike to be told apart, so
the clusterer makes a few huge stories of them). The watcher polls the feeds,
ingests through the real pipeline (bundled embedder, extractive summaries,
comparison; no Ukrainian engine) and recomputes changed stories: the summary
tier at once, comparisons in its comparison process. Measured: articles
ingested per second and per CPU-second (the watcher's and its comparison
process's), time from an article appearing in its feed to its story's summary
being saved and to its story's comparison being saved (median, p95), the
machine's load, and peak memory (max RSS of this process and of the largest of
the watcher's child processes, polling and comparing, taken after the watcher
ran). Its peer, run next in the same process on the same articles (or the first
``--peer-articles``), is the batch path: one ``Pipeline.ingest`` call, then
every summary, then every comparison.

With ``--kills N`` it also runs the kill test: the watcher as a subprocess,
SIGKILLed N times at random moments and restarted, the store then checked
against the feeds.

Usage: python bench/watch.py [--feeds 200] [--articles 20000] [--rate 50]
                             [--max-seconds 3600] [--peer-articles N] [--kills 50]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the feed server and kill harness live with the tests

from sqlalchemy import func, select  # noqa: E402
from tests.watch.feedserver import FeedArticle, FeedServer, story_text  # noqa: E402
from tests.watch.killharness import NewsDesk, kill_and_restart  # noqa: E402

from ohliad.cluster import ClusterConfig  # noqa: E402
from ohliad.ingest.feeds import TEASER_MAX_WORDS  # noqa: E402
from ohliad.ingest.fetch import FetchOptions  # noqa: E402
from ohliad.ingest.urls import canonical_url  # noqa: E402
from ohliad.models import Article  # noqa: E402
from ohliad.pipeline import Pipeline, PipelineOptions  # noqa: E402
from ohliad.store import Store, content_hash  # noqa: E402
from ohliad.store.schema import FeedEntryRow  # noqa: E402
from ohliad.watch import FeedSpec, WatchPolicy  # noqa: E402
from ohliad.watch.watcher import ComparisonReport, FlushReport, Watcher  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "watch.md"
ALLSIDES = ROOT.parent / "shared" / "data" / "stories" / "allsides"
PUBLISHED = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
OUTLETS_PER_STORY = 5  # synthetic stories
TEASER_EVERY = 6  # outlet n publishes teasers when n % 6 == 0
# Real stories start this far apart and their reports follow each other this
# far apart, so that several stories are taking articles at any moment.
STORY_SPACING = timedelta(minutes=6)
CORPUS_REPORTS = 9604  # distinct reports in the AllSides files real_stories() reads
REPORT_SPACING = timedelta(minutes=15)


@dataclass(frozen=True)
class Load:
    feeds: int
    articles: int
    rate: float
    interval: float
    text: str = "real"  # or "synthetic"
    embedder: str = ClusterConfig().embedder  # the clusterer's


def pipeline_for(load: Load, store: Store) -> Pipeline:
    """The pipeline with the clusterer's embedder and its calibration."""
    return Pipeline(store, PipelineOptions(cluster=ClusterConfig.for_embedder(load.embedder)))


def feed_name(feed: int) -> str:
    return f"outlet{feed:03d}"


def real_stories() -> list[list[tuple[str, str]]]:
    """The AllSides stories, each a list of (title, text) reports: the 2021
    stories with their paragraphs, then the roundup sets' stories. A report
    whose title and text another one already has is left out (the watcher would
    take it for the same article)."""
    stories: list[list[tuple[str, str]]] = []
    rows = [json.loads(line) for line in (ALLSIDES / "stories-2021.jsonl").open(encoding="utf-8")]
    for row in sorted(rows, key=lambda r: r["date"]):
        reports = [
            (news["newsTitle"], "\n\n".join(news.get("newBody") or []))
            for news in (row["news"].get(side) for side in ("left", "center", "right"))
            if news
        ]
        stories.append(reports)
    for name in ("roundup-train.source", "roundup-val.source"):
        for line in (ALLSIDES / name).open(encoding="utf-8"):
            reports = []
            for part in line.strip().split(" [SEP] "):
                title, _, text = part.removeprefix("TITLE=> ").partition(" ARTICLE=> ")
                reports.append((title.strip().rstrip("."), text.strip()))
            stories.append(reports)
    seen: set[str] = set()
    unique = []
    for reports in stories:
        kept = []
        for title, text in reports:
            digest = content_hash(Article(title=title, text=text))
            if title and text and digest not in seen:
                seen.add(digest)
                kept.append((title, text))
        if kept:
            unique.append(kept)
    return unique


def _synthetic_reports(load: Load) -> list[tuple[int, int, str, str, timedelta]]:
    items = []
    for number in range(load.articles):
        story, variant = divmod(number, OUTLETS_PER_STORY)
        title, text = story_text(story, variant)
        text = f"{text}\n\nReported as item {number}."
        items.append((story, variant, title, text, timedelta(seconds=number)))
    return items


def reworded(text: str, seed: int) -> str:
    """The text with every sixth word left out (from word ``seed % 6``): the
    same content, but few word 5-grams in common with the original, so the
    deduplicator does not take it for a copy."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        words = paragraph.split()
        paragraphs.append(" ".join(w for i, w in enumerate(words) if (i + seed) % 6 != 5))
    return "\n\n".join(paragraphs)


def _real_reports(load: Load) -> list[tuple[int, int, str, str, timedelta]]:
    """The real reports in publication order; when more articles are asked for
    than the corpus has (CORPUS_REPORTS), it is served again, reworded and re-dated past
    the grouping window, as often as needed: each pass makes new stories."""
    stories = real_stories()
    items = []
    for story, reports in enumerate(stories):
        for variant, (title, text) in enumerate(reports):
            items.append(
                (story, variant, title, text, story * STORY_SPACING + variant * REPORT_SPACING)
            )
    items.sort(key=lambda item: item[4])
    span = items[-1][4] + timedelta(days=30)
    served = list(items)
    repeat = 1
    while len(served) < load.articles:
        served += [
            (
                story + repeat * len(stories),
                variant,
                title,
                reworded(text, repeat),
                offset + repeat * span,
            )
            for story, variant, title, text, offset in items
        ]
        repeat += 1
    return served[: load.articles]


def generated_articles(load: Load, start: float) -> list[tuple[str, FeedArticle]]:
    """(feed, article): each story's reports in different outlets' feeds, all
    appearing in publication order at ``load.rate`` per second."""
    reports = _real_reports(load) if load.text == "real" else _synthetic_reports(load)
    items = []
    for number, (story, variant, title, text, offset) in enumerate(reports):
        feed = (story * 7 + variant * 13) % load.feeds
        items.append(
            (
                feed_name(feed),
                FeedArticle(
                    guid=f"a{number}",
                    title=title,
                    text=text,
                    published=PUBLISHED + offset,
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


def process_cpu(pid: int | None) -> float:
    """CPU seconds of a live process, from /proc; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_seconds(live: Sequence[int | None] = ()) -> float:
    """CPU seconds of this process, of its children that have ended (and been
    waited for: a child that has ended is no longer in /proc), and of the
    ``live`` child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own_cpu() + usage.ru_utime + usage.ru_stime + sum(map(process_cpu, live))


@dataclass
class WatchRun:
    ingest_seconds: float  # from the first article appearing to the last new one stored
    ingest_cpu: float
    seconds: float  # until the last comparison (or the time limit)
    cpu_seconds: float
    stored: int
    story_latencies: list[float]
    # The parts of each story latency: appearing -> its feed's poll begins,
    # -> the round that stores it begins, -> that round has saved the story.
    latency_parts: tuple[list[float], list[float], list[float]]
    compare_latencies: list[float]
    comparisons_left: int  # stories still waiting for their comparison at the end
    peak_rss_mb: float
    peak_rss_child_mb: float
    polls: int
    failures: int
    stories_refreshed: int
    stories_compared: int
    load_during: float
    failed_entries: int  # feed entries recorded with an error instead of an article
    # CPU s of the watcher process, its poll process and its comparison
    # process when the last new article was stored (start-up included).
    cpu_split: tuple[float, float, float]


def run_watcher(load: Load, base: str, start: float, db: Path, max_seconds: float) -> WatchRun:
    appears = {
        canonical_url(f"{base}/articles/{a.guid}.html"): a.appears_at
        for _n, a in generated_articles(load, start)
    }
    story_latencies: list[float] = []
    latency_parts: tuple[list[float], list[float], list[float]] = ([], [], [])
    compare_latencies: list[float] = []
    awaiting_comparison: dict[int, float] = {}  # article id -> when it appeared
    # A comparison can finish between a round's commit and its report.
    compared_at: dict[int, float] = {}
    lock = threading.Lock()
    last_appearance = max(appears.values(), default=start)
    # When the latest new article was stored: (time, CPU s, load average).
    last_stored: list[tuple[float, float, float]] = []
    # CPU seconds of the watcher, its poll process and its comparison process then.
    split_at_last: list[tuple[float, float, float]] = []
    store = Store.open(str(db))
    feeds = [
        FeedSpec(f"{base}/feeds/{feed_name(n)}.xml", interval_seconds=round(load.interval))
        for n in range(load.feeds)
    ]
    watcher: Watcher

    def children() -> list[int | None]:
        return [c.pid if c else None for c in (watcher.polls, watcher.comparer)]

    def watcher_cpu() -> float:
        return cpu_seconds(children())

    def stop_when_done() -> None:
        """Stop once every article is stored and compared, or once the feeds
        have been quiet long enough that what is missing will not come (an
        entry without article text is recorded as failed, not stored)."""
        everything = not appears
        quiet = bool(last_stored) and time.time() - max(last_appearance, last_stored[0][0]) > 30
        if (everything or quiet) and store.comparison_backlog() == 0:
            watcher.stop()

    def monitor() -> None:
        while not watcher.stopping.wait(5.0):
            with lock:
                stop_when_done()

    def on_flush(report: FlushReport) -> None:
        with lock:
            for article, article_id, polled in zip(
                report.articles, report.article_ids, report.polled_at, strict=True
            ):
                appeared = appears.pop(article.url, None) if article.url else None
                if appeared is None:
                    continue
                story_latencies.append(report.finished_at - appeared)
                for part, value in zip(
                    latency_parts,
                    (
                        polled - appeared,
                        report.started_at - polled,
                        report.finished_at - report.started_at,
                    ),
                    strict=True,
                ):
                    part.append(value)
                last_stored[:] = [(report.finished_at, watcher_cpu(), os.getloadavg()[0])]
                polls, comparer = children()
                split_at_last[:] = [(own_cpu(), process_cpu(polls), process_cpu(comparer))]
                if article_id is not None and article_id in compared_at:
                    compare_latencies.append(compared_at[article_id] - appeared)
                elif article_id is not None:
                    awaiting_comparison[article_id] = appeared
            stop_when_done()

    def on_compare(report: ComparisonReport) -> None:
        with lock:
            for article_id in report.article_ids:
                compared_at[article_id] = report.finished_at
                appeared = awaiting_comparison.pop(article_id, None)
                if appeared is not None:
                    compare_latencies.append(report.finished_at - appeared)
            stop_when_done()

    watcher = Watcher(
        pipeline_for(load, store),
        feeds,
        # One loopback host stands for every outlet: space no requests, and let it
        # take as many at once as the watcher queues for distinct hosts.
        policy=WatchPolicy(host_delay_seconds=0.0, host_concurrency=32, workers=8),
        fetch_options=FetchOptions(allow_private=True),
        on_flush=on_flush,
        on_compare=on_compare,
    )
    timer = threading.Timer(max(0.0, start - time.time()) + max_seconds, watcher.stop)
    timer.start()
    threading.Thread(target=monitor, daemon=True).start()
    # The feed server is a child too, but it is waited for only after this.
    cpu_before, own_before = cpu_seconds(), own_cpu()
    summary = watcher.run(once=False)
    cpu = cpu_seconds() - cpu_before
    timer.cancel()
    ended = time.time()
    ingest_end, ingest_cpu, load_during = (
        last_stored[0] if last_stored else (ended, watcher_cpu(), os.getloadavg()[0])
    )
    stored = store.article_count()
    left = store.comparison_backlog()
    with store.transaction() as tx:
        failed_entries = (
            tx.session.scalar(
                select(func.count())
                .select_from(FeedEntryRow)
                .where(FeedEntryRow.error.is_not(None))
            )
            or 0
        )
    store.close()
    return WatchRun(
        ingest_seconds=ingest_end - start,
        ingest_cpu=ingest_cpu - cpu_before,
        seconds=ended - start,
        cpu_seconds=cpu,
        stored=stored,
        story_latencies=story_latencies,
        latency_parts=latency_parts,
        compare_latencies=compare_latencies,
        comparisons_left=left,
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        peak_rss_child_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        polls=summary.polls,
        failures=summary.failures,
        stories_refreshed=summary.stories_refreshed,
        stories_compared=summary.stories_compared,
        load_during=load_during,
        failed_entries=failed_entries,
        cpu_split=(
            (split_at_last[0][0] - own_before, *split_at_last[0][1:])
            if split_at_last
            else (0.0, 0.0, 0.0)
        ),
    )


@dataclass
class PeerRun:
    articles: int
    stored: int
    ingest_seconds: float  # ingest and every story's summary
    ingest_cpu: float
    compare_seconds: float  # then every story's comparison
    compare_cpu: float


def run_batch_peer(load: Load, db: Path, limit: int | None) -> PeerRun:
    """The same articles (full text) through one ingest call, then the summary
    tier of every story, then every comparison."""
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
    ][:limit]
    store = Store.open(str(db))
    pipeline = pipeline_for(load, store)
    began, cpu_before = time.perf_counter(), cpu_seconds()
    pipeline.ingest(articles)
    pipeline.refresh_summaries()
    summarized, cpu_summarized = time.perf_counter(), cpu_seconds()
    pipeline.refresh_comparisons()
    ended, cpu_ended = time.perf_counter(), cpu_seconds()
    stored = store.article_count()
    store.close()
    return PeerRun(
        articles=len(articles),
        stored=stored,
        ingest_seconds=summarized - began,
        ingest_cpu=cpu_summarized - cpu_before,
        compare_seconds=ended - summarized,
        compare_cpu=cpu_ended - cpu_summarized,
    )


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
    parser.add_argument(
        "--peer-articles", type=int, default=None, help="run the peer on the first N articles"
    )
    parser.add_argument(
        "--text", choices=("real", "synthetic"), default="real", help="the articles' text"
    )
    parser.add_argument(
        "--embedder", default=ClusterConfig().embedder, help="the clusterer's embedder"
    )
    args = parser.parse_args()
    load = Load(args.feeds, args.articles, args.rate, args.interval, args.text, args.embedder)
    if load.text == "real" and not args.skip_load and not ALLSIDES.exists():
        print(f"skipped: {ALLSIDES} is missing (or run with --text synthetic)")
        return
    sections: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="ohliad-watch-bench-") as tmp:
        work = Path(tmp)
        if not args.skip_load:
            command = (
                f"python bench/watch.py --feeds {load.feeds} --articles {load.articles} "
                f"--rate {load.rate:g} --interval {load.interval:g} "
                f"--max-seconds {args.max_seconds:g} --text {load.text}"
                + (f" --peer-articles {args.peer_articles}" if args.peer_articles else "")
            )

            def save_load(lines: list[str]) -> None:
                # Written as soon as the watcher has run, again after its peer.
                sections[LOAD] = [f"`{command}`\n", *lines]
                update_results({LOAD: sections[LOAD]})

            measure_load(
                load,
                work,
                args.max_seconds,
                peer_articles=args.peer_articles,
                skip_peer=args.skip_peer,
                save=save_load,
            )
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
    # The measured sections first; notes written by hand (## headings of
    # their own) are kept after them.
    order = [LOAD, KILLS, *(h for h in kept if h not in (LOAD, KILLS))]
    text = "# Feed watcher benchmark\n\n" + "".join(
        f"{heading}\n{kept[heading].strip(chr(10))}\n\n" for heading in order if heading in kept
    )
    RESULTS.write_text(text, encoding="utf-8")
    return text


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _latency(values: list[float]) -> list[str]:
    if not values:
        return ["–", "–"]
    return [f"{statistics.median(values):.1f}", f"{percentile(values, 0.95):.1f}"]


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:.1f}" if seconds > 0 else "–"


def measure_load(
    load: Load,
    work: Path,
    max_seconds: float,
    *,
    peer_articles: int | None,
    skip_peer: bool,
    save: Callable[[list[str]], None],
) -> None:
    load_average = os.getloadavg()[0]
    # Give the watcher time to start (imports, models) before articles appear.
    start = time.time() + 20.0
    articles = generated_articles(load, start)
    total = len(articles)
    mean_chars = statistics.mean(len(a.text) for _n, a in articles) if articles else 0.0
    # Items under TEASER_MAX_WORDS count as teasers whatever the outlet: their page is fetched.
    fetched = sum(a.teaser or len(a.text.split()) < TEASER_MAX_WORDS for _n, a in articles)
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
    load_after = os.getloadavg()[0]
    text = (
        "real AllSides reports (../shared/data/stories/allsides"
        + (
            f"; its {CORPUS_REPORTS} distinct reports, then served again reworded and re-dated "
            "past the grouping window, making new stories)"
            if load.articles > CORPUS_REPORTS
            else ")"
        )
        if load.text == "real"
        else "synthetic stories (tests/watch/feedserver.py)"
    )
    lines = [
        f"{load.feeds} feeds, {total} articles of {text}, {mean_chars:.0f} characters of text "
        f"on average, appearing at {load.rate:g}/s (every {TEASER_EVERY}th outlet publishes "
        f"teasers only; the others carry the whole text, but an item under "
        f"{TEASER_MAX_WORDS} words is taken for a teaser too, so the watcher fetches the "
        f"article page for {fetched} of the {len(articles)} articles; feeds list their "
        "newest 50), "
        f"polled every {load.interval:g} s: {run.polls} polls, {run.failures} failed; "
        f"{run.failed_entries} feed entries had no article text and were recorded as failed. "
        f"Clustering embedder: {load.embedder}. "
        f"Machine: {os.cpu_count()} cores shared with other work; load average "
        f"{load_average:.1f} at the start, {run.load_during:.1f} when the last article was "
        f"stored, {load_after:.1f} at the end.",
        "",
        "A story counts as updated when its summary tier is saved: membership, headline, "
        "extractive summary, Ukrainian (none here: no engine) and sources. Its comparison is "
        "saved later by the watcher's comparison process (on CPU time the others leave "
        "idle); until then the story shows its last comparison marked pending.",
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
            "feed→comparison median s",
            "p95 s",
            "peak RSS MB (watcher + its largest child process)",
        ),
        _row(*["---"] * 11),
        _row(
            "watcher: ingest and summaries (until the last new article is stored)",
            f"{run.stored}/{total}",
            f"{run.ingest_seconds:.0f}",
            f"{run.ingest_cpu:.0f}",
            _rate(run.stored, run.ingest_seconds),
            _rate(run.stored, run.ingest_cpu),
            *_latency(run.story_latencies),
            "",
            "",
            "",
        ),
        _row(
            "watcher: end to end, until the last comparison",
            f"{run.stored}/{total}",
            f"{run.seconds:.0f}",
            f"{run.cpu_seconds:.0f}",
            _rate(run.stored, run.seconds),
            _rate(run.stored, run.cpu_seconds),
            *_latency(run.story_latencies),
            *_latency(run.compare_latencies),
            f"{run.peak_rss_mb:.0f} + {run.peak_rss_child_mb:.0f}",
        ),
    ]
    notes = [
        "",
        f"The watcher saved {run.stories_refreshed} story summaries and "
        f"{run.stories_compared} comparisons; {len(run.compare_latencies)} of {run.stored} "
        f"articles had their story's comparison saved.",
        "",
        "Where the feed→story time goes, median / p95 s: "
        + "; ".join(
            f"{name} {' / '.join(_latency(part))}"
            for name, part in zip(
                (
                    "from appearing to its feed's poll",
                    "from the poll to the round that stores it (the article page fetched "
                    "and extracted, then waiting for the round before to end)",
                    "the round (storing, grouping and the summary tier)",
                ),
                run.latency_parts,
                strict=True,
            )
        )
        + ".",
        "",
        "CPU seconds until the last new article was stored, by process (start-up included): "
        + ", ".join(
            f"{name} {seconds:.0f} s ({1000 * seconds / max(run.stored, 1):.0f} ms per article)"
            for name, seconds in zip(
                ("watcher (ingest, summaries, loop)", "poll process", "comparison process"),
                run.cpu_split,
                strict=True,
            )
        )
        + ".",
    ]
    if run.seconds >= max_seconds:
        notes.append(
            f"The run hit the {max_seconds:g} s limit with {total - run.stored} articles not "
            f"stored and {run.comparisons_left} stories waiting for their comparison; those "
            "articles are not in the feed→comparison figures."
        )
    save([*lines, *notes])
    if skip_peer:
        return
    peer = run_batch_peer(load, work / "batch.db", peer_articles)
    lines.append(
        _row(
            f"peer: one Pipeline.ingest + every summary ({peer.articles} articles)",
            f"{peer.stored}/{peer.articles}",
            f"{peer.ingest_seconds:.0f}",
            f"{peer.ingest_cpu:.0f}",
            _rate(peer.stored, peer.ingest_seconds),
            _rate(peer.stored, peer.ingest_cpu),
            "–",
            "–",
            "–",
            "–",
            "–",
        )
    )
    whole = peer.ingest_seconds + peer.compare_seconds
    whole_cpu = peer.ingest_cpu + peer.compare_cpu
    lines.append(
        _row(
            "peer: … then every comparison",
            f"{peer.stored}/{peer.articles}",
            f"{whole:.0f}",
            f"{whole_cpu:.0f}",
            _rate(peer.stored, whole),
            _rate(peer.stored, whole_cpu),
            "–",
            "–",
            "–",
            "–",
            "–",
        )
    )
    save([*lines, *notes])


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
