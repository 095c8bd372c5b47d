"""summarize stage: a neutral headline and a multi-source summary per story."""

from ohliad.summarize.engine import Summarizer, summarize_story, summarizers
from ohliad.summarize.options import SummaryOptions, SummaryOptionsError

__all__ = [
    "Summarizer",
    "SummaryOptions",
    "SummaryOptionsError",
    "summarize_story",
    "summarizers",
]
