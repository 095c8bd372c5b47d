"""The translator interface, its registry, and how an engine is chosen.

A translator turns English segments (a headline, summary sentences) into
Ukrainian. It never validates or finishes its own output: ``ukrainian_for``
does that for every engine alike, so no engine can pass English off as
Ukrainian.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from ohliad.errors import OhliadError
from ohliad.registry import translators

if TYPE_CHECKING:
    from ohliad.models import Article
from ohliad.translate.options import TranslateOptions

SegmentKind = Literal["headline", "sentence"]

# Tried in this order by ``auto``: an endpoint the user configured is a
# deliberate choice; a Bergamot model is used when it is already on disk.
AUTO_ORDER = ("llm", "bergamot")

# For the person running ohliad (the CLI, ``ohliad doctor``, the admin page),
# never for readers: entries say only that there is no Ukrainian.
HOW_TO_ENABLE = (
    "set translator = llm with llm_base_url and llm_model (OHLIAD_TRANSLATOR, "
    "OHLIAD_LLM_BASE_URL, OHLIAD_LLM_MODEL), or translator = bergamot to download a "
    "Bergamot model once"
)


class TranslatorUnavailableError(OhliadError, RuntimeError):
    """No engine can run with these options; the message says how to enable one."""


class TranslationEngineError(OhliadError, RuntimeError):
    """An engine failed while translating (the endpoint is down, the model broke)."""


class EngineUnreachableError(TranslationEngineError):
    """The engine cannot be reached at all: asking again segment by segment is futile."""


@dataclass(frozen=True, slots=True)
class Rendering:
    """A required Ukrainian rendering of an English term or name."""

    english: str
    ukrainian: str


@dataclass(frozen=True, slots=True)
class Segment:
    """One unit of translation, with the renderings its translation must use."""

    text: str
    kind: SegmentKind
    renderings: tuple[Rendering, ...] = ()


class Translator(Protocol):
    name: str
    model: str | None
    # A deterministic engine gives the same output when asked again, so a
    # failed segment is not worth a second request.
    deterministic: bool

    def translate(self, segments: Sequence[Segment]) -> list[str | None]:
        """One Ukrainian text per segment, or None where the engine produced none."""
        ...


@runtime_checkable
class SummaryWriter(Protocol):
    """An engine that can also write the Ukrainian summary straight from the sources."""

    name: str
    model: str | None

    def write_summary(
        self,
        articles: Sequence[Article],
        renderings: Sequence[Rendering],
        sentences: tuple[int, int] = (3, 6),
    ) -> str: ...


class DisabledTranslator:
    """The ``none`` engine: Ukrainian is deliberately turned off."""

    name = "none"
    model: str | None = None
    deterministic = True
    reason = "translation is turned off"

    def translate(self, segments: Sequence[Segment]) -> list[str | None]:
        return [None for _ in segments]


class FallbackTranslator:
    """Engines tried in turn, per segment: a segment the first engine fails on
    goes to the next one."""

    deterministic = False

    def __init__(self, engines: Sequence[Translator]) -> None:
        if not engines:
            raise ValueError("FallbackTranslator needs at least one engine")
        self.engines = tuple(engines)
        self.name = "+".join(e.name for e in self.engines)
        self.model = self.engines[0].model

    def translate(self, segments: Sequence[Segment]) -> list[str | None]:
        results: list[str | None] = [None] * len(segments)
        for engine in self.engines:
            missing = [i for i, r in enumerate(results) if r is None]
            if not missing:
                break
            for i, text in zip(
                missing, engine.translate([segments[i] for i in missing]), strict=True
            ):
                results[i] = text
        return results


def disabled_translator(options: TranslateOptions) -> Translator:
    """The ``none`` engine."""
    return DisabledTranslator()


def open_translator(options: TranslateOptions) -> Translator:
    """The engine ``options.engine`` names (from ``ohliad.registry.translators``);
    for ``auto`` every available engine in ``AUTO_ORDER``, the later ones as
    per-segment fallbacks (``.name`` says which). Raises
    ``TranslatorUnavailableError`` saying how to enable one, and
    ``UnknownComponentError`` for a name no package provides."""
    if options.engine != "auto":
        translators.check(options.engine, also=("auto",))
        return translators.create(options.engine, options=options)
    available: list[Translator] = []
    reasons: list[str] = []
    for name in AUTO_ORDER:
        try:
            available.append(translators.create(name, options=options))
        except TranslatorUnavailableError as error:
            reasons.append(f"{name}: {error}")
    if not available:
        raise TranslatorUnavailableError(
            "no translation engine available (" + "; ".join(reasons) + ")"
        )
    return available[0] if len(available) == 1 else FallbackTranslator(available)
