"""The digest in the house Markdown format (DEVELOPERS.md):

    ## <English headline>

    ### *<Ukrainian headline>*

    *<Ukrainian summary>*

    <https://source-one…> · <https://source-two…>

    <English summary>

Where no engine wrote Ukrainian, the entry carries a one-line notice in its
place: English is never passed off as Ukrainian. Under the entry, a section
compares its sources (``comparison_markdown``).

Every piece of article text is escaped (``inline``), so that source text
cannot change the document's structure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from ohliad.compare.records import (
    AgreedFact,
    CitedSource,
    Comparison,
    Conflict,
    FramingContrast,
    UniqueDetail,
)
from ohliad.models import DigestEntry

# What an entry says where Ukrainian is missing (ingest reads it back).
UNAVAILABLE_NOTICE = "> Ukrainian unavailable:"
# How each of an entry's notes starts, after its English summary.
NOTE = "> Note:"
MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#|])")
# An autolink (``<url>``) ends at whitespace or an angle bracket.
_AUTOLINK_BREAKERS = re.compile(r"[\s<>]")


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain web address (http or https, with a host), else
    None: a ``javascript:`` or ``vbscript:`` URL from a feed never becomes a link."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed host, such as "http://[::1"
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def inline(text: str) -> str:
    """One line of article text, with Markdown syntax characters escaped: no
    emphasis, links, headings or raw HTML from it."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))


def _source_links(entry: DigestEntry) -> str:
    urls: list[str] = []
    for source in entry.sources:
        url = safe_url(source.url)
        if url and url not in urls and not _AUTOLINK_BREAKERS.search(url):
            urls.append(url)
    return " · ".join(f"<{url}>" for url in urls)


def render_entry(entry: DigestEntry, *, extras: bool = True) -> str:
    """The entry in the house format; ``extras`` adds the notes and the
    comparison after it (a published edition has the house format alone)."""
    parts = [f"## {inline(entry.summary.headline)}"]
    if entry.ukrainian:
        parts.append(f"### *{inline(entry.ukrainian.headline)}*")
        parts.append(f"*{inline(entry.ukrainian.summary)}*")
    else:
        reason = (entry.ukrainian_unavailable or "no translation engine configured").strip()
        reason = reason.removeprefix(UNAVAILABLE_NOTICE.removeprefix("> ")).strip()
        parts.append(f"{UNAVAILABLE_NOTICE} {inline(reason)}")
    links = _source_links(entry)
    if links:
        parts.append(links)
    parts.append(inline(entry.summary.text))
    if not extras:
        return "\n\n".join(parts) + "\n"
    if entry.notes:
        parts.append("\n".join(f"{NOTE} {inline(note)}" for note in entry.notes))
    section = comparison_markdown(entry.comparison).strip()
    if section:
        parts.append(section)
    return "\n\n".join(parts) + "\n"


def render_markdown(
    entries: Sequence[DigestEntry], *, title: str | None = None, extras: bool = True
) -> str:
    blocks = [f"# {inline(title)}\n"] if title else []
    blocks.extend(render_entry(e, extras=extras) for e in entries)
    return "\n".join(blocks)


# The comparison section --------------------------------------------------------


def _name(source: CitedSource) -> str:
    # Outlet names only: the entry above already links every source.
    return inline(source.name)


def _names(sources: Sequence[CitedSource]) -> str:
    return ", ".join(_name(s) for s in sources)


def _agreed(items: Sequence[AgreedFact]) -> list[str]:
    lines = []
    for item in items:
        flag = " *(the sources differ on a detail, see conflicts)*" if item.disputed else ""
        names = _names([c.source for c in item.citations])
        lines.append(f"- {inline(item.statement)} — {names}{flag}")
    return lines


def _unique(items: Sequence[UniqueDetail]) -> list[str]:
    lines = []
    for item in items:
        cited = item.citation
        detail = f" (new: {inline(item.detail)})" if item.detail else ""
        missing = f"; not in {_names(item.missing_from)}" if item.missing_from else ""
        lines.append(f"- {_name(cited.source)}: “{inline(cited.quote)}”{detail}{missing}")
    return lines


def _conflicts(items: Sequence[Conflict]) -> list[str]:
    lines = []
    for item in items:
        about = f" ({inline(item.about)})" if item.about else ""
        kind = "Differs in precision" if item.soft else "Conflict"
        note = f" *{inline(item.note)}*" if item.note else ""
        lines.append(f"- **{kind}**, {inline(item.slot)}{about}:{note}")
        for side in item.sides:
            for cited in side.citations:
                value = cited.value or side.value
                lines.append(
                    f"  - *{inline(value)}* — {_name(cited.source)}: “{inline(cited.quote)}”"
                )
    return lines


_FRAMING_KINDS = {
    "terminology": "Terminology",
    "loaded_language": "Loaded language",
    "quoted_voices": "Quoted directly",
}


def _framing(items: Sequence[FramingContrast]) -> list[str]:
    lines = []
    for item in items:
        title = _FRAMING_KINDS.get(item.kind, inline(item.kind))
        uses = "; ".join(
            f"“{inline(use.term)}”: {_names([c.source for c in use.citations])}"
            for use in item.uses
        )
        absent = f"; not by {_names(item.absent)}" if item.absent else ""
        lines.append(f"- {title}, {inline(item.label)}: {uses}{absent}")
    return lines


# Each section of a comparison (``Comparison.SECTIONS``): its title, and its
# items as list lines.
COMPARISON_SECTIONS: dict[str, tuple[str, Callable[[Sequence[Any]], list[str]]]] = {
    "conflicts": ("Conflicts", _conflicts),
    "agreed": ("Agreed", _agreed),
    "unique": ("Only one source", _unique),
    "framing": ("Framing", _framing),
}


def comparison_markdown(comparison: Comparison | None) -> str:
    """The 'Comparing the sources' section, or "" when there is nothing to say."""
    if comparison is None:
        return ""
    parts: list[str] = []
    for name, items in comparison.sections():
        title, lines = COMPARISON_SECTIONS[name]
        parts.append(f"**{title}**\n\n" + "\n".join(lines(items)))
    if comparison.notes:
        parts.append("\n".join(f"*{inline(note)}*" for note in comparison.notes))
    if not parts:
        return ""
    return "#### Comparing the sources\n\n" + "\n\n".join(parts) + "\n"
