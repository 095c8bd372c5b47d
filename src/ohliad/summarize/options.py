"""How long a summary and its headline may be, and which engine writes them."""

from __future__ import annotations

from dataclasses import dataclass

from ohliad.nlp.llm import LLMSettings


class SummaryOptionsError(ValueError):
    """Options that no summary can satisfy."""


@dataclass(frozen=True, slots=True)
class SummaryOptions:
    """Length limits and engine choice.

    ``max_words`` caps the summary's length in words on top of
    ``max_sentences``; the first sentence is kept even when it alone is longer.
    ``compress`` turns the light sentence compression on or off. ``llm`` is
    the endpoint of the ``llm`` engine; without it, that engine reads
    ``OHLIAD_LLM_BASE_URL`` and ``OHLIAD_LLM_MODEL``.
    """

    max_sentences: int = 4
    max_words: int | None = None
    headline_max_words: int = 12
    engine: str = "extractive"
    compress: bool = True
    llm: LLMSettings | None = None

    def __post_init__(self) -> None:
        if self.max_sentences < 1:
            raise SummaryOptionsError(f"max_sentences must be at least 1, not {self.max_sentences}")
        if self.max_words is not None and self.max_words < 1:
            raise SummaryOptionsError(f"max_words must be at least 1, not {self.max_words}")
        if self.headline_max_words < 3:
            raise SummaryOptionsError(
                f"headline_max_words must be at least 3, not {self.headline_max_words}"
            )
