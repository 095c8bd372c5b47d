"""Admin actions: add a feed to the watch list, re-run a story.

They need the token from config (``OHLIAD_ADMIN_TOKEN``); without one they are
off. Nothing authenticates by cookie, so a forged cross-site request carries no
credential: the API takes the token in an ``Authorization: Bearer`` header, the
HTML forms take it as a field the person types. Forms also refuse a foreign
``Origin``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Annotated
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Form, Header, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from ohliad.ingest.urls import canonical_url
from ohliad.render.markdown import safe_url
from ohliad.store import FeedStore, Store
from ohliad.web.deps import ERROR_RESPONSES, SettingsDep, StoreDep, WebSettings, render_page
from ohliad.web.deps import error_response as _error
from ohliad.web.i18n import parse_lang
from ohliad.web.security import token_holder

if TYPE_CHECKING:
    from ohliad.pipeline import Pipeline

router = APIRouter(
    tags=["admin"],
    responses={
        **ERROR_RESPONSES,
        401: _error("No admin token, or a wrong one"),
        413: _error("A body over the size limit"),
        503: _error("Admin actions are off (no OHLIAD_ADMIN_TOKEN), or no pipeline"),
    },
)

DEFAULT_FEED_INTERVAL = 900


class FeedIn(BaseModel):
    url: str = Field(max_length=2000, description="An http(s) feed URL")
    outlet: str | None = Field(default=None, max_length=200)
    language: str | None = Field(default=None, max_length=16)
    interval_seconds: int = Field(default=DEFAULT_FEED_INTERVAL, ge=60, le=86_400)


class FeedAdded(BaseModel):
    id: int
    url: str


class StoryRerun(BaseModel):
    key: str
    articles: int


def require_token(settings: WebSettings, given: str | None) -> str:
    """The name of the admin token ``given``; 401 for a wrong one, 403 when
    no token is set (admin actions are off)."""
    if not settings.admin_tokens:
        raise HTTPException(
            403,
            "admin actions are off: set admin_token (OHLIAD_ADMIN_TOKEN) or admin_tokens "
            "(OHLIAD_ADMIN_TOKENS) to turn them on",
        )
    holder = token_holder(given, settings.admin_tokens)
    if holder is None:
        raise HTTPException(401, "wrong or missing admin token")
    return holder


def bearer(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def require_same_origin(request: Request) -> None:
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.url.netloc:
        raise HTTPException(403, f"cross-site request refused (origin {origin})")


def add_feed(store: Store, feed: FeedIn) -> FeedAdded:
    if safe_url(feed.url) is None:
        raise HTTPException(422, f"url: not an http(s) address: {feed.url!r}")
    # Written as ohliad feeds add and a feed list write it: the same feed is one row.
    url = canonical_url(feed.url.strip())
    outlet = " ".join((feed.outlet or "").split()) or None
    language = (feed.language or "").strip().lower() or None
    (state,) = FeedStore(store).sync([(url, outlet, language, feed.interval_seconds)])
    return FeedAdded(id=state.id, url=state.url)


@cache
def _pipeline(open_pipeline: Callable[[], Pipeline]) -> Pipeline:
    return open_pipeline()


def rerun_story(store: Store, settings: WebSettings, key: str) -> StoryRerun:
    """Recompute a story's digest entry from its stored articles now."""
    if settings.open_pipeline is None:
        raise HTTPException(503, "re-running stories needs the pipeline: start with ohliad serve")
    articles = _pipeline(settings.open_pipeline).refresh_story(key)
    if articles is None:
        raise HTTPException(404, f"no story {key!r}")
    return StoryRerun(key=key, articles=articles)


BearerHeader = Annotated[str | None, Header(description="Bearer <admin token>")]


@router.post("/api/admin/feeds", response_model=FeedAdded, status_code=status.HTTP_201_CREATED)
def api_add_feed(
    feed: FeedIn, store: StoreDep, settings: SettingsDep, authorization: BearerHeader = None
) -> FeedAdded:
    """Add a feed to the watch list (or update its outlet, language and interval)."""
    require_token(settings, bearer(authorization))
    return add_feed(store, feed)


@router.post("/api/admin/stories/{key}/rerun", response_model=StoryRerun)
def api_rerun_story(
    key: str, store: StoreDep, settings: SettingsDep, authorization: BearerHeader = None
) -> StoryRerun:
    """Recompute a story's summary, Ukrainian and comparison from its articles."""
    require_token(settings, bearer(authorization))
    return rerun_story(store, settings, key)


@router.get("/admin", response_class=HTMLResponse, include_in_schema=False)
def admin_page(
    request: Request, settings: SettingsDep, lang: str | None = None, done: str | None = None
) -> HTMLResponse:
    return render_page(
        request,
        "admin.html",
        parse_lang(lang),
        enabled=bool(settings.admin_tokens),
        done=done,
    )


TokenField = Annotated[str, Form(max_length=500)]


@router.post("/admin/feeds", include_in_schema=False)
def form_add_feed(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    token: TokenField,
    url: Annotated[str, Form(max_length=2000)],
    outlet: Annotated[str, Form(max_length=200)] = "",
    language: Annotated[str, Form(max_length=16)] = "",
) -> RedirectResponse:
    require_same_origin(request)
    require_token(settings, token)
    added = add_feed(store, FeedIn(url=url, outlet=outlet, language=language))
    return RedirectResponse(f"/admin?done=feed-{added.id}", status_code=303)


@router.post("/admin/rerun", include_in_schema=False)
def form_rerun_story(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    token: TokenField,
    key: Annotated[str, Form(max_length=64)],
) -> RedirectResponse:
    require_same_origin(request)
    require_token(settings, token)
    rerun_story(store, settings, key)
    return RedirectResponse(f"/stories/{quote(key, safe='')}", status_code=303)
