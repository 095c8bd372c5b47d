"""Render digest entries: the house Markdown format and the JSON contract,
and any output format a package adds (``renderers.py``)."""

from ohliad.render.jsonout import render_json
from ohliad.render.markdown import comparison_markdown, render_entry, render_markdown
from ohliad.render.renderers import (
    Renderer,
    output_suffixes,
    render_digest,
    renderer,
    renderer_for_suffix,
)

__all__ = [
    "Renderer",
    "comparison_markdown",
    "output_suffixes",
    "render_digest",
    "render_entry",
    "render_json",
    "render_markdown",
    "renderer",
    "renderer_for_suffix",
]
