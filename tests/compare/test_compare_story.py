"""compare_story on small stories written for the tests, with the real spaCy
pipeline and MiniLM embedder (both installed, loaded offline)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from ohliad.compare import CompareOptions, Comparison, compare_story
from ohliad.models import Article, Story
from ohliad.render import comparison_markdown

PUBLISHED = datetime.fromisoformat("2026-02-16T12:00:00+00:00")  # a Monday


def _article(article_id: int, outlet: str, title: str, text: str, **extra: Any) -> Article:
    return Article(
        title=title,
        text=text,
        url=f"https://{outlet.lower().replace(' ', '')}.example/{article_id}",
        outlet=outlet,
        language=extra.pop("language", "en"),
        id=article_id,
        published=extra.pop("published", PUBLISHED),
        **extra,
    )


def _compare(*articles: Article, options: CompareOptions | None = None) -> Comparison:
    comparison = compare_story(Story("test", articles), options)
    assert comparison is not None
    return comparison


def _hard(comparison: Comparison) -> list[Any]:
    return [c for c in comparison.conflicts if not c.soft]


def test_one_source_is_none() -> None:
    story = Story("one", (_article(1, "Ledger", "Quake", "A quake hit Malatya on Monday."),))
    assert compare_story(story) is None


@pytest.fixture(scope="module")
def silent() -> Comparison:
    return _compare(
        _article(
            1,
            "Alpine Courier",
            "Vienna museum reopens",
            "Vienna's Natural History Museum reopened to the public on Friday after a five-year "
            "renovation that cost 140 million euros.\n"
            "The museum's new dinosaur hall displays a complete Diplodocus skeleton.",
        ),
        _article(
            2,
            "Continental Times",
            "Vienna's Natural History Museum opens again",
            "The Natural History Museum in Vienna opened its doors again on Friday following a "
            "renovation lasting five years that cost 140 million euros.\n"
            "A full Diplodocus skeleton is the centrepiece of the new dinosaur hall.",
        ),
    )


def test_paraphrases_give_no_conflict_unique_or_framing(silent: Comparison) -> None:
    assert silent.conflicts == ()
    assert silent.unique == ()
    assert silent.framing == ()
    assert silent.agreed, "two paraphrased sentences are agreed facts"
    assert {c.source.article_id for c in silent.agreed[0].citations} == {1, 2}


def test_markdown_of_a_silent_story_has_no_conflict_section(silent: Comparison) -> None:
    markdown = comparison_markdown(silent)
    assert "Conflict" not in markdown
    assert "Agreed" in markdown


@pytest.fixture(scope="module")
def death_toll() -> Comparison:
    return _compare(
        _article(
            11,
            "Kyiv Ledger",
            "Russian drones kill seven in Kharkiv",
            "Russian drones struck an apartment block in Kharkiv early on Saturday, killing "
            "seven people, governor Oleh Syniehubov said.\n"
            "“The enemy deliberately targeted sleeping families,” Syniehubov wrote on Telegram.",
        ),
        _article(
            12,
            "Moscow Herald",
            "Strikes on Kharkov",
            "Nine people were killed when Russian drones hit a residential building in Kharkov "
            "on Saturday, Ukrainian officials said.\n"
            "A kindergarten next to the building was also damaged, the city council said.",
        ),
    )


def test_count_conflict_names_both_sides(death_toll: Comparison) -> None:
    conflicts = _hard(death_toll)
    assert len(conflicts) == 1
    conflict = conflicts[0]
    assert conflict.slot == "number"
    by_source = {
        citation.source.article_id: side.value
        for side in conflict.sides
        for citation in side.citations
    }
    assert "seven" in by_source[11] and "Nine" in by_source[12]
    citation = conflict.sides[0].citations[0]
    assert citation.source.outlet and citation.source.url and citation.quote


def test_unique_detail_and_spelling_contrast(death_toll: Comparison) -> None:
    unique = {(u.citation.source.article_id, u.citation.quote) for u in death_toll.unique}
    assert any(source == 12 and "kindergarten" in quote for source, quote in unique)
    terms = {
        (use.term, c.source.article_id)
        for f in death_toll.framing
        if f.kind == "terminology"
        for use in f.uses
        for c in use.citations
    }
    assert {("Kharkiv", 11), ("Kharkov", 12)} <= terms
    voices = [f for f in death_toll.framing if f.kind == "quoted_voices"]
    assert [f.label for f in voices] == ["Syniehubov"]


def test_json_form_round_trips_and_markdown_quotes(death_toll: Comparison) -> None:
    data = json.loads(json.dumps(death_toll.to_dict()))
    assert data["conflicts"][0]["sides"][0]["sources"][0]["article_id"] in (11, 12)
    assert Comparison.from_dict(data) == death_toll
    markdown = comparison_markdown(Comparison.from_dict(data))
    assert markdown.startswith("#### Comparing the sources")
    assert "**Conflict**" in markdown and "Kyiv Ledger" in markdown and "Moscow Herald" in markdown


def test_vague_against_precise_is_not_a_conflict() -> None:
    comparison = _compare(
        _article(
            21,
            "Harbour Post",
            "Ministers meet",
            "Mara Ellison and Wen Jiahao spoke for about 10 minutes in Johannesburg on Thursday.",
        ),
        _article(
            22,
            "Asia Observer",
            "Ellison and Wen meet",
            "Mara Ellison and Wen Jiahao met for 10 minutes in Johannesburg on Thursday.",
        ),
    )
    assert _hard(comparison) == []
    assert all(c.soft for c in comparison.conflicts)


def _strike_story(date_text: str) -> Comparison:
    return _compare(
        _article(
            31,
            "Albion Chronicle",
            "Doctors to strike",
            "The British Medical Association said talks with the government broke down "
            "last Thursday.",
        ),
        _article(
            32,
            "Continental Times",
            "Doctors announce strike",
            f"Talks between the British Medical Association and the government collapsed "
            f"on {date_text}.",
        ),
    )


def test_last_thursday_resolves_against_publication_date() -> None:
    # Published Monday 16 February 2026: "last Thursday" is 12 February.
    assert _hard(_strike_story("February 12")) == []
    conflicts = _hard(_strike_story("February 10"))
    assert [c.slot for c in conflicts] == ["date"]
    assert {side.normalized for side in conflicts[0].sides} == {"2026-02-12", "2026-02-10"}


def test_other_language_is_skipped_with_a_note() -> None:
    comparison = _compare(
        _article(41, "Kyiv Ledger", "Quake", "A quake hit Malatya province on Monday night."),
        _article(
            42,
            "Ukrainska Hazeta",
            "Землетрус",
            "Землетрус стався в провінції Малатья в понеділок увечері.",
            language=None,
        ),
    )
    assert comparison.agreed == comparison.unique == comparison.conflicts == ()
    assert any("Ukrainska Hazeta" in note and "uk" in note for note in comparison.notes)
    assert "Ukrainska Hazeta" in comparison_markdown(comparison)


def test_sources_and_sentences_are_bounded_with_notes() -> None:
    sentence = "Rescuers searched the rubble of the building in Malatya on Monday."
    articles = [
        _article(100 + k, f"Outlet {k}", "Quake", f"{sentence}\nIt was day {k} of the search.")
        for k in range(5)
    ]
    long_article = _article(200, "Long Times", "Quake", "\n".join([sentence] * 50))
    # 40 sentences in all among 4 sources: 10 each.
    options = CompareOptions(max_sources=4, max_claims=40)
    comparison = _compare(long_article, *articles, options=options)
    assert len(comparison.sources) == 4
    assert any("first 4 sources" in note for note in comparison.notes)
    assert any("Long Times" in note and "first 10 sentences" in note for note in comparison.notes)


def test_later_report_gets_an_update_note_and_one_outlet_counts_once() -> None:
    later = datetime.fromisoformat("2026-02-16T20:00:00+00:00")
    first = _article(
        51, "Global Wire", "Quake", "The earthquake in Malatya killed 12 people, AFAD said."
    )
    update = _article(
        52,
        "Global Wire",
        "Quake toll rises",
        "The earthquake in Malatya killed 14 people, AFAD said.",
        published=later,
    )
    other = _article(
        53,
        "Ankara Daily",
        "Quake",
        "The earthquake in Malatya killed 20 people, AFAD said.",
        published=later.replace(hour=22),
    )
    comparison = _compare(first, update, other)
    assert [s.article_id for s in comparison.sources] == [52, 53]
    assert any("Global Wire" in note and "latest" in note for note in comparison.notes)
    conflict = _hard(comparison)[0]
    assert conflict.note is None  # 20:00 and 22:00: too close for an update
    comparison = _compare(first, other)
    conflict = _hard(comparison)[0]
    assert conflict.note is not None and "10 hours apart" in conflict.note


def test_increments_and_breakdowns_are_not_rival_totals() -> None:
    comparison = _compare(
        _article(
            61,
            "Harbour Post",
            "Taliban advance",
            "The Taliban seized three more provincial capitals in Afghanistan on Wednesday.",
        ),
        _article(
            62,
            "Asia Observer",
            "Taliban advance",
            "The Taliban have seized nine provincial capitals in Afghanistan on Wednesday.",
        ),
    )
    assert _hard(comparison) == []
    comparison = _compare(
        _article(
            63,
            "Harbour Post",
            "Kabul attack",
            "The bombing at Kabul airport killed 13 US troops and 72 Afghans on Thursday.",
        ),
        _article(
            64, "Asia Observer", "Kabul attack", "The bombing at Kabul airport killed 90 people."
        ),
    )
    assert _hard(comparison) == []


def test_parts_of_a_breakdown_conflict_with_the_same_part() -> None:
    comparison = _compare(
        _article(
            71, "Harbour Post", "Border", "The army sent 40 tanks and 12 helicopters to Narva."
        ),
        _article(
            72, "Asia Observer", "Border", "The army sent 40 tanks and 20 helicopters to Narva."
        ),
    )
    values = {side.value for conflict in _hard(comparison) for side in conflict.sides}
    assert values == {"12 helicopters", "20 helicopters"}


def test_a_story_compared_again_reads_only_its_new_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Claims are cached per article: after a source joins, the comparison is
    the one a cold run gives, and only the new article is parsed."""
    from ohliad.compare import compare as compare_module
    from ohliad.compare.align import clear_vector_cache

    reports = [
        _article(
            11, "Ledger", "Dam fails", "A dam failed near Kherson on Monday, flooding 40 homes."
        ),
        _article(
            12,
            "Courier",
            "Kherson dam breach",
            "The Kherson dam breach flooded 55 homes on Monday.",
        ),
        _article(
            13,
            "Herald",
            "Flooding after dam failure",
            "About 40 homes were flooded when the dam near Kherson failed on Monday.",
        ),
    ]
    compare_module.clear_claim_cache()
    clear_vector_cache()
    _compare(*reports[:2])
    parsed: list[list[str]] = []
    real = compare_module.extract_claims

    def counting(articles: Any) -> Any:
        parsed.extend(list(sentences) for sentences, _ in articles)
        return real(articles)

    with monkeypatch.context() as patched:
        patched.setattr(compare_module, "extract_claims", counting)
        warm = _compare(*reports)
    assert parsed == [[reports[2].text]]
    compare_module.clear_claim_cache()
    clear_vector_cache()
    assert warm.to_dict() == _compare(*reports).to_dict()


def test_stories_compared_together_match_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """compare_stories parses all the stories' articles in one call and gives
    each story the comparison compare_story gives it alone."""
    from ohliad.compare import compare as compare_module
    from ohliad.compare.align import clear_vector_cache

    dam = Story(
        "dam",
        (
            _article(21, "Ledger", "Dam fails", "A dam failed near Kherson on Monday: 40 homes."),
            _article(22, "Courier", "Dam breach", "The Kherson dam breach flooded 55 homes."),
        ),
    )
    drones = Story(
        "drones",
        (
            _article(23, "Ledger", "Drones downed", "Kyiv said 12 drones were downed overnight."),
            _article(24, "Herald", "Night attack", "Air defence downed 9 drones over Kyiv."),
            _article(25, "Courier", "Drones", "Officials in Kyiv said no one was hurt."),
        ),
    )
    single = Story("single", (dam.articles[0],))
    calls: list[int] = []
    real = compare_module.extract_claims

    def counting(articles: Any) -> Any:
        calls.append(len(articles))
        return real(articles)

    compare_module.clear_claim_cache()
    clear_vector_cache()
    with monkeypatch.context() as patched:
        patched.setattr(compare_module, "extract_claims", counting)
        together = compare_module.compare_stories([dam, single, drones])
    assert calls == [5]
    assert together[1] is None
    compare_module.clear_claim_cache()
    clear_vector_cache()
    alone = [compare_story(story) for story in (dam, single, drones)]
    assert [c.to_dict() if c else None for c in together] == [
        c.to_dict() if c else None for c in alone
    ]
