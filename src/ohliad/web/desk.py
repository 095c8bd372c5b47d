"""The editor's desk in the web app: a queue of the day's drafts with their
conflicts flagged, an edit form beside the sources and the comparison, the
checker's suggestions, approve / reject / publish, and a preview in the
house format.

An editor signs in with an admin token once; the desk then knows them by a
session cookie: signed with their token (so that a changed token ends its
sessions), HttpOnly and ``SameSite=Strict`` (so that no other site's page
can send it along), and every form also refuses a foreign ``Origin``. The
public pages never read it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import date
from functools import cache
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ohliad.models import REVIEW_STATUSES, ReviewStatus
from ohliad.render.markdown import render_entry
from ohliad.review import check_entry, edition_title
from ohliad.store import Store
from ohliad.store.reviews import (
    DeskEntry,
    NoSuchStoryError,
    ReviewError,
    ReviewStore,
    TextChange,
)
from ohliad.translate.check import UkrainianChecker
from ohliad.translate.options import TranslateOptions
from ohliad.web.admin import require_same_origin
from ohliad.web.deps import SettingsDep, StoreDep, WebSettings, render_page
from ohliad.web.i18n import Lang, parse_lang
from ohliad.web.security import token_holder
from ohliad.web.views import comparison_view

router = APIRouter(include_in_schema=False)

COOKIE = "ohliad_desk"
SESSION_SECONDS = 12 * 3600
# The desk's pages hold drafts: no cache keeps them.
_PRIVATE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
_QUEUE_SIZE = 200


def _signature(token: str, payload: str) -> str:
    digest = hmac.new(token.encode(), payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def session_cookie(settings: WebSettings, token: str, now: float | None = None) -> str | None:
    """A session for the holder of ``token`` (None: not an admin token)."""
    name = token_holder(token, settings.admin_tokens)
    if name is None:
        return None
    expires = int((now or time.time()) + SESSION_SECONDS)
    payload = f"{base64.urlsafe_b64encode(name.encode()).decode()}.{expires}"
    return f"{payload}.{_signature(token, payload)}"


def session_holder(
    settings: WebSettings, cookie: str | None, now: float | None = None
) -> str | None:
    """The editor a session cookie names, if it is one of ours and current."""
    if not cookie or cookie.count(".") != 2:
        return None
    encoded, expires, signature = cookie.split(".")
    try:
        name = base64.urlsafe_b64decode(encoded.encode()).decode()
        if int(expires) < (now or time.time()):
            return None
    except (ValueError, UnicodeDecodeError):
        return None
    payload = f"{encoded}.{expires}"
    holder = None
    for token, holder_name in settings.admin_tokens.items():
        expected = _signature(token, payload)
        if holder_name == name and hmac.compare_digest(expected, signature):
            holder = name
    return holder


def _editor(request: Request, settings: WebSettings) -> str | None:
    return session_holder(settings, request.cookies.get(COOKIE))


def _require_editor(request: Request, settings: WebSettings) -> str:
    require_same_origin(request)
    editor = _editor(request, settings)
    if editor is None:
        raise HTTPException(401, "sign in to the desk first: your session ended or was never begun")
    return editor


@cache
def _checker(options: TranslateOptions) -> UkrainianChecker:
    return UkrainianChecker.from_options(options)


def _desk(store: Store, settings: WebSettings) -> ReviewStore:
    return ReviewStore(store, timezone=settings.desk_timezone)


def _page(
    request: Request, template: str, lang: Lang, status_code: int = 200, **context: object
) -> HTMLResponse:
    response = render_page(request, template, lang, status_code=status_code, **context)
    response.headers.update(_PRIVATE)
    return response


def _statuses(values: list[str]) -> list[ReviewStatus]:
    chosen: list[ReviewStatus] = [s for s in REVIEW_STATUSES if s in values]
    return chosen or ["draft", "approved"]


def _day(value: str | None, today: date) -> date | None:
    if value in (None, ""):
        return today
    if value == "all":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(
            400, f"day: expected a date as YYYY-MM-DD or 'all', got {value!r}"
        ) from None


@router.get("/desk", response_class=HTMLResponse)
def queue(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    lang: str | None = None,
    day: str | None = None,
    done: str | None = None,
) -> HTMLResponse:
    language = parse_lang(lang)
    editor = _editor(request, settings)
    if editor is None:
        return _page(request, "desk/login.html", language, enabled=bool(settings.admin_tokens))
    desk = _desk(store, settings)
    today = desk.today()
    chosen_day = _day(day, today)
    statuses = _statuses(request.query_params.getlist("status"))
    entries = desk.queue(statuses=statuses, day=chosen_day, limit=_QUEUE_SIZE)
    return _page(
        request,
        "desk/queue.html",
        language,
        editor=editor,
        entries=entries,
        statuses=statuses,
        all_statuses=REVIEW_STATUSES,
        day=chosen_day,
        today=today,
        done=done,
        approved_waiting=len(desk.queue(statuses=["approved"], limit=_QUEUE_SIZE)),
    )


@router.post("/desk/login")
def login(
    request: Request,
    settings: SettingsDep,
    token: Annotated[str, Form(max_length=500)],
    lang: str | None = None,
) -> Response:
    require_same_origin(request)
    cookie = session_cookie(settings, token)
    if cookie is None:
        return _page(
            request,
            "desk/login.html",
            parse_lang(lang),
            status_code=401,
            enabled=bool(settings.admin_tokens),
            error=True,
        )
    response = RedirectResponse(f"/desk?lang={parse_lang(lang)}", status_code=303)
    response.set_cookie(
        COOKIE,
        cookie,
        max_age=SESSION_SECONDS,
        path="/desk",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/desk/logout")
def logout(request: Request) -> Response:
    require_same_origin(request)
    response = RedirectResponse("/desk", status_code=303)
    response.delete_cookie(COOKIE, path="/desk")
    return response


def _entry_page(
    request: Request,
    store: Store,
    settings: WebSettings,
    found: DeskEntry,
    language: Lang,
    editor: str,
    *,
    error: str | None = None,
    saved: str | None = None,
) -> HTMLResponse:
    desk = _desk(store, settings)
    checker = _checker(settings.translate_options)
    return _page(
        request,
        "desk/entry.html",
        language,
        status_code=400 if error else 200,
        editor=editor,
        found=found,
        suggestions=check_entry(found.entry, checker),
        comparison=comparison_view(found.draft.comparison),
        preview=render_entry(found.entry, extras=False),
        kept={s.article_id for s in found.entry.sources},
        events=desk.events(found.key),
        error=error,
        saved=saved,
        edition_title=edition_title(found.day),
    )


@router.get("/desk/stories/{key}", response_class=HTMLResponse)
def entry(
    request: Request,
    key: str,
    store: StoreDep,
    settings: SettingsDep,
    lang: str | None = None,
    saved: str | None = None,
) -> Response:
    language = parse_lang(lang)
    editor = _editor(request, settings)
    if editor is None:
        return RedirectResponse(f"/desk?lang={language}", status_code=303)
    try:
        found = _desk(store, settings).entry(key)
    except NoSuchStoryError as error:
        raise HTTPException(404, str(error)) from None
    return _entry_page(request, store, settings, found, language, editor, saved=saved)


def _back(key: str, lang: Lang, saved: str) -> RedirectResponse:
    query = urlencode({"lang": lang, "saved": saved})
    return RedirectResponse(f"/desk/stories/{quote(key, safe='')}?{query}", status_code=303)


TextField = Annotated[str, Form(max_length=6000)]


@router.post("/desk/stories/{key}/edit")
async def edit(
    request: Request,
    key: str,
    store: StoreDep,
    settings: SettingsDep,
    headline_uk: TextField = "",
    summary_uk: TextField = "",
    headline_en: TextField = "",
    summary_en: TextField = "",
    lang: str | None = None,
) -> Response:
    editor = _require_editor(request, settings)
    language = parse_lang(lang)
    desk = _desk(store, settings)
    form = await request.form()
    kept = {int(v) for v in form.getlist("keep") if isinstance(v, str) and v.isdigit()}
    try:
        current = desk.entry(key)
        sources = {s.article_id for s in current.draft.sources if s.article_id is not None}
        # The form holds every field: one left as the machine wrote it is no edit.
        draft_uk = current.draft.ukrainian
        change = TextChange(
            headline_uk=_unless_same(headline_uk, draft_uk.headline if draft_uk else None),
            summary_uk=_unless_same(summary_uk, draft_uk.summary if draft_uk else None),
            headline_en=_unless_same(headline_en, current.draft.summary.headline),
            summary_en=_unless_same(summary_en, current.draft.summary.text),
            drop_sources=tuple(sorted(sources - kept)),
            restore_sources=tuple(sorted(sources & kept)),
        )
        desk.edit(key, change, by=editor)
    except NoSuchStoryError as error:
        raise HTTPException(404, str(error)) from None
    except ReviewError as error:
        return _entry_page(
            request, store, settings, desk.entry(key), language, editor, error=str(error)
        )
    return _back(key, language, "edit")


def _unless_same(value: str, machine: str | None) -> str:
    """The form's text as an edit: "" (the machine's) where it is the machine's."""
    value = value.replace("\r\n", "\n").strip()
    return "" if machine is not None and value == machine.strip() else value


@router.post("/desk/stories/{key}/decide")
def decide(
    request: Request,
    key: str,
    store: StoreDep,
    settings: SettingsDep,
    action: Annotated[str, Form(max_length=20)],
    note: Annotated[str, Form(max_length=500)] = "",
    lang: str | None = None,
) -> Response:
    editor = _require_editor(request, settings)
    language = parse_lang(lang)
    statuses: dict[str, ReviewStatus] = {
        "approve": "approved",
        "reject": "rejected",
        "draft": "draft",
    }
    if action not in statuses:
        raise HTTPException(400, f"action: approve, reject or draft, not {action!r}")
    desk = _desk(store, settings)
    try:
        desk.decide(key, statuses[action], by=editor, note=note)
    except NoSuchStoryError as error:
        raise HTTPException(404, str(error)) from None
    except ReviewError as error:
        return _entry_page(
            request, store, settings, desk.entry(key), language, editor, error=str(error)
        )
    return _back(key, language, action)


@router.post("/desk/publish")
def publish(
    request: Request, store: StoreDep, settings: SettingsDep, lang: str | None = None
) -> Response:
    """Publish the next edition: every approved entry, dated today."""
    editor = _require_editor(request, settings)
    edition = _desk(store, settings).publish(by=editor)
    done = f"{edition.day.isoformat()}:{len(edition.new)}"
    query = urlencode({"lang": parse_lang(lang), "done": done, "day": edition.day.isoformat()})
    return RedirectResponse(f"/desk?{query}", status_code=303)
