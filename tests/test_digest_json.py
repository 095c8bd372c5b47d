"""The digest entry's JSON contract: every field, in and out, and its schema."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import jsonschema
import pytest

from ohliad.compare.records import (
    AgreedFact,
    Citation,
    CitedSource,
    Comparison,
    Conflict,
    ConflictSide,
    FramingContrast,
    TermUse,
    UniqueDetail,
)
from ohliad.digest_json import (
    ENTRY_SCHEMA,
    SCHEMA_VERSION,
    UnknownSchemaError,
    changes_to_list,
    entry_from_dict,
    entry_to_dict,
)
from ohliad.models import DigestEntry, EntrySource, Summary, SummarySentence, UkrainianText
from ohliad.store.history import StoryChangeRecord

MORNING = datetime(2026, 3, 5, 8, tzinfo=UTC)
WIRE = CitedSource(1, "Baltic Wire", "https://wire.example/1", MORNING)
LEDGER = CitedSource(2, "Northern Ledger", "https://ledger.example/2", None)


def _full_comparison() -> Comparison:
    """A comparison with an item of every kind, and every optional part set."""
    three = Citation(WIRE, "Three drones crossed the border overnight.", value="three drones")
    five = Citation(LEDGER, "Five drones entered Polish airspace.", value="five drones")
    return Comparison(
        sources=(WIRE, LEDGER),
        agreed=(
            AgreedFact(
                "Poland scrambled jets.",
                (Citation(WIRE, "Poland scrambled jets."), Citation(LEDGER, "Jets scrambled.")),
                disputed=True,
            ),
        ),
        unique=(
            UniqueDetail(Citation(LEDGER, "Debris fell in a barn."), "a barn", (WIRE,)),
            UniqueDetail(Citation(WIRE, "The army spoke at noon."), None, (LEDGER,)),
        ),
        conflicts=(
            Conflict(
                "number",
                "how many drones",
                (ConflictSide("three drones", "3", (three,)), ConflictSide("five", "5", (five,))),
                soft=False,
                note="The reports were published 5 hours apart.",
            ),
        ),
        framing=(
            FramingContrast(
                "terminology",
                "What the aircraft are called",
                (TermUse("drones", (three,)), TermUse("UAVs", (five,))),
                absent=(WIRE,),
            ),
        ),
        notes=("Northern Ledger: compared its first 30 sentences.",),
    )


def _entry(**changes: Any) -> DigestEntry:
    entry = DigestEntry(
        story_id="drones-poland",
        summary=Summary(
            headline="Poland scrambles jets as drones cross its border",
            sentences=(
                SummarySentence("Drones crossed into Poland.", (1, 2)),
                SummarySentence("Debris fell in a barn.", (2,)),
            ),
            engine="extractive",
        ),
        sources=(
            EntrySource(WIRE.url, WIRE.outlet, "Drones cross border", MORNING, 1),
            EntrySource(LEDGER.url, LEDGER.outlet, "Jets scrambled", None, 2),
            EntrySource("https://copy.example/3", "Copy Daily", "Drones", MORNING, 3, copy_of=1),
        ),
        article_ids=(1, 2, 3),
        updated=MORNING,
        ukrainian=UkrainianText("Польща підняла винищувачі", "Дрони перетнули кордон.", "llm", "m"),
        comparison=_full_comparison(),
        comparison_pending=True,
    )
    return replace(entry, **changes)


def _through_json(entry: DigestEntry) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(entry_to_dict(entry)))
    return data


@pytest.mark.parametrize(
    "entry",
    [
        _entry(),
        _entry(ukrainian=None, ukrainian_unavailable="no engine", comparison=None),
        _entry(comparison=Comparison(sources=()), comparison_pending=False, updated=None),
    ],
    ids=["every-field", "no-ukrainian-no-comparison", "empty-comparison"],
)
def test_entries_follow_the_schema_and_read_back_whole(entry: DigestEntry) -> None:
    data = _through_json(entry)
    jsonschema.validate(data, ENTRY_SCHEMA)
    assert data["schema_version"] == SCHEMA_VERSION
    assert entry_from_dict(data) == entry


def test_the_schema_is_a_valid_json_schema_and_strict() -> None:
    jsonschema.Draft202012Validator.check_schema(ENTRY_SCHEMA)
    # A key the schema does not know is refused, here and deep in a comparison:
    # a change to the JSON shape must change the schema with it.
    data = _through_json(_entry())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "surprise": 1}, ENTRY_SCHEMA)
    data["comparison"]["conflicts"][0]["sides"][0]["sources"][0]["extra"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, ENTRY_SCHEMA)


def test_keys_published_before_the_contract_keep_their_names() -> None:
    data = _through_json(_entry())
    assert {
        "id",
        "headline",
        "summary",
        "sources",
        "articles",
        "updated",
        "comparison",
        "summary_sentences",
        "summary_engine",
        "ukrainian",
        "ukrainian_unavailable",
    } <= set(data)
    assert set(data["comparison"]) == {
        "sources",
        "agreed",
        "unique",
        "conflicts",
        "framing",
        "notes",
    }


def test_an_entry_stored_before_schema_version_reads_as_version_one() -> None:
    data = _through_json(_entry())
    del data["schema_version"]
    assert entry_from_dict(data) == _entry()


def test_an_entry_of_a_newer_schema_is_refused_with_a_clear_message() -> None:
    data = _through_json(_entry())
    data["schema_version"] = SCHEMA_VERSION + 1
    with pytest.raises(UnknownSchemaError, match=r"drones-poland.*upgrade ohliad"):
        entry_from_dict(data)


def test_a_story_object_may_carry_its_merges_and_splits() -> None:
    changes = [
        StoryChangeRecord("merge", "drones-poland", "drones-follow-up", (7, 8), 1.25, MORNING),
        StoryChangeRecord("split", "drones-poland", "barn-fire", (9,), -3.5, MORNING),
    ]
    data = _through_json(_entry()) | {"changes": changes_to_list(changes)}
    jsonschema.validate(data, ENTRY_SCHEMA)
    assert data["changes"][1] == {
        "kind": "split",
        "story": "drones-poland",
        "other": "barn-fire",
        "articles": [9],
        "score": -3.5,
        "at": MORNING.isoformat(),
    }
    # Additive: an entry without it is still valid, and reads back the same.
    assert entry_from_dict(data) == _entry()
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "changes": [{"kind": "renamed"}]}, ENTRY_SCHEMA)
