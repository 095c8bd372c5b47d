"""Ukrainian output: translation engines, terminology, house style.

The pipeline opens one translator (``open_translator``) and asks
``ukrainian_for`` for each digest entry's Ukrainian headline and summary.
"""

from ohliad.translate.cache import TranslationCache
from ohliad.translate.engine import (
    FallbackTranslator,
    Rendering,
    Segment,
    TranslationEngineError,
    Translator,
    TranslatorUnavailableError,
    open_translator,
)
from ohliad.translate.options import TranslateOptions
from ohliad.translate.ukrainian import NO_ENGINE, UkrainianResult, ukrainian_for

__all__ = [
    "NO_ENGINE",
    "FallbackTranslator",
    "Rendering",
    "Segment",
    "TranslateOptions",
    "TranslationCache",
    "TranslationEngineError",
    "Translator",
    "TranslatorUnavailableError",
    "UkrainianResult",
    "open_translator",
    "ukrainian_for",
]
