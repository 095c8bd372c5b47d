"""The per-source cache of framing term uses: keyed by the passages' text,
so an edited headline or sentence is read again; and bounded."""

from __future__ import annotations

from ohliad.compare import framing
from ohliad.compare.framing import SourceText, framing_contrasts


def _uses(passages: tuple[str, ...]) -> list[tuple[str, str]]:
    """Every (term, passage) found, over all pattern sets."""
    return [use for found in framing._source_uses(passages) for use in found]


def test_edited_passages_are_read_again() -> None:
    framing._source_uses.cache_clear()
    assert ("Kyiv", "Strikes hit Kyiv overnight") in _uses(("Strikes hit Kyiv overnight",))
    edited = _uses(("Strikes hit Kiev overnight",))
    assert [term for term, _ in edited] == ["Kiev"]


def test_cached_contrasts_equal_a_cold_run() -> None:
    sources = [
        SourceText(0, "Strikes hit Kyiv overnight", ()),
        SourceText(1, "Brutal strikes hit Kiev", ()),
    ]
    framing._source_uses.cache_clear()
    cold = framing_contrasts(sources)
    assert framing_contrasts(sources) == cold
    assert framing._source_uses.cache_info().misses == 2  # one read per source
    assert {c.kind for c in cold} == {"terminology", "loaded_language"}


def test_the_cache_is_bounded() -> None:
    assert framing._source_uses.cache_info().maxsize == 4096
