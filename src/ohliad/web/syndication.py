"""The digest as feeds: RSS 2.0, Atom and JSON Feed 1.1, in the Ukrainian or
the English edition.

XML is built with ElementTree (which escapes every text node) and item HTML
with ``html.escape``, so no article text can inject markup into a reader.
Characters XML 1.0 forbids are dropped from every item's text (in all three
formats, so that they tell the same text): one would make the whole feed
unreadable.
An entry without Ukrainian appears in the Ukrainian edition in English, so
that a subscriber does not miss a story the translation has not reached; it
is marked by its language (Atom ``xml:lang``, JSON Feed ``language``) and a
one-line Ukrainian notice above its text, not by its title: readers list
titles, and "[English] …" on every one of them read as a fault.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from typing import Any
from xml.etree import ElementTree as ET

from ohliad.render.markdown import safe_url
from ohliad.store import StoredStory
from ohliad.web.i18n import LABELS, Lang
from ohliad.web.views import Edition, editions

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
FEED_TITLES: dict[Lang, str] = {
    "uk": "Огляд — огляд іноземної преси",
    "en": "Ohliad — a review of the foreign press",
}
# C0 controls but tab, newline and carriage return; lone surrogates; U+FFFE, U+FFFF.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _XML_FORBIDDEN.sub("", text)


@dataclass(frozen=True, slots=True)
class SyndicatedStory:
    """One story as an item of the digest's own feeds; ``lang`` is the language of its text."""

    url: str
    title: str
    summary: str
    content_html: str
    lang: Lang
    updated: datetime


@dataclass(frozen=True, slots=True)
class FeedInfo:
    lang: Lang
    site_url: str
    feed_url: str
    updated: datetime

    @property
    def title(self) -> str:
        return FEED_TITLES[self.lang]


def _content_html(shown: Edition, sources: list[tuple[str, str | None]]) -> str:
    parts = []
    if shown.notice:
        parts.append(f'<p lang="uk"><em>{escape(shown.notice)}</em></p>')
    parts.append(f"<p>{escape(shown.summary)}</p>")
    links = [
        f'<a href="{escape(url)}">{escape(outlet)}</a>' if url else escape(outlet)
        for outlet, url in sources
    ]
    if links:
        parts.append("<p>" + " · ".join(links) + "</p>")
    return "".join(parts)


def syndicated_story(stored: StoredStory, lang: Lang, story_url: str) -> SyndicatedStory:
    entry = stored.entry
    assert entry is not None
    shown, _other = editions(entry, lang)
    sources = [
        (s.outlet or s.url or "?", safe_url(s.url)) for s in entry.sources if s.copy_of is None
    ]
    return SyndicatedStory(
        url=xml_text(story_url),
        title=xml_text(shown.headline),
        summary=xml_text(shown.summary),
        content_html=xml_text(_content_html(shown, sources)),
        lang=shown.lang,
        updated=(entry.updated or stored.updated_at).astimezone(UTC),
    )


def _text(parent: ET.Element, tag: str, value: str, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib)
    element.text = value
    return element


def _xml(root: ET.Element) -> str:
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")


def render_rss(info: FeedInfo, items: Sequence[SyndicatedStory]) -> str:
    ET.register_namespace("atom", ATOM_NS)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    _text(channel, "title", info.title)
    _text(channel, "link", info.site_url)
    _text(channel, "description", LABELS[info.lang]["tagline"])
    _text(channel, "language", info.lang)
    _text(channel, "lastBuildDate", format_datetime(info.updated))
    ET.SubElement(
        channel,
        f"{{{ATOM_NS}}}link",
        {"href": info.feed_url, "rel": "self", "type": "application/rss+xml"},
    )
    for item in items:
        element = ET.SubElement(channel, "item")
        _text(element, "title", item.title)
        _text(element, "link", item.url)
        _text(element, "guid", item.url, isPermaLink="true")
        _text(element, "pubDate", format_datetime(item.updated))
        _text(element, "description", item.content_html)
    return _xml(rss)


def render_atom(info: FeedInfo, items: Sequence[SyndicatedStory]) -> str:
    ET.register_namespace("", ATOM_NS)

    def atom(parent: ET.Element, tag: str, value: str | None = None, **attrib: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrib)
        element.text = value
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed", {XML_LANG: info.lang})
    atom(feed, "title", info.title)
    atom(feed, "subtitle", LABELS[info.lang]["tagline"])
    atom(feed, "id", info.feed_url)
    atom(feed, "updated", info.updated.isoformat())
    atom(feed, "link", href=info.feed_url, rel="self", type="application/atom+xml")
    atom(feed, "link", href=info.site_url, rel="alternate", type="text/html")
    atom(atom(feed, "author"), "name", "ohliad")
    for item in items:
        entry = atom(feed, "entry", **{XML_LANG: item.lang})
        atom(entry, "title", item.title)
        atom(entry, "id", item.url)
        atom(entry, "link", href=item.url, rel="alternate", type="text/html")
        atom(entry, "updated", item.updated.isoformat())
        atom(entry, "summary", item.summary)
        atom(entry, "content", item.content_html, type="html")
    return _xml(feed)


def render_json_feed(info: FeedInfo, items: Sequence[SyndicatedStory]) -> str:
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": info.title,
        "home_page_url": info.site_url,
        "feed_url": info.feed_url,
        "description": LABELS[info.lang]["tagline"],
        "language": info.lang,
        "authors": [{"name": "ohliad"}],
        "items": [
            {
                "id": item.url,
                "url": item.url,
                "title": item.title,
                "summary": item.summary,
                "content_html": item.content_html,
                "date_modified": item.updated.isoformat(),
                "language": item.lang,
            }
            for item in items
        ],
    }
    return json.dumps(feed, ensure_ascii=False, indent=2)
