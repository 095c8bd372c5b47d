"""Link texts of a page, to recognise lists of related-article links in the body."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

from lxml.etree import _Element

_WORD = re.compile(r"\w+")
# Headlines have a few words; shorter anchors ("Home", "World") say nothing.
_MIN_HEADLINE_WORDS = 3
# A line is a link when anchor text makes up most of it ("Also on X: <headline> [VIDEO]").
_LINK_SHARE = 0.8


def normal_words(text: str) -> str:
    """Lower-cased words joined by single spaces: the form lines are compared in."""
    return " ".join(_WORD.findall(text.lower()))


class HeadlineLinks(Collection[str]):
    """Normalised texts of a page's links long enough to be article headlines.

    Read from the page on first use: most pages never need them.
    """

    def __init__(self, tree: _Element) -> None:
        self._tree = tree
        self._texts: frozenset[str] | None = None

    @property
    def texts(self) -> frozenset[str]:
        if self._texts is None:
            texts = (normal_words(anchor.text_content()) for anchor in self._tree.iter("a"))
            self._texts = frozenset(t for t in texts if t.count(" ") + 1 >= _MIN_HEADLINE_WORDS)
        return self._texts

    def __contains__(self, text: object) -> bool:
        return text in self.texts

    def __iter__(self) -> Iterator[str]:
        return iter(self.texts)

    def __len__(self) -> int:
        return len(self.texts)


def is_link_line(normal: str, links: Collection[str]) -> bool:
    """Whether a (normalised) line is mostly the text of one link."""
    if not normal or not links:
        return False
    if normal in links:
        return True
    return any(len(link) >= _LINK_SHARE * len(normal) and link in normal for link in links)
