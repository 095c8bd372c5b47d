"""Robustness benchmark (issue 21): hostile inputs, slow servers and two
writers at once, each through the real command line in a process of its own.

Every hostile input of ``tests/hostile.py`` (written afresh into a temporary
folder) is ingested alone into a new database; so are URLs of loopback
servers that never finish their answer (a body or headers one byte every
half second) and a private address refused by the guard; and two
``ohliad ingest`` processes store overlapping inputs into one database at
once, on SQLite. Each run is counted, per category, as

- handled cleanly: exit status 0 or 1, the failures it should give (one line
  each), and the articles it should store;
- traceback: a Python traceback, or the whole run ended with ``error:``;
- hang: not finished within the time limit;
- lost or duplicated: fewer or more articles stored than it holds, or one
  stored twice, or a bad input not reported.

The goal: 0 tracebacks, 0 hangs, 0 lost or duplicated. ``--before SRC``
runs the same inputs on another ohliad source tree too (an export of an older
commit, ``git archive``), for the table's "before" columns. Each run's
address space is capped (``--memory-gb``), so that a run reading without
limit ends as a traceback instead of taking the machine.

    PYTHONPATH=src python bench/robustness.py [--timeout 120] [--before OLD/src]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import write_corpus  # noqa: E402
from tests.ingest.servers import DripServer  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "robustness.md"
OUTCOMES = ("handled cleanly", "traceback", "hang", "lost or duplicated")
# Fetches end at this deadline (OHLIAD_FETCH_DEADLINE); a slow server must not outlast it.
DEADLINE = 5


@dataclass(frozen=True, slots=True)
class Limits:
    """The ohliad under test, and the time and memory each of its runs may take."""

    src: Path
    seconds: float
    memory_bytes: int

    def environ(self) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(self.src),
            "OHLIAD_TRANSLATOR": "none",
            "OHLIAD_EMBEDDER": "minilm-static",
            "OHLIAD_FETCH_DEADLINE": str(DEADLINE),
        }

    def cap_memory(self) -> None:
        """In the child process, before it runs."""
        resource.setrlimit(resource.RLIMIT_AS, (self.memory_bytes, self.memory_bytes))


@dataclass(frozen=True, slots=True)
class Run:
    category: str
    name: str
    outcome: str
    seconds: float
    detail: str


def _stored(db: Path) -> tuple[int, int]:
    """Articles stored, and those stored twice (by URL or by content)."""
    if not db.exists():
        return 0, 0
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT url, content_hash FROM articles").fetchall()
    urls = [url for url, _ in rows if url]
    hashes = [digest for _, digest in rows]
    return len(rows), len(urls) - len(set(urls)) + len(hashes) - len(set(hashes))


def _ingest(
    limits: Limits,
    category: str,
    name: str,
    inputs: list[bytes],
    db: Path,
    expected: tuple[int, int],
) -> Run:
    """One ``ohliad ingest`` of ``inputs``; ``expected`` is (articles, failures)."""
    good, bad = expected
    command = [sys.executable, "-m", "ohliad", "ingest", *inputs, "--db", str(db)]
    started = time.monotonic()
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            timeout=limits.seconds,
            env=limits.environ(),
            preexec_fn=limits.cap_memory,
        )
    except subprocess.TimeoutExpired:
        return Run(category, name, "hang", limits.seconds, f"over {limits.seconds:g} s")
    seconds = time.monotonic() - started
    report = done.stderr.decode("utf-8", "replace")
    failures = [line for line in report.splitlines() if line.startswith("failed: ")]
    stored, twice = _stored(db)
    if "Traceback" in report or "error:" in report or done.returncode not in (0, 1):
        last = report.strip().splitlines()[-1] if report.strip() else ""
        return Run(category, name, "traceback", seconds, f"exit {done.returncode}: {last[:140]}")
    if stored != good or twice or len(failures) != bad:
        detail = f"stored {stored} of {good} ({twice} twice), {len(failures)} of {bad} failures"
        return Run(category, name, "lost or duplicated", seconds, detail)
    return Run(category, name, "handled cleanly", seconds, f"stored {stored}, {bad} failed")


def _corpus_runs(limits: Limits, work: Path) -> list[Run]:
    folder = work / "hostile"
    folder.mkdir()
    runs = []
    for number, hostile in enumerate(write_corpus(folder)):
        db = work / f"corpus-{number}.db"
        expected = (hostile.good, hostile.bad)
        runs.append(_ingest(limits, hostile.category, hostile.name, [hostile.path], db, expected))
        print(f"  {hostile.category:<9} {hostile.name:<40} {runs[-1].outcome}", flush=True)
    return runs


def _network_runs(limits: Limits, work: Path) -> list[Run]:
    runs = []
    for drip_head, name in ((False, "server dripping its body"), (True, "... its headers")):
        server = DripServer(drip_head=drip_head, give_up=limits.seconds + 5).start()
        try:
            # --allow-private: the slow server is on loopback.
            inputs = [server.url("/article").encode(), b"--allow-private"]
            db = work / f"drip-{int(drip_head)}.db"
            runs.append(_ingest(limits, "network", name, inputs, db, (0, 1)))
        finally:
            server.stop()
    private = [b"http://127.0.0.1:9/private"]
    runs.append(_ingest(limits, "network", "private address", private, work / "private.db", (0, 1)))
    return runs


def _writers_run(limits: Limits, work: Path) -> Run:
    """Two processes ingest overlapping inputs into one SQLite file at once."""
    body = "Officials said the {} in region {} affected {} homes on Tuesday, report {}. "
    topics = ("strike", "flood", "fire", "recount")
    records = [
        {
            "title": f"Report {n} on the {topics[n % 4]}",
            "text": body.format(topics[n % 4], n % 7, n * 37 % 997, n) * 5,
            "url": f"https://outlet{n % 30}.example/{n}",
            "outlet": f"Outlet {n % 30}",
            "published": f"2026-03-0{1 + n % 5}T{n % 24:02d}:00:00Z",
        }
        for n in range(400)
    ]
    first, second = work / "first.jsonl", work / "second.jsonl"
    first.write_text("\n".join(json.dumps(r) for r in records[:260]) + "\n")
    second.write_text("\n".join(json.dumps(r) for r in records[140:]) + "\n")
    db = work / "writers.db"
    name = "two writers at once (400 articles, 120 in both)"
    started = time.monotonic()
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "ohliad", "ingest", str(path), "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=limits.environ(),
            preexec_fn=limits.cap_memory,
        )
        for path in (first, second)
    ]
    reports = []
    for process in processes:
        try:
            _out, err = process.communicate(timeout=limits.seconds)
        except subprocess.TimeoutExpired:
            for other in processes:
                other.kill()
            return Run("writers", name, "hang", limits.seconds, f"over {limits.seconds:g} s")
        reports.append((process.returncode, err.decode("utf-8", "replace")))
    seconds = time.monotonic() - started
    if any(code != 0 or "Traceback" in report for code, report in reports):
        detail = "; ".join(
            f"exit {code}: {report.strip().splitlines()[-1][:100] if report.strip() else ''}"
            for code, report in reports
        )
        return Run("writers", name, "traceback", seconds, detail)
    stored, twice = _stored(db)
    if stored != len(records) or twice:
        detail = f"stored {stored} of {len(records)}, {twice} twice"
        return Run("writers", name, "lost or duplicated", seconds, detail)
    return Run("writers", name, "handled cleanly", seconds, f"stored {stored} of {len(records)}")


def measure(limits: Limits) -> list[Run]:
    with tempfile.TemporaryDirectory(prefix="ohliad-robustness-") as tmp:
        work = Path(tmp)
        print(f"{limits.src}: hostile inputs, one ingest each", flush=True)
        runs = _corpus_runs(limits, work)
        print("  slow servers, the address guard, two writers", flush=True)
        runs += _network_runs(limits, work)
        runs.append(_writers_run(limits, work))
    return runs


def _table(runs: list[Run], before: list[Run] | None) -> list[str]:
    categories = [*dict.fromkeys(run.category for run in runs), "all"]

    def counts(found: list[Run], category: str) -> Counter[str]:
        return Counter(r.outcome for r in found if category in ("all", r.category))

    header = ["category", "tried", *OUTCOMES]
    if before is not None:
        header += [f"before: {outcome}" for outcome in OUTCOMES]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for category in categories:
        now = counts(runs, category)
        cells = [str(sum(now.values())), *(str(now[o]) for o in OUTCOMES)]
        if before is not None:
            then = counts(before, category)
            cells += [str(then[o]) for o in OUTCOMES]
        name = f"**{category}**" if category == "all" else category
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def _details(runs: list[Run]) -> list[str]:
    return [
        "| category | input | outcome | seconds | detail |",
        "|---|---|---|---|---|",
        *(
            f"| {r.category} | {r.name} | {r.outcome} | {r.seconds:.1f} | "
            f"{r.detail.replace('|', '/')} |"
            for r in runs
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a run may take")
    parser.add_argument("--memory-gb", type=float, default=8.0, help="address space of a run")
    parser.add_argument("--before", type=Path, help="another ohliad's src folder, to compare")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    memory = int(args.memory_gb * 1024**3)
    runs = measure(Limits(ROOT / "src", args.timeout, memory))
    before = measure(Limits(args.before, args.timeout, memory)) if args.before else None
    lines = [
        "# Robustness benchmark (issue 21)",
        "",
        f"Run {time.strftime('%Y-%m-%dT%H:%M')}: `python bench/robustness.py"
        + (f" --before {args.before}" if args.before else "")
        + f"`. Each input is ingested by `ohliad ingest` in a process of its own (at most "
        f"{args.timeout:g} s and {args.memory_gb:g} GB of address space; fetch deadline "
        f"{DEADLINE} s).",
        "",
        *_table(runs, before),
        "",
        "Goal: 0 tracebacks, 0 hangs, 0 lost or duplicated.",
        "",
        "## Every run",
        "",
        *_details(runs),
    ]
    if before is not None:
        lines += ["", f"## Every run before ({args.before})", "", *_details(before)]
    text = "\n".join([*lines, ""])
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
