"""Index pages: lists of teasers, each a headline link over a sentence or two.

trafilatura drops the headline links of such a page and keeps the teaser
sentences, which read like an article; this module recognises the layout.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from lxml.html import HtmlElement

from ohliad.extract.links import normal_words

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_MIN_HEADLINE_WORDS = 3
# A listing has several teasers, and most of the extracted text sits under headline links.
_MIN_TEASERS = 4
_TEASER_SHARE = 0.6


def _site_link(href: str | None, host: str | None) -> bool:
    """A link to another page of the same site (a relative link, or one to the page's host)."""
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return False
    link_host = urlsplit(href).hostname
    return link_host is None or link_host == host


def _headline_link_in(element: HtmlElement, host: str | None) -> bool:
    headings = [element] if element.tag in _HEADINGS else element.iter(*_HEADINGS)
    return any(
        _site_link(anchor.get("href"), host)
        and len(anchor.text_content().split()) >= _MIN_HEADLINE_WORDS
        for heading in headings
        for anchor in heading.iter("a")
    )


def _under_headline_link(element: HtmlElement, host: str | None) -> bool:
    previous = element.getprevious()
    parent = element.getparent()
    if previous is None and parent is not None:
        previous = parent.getprevious()
    return previous is not None and _headline_link_in(previous, host)


def is_teaser_listing(tree: HtmlElement, paragraphs: list[str], url: str | None) -> bool:
    """Whether most extracted paragraphs are teasers under headline links to the same site."""
    if len(paragraphs) < _MIN_TEASERS:
        return False
    wanted = {normal_words(p) for p in paragraphs}
    found = [p for p in tree.iter("p") if normal_words(p.text_content()) in wanted]
    host = urlsplit(url).hostname if url else None
    teasers = sum(_under_headline_link(p, host) for p in found)
    return teasers >= _MIN_TEASERS and teasers >= _TEASER_SHARE * len(found)
