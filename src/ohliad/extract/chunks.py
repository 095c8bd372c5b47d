"""Article bodies split into several containers.

Some publishing systems cut the body into chunks around inline ads: sibling
containers with the same "…body…" class. trafilatura keeps the first one; this
module finds the chunks that follow it.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from ohliad.extract.links import normal_words

_SPACE = re.compile(r"\s+")
_BODY_CLASS = re.compile(r"body", re.IGNORECASE)
# How far above the first paragraph a chunk container may sit, and how many of the first
# extracted paragraphs are looked up in the page to find it.
_MAX_DEPTH = 2
_ANCHOR_PARAGRAPHS = 3
# A container holding a headline or headline links is a teaser card or another article.
_NOT_A_CHUNK = ".//h1|.//h2//a|.//h3//a"


def _first_paragraph_element(tree: HtmlElement, paragraphs: list[str]) -> HtmlElement | None:
    wanted = {normal_words(p) for p in paragraphs[:_ANCHOR_PARAGRAPHS]}
    return next((p for p in tree.iter("p") if normal_words(p.text_content()) in wanted), None)


def _later_twins(container: HtmlElement) -> list[HtmlElement]:
    """Containers with the same tag and class that follow ``container`` in its grandparent."""
    parent = container.getparent()
    grandparent = parent.getparent() if parent is not None else None
    if grandparent is None:
        return []
    twins: list[HtmlElement] = []
    seen_container = False
    for element in grandparent.iter(container.tag):
        if element is container:
            seen_container = True
        elif seen_container and element.get("class") == container.get("class"):
            twins.append(element)
    return [t for t in twins if container not in t.iterancestors() and not t.xpath(_NOT_A_CHUNK)]


def _chunk_paragraphs(chunk: HtmlElement) -> list[str]:
    texts = (_SPACE.sub(" ", e.text_content()).strip() for e in chunk.iter("p", "h2", "h3"))
    return [text for text in texts if text]


def continued_body(tree: HtmlElement, paragraphs: list[str]) -> list[str]:
    """Paragraphs of the body chunks that follow the one ``paragraphs`` came from."""
    first = _first_paragraph_element(tree, paragraphs)
    if first is None:
        return []
    for depth, container in enumerate(first.iterancestors()):
        if depth >= _MAX_DEPTH:
            break
        classes = container.get("class") or ""
        if not _BODY_CLASS.search(classes) or "comment" in classes:
            continue
        twins = _later_twins(container)
        if twins:
            return [text for twin in twins for text in _chunk_paragraphs(twin)]
    return []
