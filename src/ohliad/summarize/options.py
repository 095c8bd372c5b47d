"""How long a summary and its headline may be, and which engine writes them."""

from __future__ import annotations

from dataclasses import dataclass

from ohliad.chat_client import LLMSettings
from ohliad.errors import OhliadError


class SummaryOptionsError(OhliadError, ValueError):
    """Options that no summary can satisfy."""


@dataclass(frozen=True, slots=True)
class SummaryOptions:
    """Length limits and engine choice.

    ``max_words`` caps the summary's length in words on top of
    ``max_sentences``, and ``max_share`` caps it at that share of the words
    the story's own articles have: a story told in three short paragraphs gets
    a shorter summary than one told at length. The first sentence is kept even
    when it alone is longer than the limit.

    The defaults (4 sentences, 100 words, half the story) were fitted on the
    AllSides training roundups, whose neutral summaries run from a sentence to
    a paragraph and are longer where the sources say more.
    ``compress`` turns the light sentence compression on or off. ``llm`` is
    the endpoint of the ``llm`` engine; without it, that engine reads
    ``OHLIAD_LLM_BASE_URL`` and ``OHLIAD_LLM_MODEL``.
    """

    max_sentences: int = 4
    max_words: int | None = 100
    max_share: float | None = 0.5
    headline_max_words: int = 12
    engine: str = "extractive"
    compress: bool = True
    llm: LLMSettings | None = None

    def __post_init__(self) -> None:
        if self.max_sentences < 1:
            raise SummaryOptionsError(f"max_sentences must be at least 1, not {self.max_sentences}")
        if self.max_words is not None and self.max_words < 1:
            raise SummaryOptionsError(f"max_words must be at least 1, not {self.max_words}")
        if self.max_share is not None and not 0 < self.max_share <= 1:
            raise SummaryOptionsError(
                f"max_share must be above 0 and at most 1, not {self.max_share}"
            )
        if self.headline_max_words < 3:
            raise SummaryOptionsError(
                f"headline_max_words must be at least 3, not {self.headline_max_words}"
            )

    def word_limit(self, story_words: int) -> int | None:
        """The summary's word limit for a story whose articles have
        ``story_words`` words, or None if only sentences are counted."""
        limits = [] if self.max_words is None else [self.max_words]
        if self.max_share is not None:
            limits.append(max(1, round(self.max_share * story_words)))
        return min(limits) if limits else None
