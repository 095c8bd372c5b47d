"""Page metadata: title, author, site name (trafilatura's readers) and date (htmldate).

trafilatura's ``extract_metadata`` also collects categories, tags and the
licence, which cost a third of an extraction and which ohliad does not use,
so this module calls only the readers it needs, in the same order.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime

import htmldate
from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.metadata import (
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)

# Byline markup. Plain contains() tests: translate() and ancestor tests in XPath cost
# more than the whole date search.
_BYLINE_XPATH = XPath(
    # "uthor" and "yline" match either case of author, Author, byline and Byline.
    "//*[contains(concat(@class, ' ', @itemprop, ' ', @rel), 'uthor') or contains(@class, 'yline')]"
)
# "By", "Posted by", "Text:" before a name; a date, a handle or a separator after it.
_BYLINE_LEAD = re.compile(
    r"^\W*((posted|written|words|text|story|reporting)(\s+by)?|by|von|par|por|di|door|av)\b\W*",
    re.IGNORECASE,
)
_BYLINE_TAIL = re.compile(
    r"\s*([|@•·—–]|\s-\s|\d|\b(updated|published|january|february|march|april|may|june|july|"
    r"august|september|october|november|december)\b).*$",
    re.IGNORECASE,
)
_MAX_NAME_WORDS = 6


@dataclass(frozen=True, slots=True)
class PageMetadata:
    title: str | None
    author: str | None
    site_name: str | None
    published: datetime | None
    # The page's own address (og:url or canonical link), for pages read from files.
    url: str | None


def _as_utc(found: str | None) -> datetime | None:
    if not found:
        return None
    try:
        moment = datetime.fromisoformat(found)
    except ValueError:
        return None
    # A date without a zone is taken as UTC: the record always carries one.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# Machine-readable publication moments: meta tags, <time datetime> and
# JSON-LD's datePublished.
_MOMENT_XPATH = XPath(
    "//meta[@property='article:published_time' or @name='pubdate' or @name='publishdate' "
    "or @name='date' or @itemprop='datePublished' or @name='dc.date.issued' "
    "or @name='DC.date.issued']/@content | //time/@datetime | //*[@itemprop='datePublished']"
    "/@datetime | //script[@type='application/ld+json']/text()"
)
_JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_HAS_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _moment_on(tree: HtmlElement, day: str) -> datetime | None:
    """The first machine-readable moment with a time of day on ``day``
    (YYYY-MM-DD, as written in its own zone), in UTC."""
    for value in _MOMENT_XPATH(tree):
        text = str(value)
        for candidate in _JSON_LD_PUBLISHED.findall(text) if "datePublished" in text else [text]:
            candidate = candidate.strip().replace("Z", "+00:00")
            if not _HAS_TIME.match(candidate) or not candidate.startswith(day):
                continue
            with suppress(ValueError):
                return _as_utc(datetime.fromisoformat(candidate).isoformat())
    return None


def published_date(tree: HtmlElement, url: str | None, *, extensive: bool) -> datetime | None:
    """The original (not the updated) publication date, with its time where the page has it."""
    found = htmldate.find_date(
        tree,
        url=url,
        extensive_search=extensive,
        original_date=True,
        outputformat="%Y-%m-%dT%H:%M:%S%z",
        max_date=datetime.now(UTC).strftime("%Y-%m-%d"),
    )
    # htmldate's original date may come from a visible "10 March 2026" while
    # the page's metadata says 07:00 that day: the time is kept from there.
    if found and found[10:19] == "T00:00:00":
        return _moment_on(tree, found[:10]) or _as_utc(found)
    return _as_utc(found)


def _in_form_or_comments(element: HtmlElement) -> bool:
    """Inside a comment section or a form, whose "Name *" labels look like bylines."""
    return any(
        ancestor.tag == "form" or "comment" in (ancestor.get("class") or "")
        for ancestor in element.iterancestors()
    )


def byline_author(tree: HtmlElement) -> str | None:
    """The first name-like text in the page's byline markup."""
    for element in _BYLINE_XPATH(tree):
        if _in_form_or_comments(element):
            continue
        text = " ".join(element.text_content().split())
        text = _BYLINE_TAIL.sub("", _BYLINE_LEAD.sub("", text)).strip(" ,;:")
        words = text.split()
        if 2 <= len(words) <= _MAX_NAME_WORDS and text[0].isupper() and "*" not in text:
            return text
    return None


def _page_url(found: str | None) -> str | None:
    """An absolute web address, or None (pages often carry relative or placeholder ones)."""
    return found if found and found.startswith(("http://", "https://")) else None


def _tidy(value: str | None) -> str | None:
    return (value or "").strip() or None


def page_metadata(tree: HtmlElement, url: str | None, *, extensive_date: bool) -> PageMetadata:
    """Metadata from meta tags and JSON-LD, falling back on the page's markup."""
    found = examine_meta(tree)
    # A one-word "author" in meta tags is a site or a handle, not a person.
    if found.author and " " not in found.author:
        found.author = None
    # Malformed JSON-LD leaves the meta tags standing.
    with suppress(ValueError, TypeError, KeyError, AttributeError):
        found = extract_meta_json(tree, found)
    site_name = _tidy(found.sitename or extract_sitename(tree))
    return PageMetadata(
        title=_tidy(found.title or extract_title(tree)),
        author=_tidy(found.author) or byline_author(tree),
        site_name=site_name.lstrip("@") if site_name else None,
        published=published_date(tree, url, extensive=extensive_date),
        url=_page_url(found.url) or _page_url(extract_url(tree)),
    )
