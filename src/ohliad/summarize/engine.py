"""The summarizer interface, the bundled engines' factories, and the call the
pipeline makes. Engines are chosen by name from ``ohliad.registry.summarizers``."""

from __future__ import annotations

from typing import Protocol

from ohliad.models import Story, Summary
from ohliad.registry import summarizers
from ohliad.summarize.extractive import ExtractiveSummarizer
from ohliad.summarize.options import SummaryOptions


class Summarizer(Protocol):
    name: str

    def summarize(self, story: Story, options: SummaryOptions) -> Summary:
        """A headline and summary sentences for ``story``, each sentence with
        the articles it came from."""
        ...


def extractive_summarizer(options: SummaryOptions) -> Summarizer:
    """The ``extractive`` engine (the default)."""
    return ExtractiveSummarizer()


def open_summarizer(options: SummaryOptions) -> Summarizer:
    """The engine ``options.engine`` names, built once for many stories."""
    return summarizers.create(options.engine, options=options)


def summarize_story(
    story: Story, options: SummaryOptions | None = None, summarizer: Summarizer | None = None
) -> Summary:
    """Summarize ``story`` with ``summarizer``, or else with a new instance of
    the engine ``options.engine`` names."""
    options = options or SummaryOptions()
    return (summarizer or open_summarizer(options)).summarize(story, options)
