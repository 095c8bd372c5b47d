"""The main job on the bundled sample corpus, through the real CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from ohliad.cli import app
from ohliad.digest_json import ENTRY_SCHEMA, SCHEMA_VERSION
from ohliad.store import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = runner.invoke(app, ["demo", "--out-dir", str(out), "--translator", "none"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def expected(sample_dir: Path) -> dict:
    return json.loads((sample_dir / "expected.json").read_text())


@pytest.fixture(scope="module")
def sample_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "src" / "ohliad" / "data" / "sample"


def _partition(groups: list[list[str]]) -> set[frozenset[str]]:
    return {frozenset(g) for g in groups}


def test_demo_finds_the_stories_it_was_written_to_have(demo_dir: Path, expected: dict) -> None:
    digest = json.loads((demo_dir / "digest.json").read_text())
    found = [[s["url"] for s in story["sources"]] for story in digest]
    assert _partition(found) == _partition(list(expected["stories"].values()))


def test_wire_copies_are_one_report(demo_dir: Path, expected: dict) -> None:
    store = Store.open(str(demo_dir / "ohliad.db"))
    by_url = {a.url: a for a in store.articles()}
    for original, *copies in expected["wire_copies"]:
        assert by_url[original].duplicate_of is None
        for url in copies:
            assert by_url[url].duplicate_of == by_url[original].id


def test_json_shape(demo_dir: Path) -> None:
    digest = json.loads((demo_dir / "digest.json").read_text())
    assert any(story["comparison"] for story in digest)
    for story in digest:
        jsonschema.validate(story, ENTRY_SCHEMA)
        assert story["schema_version"] == SCHEMA_VERSION
        assert {"id", "headline", "summary", "sources", "articles", "updated", "comparison"} <= set(
            story
        )
        assert story["headline"]["en"] and story["summary"]["en"]
        # No engine here: Ukrainian is marked unavailable, never filled with English.
        assert story["headline"]["uk"] is None and story["summary"]["uk"] is None
        assert story["ukrainian_unavailable"]
        for source in story["sources"]:
            assert {"url", "outlet", "title", "published"} <= set(source)
        assert len(story["articles"]) == len(story["sources"])


def test_markdown_house_format(demo_dir: Path, expected: dict) -> None:
    text = (demo_dir / "digest.md").read_text()
    entries = re.split(r"\n(?=## )", text.strip())
    assert len(entries) == len(expected["stories"])
    for entry in entries:
        parts = entry.split("\n\n")
        assert parts[0].startswith("## ")
        assert parts[1].startswith("> Ukrainian unavailable:")
        assert re.fullmatch(r"<https?://[^>]+>( · <https?://[^>]+>)*", parts[2])
        assert len(parts[3].split()) >= 15


def test_rerunning_adds_nothing(demo_dir: Path) -> None:
    before = Store.open(str(demo_dir / "ohliad.db")).article_count()
    result = runner.invoke(app, ["demo", "--out-dir", str(demo_dir), "--translator", "none"])
    assert result.exit_code == 0, result.output
    assert Store.open(str(demo_dir / "ohliad.db")).article_count() == before == 20
