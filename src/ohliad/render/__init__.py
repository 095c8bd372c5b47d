"""Render digest entries: the house Markdown format and the JSON contract."""

from ohliad.render.jsonout import render_json
from ohliad.render.markdown import comparison_markdown, render_entry, render_markdown

__all__ = ["comparison_markdown", "render_entry", "render_json", "render_markdown"]
