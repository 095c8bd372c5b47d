"""Startup benchmark (issue 25): how long a person waits for ``ohliad --help``
and for ``ohliad digest`` on the demo database, each in a fresh process, with
``PYTHONDONTWRITEBYTECODE=1`` as many container images set it.

Rows, each the median of ``--runs`` runs (wall seconds, and the CPU seconds
of the process), run in the same invocation so that they share the machine's
load:

- ``python -c pass``: the interpreter alone, the floor;
- ``python -c "import ohliad.cli"``: the CLI module;
- ``ohliad --help`` and ``ohliad digest`` on the demo database (built first
  with ``ohliad demo``, and not counted), as installed;
- the same two with bytecode missing: the venv's ``__pycache__`` folders are
  hidden by giving Python an empty ``PYTHONPYCACHEPREFIX``, so every module
  is compiled in memory on every start: what an install without
  ``--compile-bytecode`` costs where bytecode is never written.

Goals: ``--help`` under 1 s, ``digest`` under 3 s, on an idle machine.

    python bench/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "startup.md"
GOALS = {"ohliad --help": 1.0, "ohliad digest (demo database)": 3.0}


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _median(command: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    _run(command, env)  # warms the page cache, as a second start of the day would
    times = [_run(command, env) for _ in range(runs)]
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ohliad = str(Path(sys.executable).with_name("ohliad"))
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "100"}
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo"
        subprocess.run(
            [ohliad, "demo", "--out-dir", str(demo), "--translator", "none"],
            env=env,
            check=True,
            capture_output=True,
        )
        database = str(demo / "ohliad.db")
        digest = [ohliad, "digest", "--db", database, "--translator", "none"]
        no_bytecode = {**env, "PYTHONPYCACHEPREFIX": str(Path(folder) / "empty-pycache")}
        rows = [
            ("python -c pass", [sys.executable, "-c", "pass"], env),
            ("import ohliad.cli", [sys.executable, "-c", "import ohliad.cli"], env),
            ("ohliad --help", [ohliad, "--help"], env),
            ("ohliad digest (demo database)", digest, env),
            ("ohliad --help, no bytecode", [ohliad, "--help"], no_bytecode),
            ("ohliad digest, no bytecode", digest, no_bytecode),
        ]
        measured = []
        for name, command, environment in rows:
            wall, cpu = _median(command, environment, args.runs)
            measured.append((name, wall, cpu))
            print(f"{name:34} {wall:6.2f} s wall {cpu:6.2f} s CPU", flush=True)
    lines = [
        "# Startup",
        "",
        f"`python bench/startup.py --runs {args.runs}`: median of {args.runs} fresh processes "
        f"each (after one not counted), `PYTHONDONTWRITEBYTECODE=1`, load average "
        f"{load:.2f} at the start, {os.cpu_count()} CPUs.",
        "",
        "| command | wall s | CPU s | goal |",
        "|---|---|---|---|",
    ]
    for name, wall, cpu in measured:
        goal = GOALS.get(name)
        verdict = "" if goal is None else f"< {goal:g} s: {'met' if wall < goal else 'NOT met'}"
        lines.append(f"| {name} | {wall:.2f} | {cpu:.2f} | {verdict} |")
    lines += [
        "",
        '"no bytecode" hides the installed `__pycache__` (an empty `PYTHONPYCACHEPREFIX`): '
        "every module is compiled on every start, as in an image that sets "
        "`PYTHONDONTWRITEBYTECODE` over an install without `--compile-bytecode`.",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
