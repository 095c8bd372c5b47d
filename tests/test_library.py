"""ohliad as a library: the five lines of the README, on the bundled sample."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ohliad
from tests.conftest import SAMPLE


def test_the_five_lines_build_a_digest(tmp_path: Path) -> None:
    pipeline = ohliad.open_pipeline(
        ohliad.Settings(db=str(tmp_path / "news.db"), translator="none")
    )
    report = pipeline.ingest(ohliad.read_inputs([str(SAMPLE / "text"), str(SAMPLE / "markdown")]))
    pipeline.refresh()
    markdown = ohliad.render_digest(pipeline.digest(), "md")
    assert report.added > 0 and not report.failures
    entries = pipeline.digest()
    assert entries and all(isinstance(e, ohliad.DigestEntry) for e in entries)
    assert markdown.count("\n## ") + markdown.startswith("## ") == len(entries)
    assert any(e.comparison is not None for e in entries)


def test_import_ohliad_loads_no_stage() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, ohliad; print(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert [m for m in loaded if m.startswith("ohliad.")] == []
    assert "numpy" not in loaded and "pydantic" not in loaded
