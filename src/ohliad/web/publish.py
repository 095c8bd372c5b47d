"""Routes that publish the digest: the feeds and a day's digest at a stable URL
(``/digest/2026-03-05.md`` in the house Markdown format, ``.json`` in the JSON
contract, or in any output format of ``ohliad.registry.renderers``)."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Annotated
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from ohliad.render import output_suffixes, renderer_for_suffix
from ohliad.render.markdown import render_markdown
from ohliad.review import edition_title
from ohliad.store.review_rows import PUBLIC_STATUSES
from ohliad.store.reviews import ReviewStore
from ohliad.store.search import Filters, find_stories, last_update
from ohliad.web import syndication
from ohliad.web.deps import ERROR_RESPONSES, SettingsDep, StoreDep, WebSettings
from ohliad.web.i18n import Lang, parse_lang

router = APIRouter(tags=["feeds"], responses=ERROR_RESPONSES)

FEED_SIZE = 50
CACHE_SECONDS = 300
LangQuery = Annotated[str | None, Query(description="Edition: uk (default) or en")]
# Host names that always reach this server itself.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")

_FEED_FORMATS = {
    "rss.xml": (syndication.render_rss, "application/rss+xml; charset=utf-8"),
    "atom.xml": (syndication.render_atom, "application/atom+xml; charset=utf-8"),
    "feed.json": (syndication.render_json_feed, "application/feed+json; charset=utf-8"),
}


def _published(request: Request, body: str, media_type: str) -> Response:
    """A response that feed readers can poll cheaply: an ETag over the body,
    answered with 304 when the reader already has it."""
    data = body.encode("utf-8")
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={CACHE_SECONDS}"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=media_type, headers=headers)


def _site_url(request: Request, settings: WebSettings) -> str:
    """The site's address for absolute links: ``public_url``, else the Host the
    request names if the server is reached at it directly. Any other Host is
    refused: feeds are cached publicly, and a client must not choose where
    their links lead other readers. The port is not checked: a port forward
    reaches the server on another one, and the host stays this one."""
    if settings.public_url:
        return settings.public_url.rstrip("/") + "/"
    host = request.headers.get("host", "")
    try:
        parts = urlsplit(f"//{host}")
        name, port = parts.hostname, parts.port
    except ValueError:  # a port that is no number
        name = port = None
    known = {h.strip("[]").lower() for h in (*settings.bound_hosts, *LOOPBACK_HOSTS)}
    if name is None or name not in known:
        raise HTTPException(
            400, f"unknown host {host!r}: set public_url (OHLIAD_PUBLIC_URL) to the site's address"
        )
    # Built from the parsed name and port, never from the header's own text.
    netloc = (f"[{name}]" if ":" in name else name) + (f":{port}" if port else "")
    return f"{request.url.scheme}://{netloc}/"


def _self_url(request: Request, site: str) -> str:
    """The address asked for, on the site's address; the query is re-encoded."""
    query = urlencode(request.query_params.multi_items())
    return site + quote(request.url.path.lstrip("/")) + (f"?{query}" if query else "")


@router.get("/feeds/{name}", response_class=Response)
def feed(
    name: str, request: Request, store: StoreDep, settings: SettingsDep, lang: LangQuery = None
) -> Response:
    """The latest stories as RSS 2.0 (rss.xml), Atom (atom.xml) or JSON Feed 1.1
    (feed.json), in the Ukrainian or the English edition."""
    if name not in _FEED_FORMATS:
        raise HTTPException(404, f"no feed {name!r}: use rss.xml, atom.xml or feed.json")
    render, media_type = _FEED_FORMATS[name]
    edition: Lang = parse_lang(lang)
    site = _site_url(request, settings)
    info = syndication.FeedInfo(
        lang=edition,
        site_url=f"{site}?lang={edition}",
        feed_url=_self_url(request, site),
        updated=last_update(store) or datetime.now(UTC),
    )
    items = [
        syndication.syndicated_story(
            stored, edition, f"{site}stories/{quote(stored.key)}?lang={edition}"
        )
        for stored in find_stories(store, Filters(reviewed=settings.review), limit=FEED_SIZE)
    ]
    return _published(request, render(info, items), media_type)


@router.get("/digest/{name}", response_class=Response)
def day_digest(name: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """The stories with articles published that day (UTC), as ``DAY.SUFFIX``:
    ``2026-03-05.md`` in the house Markdown format, ``.json`` in the JSON
    contract, or the suffix of an output format a package adds. When the desk
    reviews, the day's approved and published entries (the desk's day)."""
    day, dot, suffix = name.partition(".")
    output = renderer_for_suffix(dot + suffix)
    if output is None:
        known = ", ".join(output_suffixes())
        raise HTTPException(404, f"no digest {name!r}: use DAY.SUFFIX, with a suffix of {known}")
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise HTTPException(404, f"no digest for {day!r}: use a date as YYYY-MM-DD") from None
    if settings.review:
        # The edition as the desk publishes it: the house format alone.
        desk = ReviewStore(store, timezone=settings.desk_timezone)
        entries = [d.entry for d in desk.queue(day=when, statuses=PUBLIC_STATUSES)]
        if dot + suffix == ".md":
            text = render_markdown(entries, title=edition_title(when), extras=False)
            return _published(request, text, output.media_type)
    else:
        stories = find_stories(store, Filters(since=when, until=when))
        entries = [s.entry for s in stories if s.entry is not None]
    text = output.render(entries, title=f"Огляд — {when.isoformat()}")
    return _published(request, text, output.media_type)
