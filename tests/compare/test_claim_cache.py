"""The per-article claim cache of compare_story: reused only for the same text
and date, a shorter read served from a longer one, and bounded."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import pytest

from ohliad.compare import compare as compare_module
from ohliad.compare.claims import Claim

DAY = date(2026, 2, 16)
TEXT = (
    "A dam failed near Kherson on Monday. About 40 homes were flooded.\n\n"
    "Rescuers reached the village by noon. The mayor said 12 people were evacuated."
)


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """The sentence lists parsed, from a cold cache."""
    calls: list[list[str]] = []
    real = compare_module.extract_claims

    def counting(articles: Sequence[tuple[Sequence[str], date | None]]) -> Any:
        calls.extend(list(sentences) for sentences, _ in articles)
        return real(articles)

    compare_module.clear_claim_cache()
    monkeypatch.setattr(compare_module, "extract_claims", counting)
    yield calls
    compare_module.clear_claim_cache()


def _read(text: str, published: date | None, limit: int) -> tuple[list[Claim], bool]:
    """The claims of the first ``limit`` sentences, and whether they are all."""
    read = compare_module._read_articles([(text, published, limit)])[0]
    return list(read.claims[:limit]), read.whole_within(limit)


def _cold(text: str, published: date | None, limit: int) -> tuple[list[Claim], bool]:
    compare_module.clear_claim_cache()
    return _read(text, published, limit)


def test_fewer_sentences_are_served_from_a_longer_read(parsed: list[list[str]]) -> None:
    whole, complete = _read(TEXT, DAY, 30)
    assert complete and len(whole) == 4
    first_two = _read(TEXT, DAY, 2)
    assert len(parsed) == 1
    assert first_two == _cold(TEXT, DAY, 2)
    assert first_two[1] is False  # two of its four sentences


def test_a_longer_read_than_cached_parses_again(parsed: list[list[str]]) -> None:
    _read(TEXT, DAY, 2)
    claims, complete = _read(TEXT, DAY, 3)
    assert [len(p) for p in parsed] == [2, 3]
    assert (claims, complete) == _cold(TEXT, DAY, 3)


def test_changed_text_or_date_is_read_again(parsed: list[list[str]]) -> None:
    _read(TEXT, DAY, 30)
    changed = TEXT.replace("40 homes", "55 homes")
    claims, _ = _read(changed, DAY, 30)
    assert "55 homes" in claims[1].text
    _read(TEXT, date(2026, 3, 1), 30)
    assert len(parsed) == 3


def test_the_cache_is_bounded(parsed: list[list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compare_module, "_CLAIM_CACHE_SIZE", 2)
    for number in range(3):
        _read(f"Report number {number} came in.", DAY, 30)
    assert len(compare_module._CLAIM_CACHE) == 2
    _read("Report number 0 came in.", DAY, 30)  # evicted: parsed again
    assert len(parsed) == 4


def test_articles_read_together_are_parsed_in_one_call(parsed: list[list[str]]) -> None:
    other = "Kyiv reported 3 drones downed overnight. Officials said no one was hurt."
    together = compare_module._read_articles([(TEXT, DAY, 30), (other, DAY, 30), (TEXT, DAY, 2)])
    assert len(parsed) == 2  # both articles, TEXT once
    compare_module.clear_claim_cache()
    assert [list(r.claims) for r in together[:2]] == [
        _read(TEXT, DAY, 30)[0],
        _read(other, DAY, 30)[0],
    ]
    assert together[2] == together[0]
