"""The summarizer interface, its registry, and the call the pipeline makes."""

from __future__ import annotations

from typing import Protocol

from ohliad.models import Story, Summary
from ohliad.registry import Registry
from ohliad.summarize.extractive import ExtractiveSummarizer
from ohliad.summarize.llm import LLMSummarizer
from ohliad.summarize.options import SummaryOptions


class Summarizer(Protocol):
    name: str

    def summarize(self, story: Story, options: SummaryOptions) -> Summary:
        """A headline and summary sentences for ``story``, each sentence with
        the articles it came from."""
        ...


summarizers: Registry[Summarizer] = Registry("summarizer")


@summarizers.register("extractive")
def _make_extractive() -> Summarizer:
    return ExtractiveSummarizer()


@summarizers.register("llm")
def _make_llm() -> Summarizer:
    return LLMSummarizer()


def summarize_story(story: Story, options: SummaryOptions | None = None) -> Summary:
    """Summarize ``story`` with the engine ``options.engine`` names."""
    options = options or SummaryOptions()
    return summarizers.create(options.engine).summarize(story, options)
