"""Commands, their help, and how they treat bad input."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ohliad.cli import app

runner = CliRunner()
BODY = " ".join(["The regional council approved the new flood defence budget on Tuesday."] * 6)


@pytest.mark.parametrize(
    "command",
    [
        "run",
        "demo",
        "ingest",
        "digest",
        "extract",
        "cluster",
        "summarize",
        "serve",
        "watch",
        "status",
        "components",
    ],
)
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_help_loads_no_stage_and_no_heavy_library() -> None:
    # What keeps `ohliad --help` quick: the commands import their work when run.
    shown = subprocess.run(
        [sys.executable, "-c", HELP_AND_MODULES], capture_output=True, text=True, check=True
    )
    help_text, _, modules = shown.stdout.rpartition("MODULES:")
    loaded = set(modules.split())
    assert "Usage" in help_text
    heavy = {"numpy", "pydantic", "sqlalchemy", "trafilatura", "httpx", "spacy", "fastapi"}
    assert not heavy & loaded
    assert {m for m in loaded if m.startswith("ohliad.")} <= {"ohliad.cli", "ohliad.errors"}


HELP_AND_MODULES = """
import sys
from ohliad.cli import app
try:
    app(["--help"])
except SystemExit:
    pass
print("MODULES:", " ".join(sys.modules))
"""


def test_bad_inputs_one_line_each_rest_of_batch_stored(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.html").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "feed.xml").write_text("<rss><channel><item><title>broken")
    (tmp_path / "good.txt").write_text(f"Flood budget approved\n\n{BODY}\n")
    db = tmp_path / "t.db"
    result = runner.invoke(
        app,
        [
            "run",
            str(tmp_path),
            "http://127.0.0.1:9/x",
            "--db",
            str(db),
            "--translator",
            "none",
            "--allow-private",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    named = " ".join(failed)
    for name in ("empty.txt", "binary.html", "feed.xml", "http://127.0.0.1:9/x"):
        assert name in named
    assert len(failed) == 4
    digest = json.loads(result.stdout)
    assert [s["headline"]["en"] for s in digest] == ["Flood budget approved"]


def test_extract_json(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        "<html><head><title>Dam opens</title><meta property='og:site_name' content='River News'>"
        "</head><body><article><h1>Dam opens</h1>"
        + "".join(f"<p>{BODY} Part {i}.</p>" for i in range(3))
        + "</article></body></html>"
    )
    result = runner.invoke(app, ["extract", str(page), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert set(record) == {"title", "text", "published", "outlet", "url", "language"}
    assert record["title"] == "Dam opens" and record["language"] == "en"


def test_cluster_and_summarize_commands(tmp_path: Path) -> None:
    articles = tmp_path / "a.jsonl"
    lines = [
        {
            "id": "a",
            "title": "Storm floods Venice",
            "text": "A storm flooded Venice on Monday, closing St Mark's Square as the tide rose to 1.4 metres.",
        },
        {
            "id": "b",
            "title": "Venice underwater as tide hits 1.4m",
            "text": "Venice was flooded on Monday when a storm pushed the tide to 1.4 metres and St Mark's Square was shut.",
        },
        {
            "id": "c",
            "title": "Central bank raises rates",
            "text": "The central bank of Chile raised its key interest rate by half a point on Tuesday to fight inflation.",
        },
    ]
    articles.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    result = runner.invoke(app, ["cluster", str(articles)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    assert rows[0]["story"] == rows[1]["story"] != rows[2]["story"]

    stories = tmp_path / "s.jsonl"
    stories.write_text(json.dumps({"story": "venice", "articles": lines[:2]}) + "\n")
    result = runner.invoke(app, ["summarize", str(stories)])
    assert result.exit_code == 0, result.output
    [row] = [json.loads(x) for x in result.stdout.splitlines()]
    assert row["story"] == "venice" and "Venice" in row["summary"] and row["headline"]
    assert " ".join(s["text"] for s in row["sentences"]) == row["summary"]
    assert all(s["taken_from"] in s["sources"] for s in row["sentences"])


def test_summarize_length_options(tmp_path: Path) -> None:
    sentences = [
        "A storm flooded Venice on Monday.",
        "The tide rose to 1.4 metres, the highest in a decade.",
        "St Mark's Square was closed to visitors.",
        "The mayor asked the government for emergency funds.",
    ]
    article = {"title": "Storm floods Venice", "text": " ".join(sentences)}
    stories = tmp_path / "s.jsonl"
    stories.write_text(json.dumps({"story": "venice", "articles": [article]}) + "\n")

    def summary(*options: str) -> str:
        result = runner.invoke(app, ["summarize", str(stories), *options])
        assert result.exit_code == 0, result.output
        return str(json.loads(result.stdout)["summary"])

    uncapped = summary("--words", "0", "--share", "0")
    assert len(summary("--words", "12").split()) < len(uncapped.split())
    result = runner.invoke(app, ["summarize", str(stories), "--share", "2"])
    assert result.exit_code == 2
    assert "max_share must be above 0 and at most 1" in result.stderr


def test_malformed_jsonl_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "title": "x"}\n{oops\n')
    result = runner.invoke(app, ["cluster", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2: invalid JSON" in result.stderr


def _demo_db(tmp_path: Path) -> Path:
    result = runner.invoke(app, ["demo", "--out-dir", str(tmp_path), "--translator", "none"])
    assert result.exit_code == 0, result.output
    (tmp_path / "digest.md").rename(tmp_path / "digest.md.demo")
    return tmp_path / "ohliad.db"


def test_a_digest_that_cannot_be_written_names_the_file(tmp_path: Path) -> None:
    db = _demo_db(tmp_path)
    result = runner.invoke(app, ["digest", "--db", str(db), "--out", "/dev/full"])
    assert result.exit_code == 2
    assert "error: /dev/full: cannot write the digest (No space left on device)" in result.output
    assert "Traceback" not in result.output


def test_a_database_that_cannot_be_written_still_gives_its_digest(tmp_path: Path) -> None:
    db = _demo_db(tmp_path)
    with sqlite3.connect(db) as connection:  # stories whose entries are out of date
        connection.execute("UPDATE stories SET dirty = 1")
    read_only = f"sqlite:///file:{db}?mode=ro&uri=true"
    out = tmp_path / "digest.md"
    result = runner.invoke(
        app, ["digest", "--db", read_only, "--translator", "none", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "attempt to write a readonly database" in result.output
    assert out.read_text() == (tmp_path / "digest.md.demo").read_text()
