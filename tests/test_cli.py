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
        "backfill",
        "digest",
        "extract",
        "cluster",
        "summarize",
        "serve",
        "watch",
        "status",
        "components",
        "doctor",
        "feeds",
        "feeds add",
        "feeds remove",
        "feeds list",
        "feeds import",
        "feeds export",
        "review",
        "review list",
        "review show",
        "edit",
        "approve",
        "reject",
        "publish",
    ],
)
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [*command.split(), "--help"])
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
    # Without ids, each record is named by its line (a blank line counts).
    unnamed = tmp_path / "unnamed.jsonl"
    unnamed.write_text("\n\n".join(json.dumps({**x, "id": None}) for x in lines) + "\n")
    result = runner.invoke(app, ["cluster", str(unnamed)])
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == [1, 3, 5]

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


def test_version() -> None:
    from ohliad import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"ohliad {__version__}"


@pytest.mark.parametrize("command", ["digest", "status", "serve"])
def test_a_reading_command_names_a_missing_database_instead_of_making_one(
    tmp_path: Path, command: str
) -> None:
    missing = tmp_path / "typo.db"
    result = runner.invoke(app, [command, "--db", str(missing)])
    assert result.exit_code == 2
    assert f"error: no database at {missing}" in result.output
    assert not missing.exists()


@pytest.mark.parametrize("url", ["sqlite:/news.db", "postgresql:localhost/news"])
def test_a_half_written_database_url_is_an_error_not_a_file(tmp_path: Path, url: str) -> None:
    result = runner.invoke(app, ["ingest", "--db", url, str(tmp_path)])
    assert result.exit_code == 2
    assert f"error: malformed database URL {url!r}" in result.output
    assert not list(tmp_path.iterdir())


def test_a_database_without_its_driver_says_which_extra_installs_it() -> None:
    result = runner.invoke(app, ["status", "--db", "mysql+notadriver://u@localhost/news"])
    assert result.exit_code == 2
    assert "error: no driver for mysql+notadriver databases" in result.output
    assert "Traceback" not in result.output


def test_doctor_reports_each_part_and_fails_on_what_is_missing(tmp_path: Path) -> None:
    from ohliad.doctor import examine
    from ohliad.settings import Settings

    db = _demo_db(tmp_path)
    checks = {c.part: c for c in examine(Settings(db=str(db), translator="none"))}
    assert checks["database"].state == "ok"
    assert checks["database"].found.endswith(": 20 articles")
    assert (checks["ukrainian"].state, checks["ukrainian"].found) == (
        "note",
        "turned off (translator = none)",
    )
    assert "OHLIAD_TRANSLATOR" in checks["ukrainian"].todo
    assert {"summarizer: extractive", "embedders", "translators", "model cache"} <= set(checks)
    assert checks["desk"].state == "note" and "OHLIAD_ADMIN_TOKENS" in checks["desk"].todo
    assert "OHLIAD_SMTP_HOST" in checks["desk: e-mail edition"].todo
    assert runner.invoke(app, ["doctor", "--db", str(db), "--translator", "none"]).exit_code == 0
    desk = Settings(db=str(db), translator="none", admin_tokens="olena:olena-token", review=True)
    found = {c.part: c for c in examine(desk)}["desk"]
    assert (found.state, found.found) == (
        "ok",
        "editors olena; the public sees only approved or published entries (review)",
    )

    missing = tmp_path / "none.db"
    checks = {c.part: c for c in examine(Settings(db=str(missing), translator="none"))}
    assert (checks["database"].state, checks["database"].found) == (
        "missing",
        f"no database at {missing}",
    )
    result = runner.invoke(app, ["doctor", "--db", str(missing), "--translator", "none"])
    assert result.exit_code == 1
    assert not missing.exists()


def test_a_folder_with_nothing_to_read_fails_and_says_what_it_skipped(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    office = tmp_path / "office"
    office.mkdir()
    (office / "brief.pdf").write_bytes(b"%PDF-1.7")
    (office / "notes.docx").write_bytes(b"PK")
    db = tmp_path / "d.db"
    result = runner.invoke(app, ["ingest", "--db", str(db), str(empty), str(office)])
    assert result.exit_code == 1
    assert f"failed: {empty}: no file to read: ohliad reads .atom, " in result.output
    assert "; it is empty" in result.output
    assert f"failed: {office}: no file to read" in result.output
    assert "its 2 files (brief.pdf, notes.docx) have none of them" in result.output

    # Beside files it reads, a file nobody reads is listed, and is no failure.
    (office / "story.txt").write_text("Port record\n\n" + BODY + "\n")
    result = runner.invoke(app, ["ingest", "--db", str(db), str(office)])
    assert result.exit_code == 0, result.output
    assert f"skipped: {office / 'brief.pdf'}: no reader for .pdf" in result.output
    assert f"skipped: {office / 'notes.docx'}: no reader for .docx" in result.output
    assert "Stored 1 new article " in result.output


def test_demo_builds_its_database_where_db_says(tmp_path: Path) -> None:
    db = tmp_path / "elsewhere" / "demo.db"
    result = runner.invoke(
        app, ["demo", "--db", str(db), "--out-dir", str(tmp_path / "out"), "--translator", "none"]
    )
    assert result.exit_code == 0, result.output
    assert db.is_file()
    assert (tmp_path / "out" / "digest.md").is_file()
    assert not (tmp_path / "out" / "ohliad.db").exists()


def test_status_tells_the_operator_how_to_get_ukrainian(tmp_path: Path) -> None:
    db = _demo_db(tmp_path)
    result = runner.invoke(app, ["status", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "stories without Ukrainian text: set translator = llm" in result.output


def test_the_watch_list_is_kept_in_the_database_and_round_trips(tmp_path: Path) -> None:
    from ohliad.watch.feedlist import load_feed_list

    db = str(tmp_path / "d.db")
    added = runner.invoke(
        app,
        [
            "feeds",
            "add",
            "https://News.example/rss?utm_source=x",
            "--outlet",
            "News & Co",
            "--language",
            "EN",
            "--interval",
            "10m",
            "--db",
            db,
        ],
    )
    assert added.exit_code == 0, added.output
    assert "added https://news.example/rss" in added.output
    opml = tmp_path / "reader.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        '<outline text="Wire" xmlUrl="https://wire.example/feed" language="en-GB"/>'
        '<outline text="News" xmlUrl="https://news.example/rss"/></body></opml>',
        encoding="utf-8",
    )
    imported = runner.invoke(app, ["feeds", "import", str(opml), "--db", db])
    assert imported.exit_code == 0, imported.output
    assert f"imported 2 feeds from {opml}: 1 new, 1 updated" in imported.output

    listed = runner.invoke(app, ["feeds", "list", "--json", "--db", db])
    assert json.loads(listed.stdout) == [
        {
            "url": "https://news.example/rss",
            "outlet": "News",
            "language": None,
            "interval_seconds": 900,
        },
        {
            "url": "https://wire.example/feed",
            "outlet": "Wire",
            "language": "en",
            "interval_seconds": 900,
        },
    ]
    for fmt in ("opml", "toml"):
        out = tmp_path / f"export.{fmt}"
        exported = runner.invoke(app, ["feeds", "export", "-f", fmt, "-o", str(out), "--db", db])
        assert exported.exit_code == 0, exported.output
        assert [(s.url, s.outlet, s.language) for s in load_feed_list(out)] == [
            ("https://news.example/rss", "News", None),
            ("https://wire.example/feed", "Wire", "en"),
        ]

    removed = runner.invoke(
        app, ["feeds", "remove", "https://wire.example/feed", "https://gone.example/", "--db", db]
    )
    assert removed.exit_code == 1
    assert "removed https://wire.example/feed" in removed.output
    assert "not on the watch list: https://gone.example/" in removed.output
    listed = runner.invoke(app, ["feeds", "list", "--json", "--db", db])
    assert [f["url"] for f in json.loads(listed.stdout)] == ["https://news.example/rss"]


def test_a_bad_feed_address_and_an_empty_watch_list_are_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    bad = runner.invoke(app, ["feeds", "add", "ftp://x.example/feed", "--db", db])
    assert bad.exit_code == 2
    assert "feed url must start with http:// or https://" in bad.output
    nothing = runner.invoke(app, ["watch", "--once", "--db", db])
    assert nothing.exit_code == 2
    assert "error: no feeds to watch: give a FEED_LIST, or add feeds with" in nothing.output


def test_serve_on_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    import socket

    from ohliad.store import Store

    Store.open(str(tmp_path / "d.db")).close()
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["serve", "--db", str(tmp_path / "d.db"), "--port", str(port)])
    assert result.exit_code == 2
    assert (
        f"error: port {port} on 127.0.0.1 is in use: stop what listens there, or give --port"
        in result.output
    )


def test_plain_text_sources_without_metadata_are_named_by_their_file(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "venice-one.txt").write_text(
        "Storm floods Venice\n\nA storm flooded Venice on Monday, closing St Mark's Square as "
        "the tide rose to 1.4 metres, the city said. Officials said the water would recede by "
        "Tuesday evening, and schools were closed for the day.\n"
    )
    (folder / "venice-two.txt").write_text(
        "Venice underwater as tide hits 1.5m\n\nVenice was flooded on Monday when a storm pushed "
        "the tide to 1.5 metres and St Mark's Square was shut, officials said. Schools stayed "
        "closed and water buses were halted until the evening.\n"
    )
    result = runner.invoke(
        app, ["run", str(folder), "--db", str(tmp_path / "d.db"), "--translator", "none"]
    )
    assert result.exit_code == 0, result.output
    assert "— venice-one.txt: “A storm flooded Venice" in result.stdout
    assert "— venice-two.txt: “Venice was flooded" in result.stdout
    assert "article 1" not in result.stdout
