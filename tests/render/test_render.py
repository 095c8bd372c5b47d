import json
from datetime import UTC, datetime
from pathlib import Path

import ohliad.web
from ohliad.compare.records import Citation, CitedSource, Comparison, UniqueDetail
from ohliad.digest_json import entry_from_dict, entry_to_dict
from ohliad.ingest.markdown_docs import parse_markdown
from ohliad.models import DigestEntry, EntrySource, Summary, SummarySentence, UkrainianText
from ohliad.render import comparison_markdown, render_json, render_markdown
from ohliad.render.markdown import COMPARISON_SECTIONS

SUMMARY = Summary(
    headline="Poland scrambles jets as drones cross its border",
    sentences=(
        SummarySentence("Fifteen drones entered Polish airspace overnight.", (1, 2)),
        SummarySentence("Debris fell near Hrubieszów.", (2,)),
    ),
)
SOURCES = (
    EntrySource(
        "https://a.example/1", "A News", "Drones cross border", datetime(2026, 3, 5, tzinfo=UTC), 1
    ),
    EntrySource(
        "https://b.example/2", "B Wire", "Jets scrambled", datetime(2026, 3, 5, 9, tzinfo=UTC), 2
    ),
)


def _entry(**kw: object) -> DigestEntry:
    base: dict[str, object] = dict(
        story_id="s1",
        summary=SUMMARY,
        sources=SOURCES,
        article_ids=(1, 2),
        updated=datetime(2026, 3, 5, 9, tzinfo=UTC),
    )
    base.update(kw)
    return DigestEntry(**base)  # type: ignore[arg-type]


UK = UkrainianText(
    headline="Польща підняла винищувачі через дрони",
    summary="П'ятнадцять дронів залетіли у повітряний простір Польщі. Уламки впали біля Грубешова.",
    engine="llm",
    model="test-model",
)


def test_house_format_entry() -> None:
    text = render_markdown([_entry(ukrainian=UK)])
    assert text.split("\n\n") == [
        "## Poland scrambles jets as drones cross its border",
        "### *Польща підняла винищувачі через дрони*",
        f"*{UK.summary}*",
        "<https://a.example/1> · <https://b.example/2>",
        "Fifteen drones entered Polish airspace overnight. Debris fell near Hrubieszów.\n",
    ]


def test_without_ukrainian_the_entry_says_so_and_shows_no_english_in_its_place() -> None:
    text = render_markdown([_entry(ukrainian_unavailable="no translation engine configured")])
    assert "> Ukrainian unavailable: no translation engine configured" in text
    assert "### *" not in text
    [data] = json.loads(render_json([_entry(ukrainian_unavailable="none")]))
    assert data["headline"]["uk"] is None and data["summary"]["uk"] is None


def test_markdown_syntax_in_source_text_is_escaped() -> None:
    hostile = Summary(
        headline="## Fake <b>heading</b> [link](http://x)", sentences=SUMMARY.sentences
    )
    text = render_markdown([_entry(summary=hostile)])
    assert text.startswith("## \\#\\# Fake \\<b\\>heading\\</b\\> \\[link\\](http://x)")


def test_markdown_links_only_web_addresses() -> None:
    hostile = tuple(
        EntrySource(url, "Outlet", "Title", None, n)
        for n, url in enumerate(
            [
                "javascript:alert(1)",
                "JavaScript:alert(document.cookie)",
                "vbscript:msgbox(1)",
                "  vbscript:msgbox(1)",
                "\x01javascript:alert(1)",
                "java\tscript:alert(1)",
                "data:text/html,<script>alert(1)</script>",
                "https:no-host",
                "http://[::1",
                "https://c.example/3",
            ]
        )
    )
    text = render_markdown([_entry(sources=hostile)])
    assert text.split("\n\n")[2] == "<https://c.example/3>"
    assert "script:" not in text.lower()


def test_json_contract_and_round_trip() -> None:
    entry = _entry(ukrainian=UK, comparison=None)
    data = entry_to_dict(entry)
    assert {"id", "headline", "summary", "sources", "articles", "updated", "comparison"} <= set(
        data
    )
    assert data["sources"][0] == {
        "url": "https://a.example/1",
        "outlet": "A News",
        "title": "Drones cross border",
        "published": "2026-03-05T00:00:00+00:00",
        "article": 1,
        "article_id": 1,
        "copy_of": None,
    }
    assert entry_from_dict(json.loads(json.dumps(data))) == entry


def test_rendered_digest_reads_back_as_digest_entries() -> None:
    text = render_markdown([_entry(ukrainian=UK)], title="Digest")
    [article] = parse_markdown(text)
    assert article.title == SUMMARY.headline
    assert article.extra["headline_uk"] == UK.headline
    assert article.extra["summary_uk"] == UK.summary
    assert article.extra["sources"] == ["https://a.example/1", "https://b.example/2"]


def test_comparison_markdown_is_empty_without_content() -> None:
    assert comparison_markdown(None) == ""
    assert comparison_markdown(Comparison(sources=())) == ""


def test_comparison_markdown_escapes_article_text() -> None:
    source = CitedSource(1, "Ledger *bold*", None)
    unique = UniqueDetail(Citation(source, "<b>x</b> [a](b)"), None, ())
    markdown = comparison_markdown(Comparison(sources=(), unique=(unique,)))
    assert "<b>" not in markdown and "\\<b\\>" in markdown
    assert "\\*bold\\*" in markdown and "\\[a\\]" in markdown


def test_every_kind_of_finding_has_a_renderer_in_every_format() -> None:
    assert set(COMPARISON_SECTIONS) == set(Comparison.SECTIONS)
    templates = Path(ohliad.web.__file__).parent / "templates" / "comparison"
    assert {p.stem for p in templates.glob("*.html")} == set(Comparison.SECTIONS)
