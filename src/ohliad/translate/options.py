"""How the Ukrainian stage is configured (``ohliad.assembly`` builds it from
``ohliad.settings.Settings``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ohliad.chat_client import LLMSettings


@dataclass(frozen=True, slots=True)
class TranslateOptions:
    """Which engine writes the Ukrainian text, and how it is finished.

    ``engine`` is ``auto`` (every available engine, the first preferred),
    ``none`` (Ukrainian is marked unavailable) or the name of an engine in
    ``ohliad.registry.translators``: ``bergamot`` (Firefox Translations models
    on the CPU), ``llm`` (the OpenAI-compatible endpoint ``llm``), or one a
    package adds. ``style`` names a house-style profile (``neutral``,
    ``uk-press``). ``glossary`` is a user glossary merged over the bundled one.
    """

    engine: str = "auto"
    style: str = "neutral"
    glossary: Path | None = None
    llm: LLMSettings | None = None
    # Write the Ukrainian summary from the source articles instead of
    # translating the English one (llm engine only).
    llm_direct_summary: bool = False
    bergamot_model_dir: Path | None = None
    cache_dir: Path | None = None
