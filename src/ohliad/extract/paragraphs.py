"""Paragraphs from trafilatura's output tree (its XML-like body)."""

from __future__ import annotations

import re

from lxml.etree import _Element

# trafilatura's block elements; each starts a new paragraph, and so does a line break.
_BLOCKS = frozenset({"p", "head", "list", "item", "quote", "table", "row", "code", "div"})
_BREAKS = frozenset({"lb", "br"})
_SPACE = re.compile(r"\s+")


def _walk(element: _Element, pieces: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _BLOCKS or tag in _BREAKS:
        pieces.append("\n")
    if element.text:
        pieces.append(element.text)
    for child in element:
        _walk(child, pieces)
    if tag in _BLOCKS:
        pieces.append("\n")
    elif tag == "cell":
        pieces.append(" ")
    if element.tail:
        pieces.append(element.tail)


def body_paragraphs(body: _Element) -> list[str]:
    """The text of each block of ``body``, whitespace collapsed (source line breaks
    inside a paragraph are layout, not structure)."""
    pieces: list[str] = []
    _walk(body, pieces)
    lines = (_SPACE.sub(" ", line).strip() for line in "".join(pieces).split("\n"))
    return [line for line in lines if line]
