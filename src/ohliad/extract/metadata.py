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
