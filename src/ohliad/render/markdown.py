"""The digest in the house Markdown format (DEVELOPERS.md):

    ## <English headline>

    ### *<Ukrainian headline>*

    *<Ukrainian summary>*

    <https://source-one…> · <https://source-two…>

    <English summary>

Where no engine wrote Ukrainian, the entry carries a one-line notice in its
place: English is never passed off as Ukrainian.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ohliad.compare import comparison_markdown
from ohliad.models import DigestEntry

# What an entry says where Ukrainian is missing (ingest reads it back).
UNAVAILABLE_NOTICE = "> Ukrainian unavailable:"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _inline(text: str) -> str:
    """One line of article text, with Markdown syntax characters escaped so
    that source text cannot change the document's structure."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _source_links(entry: DigestEntry) -> str:
    urls: list[str] = []
    for source in entry.sources:
        if (
            source.url
            and source.url not in urls
            and " " not in source.url
            and ">" not in source.url
        ):
            urls.append(source.url)
    return " · ".join(f"<{url}>" for url in urls)


def render_entry(entry: DigestEntry) -> str:
    parts = [f"## {_inline(entry.summary.headline)}"]
    if entry.ukrainian:
        parts.append(f"### *{_inline(entry.ukrainian.headline)}*")
        parts.append(f"*{_inline(entry.ukrainian.summary)}*")
    else:
        reason = (entry.ukrainian_unavailable or "no translation engine configured").strip()
        reason = reason.removeprefix(UNAVAILABLE_NOTICE.removeprefix("> ")).strip()
        parts.append(f"{UNAVAILABLE_NOTICE} {_inline(reason)}")
    links = _source_links(entry)
    if links:
        parts.append(links)
    parts.append(_inline(entry.summary.text))
    if entry.comparison:
        section = comparison_markdown(entry.comparison).strip()
        if section:
            parts.append(section)
    return "\n\n".join(parts) + "\n"


def render_markdown(entries: Sequence[DigestEntry], *, title: str | None = None) -> str:
    blocks = [f"# {_inline(title)}\n"] if title else []
    blocks.extend(render_entry(e) for e in entries)
    return "\n".join(blocks)
