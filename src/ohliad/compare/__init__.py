"""Compare the sources of a story: what they agree on, what only one reports,
where they contradict each other (a count, a duration, a date, a place, who
asked for a meeting) and how they frame the event.

    comparison = compare_story(story)          # None for a one-source story
    comparison.conflicts, comparison.to_dict(), Comparison.from_dict(data)

The records (``records.py``) load light; ``compare_story`` loads spaCy and the
embedder on first use.
"""

from typing import TYPE_CHECKING, Any

from ohliad.compare.records import (
    AgreedFact,
    Citation,
    CitedSource,
    Comparison,
    Conflict,
    ConflictSide,
    Finding,
    FramingContrast,
    TermUse,
    UniqueDetail,
)

if TYPE_CHECKING:
    from ohliad.compare.compare import CompareOptions, compare_stories, compare_story


def __getattr__(name: str) -> Any:
    # compare_story loads spaCy and the embedder; import it only when asked, so
    # reading stored comparisons (digests, the web app) starts light.
    if name in ("CompareOptions", "compare_stories", "compare_story"):
        from ohliad.compare import compare

        return getattr(compare, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AgreedFact",
    "Citation",
    "CitedSource",
    "CompareOptions",
    "Comparison",
    "Conflict",
    "ConflictSide",
    "Finding",
    "FramingContrast",
    "TermUse",
    "UniqueDetail",
    "compare_stories",
    "compare_story",
]
