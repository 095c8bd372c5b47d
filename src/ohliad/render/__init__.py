"""Render digest entries: the house Markdown format and the JSON contract."""

from ohliad.render.jsonout import entry_from_dict, entry_to_dict, render_json
from ohliad.render.markdown import render_entry, render_markdown

__all__ = ["entry_from_dict", "entry_to_dict", "render_entry", "render_json", "render_markdown"]
