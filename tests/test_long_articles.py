"""An article longer than any stage should read: it is stored whole, each NLP
stage reads its first ``max_article_chars`` characters, and the entry says so
(issue 21: a 1.2 MB article made spaCy refuse it, and every later ingest and
digest on that database exited 2)."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ohliad.cli import app
from ohliad.digest_json import entry_to_dict
from ohliad.ingest import IngestFailure, read_inputs
from ohliad.ingest.markdown_docs import parse_markdown
from ohliad.models import Article
from ohliad.pipeline import Pipeline, PipelineOptions
from ohliad.render import render_markdown
from ohliad.store import Store
from ohliad.web import WebSettings, create_app

SENTENCE = "The regional council approved the new flood defence budget on Tuesday. "
runner = CliRunner()


def _report(outlet: str, words: int) -> Article:
    repeats = max(1, words // len(SENTENCE.split()))
    return Article(
        title="Council approves flood defence budget",
        text=SENTENCE * repeats,
        url=f"https://{outlet.lower()}.example/budget",
        outlet=outlet,
    )


def test_an_article_over_a_million_characters_is_read_in_part_and_said_so(
    tmp_path: Path,
) -> None:
    huge = tmp_path / "huge.txt"
    huge.write_text("Council approves flood defence budget\n\n" + SENTENCE * 16_000)
    db = str(tmp_path / "long.db")
    for command in (["ingest", str(huge)], ["digest", "--format", "json"], ["digest"]):
        result = runner.invoke(app, [*command, "--db", db, "--translator", "none"])
        assert result.exit_code == 0, result.output
    out = tmp_path / "digest.json"
    runner.invoke(app, ["digest", "--db", db, "--format", "json", "--out", str(out)])
    [entry] = json.loads(out.read_text())
    [stored] = Store.open(db).articles()
    assert len(stored.text) > 1_000_000  # stored whole
    read = f"only its first 200,000 of {len(stored.text):,} characters were read."
    assert entry["notes"] == [f"{huge}: {read}"]


def test_the_notes_reach_every_format(store: Store) -> None:
    pipeline = Pipeline(store, PipelineOptions(max_article_chars=2_000))
    long = _report("Long", 2_000)
    short = Article(
        title="Flood budget passes",
        text="Councillors voted 30 to 12 for the flood defence budget on Tuesday, after a debate "
        "that lasted into the night. The money pays for new walls along the harbour.",
        url="https://short.example/budget",
        outlet="Short",
    )
    pipeline.ingest([long, short])
    pipeline.refresh()
    [entry] = pipeline.digest()
    note = f"Long: only its first 2,000 of {len(long.text):,} characters were read."
    assert entry.notes == (note,)
    assert entry.comparison is not None  # compared, on the part read
    assert entry_to_dict(entry)["notes"] == list(entry.notes)
    markdown = render_markdown([entry])
    assert f"> Note: {note}" in markdown
    [read_back] = parse_markdown(markdown)
    assert "Note" not in read_back.text  # the house format reads back without it
    client = TestClient(create_app(store, WebSettings()))
    page = client.get(f"/stories/{entry.story_id}", params={"lang": "en"})
    assert note in page.text
    ukrainian = client.get(f"/stories/{entry.story_id}").text  # the note said in Ukrainian
    whole = f"{len(long.text):,}".replace(",", "\u00a0")
    assert f"Long: прочитано лише перші 2\u00a0000 символів із {whole}." in ukrainian
    assert note not in ukrainian


def test_markdown_for_one_article_is_bounded(tmp_path: Path) -> None:
    row = "| " + " | ".join(f"cell {c}" for c in range(8)) + " |\n"
    table = tmp_path / "table.md"
    table.write_text("# A table\n\n" + row + "|---" * 8 + "|\n" + row * 40_000)
    good = tmp_path / "good.md"
    good.write_text("# Budget approved\n\n" + SENTENCE * 5)
    outcomes = list(read_inputs([str(table), str(good)]))
    assert [type(o) for o in outcomes] == [IngestFailure, Article]
    assert "more than the 2,000,000 one article may have" in str(outcomes[0])
