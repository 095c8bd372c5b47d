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

    def counting(source: int, sentences: Sequence[str], published: date | None) -> Any:
        calls.append(list(sentences))
        return real(source, sentences, published)

    compare_module.clear_claim_cache()
    monkeypatch.setattr(compare_module, "extract_claims", counting)
    yield calls
    compare_module.clear_claim_cache()


def _cold(text: str, published: date | None, limit: int) -> tuple[list[Claim], bool]:
    compare_module.clear_claim_cache()
    return compare_module._article_claims(text, published, limit)


def test_fewer_sentences_are_served_from_a_longer_read(parsed: list[list[str]]) -> None:
    whole, complete = compare_module._article_claims(TEXT, DAY, 30)
    assert complete and len(whole) == 4
    first_two = compare_module._article_claims(TEXT, DAY, 2)
    assert len(parsed) == 1
    assert first_two == _cold(TEXT, DAY, 2)
    assert first_two[1] is False  # two of its four sentences


def test_a_longer_read_than_cached_parses_again(parsed: list[list[str]]) -> None:
    compare_module._article_claims(TEXT, DAY, 2)
    claims, complete = compare_module._article_claims(TEXT, DAY, 3)
    assert [len(p) for p in parsed] == [2, 3]
    assert (claims, complete) == _cold(TEXT, DAY, 3)


def test_changed_text_or_date_is_read_again(parsed: list[list[str]]) -> None:
    compare_module._article_claims(TEXT, DAY, 30)
    changed = TEXT.replace("40 homes", "55 homes")
    claims, _ = compare_module._article_claims(changed, DAY, 30)
    assert "55 homes" in claims[1].text
    compare_module._article_claims(TEXT, date(2026, 3, 1), 30)
    assert len(parsed) == 3


def test_the_cache_is_bounded(parsed: list[list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compare_module, "_CLAIM_CACHE_SIZE", 2)
    for number in range(3):
        compare_module._article_claims(f"Report number {number} came in.", DAY, 30)
    assert len(compare_module._CLAIM_CACHE) == 2
    compare_module._article_claims("Report number 0 came in.", DAY, 30)  # evicted: parsed again
    assert len(parsed) == 4
