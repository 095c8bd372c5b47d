"""Link texts of a page, to recognise lists of related-article links in the body."""

from __future__ import annotations

import re
from collections.abc import Collection

from lxml.etree import _Element

_WORD = re.compile(r"\w+")
# Headlines have a few words; shorter anchors ("Home", "World") say nothing.
_MIN_HEADLINE_WORDS = 3
# A line is a link when anchor text makes up most of it ("Also on X: <headline> [VIDEO]").
_LINK_SHARE = 0.8


def normal_words(text: str) -> str:
    """Lower-cased words joined by single spaces: the form lines are compared in."""
    return " ".join(_WORD.findall(text.lower()))


def headline_links(tree: _Element) -> frozenset[str]:
    """Normalised texts of the page's links long enough to be article headlines."""
    texts = (normal_words(anchor.text_content()) for anchor in tree.iter("a"))
    return frozenset(text for text in texts if text.count(" ") + 1 >= _MIN_HEADLINE_WORDS)


def is_link_line(normal: str, links: Collection[str]) -> bool:
    """Whether a (normalised) line is mostly the text of one link."""
    if not normal or not links:
        return False
    if normal in links:
        return True
    return any(len(link) >= _LINK_SHARE * len(normal) and link in normal for link in links)
