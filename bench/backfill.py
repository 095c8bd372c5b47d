"""Benchmark of ``ohliad backfill`` on a real Ray cluster on this machine.

Web archives are written with warcio: real news pages (the 181 Scrapinghub
pages of ../shared/data/extraction, boilerplate and all) and the AllSides
multi-outlet reports of ../shared/data/stories/allsides rendered as dated
outlet pages (``--text synthetic``: the tests' generated stories instead).
A head node with no CPUs for tasks is started, then one worker node with one
CPU: the backfill runs; a second worker node joins and the same backfill
runs again into a fresh database. Measured, in the same run: articles a
second through the stateless stages (reading, extraction, language ID,
MinHash, features) with one and with two worker nodes, and their ratio; the
time of the summary tier and of the comparisons (both on the workers), and
their ratios; CPU ms per article per stage on the workers; the single
writer's own rate (stored articles a second, after its first batch), also
into a database already holding ``--stored`` articles (where a scan of the
articles table would show); how many HTML pages
became articles and why the others did not; the load average.

Usage: python bench/backfill.py [--articles 3000] [--archives 24] [--text real|synthetic]
                                [--stored 300000]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the cluster and archive helpers live with the tests

from bench.watch import ALLSIDES, real_stories  # noqa: E402
from sqlalchemy import text  # noqa: E402
from tests.backfill.cluster import LocalCluster, ray_environment  # noqa: E402
from tests.backfill.warcs import Record, page, story_page, write_warc  # noqa: E402

from ohliad.assembly import ingest_options, open_pipeline  # noqa: E402
from ohliad.backfill import BackfillReport, backfill  # noqa: E402
from ohliad.backfill.workers import STAGES, ArchiveResult  # noqa: E402
from ohliad.ingest import canonical_url  # noqa: E402
from ohliad.settings import Settings  # noqa: E402
from ohliad.store import Store  # noqa: E402

SCRAPINGHUB = ROOT.parent / "shared" / "data" / "extraction" / "scrapinghub"
RESULTS = ROOT / "bench" / "results" / "backfill.md"
START = datetime(2021, 1, 4, 6, tzinfo=UTC)


def real_pages() -> list[Record]:
    """The Scrapinghub pages as their outlets served them."""
    truth = json.loads((SCRAPINGHUB / "ground-truth.json").read_text(encoding="utf-8"))
    records = []
    for name, item in sorted(truth.items()):
        html = gzip.decompress((SCRAPINGHUB / "html" / f"{name}.html.gz").read_bytes())
        records.append(Record(item["url"], html))
    return records


def report_pages(articles: int, text: str) -> list[Record]:
    """``articles`` outlet pages, story after story, three hours apart."""
    records: list[Record] = []
    if text == "synthetic":
        story = 0
        while len(records) < articles:
            records += [story_page(story, variant) for variant in range(3)]
            story += 1
        return records[:articles]
    for number, reports in enumerate(real_stories()):
        published = START + timedelta(hours=3 * number)
        for outlet, (title, body) in enumerate(reports):
            url = f"https://outlet{outlet}.example/{published:%Y/%m/%d}/report-{number}"
            records.append(page(url, title, body, published + timedelta(minutes=outlet)))
        if len(records) >= articles:
            break
    return records[:articles]


class Quiet:
    """Progress kept for the table: failures counted by reason."""

    def __init__(self) -> None:
        self.reasons: Counter[str] = Counter()

    def archives(self, total: int, skipped: int) -> None:
        pass

    def archive_done(self, result: ArchiveResult) -> None:
        pass

    def failure(self, message: str) -> None:
        self.reasons[message.rsplit(": ", 1)[-1].split(" (")[0]] += 1

    def stage(self, description: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


def prefill(db: Path, articles: int) -> None:
    """A database already holding ``articles`` stored articles of 2,000
    other sites (none in the backfill's time window)."""
    store = Store.open(str(db))
    with store.engine.begin() as connection:
        connection.execute(text("INSERT INTO outlets (name) VALUES ('Earlier Outlet')"))
        outlet = connection.execute(text("SELECT id FROM outlets")).scalar()
        connection.execute(
            text(
                "INSERT INTO articles (url, content_hash, title, text, outlet_id, extra,"
                " ingested_at) VALUES (:url, :digest, 'Earlier', 'Earlier text.', :outlet,"
                " '{}', '2020-01-01')"
            ),
            [
                {
                    "url": f"https://site{n % 2000}.example/earlier/{n}",
                    "digest": hashlib.sha256(b"%d" % n).hexdigest(),
                    "outlet": outlet,
                }
                for n in range(articles)
            ],
        )
    # As ohliad would have left them: in the full-text index (migration 0009).
    with store.transaction() as tx:
        tx.index_pending_text()
    store.close()


def run(folder: Path, db: Path, address: str) -> tuple[BackfillReport, Quiet, set[str]]:
    """One backfill into a database: its report, its failures by reason,
    and the URLs stored (canonical, as given here)."""
    settings = Settings.load(None, db=str(db), translator="none")
    pipeline = open_pipeline(settings)
    progress = Quiet()
    report = backfill(
        pipeline,
        [str(folder)],
        ingest=ingest_options(settings),
        progress=progress,
        ray_address=address,
    )
    stored = {a.url for a in pipeline.store.articles() if a.url}
    pipeline.store.close()
    return report, progress, stored


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--archives", type=int, default=24)
    parser.add_argument("--text", choices=("real", "synthetic"), default="real")
    parser.add_argument("--stored", type=int, default=300_000, help="articles stored before")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.text == "real" and not (ALLSIDES.exists() and SCRAPINGHUB.exists()):
        print(f"skipped: {ALLSIDES} or {SCRAPINGHUB} is missing (or run with --text synthetic)")
        return
    work = Path(tempfile.mkdtemp(prefix="ohliad-backfill-"))
    news = real_pages() if args.text == "real" else []
    records = report_pages(args.articles - len(news), args.text)
    # The real pages spread over the archives, among the reports.
    step = max(1, len(records) // max(1, len(news)))
    for position, record in enumerate(news):
        records.insert(position * (step + 1), record)
    folder = work / "warc"
    folder.mkdir()
    per_archive = -(-len(records) // args.archives)
    for number in range(args.archives):
        chunk = records[number * per_archive : (number + 1) * per_archive]
        if chunk:
            write_warc(folder / f"news-{number:03}.warc.gz", chunk)
    os.environ.update(ray_environment(dict(os.environ), work / "auth_token"))
    cluster = LocalCluster(dict(os.environ))
    load_start = os.getloadavg()[0]
    runs: list[tuple[int, BackfillReport, Quiet, float]] = []
    stored: set[str] = set()
    try:
        # The head takes no tasks: the workers are the worker nodes alone.
        cluster.start_head(cpus=0)
        for nodes in (1, 2):
            cluster.add_worker_node(1)
            report, progress, stored = run(folder, work / f"nodes-{nodes}.db", cluster.address)
            runs.append((nodes, report, progress, os.getloadavg()[0]))
            print(f"{nodes} worker node(s): {report.prepare_seconds:.1f} s", file=sys.stderr)
        if args.stored:
            prefill(work / "stored.db", args.stored)
            report, progress, _ = run(folder, work / "stored.db", cluster.address)
            runs.append((2, report, progress, os.getloadavg()[0]))
    finally:
        cluster.stop()
    news_stored = sum(1 for record in news if canonical_url(record.url) in stored)
    write_results(args, records, news, news_stored, runs, load_start)


def write_results(
    args: argparse.Namespace,
    records: list[Record],
    news: list[Record],
    news_stored: int,
    runs: list[tuple[int, BackfillReport, Quiet, float]],
    load_start: float,
) -> None:
    one, two = runs[0][1], runs[1][1]
    rates = [r.stored.added / r.prepare_seconds for _, r, _, _ in runs]
    kind = "AllSides reports" if args.text == "real" else "generated reports"
    lines = [
        "# Backfill on Ray",
        "",
        f"{len(records):,} HTML response records in {args.archives} WARC files written by "
        f"warcio: {len(news)} real news pages (Scrapinghub) among "
        f"{len(records) - len(news):,} {kind} "
        "rendered as outlet pages. A Ray head with no CPUs for tasks, then one worker node "
        "(1 CPU, `ray start --num-cpus 1`), then a second; the same backfill into a fresh "
        "SQLite database each time"
        + (
            f", and last, with two nodes, into one already holding {args.stored:,} articles "
            "of other sites"
            if len(runs) > 2
            else ""
        )
        + f". Machine: {os.cpu_count()} cores; load average "
        f"{load_start:.1f} at the start, {runs[0][3]:.1f} after one node's run, "
        f"{runs[1][3]:.1f} after two nodes' ({datetime.now(UTC):%Y-%m-%d}).",
        "",
        _row(
            "worker nodes",
            "articles stored",
            "workers' start s",
            "stateless stages s",
            "articles/s",
            "writer s",
            "writer articles/s",
            "writer CPU ms/article",
            "stories summarized",
            "summaries s (workers)",
            "stories compared",
            "comparisons s (workers)",
        ),
        _row(*["---"] * 12),
    ]
    for position, ((nodes, report, _, _), rate) in enumerate(zip(runs, rates, strict=True)):
        lines.append(
            _row(
                nodes if position < 2 else f"{nodes}, {args.stored:,} stored before",
                f"{report.stored.added:,}",
                f"{report.startup_seconds:.1f}",
                f"{report.prepare_seconds:.1f}",
                f"{rate:.1f}",
                f"{report.write_seconds:.1f}",
                f"{report.writer_rate:,.0f}",
                f"{1000 * report.write_cpu_seconds / max(1, report.stored.added):.2f}",
                f"{report.summarized:,}",
                f"{report.summary_seconds:.1f}",
                f"{report.compared:,}",
                f"{report.compare_seconds:.1f}",
            )
        )
    lines += [
        "",
        f"Two worker nodes: **{rates[1] / rates[0]:.2f}×** one node's articles/s on the "
        "stateless stages, "
        f"{one.summary_seconds / max(two.summary_seconds, 1e-9):.2f}× on the summaries, "
        f"{one.compare_seconds / max(two.compare_seconds, 1e-9):.2f}× on the comparisons.",
        "",
        "CPU ms per article on the workers, by stage (each stage's CPU time divided by the "
        "articles made; language ID runs inside extraction):",
        "",
        _row("stage", "1 node", "2 nodes"),
        _row("---", "---", "---"),
    ]
    for stage in STAGES:
        lines.append(
            _row(
                stage,
                *(
                    f"{1000 * r.cpu.get(stage, 0.0) / max(1, r.stored.added):.2f}"
                    for r in (one, two)
                ),
            )
        )
    lines += [
        "",
        f"Pages stored as articles: {two.stored.added + two.stored.already_stored:,} of "
        f"{two.records:,} response records; of the real news pages, {news_stored} of "
        f"{len(news)}. The others, one line each, by reason: "
        + (
            ", ".join(f"{reason}: {count}" for reason, count in runs[1][2].reasons.most_common())
            or "none"
        )
        + ". (Some AllSides reports are excerpts of a sentence or two, which extraction "
        "refuses as a page without article text.)",
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
