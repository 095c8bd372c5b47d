"""ohliad ingest over every hostile input of ``tests/hostile.py`` at once, as
a user would run it: no traceback and no hang, one line per bad input naming
it, and every good article stored exactly once (issue 21)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ohliad.errors import one_line
from tests.hostile import write_corpus

# Seconds each (processes, servers, models): left out of make test-fast.
pytestmark = pytest.mark.slow


def _ingest(inputs: list[bytes], db: Path) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "ohliad", "ingest", *inputs, "--db", str(db)]
    environ = {**os.environ, "OHLIAD_TRANSLATOR": "none", "OHLIAD_EMBEDDER": "minilm-static"}
    return subprocess.run(command, capture_output=True, timeout=600, env=environ)


def test_every_hostile_input_is_handled_and_every_good_article_kept(tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    corpus = write_corpus(folder)
    db = tmp_path / "hostile.db"
    done = _ingest([h.path for h in corpus], db)
    report = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 1, report  # some inputs failed; none stopped the run
    assert "Traceback" not in report and "error:" not in report
    failed = [line for line in report.splitlines() if line.startswith("failed: ")]
    assert len(failed) == sum(h.bad for h in corpus), "\n".join(failed)
    for hostile in corpus:
        if hostile.bad:
            # Named as printed: bytes that are not UTF-8 and controls escaped.
            shown = one_line(hostile.path.decode("utf-8", "backslashreplace"))
            assert any(shown in line for line in failed), f"{hostile.name}: not named"
    with sqlite3.connect(db) as connection:
        urls = [u for (u,) in connection.execute("SELECT url FROM articles") if u]
        count = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert count == sum(h.good for h in corpus)
    assert len(urls) == len(set(urls))
    # Again: nothing new, nothing twice.
    again = _ingest([h.path for h in corpus], db)
    assert "Stored 0 new articles" in again.stderr.decode("utf-8", "replace")
