"""Output formats of the digest as plug-ins (``ohliad.registry.renderers``):
``ohliad digest --format NAME`` and the web app's ``/digest/DAY.SUFFIX``
render with them. ohliad's own are the house Markdown format (``md``) and
the JSON contract (``json``); a package adds a format by declaring its
renderer under the entry-point group ``ohliad.renderers``."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Protocol

from ohliad.models import DigestEntry
from ohliad.registry import renderers
from ohliad.render.jsonout import render_json
from ohliad.render.markdown import render_markdown


class Renderer(Protocol):
    """One output format of the digest."""

    name: str
    # The file suffix (".md") and the media type of what ``render`` writes.
    suffix: str
    media_type: str

    def render(self, entries: Sequence[DigestEntry], *, title: str | None = None) -> str:
        """The digest of ``entries`` (newest first); ``title`` heads it where
        the format has a place for one."""
        ...


class MarkdownRenderer:
    name = "md"
    suffix = ".md"
    media_type = "text/markdown; charset=utf-8"

    def render(self, entries: Sequence[DigestEntry], *, title: str | None = None) -> str:
        return render_markdown(entries, title=title)


class JsonRenderer:
    name = "json"
    suffix = ".json"
    media_type = "application/json"

    def render(self, entries: Sequence[DigestEntry], *, title: str | None = None) -> str:
        return render_json(entries)


@functools.cache
def renderer(name: str) -> Renderer:
    """The renderer ``name`` (one instance per process)."""
    return renderers.create(name)


def render_digest(
    entries: Sequence[DigestEntry], fmt: str = "md", *, title: str | None = None
) -> str:
    """The digest of ``entries`` in the output format ``fmt`` (``md``, ``json``, …)."""
    return renderer(fmt).render(entries, title=title)


def renderer_for_suffix(suffix: str) -> Renderer | None:
    """The renderer that writes files ending in ``suffix`` (".md"), if any."""
    for name in renderers.names():
        if renderer(name).suffix == suffix:
            return renderer(name)
    return None


def output_suffixes() -> list[str]:
    """The file suffixes of every output format."""
    return sorted(renderer(name).suffix for name in renderers.names())
