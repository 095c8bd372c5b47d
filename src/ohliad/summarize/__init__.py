"""summarize stage: a neutral headline and a multi-source summary per story.

``summarize_story(story, SummaryOptions(...))`` runs the engine the options name
(``extractive`` by default, or ``llm``); every summary sentence carries the ids
(or indexes) of the articles it came from.
"""

from ohliad.summarize.engine import Summarizer, open_summarizer, summarize_story
from ohliad.summarize.extractive import ExtractiveSummarizer
from ohliad.summarize.llm import LLMNotConfiguredError, LLMSummarizer
from ohliad.summarize.options import SummaryOptions, SummaryOptionsError

__all__ = [
    "ExtractiveSummarizer",
    "LLMNotConfiguredError",
    "LLMSummarizer",
    "Summarizer",
    "SummaryOptions",
    "SummaryOptionsError",
    "open_summarizer",
    "summarize_story",
]
