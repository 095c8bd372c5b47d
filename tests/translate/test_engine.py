from collections.abc import Sequence
from pathlib import Path

import pytest

from ohliad.models import Summary, SummarySentence
from ohliad.registry import UnknownComponentError
from ohliad.translate import (
    NO_ENGINE,
    Segment,
    TranslateOptions,
    TranslatorUnavailableError,
    open_translator,
    ukrainian_for,
)
from ohliad.translate.engine import HOW_TO_ENABLE, DisabledTranslator, FallbackTranslator

SUMMARY = Summary(
    headline="Talks resume in Geneva",
    sentences=(SummarySentence("Negotiators met in Geneva on Monday.", (1,)),),
)


def test_an_unknown_engine_is_an_error_that_lists_the_known_ones() -> None:
    with pytest.raises(UnknownComponentError, match="unknown translator 'deepl'") as error:
        open_translator(TranslateOptions(engine="deepl"))
    assert "auto, bergamot, llm, none" in str(error.value)


def test_without_a_translator_ukrainian_is_unavailable_and_says_how_to_enable() -> None:
    result = ukrainian_for(SUMMARY, [], None, options=TranslateOptions())
    assert result.text is None
    assert result.unavailable == NO_ENGINE
    assert "\n" not in NO_ENGINE
    # The reader is told it is missing; the person running ohliad, how to set it up.
    assert "OHLIAD_TRANSLATOR" in HOW_TO_ENABLE


def test_the_none_engine_is_explicit_and_marks_ukrainian_unavailable() -> None:
    translator = open_translator(TranslateOptions(engine="none"))
    assert translator.name == "none"
    result = ukrainian_for(SUMMARY, [], translator, options=TranslateOptions(engine="none"))
    assert result.text is None
    assert result.unavailable is not None
    assert "turned off" in result.unavailable


def test_auto_with_nothing_configured_says_how_to_enable_an_engine(tmp_path: Path) -> None:
    with pytest.raises(TranslatorUnavailableError) as error:
        open_translator(TranslateOptions(engine="auto", cache_dir=tmp_path))
    message = str(error.value)
    assert "OHLIAD_LLM_BASE_URL" in message
    assert "\n" not in message


class _Fixed:
    """A translator answering from a table: it stands for an engine in the
    fallback chain's bookkeeping, which is what is under test here."""

    deterministic = True

    def __init__(self, name: str, table: dict[str, str]) -> None:
        self.name = name
        self.model = None
        self.table = table

    def translate(self, segments: Sequence[Segment]) -> list[str | None]:
        return [self.table.get(s.text) for s in segments]


def test_fallback_chain_sends_each_missing_segment_to_the_next_engine() -> None:
    chain = FallbackTranslator([_Fixed("a", {"one": "один"}), _Fixed("b", {"two": "два"})])
    assert chain.name == "a+b"
    segments = [Segment("one", "sentence"), Segment("two", "sentence"), Segment("x", "sentence")]
    assert chain.translate(segments) == ["один", "два", None]


def test_disabled_translator_never_produces_text() -> None:
    assert DisabledTranslator().translate([Segment("Hello", "headline")]) == [None]


class _Scrambled(_Fixed):
    """An engine replying in Cyrillic letters that make no Ukrainian words."""

    def translate(self, segments: Sequence[Segment]) -> list[str | None]:
        return ["Пеергвоори нвооідунлвоися у Женеві пліся пеерври дувох днвіе" for _ in segments]


def test_garbage_ukrainian_is_refused_from_a_generative_engine_only() -> None:
    generative = _Scrambled("chat", {})
    generative.deterministic = False
    result = ukrainian_for(SUMMARY, [], generative, options=TranslateOptions())
    assert result.text is None and result.unavailable is not None
    assert "of the words are not Ukrainian" in result.unavailable
    # A deterministic engine (Bergamot) is a trained translator, not a writer
    # of free text: its Ukrainian is not spell-checked.
    fixed = ukrainian_for(SUMMARY, [], _Scrambled("mt", {}), options=TranslateOptions())
    assert fixed.text is not None
