from collections.abc import Sequence
from pathlib import Path

import pytest

from ohliad.models import Summary, SummarySentence
from ohliad.translate import (
    NO_ENGINE,
    Segment,
    TranslateSettings,
    TranslateSettingsError,
    TranslatorUnavailableError,
    open_translator,
    ukrainian_for,
)
from ohliad.translate.engine import DisabledTranslator, FallbackTranslator

SUMMARY = Summary(
    headline="Talks resume in Geneva",
    sentences=(SummarySentence("Negotiators met in Geneva on Monday.", (1,)),),
)


def test_settings_from_env_reads_every_variable() -> None:
    settings = TranslateSettings.from_env(
        {
            "OHLIAD_TRANSLATOR": "LLM",
            "OHLIAD_TRANSLATION_STYLE": "uk-press",
            "OHLIAD_LLM_BASE_URL": "http://127.0.0.1:8080/v1",
            "OHLIAD_LLM_MODEL": "smol",
            "OHLIAD_LLM_TIMEOUT": "7.5",
            "OHLIAD_LLM_MAX_RETRIES": "0",
            "OHLIAD_LLM_CONCURRENCY": "4",
            "OHLIAD_BERGAMOT_MODEL_DIR": "~/models/enuk",
        }
    )
    assert settings.engine == "llm"
    assert settings.style == "uk-press"
    assert settings.llm_base_url == "http://127.0.0.1:8080/v1"
    assert settings.llm_timeout == 7.5
    assert settings.llm_max_retries == 0
    assert settings.llm_max_concurrency == 4
    assert settings.bergamot_model_dir is not None
    assert "~" not in str(settings.bergamot_model_dir)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("OHLIAD_TRANSLATOR", "deepl", "unknown translator 'deepl'"),
        ("OHLIAD_LLM_TIMEOUT", "soon", "OHLIAD_LLM_TIMEOUT must be a number"),
        ("OHLIAD_LLM_CONCURRENCY", "0", "OHLIAD_LLM_CONCURRENCY must be a whole number"),
    ],
)
def test_bad_settings_are_one_clear_error(variable: str, value: str, message: str) -> None:
    with pytest.raises(TranslateSettingsError, match=message):
        TranslateSettings.from_env({variable: value})


def test_without_a_translator_ukrainian_is_unavailable_and_says_how_to_enable() -> None:
    result = ukrainian_for(SUMMARY, [], None, settings=TranslateSettings())
    assert result.text is None
    assert result.unavailable == NO_ENGINE
    assert "OHLIAD_TRANSLATOR" in NO_ENGINE
    assert "\n" not in NO_ENGINE


def test_the_none_engine_is_explicit_and_marks_ukrainian_unavailable() -> None:
    translator = open_translator(TranslateSettings(engine="none"))
    assert translator.name == "none"
    result = ukrainian_for(SUMMARY, [], translator, settings=TranslateSettings(engine="none"))
    assert result.text is None
    assert result.unavailable is not None
    assert "turned off" in result.unavailable


def test_auto_with_nothing_configured_says_how_to_enable_an_engine(tmp_path: Path) -> None:
    with pytest.raises(TranslatorUnavailableError) as error:
        open_translator(TranslateSettings(engine="auto", cache_dir=tmp_path))
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
