"""Compare the sources of a story: what they agree on, what only one reports,
where they contradict each other (a count, a duration, a date, a place, who
asked for a meeting) and how they frame the event.

    comparison = compare_story(story)          # None for a one-source story
    entry_json["comparison"] = comparison.to_dict()
    markdown = comparison_markdown(entry_json["comparison"])
"""

from ohliad.compare.compare import CompareOptions, compare_story
from ohliad.compare.markdown import comparison_markdown
from ohliad.compare.records import (
    AgreedFact,
    Citation,
    Comparison,
    Conflict,
    ConflictSide,
    FramingContrast,
    SourceRef,
    TermUse,
    UniqueDetail,
)

__all__ = [
    "AgreedFact",
    "Citation",
    "CompareOptions",
    "Comparison",
    "Conflict",
    "ConflictSide",
    "FramingContrast",
    "SourceRef",
    "TermUse",
    "UniqueDetail",
    "compare_story",
    "comparison_markdown",
]
