"""What the routes share: the store, the reader's filters and page, templates."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from ohliad.store import Store
from ohliad.store.search import Filters
from ohliad.translate.options import TranslateOptions
from ohliad.web.i18n import (
    LABELS,
    Lang,
    count_conflicts,
    count_quotes,
    count_sources,
    count_waiting,
    format_time,
    parse_lang,
)
from ohliad.web.notes import shown_note, shown_notes
from ohliad.web.views import unquoted

if TYPE_CHECKING:
    from ohliad.pipeline import Pipeline

T = TypeVar("T")

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
TEMPLATES.env.filters["when"] = format_time
TEMPLATES.env.filters["sources"] = count_sources
TEMPLATES.env.filters["conflicts"] = count_conflicts
TEMPLATES.env.filters["waiting"] = count_waiting
TEMPLATES.env.filters["unquoted"] = unquoted
TEMPLATES.env.filters["note"] = shown_note
TEMPLATES.env.filters["notes"] = shown_notes
TEMPLATES.env.globals["count_quotes"] = count_quotes


@dataclass(frozen=True, slots=True)
class WebSettings:
    """How the server behaves. ``admin_tokens`` (token: its holder's name)
    turn the admin actions and the desk on; ``review`` shows the public only
    the entries an editor approved or published."""

    admin_tokens: Mapping[str, str] = field(default_factory=dict)
    review: bool = False
    desk_timezone: str = "UTC"
    # The glossary and house style the desk checks the editor's Ukrainian with.
    translate_options: TranslateOptions = field(default_factory=TranslateOptions)
    page_size: int = 20
    max_body_bytes: int = 64 * 1024
    rate_per_minute: int = 240
    rate_burst: int = 120
    # The site's address, for absolute links in feeds. When unset, they are
    # built from the Host a request names, if the server is reached at it
    # directly: a name it is bound to (``bound_hosts``) or loopback's.
    public_url: str | None = None
    bound_hosts: tuple[str, ...] = ()
    # Proxies whose X-Forwarded-For is believed; any other client could forge it.
    trusted_proxies: tuple[IPv4Network | IPv6Network, ...] = ()
    # Opens the pipeline for re-running stories, on first use: loading its
    # engines would otherwise delay the server's start.
    open_pipeline: Callable[[], Pipeline] | None = field(default=None, compare=False)


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def settings_of(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


class ErrorBody(BaseModel):
    """Every error answer: one line for people."""

    detail: str = Field(examples=["from: expected a date as YYYY-MM-DD, got '5 March'"])


def error_response(description: str) -> dict[str, Any]:
    """An error answer as the OpenAPI document lists it."""
    return {"model": ErrorBody, "description": description}


# The errors every API route may answer, documented as they are sent.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: error_response("A bad parameter value (a date that is not YYYY-MM-DD)"),
    403: error_response("A request from another site, or a wrong admin token"),
    404: error_response("No such story or article"),
    # FastAPI would document its own validation body; ohliad answers with this one.
    422: error_response("A parameter out of range, or of the wrong type"),
    429: error_response("Too many requests: wait for Retry-After seconds"),
}

StoreDep = Annotated[Store, Depends(store_of)]
# The most items an API page holds, whatever the client asks.
MAX_PAGE_SIZE = 100
SettingsDep = Annotated[WebSettings, Depends(settings_of)]


# A day, or empty: HTML forms send the fields they leave blank.
_DAY_SCHEMA: dict[str, Any] = {
    "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]
}


def _day_query(name: str, description: str, example: str) -> Any:
    return Query(
        alias=name,
        description=f"{description}, YYYY-MM-DD",
        json_schema_extra=_DAY_SCHEMA,
        examples=[example],
    )


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"{name}: expected a date as YYYY-MM-DD, got {value!r}") from None


@dataclass(frozen=True, slots=True)
class Selection:
    """The filters and page number asked for."""

    filters: Filters
    page: int
    # Asked for by the client (per_page); None: the server's page size.
    per_page: int | None = None

    def offset(self, page_size: int) -> int:
        return (self.page - 1) * page_size

    def page_size(self, default: int) -> int:
        """The page size the client asked for, else the server's ``default``."""
        return self.per_page or default


@dataclass(frozen=True, slots=True)
class Listing(Selection):
    """A page's selection and its interface language."""

    lang: Lang = "uk"


def selection(
    settings: SettingsDep,
    q: Annotated[str | None, Query(max_length=200, description="Search words")] = None,
    since: Annotated[str | None, _day_query("from", "First day (UTC)", "2026-03-05")] = None,
    until: Annotated[str | None, _day_query("to", "Last day (UTC), included", "2026-03-06")] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    language: Annotated[str | None, Query(max_length=16, description="Source language")] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[
        int | None, Query(ge=1, le=MAX_PAGE_SIZE, description="Items a page (API only)")
    ] = None,
) -> Selection:
    # HTML forms send empty fields; they mean "no filter".
    return Selection(
        filters=Filters(
            text=q.strip() if q and q.strip() else None,
            since=_day(since, "from"),
            until=_day(until, "to"),
            outlet=outlet or None,
            language=language or None,
            reviewed=settings.review,
        ),
        page=page,
        per_page=per_page,
    )


SelectionDep = Annotated[Selection, Depends(selection)]


def listing(
    chosen: SelectionDep,
    lang: Annotated[str | None, Query(description="Edition: uk (default) or en")] = None,
) -> Listing:
    return Listing(filters=chosen.filters, page=chosen.page, lang=parse_lang(lang))


ListingDep = Annotated[Listing, Depends(listing)]


def page_of(
    find: Callable[..., list[T]], store: Store, chosen: Selection, page_size: int
) -> tuple[list[T], bool]:
    """The rows ``find`` (``find_stories``, ``find_articles``) gives for the
    chosen filters and page, and whether another page follows (one row more
    is fetched to tell)."""
    rows = find(store, chosen.filters, limit=page_size + 1, offset=chosen.offset(page_size))
    return rows[:page_size], len(rows) > page_size


def url_with(request: Request, **changes: Any) -> str:
    """The current page's path and query with some parameters changed
    (None removes one); page links and the language switch use it."""
    params = dict(request.query_params)
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = str(value)
    url = request.url.replace_query_params(**params)
    return f"{url.path}?{url.query}" if url.query else url.path


def render_page(
    request: Request, template: str, lang: Lang, status_code: int = 200, **context: Any
) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {"lang": lang, "t": LABELS[lang], "url_with": url_with, **context},
        status_code=status_code,
    )
