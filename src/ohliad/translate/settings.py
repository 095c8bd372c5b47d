"""How the Ukrainian stage is configured: by code, or from ``OHLIAD_*`` variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENGINE_NAMES = ("auto", "bergamot", "llm", "none")


class TranslateSettingsError(ValueError):
    """A setting that no translator can work with."""


def _path(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None


def _positive_float(name: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise TranslateSettingsError(f"{name} must be a number, not {value!r}") from None
    if number <= 0:
        raise TranslateSettingsError(f"{name} must be positive, not {value!r}")
    return number


def _whole_number(name: str, value: str, minimum: int) -> int:
    if not value.isdigit() or int(value) < minimum:
        raise TranslateSettingsError(f"{name} must be a whole number >= {minimum}, not {value!r}")
    return int(value)


@dataclass(frozen=True, slots=True)
class TranslateSettings:
    """Which engine writes the Ukrainian text, and how it is finished.

    ``engine`` is ``auto`` (the first available engine), ``bergamot``
    (Firefox Translations models on the CPU), ``llm`` (an OpenAI-compatible
    chat endpoint) or ``none`` (Ukrainian is marked unavailable).
    ``style`` names a house-style profile (``neutral``, ``uk-press``).
    ``glossary`` is a user glossary merged over the bundled one.
    """

    engine: str = "auto"
    style: str = "neutral"
    glossary: Path | None = None
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key_env: str = "OHLIAD_LLM_API_KEY"
    llm_timeout: float = 120.0
    llm_max_retries: int = 3
    llm_max_concurrency: int = 2
    # Write the Ukrainian summary from the source articles instead of
    # translating the English one (llm engine only).
    llm_direct_summary: bool = False
    bergamot_model_dir: Path | None = None
    cache_dir: Path | None = None

    def __post_init__(self) -> None:
        if self.engine not in ENGINE_NAMES:
            raise TranslateSettingsError(
                f"unknown translator {self.engine!r}; choose one of {', '.join(ENGINE_NAMES)}"
            )
        if self.llm_timeout <= 0 or self.llm_max_retries < 0 or self.llm_max_concurrency < 1:
            raise TranslateSettingsError(
                "llm_timeout must be positive, llm_max_retries at least 0 and "
                "llm_max_concurrency at least 1"
            )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TranslateSettings:
        """Settings from ``OHLIAD_TRANSLATOR``, ``OHLIAD_TRANSLATION_STYLE``,
        ``OHLIAD_GLOSSARY``, ``OHLIAD_LLM_BASE_URL``, ``OHLIAD_LLM_MODEL``,
        ``OHLIAD_LLM_API_KEY_ENV``, ``OHLIAD_LLM_TIMEOUT``, ``OHLIAD_LLM_MAX_RETRIES``,
        ``OHLIAD_LLM_CONCURRENCY``, ``OHLIAD_LLM_DIRECT_SUMMARY``,
        ``OHLIAD_BERGAMOT_MODEL_DIR`` and ``OHLIAD_TRANSLATION_CACHE``."""
        env = os.environ if environ is None else environ
        defaults = cls()

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        timeout = get("OHLIAD_LLM_TIMEOUT")
        retries = get("OHLIAD_LLM_MAX_RETRIES")
        concurrency = get("OHLIAD_LLM_CONCURRENCY")
        return cls(
            engine=(get("OHLIAD_TRANSLATOR") or defaults.engine).lower(),
            style=get("OHLIAD_TRANSLATION_STYLE") or defaults.style,
            glossary=_path(get("OHLIAD_GLOSSARY")),
            llm_base_url=get("OHLIAD_LLM_BASE_URL"),
            llm_model=get("OHLIAD_LLM_MODEL"),
            llm_api_key_env=get("OHLIAD_LLM_API_KEY_ENV") or defaults.llm_api_key_env,
            llm_timeout=(
                _positive_float("OHLIAD_LLM_TIMEOUT", timeout) if timeout else defaults.llm_timeout
            ),
            llm_max_retries=(
                _whole_number("OHLIAD_LLM_MAX_RETRIES", retries, 0)
                if retries
                else defaults.llm_max_retries
            ),
            llm_max_concurrency=(
                _whole_number("OHLIAD_LLM_CONCURRENCY", concurrency, 1)
                if concurrency
                else defaults.llm_max_concurrency
            ),
            llm_direct_summary=(get("OHLIAD_LLM_DIRECT_SUMMARY") or "").lower()
            in ("1", "true", "yes"),
            bergamot_model_dir=_path(get("OHLIAD_BERGAMOT_MODEL_DIR")),
            cache_dir=_path(get("OHLIAD_TRANSLATION_CACHE")),
        )
