"""The Markdown section placed under a digest entry, written from the JSON form
of a comparison so that the renderer can work from stored digests."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#|])")
_KIND_TITLES = {
    "terminology": "Terminology",
    "loaded_language": "Loaded language",
    "quoted_voices": "Quoted directly",
}


def _escape(text: str) -> str:
    """Article text as literal Markdown: no emphasis, links or raw HTML from it."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))


def _name(source: Mapping[str, Any]) -> str:
    # Outlet names only: the entry above already links every source.
    return _escape(source.get("outlet") or source.get("url") or f"article {source['article_id']}")


def _names(sources: Sequence[Mapping[str, Any]]) -> str:
    return ", ".join(_name(s) for s in sources)


def _agreed(items: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = []
    for item in items:
        flag = " *(the sources differ on a detail, see conflicts)*" if item.get("disputed") else ""
        lines.append(f"- {_escape(item['statement'])} — {_names(item['sources'])}{flag}")
    return lines


def _unique(items: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = []
    for item in items:
        source = item["source"]
        detail = f" (new: {_escape(item['detail'])})" if item.get("detail") else ""
        missing = f"; not in {_names(item['missing_from'])}" if item.get("missing_from") else ""
        lines.append(f"- {_name(source)}: “{_escape(source['quote'])}”{detail}{missing}")
    return lines


def _conflicts(items: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = []
    for item in items:
        about = f" ({_escape(item['about'])})" if item.get("about") else ""
        kind = "Differs in precision" if item.get("soft") else "Conflict"
        note = f" *{_escape(item['note'])}*" if item.get("note") else ""
        lines.append(f"- **{kind}**, {_escape(item['slot'])}{about}:{note}")
        for side in item["sides"]:
            for source in side["sources"]:
                value = source.get("value") or side["value"]
                lines.append(
                    f"  - *{_escape(value)}* — {_name(source)}: “{_escape(source['quote'])}”"
                )
    return lines


def _framing(items: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = []
    for item in items:
        title = _KIND_TITLES.get(item["kind"], _escape(item["kind"]))
        uses = "; ".join(f"“{_escape(u['term'])}”: {_names(u['sources'])}" for u in item["uses"])
        absent = f"; not by {_names(item['absent'])}" if item.get("absent") else ""
        lines.append(f"- {title}, {_escape(item['label'])}: {uses}{absent}")
    return lines


def comparison_markdown(comparison: Mapping[str, Any] | None) -> str:
    """The 'Comparing the sources' section, or "" when there is nothing to say."""
    if not comparison:
        return ""
    parts: list[str] = []
    for title, key, render in (
        ("Conflicts", "conflicts", _conflicts),
        ("Agreed", "agreed", _agreed),
        ("Only one source", "unique", _unique),
        ("Framing", "framing", _framing),
    ):
        items = comparison.get(key) or []
        if items:
            parts.append(f"**{title}**\n\n" + "\n".join(render(items)))
    notes = comparison.get("notes") or []
    if notes:
        parts.append("\n".join(f"*{_escape(note)}*" for note in notes))
    if not parts:
        return ""
    return "#### Comparing the sources\n\n" + "\n\n".join(parts) + "\n"
