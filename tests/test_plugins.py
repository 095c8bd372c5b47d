"""Components from another package: a wheel of ``tests/plugins/ohliad_plugin_demo``
is built and installed (pip, into a folder of its own), and ohliad, run in a
fresh process with that folder on its path, finds and uses one component of
every kind through the entry-point groups, the same way it finds its own."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from ohliad.models import Story, Summary
from ohliad.registry import UnknownComponentError, summarizers
from ohliad.summarize import SummaryOptions, summarize_story
from tests.summarize.stories import HARBOUR

# Seconds each (processes, servers, models): left out of make test-fast.
pytestmark = pytest.mark.slow

PLUGIN = Path(__file__).parent / "plugins" / "ohliad_plugin_demo"
DIST = "ohliad_plugin_demo-0.1"
ENTRY_POINTS = """\
[ohliad.embedders]
hashed-words = ohliad_plugin_demo:HashedWords

[ohliad.summarizers]
lede = ohliad_plugin_demo:lede
broken = ohliad_plugin_demo.missing:nothing

[ohliad.translators]
table-uk = ohliad_plugin_demo:table_translator

[ohliad.readers]
csv = ohliad_plugin_demo:CsvReader

[ohliad.renderers]
plain = ohliad_plugin_demo:PlainRenderer
"""
ARTICLES = """\
title,text,url,outlet,published
Port of Velmora closes,The port of Velmora closed on Tuesday after a tanker ran aground. Tugs stand by.,https://one.example/velmora,One Daily,2026-03-03T08:00:00Z
Tanker aground at Velmora,A tanker ran aground at the harbour mouth of Velmora on Tuesday. The port is shut.,https://two.example/velmora,Two Herald,2026-03-03T09:00:00Z
Empty row,,https://three.example/x,Three,2026-03-03T10:00:00Z
"""


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(folder: Path) -> Path:
    """The plugin as a wheel (PEP 427), written by hand: no build backend is needed."""
    files = {
        "ohliad_plugin_demo/__init__.py": (PLUGIN / "__init__.py").read_bytes(),
        f"{DIST}.dist-info/METADATA": b"Metadata-Version: 2.1\nName: ohliad-plugin-demo\n"
        b"Version: 0.1\nRequires-Dist: ohliad\n",
        f"{DIST}.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: ohliad-tests\n"
        b"Root-Is-Purelib: true\nTag: py3-none-any\n",
        f"{DIST}.dist-info/entry_points.txt": ENTRY_POINTS.encode(),
    }
    record = [_record_line(name, data) for name, data in files.items()]
    record.append(f"{DIST}.dist-info/RECORD,,")
    wheel = folder / f"{DIST}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr(f"{DIST}.dist-info/RECORD", "\n".join(record) + "\n")
    return wheel


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder where pip installed the plugin's wheel."""
    work = tmp_path_factory.mktemp("plugin")
    site = work / "site"
    wheel = build_wheel(work)
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index"]
    installed = subprocess.run(
        [*pip, "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert installed.returncode == 0, installed.stderr
    yield site


def _ohliad(
    site: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path]), **(env or {})}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=300, env=environ
    )


def test_the_plugin_is_listed_in_every_group_with_ohliads_own(plugin_site: Path) -> None:
    listed = _ohliad(
        plugin_site,
        "-c",
        "import json; from ohliad import registry as r; print(json.dumps({g.kind: g.names() "
        "for g in (r.embedders, r.summarizers, r.translators, r.readers, r.renderers)}))",
    )
    assert listed.returncode == 0, listed.stderr
    names = json.loads(listed.stdout)
    assert {"hashed-words", "minilm-q8"} <= set(names["embedder"])
    assert {"lede", "extractive"} <= set(names["summarizer"])
    assert {"table-uk", "llm", "none"} <= set(names["translator"])
    assert {"csv", "html", "feed"} <= set(names["reader"])
    assert {"plain", "md", "json"} <= set(names["renderer"])
    # Listing imports no component.
    assert (
        "ohliad_plugin_demo"
        not in _ohliad(
            plugin_site,
            "-c",
            "import sys; from ohliad import registry; registry.readers.names(); "
            "print(' '.join(sys.modules))",
        ).stdout
    )


def test_ohliad_runs_on_the_plugins_components(plugin_site: Path, tmp_path: Path) -> None:
    articles = tmp_path / "articles.csv"
    articles.write_text(ARTICLES, encoding="utf-8")
    db = tmp_path / "plugin.db"
    digest = tmp_path / "digest.txt"
    ran = _ohliad(
        plugin_site,
        "-m",
        "ohliad",
        "run",
        str(articles),
        "--db",
        str(db),
        "--summarizer",
        "lede",
        "--translator",
        "table-uk",
        "--format",
        "plain",
        "--out",
        str(digest),
        env={"OHLIAD_EMBEDDER": "hashed-words"},
    )
    # The empty row failed, alone and named; the other two were read by the csv reader.
    assert ran.returncode == 1, ran.stderr
    assert f"{articles}:4: no text" in ran.stderr
    assert "Stored 2 new articles" in ran.stderr
    assert "Ukrainian: using the table-uk engine" in ran.stderr
    lines = digest.read_text(encoding="utf-8").splitlines()
    assert lines and all(line.endswith("sources)") for line in lines)

    shown = _ohliad(plugin_site, "-m", "ohliad", "digest", "--db", str(db), "--format", "json")
    assert shown.returncode == 0, shown.stderr
    entries = json.loads(shown.stdout)
    assert {e["summary_engine"] for e in entries} == {"lede"}
    assert {e["headline"]["en"] for e in entries} <= {
        "Port of Velmora closes",
        "Tanker aground at Velmora",
    }
    # The table translator had nothing: the entry says so, naming it, and has no Ukrainian.
    assert all(e["headline"]["uk"] is None for e in entries)
    assert all("table-uk" in e["ukrainian_unavailable"] for e in entries)


def test_a_plugin_that_cannot_be_imported_is_one_clear_error(plugin_site: Path) -> None:
    ran = _ohliad(plugin_site, "-m", "ohliad", "summarize", "/dev/null", "--engine", "broken")
    assert ran.returncode == 2
    assert "summarizer 'broken' (ohliad_plugin_demo.missing:nothing) cannot be loaded" in ran.stderr
    assert "Traceback" not in ran.stderr


def test_an_unknown_name_lists_the_known_ones_and_suggests_one() -> None:
    with pytest.raises(UnknownComponentError, match=r"'extractiv' \(did you mean 'extractive'\?\)"):
        summarize_story(HARBOUR, SummaryOptions(engine="extractiv"))


def test_code_can_register_a_component_at_run_time() -> None:
    class Headline:
        name = "headline-only"

        def summarize(self, story: Story, options: SummaryOptions) -> Summary:
            return Summary(story.articles[0].title, (), engine=self.name)

    summarizers.register("headline-only")(lambda options: Headline())
    try:
        summary = summarize_story(HARBOUR, SummaryOptions(engine="headline-only"))
        assert summary.engine == "headline-only" and summary.sentences == ()
        assert "headline-only" in summarizers.names()
    finally:
        summarizers._registered.pop("headline-only")
