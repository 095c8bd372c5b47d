"""The ohliad web app: server-rendered pages, the JSON API, feeds and admin
actions over one store. ``ohliad serve`` runs it with uvicorn."""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

# Starlette's own: routing raises it for unknown paths and methods.
from starlette.exceptions import HTTPException

from ohliad.assembly import open_pipeline, translate_options
from ohliad.errors import OhliadError
from ohliad.settings import Settings
from ohliad.store import Store
from ohliad.store.search import SearchUnsupportedError
from ohliad.web import admin, api, desk, pages, publish
from ohliad.web.deps import WebSettings, render_page
from ohliad.web.i18n import parse_lang
from ohliad.web.security import (
    BodySizeLimitMiddleware,
    EntityTagMiddleware,
    RateLimitMiddleware,
    SecurityHeadersMiddleware,
    docs_policy,
    with_security_headers,
)

STATIC = Path(__file__).with_name("static")
SERVER_ERROR = "internal error: the server could not answer"


def web_settings(
    settings: Settings, store: Store, *, bound_hosts: tuple[str, ...] = ()
) -> WebSettings:
    """The web app's settings: the admin tokens turn the admin actions and the desk on;
    ``public_url`` is the site's address for links in feeds, without which
    they follow a Host the server is reached at directly (``bound_hosts``,
    the addresses ``ohliad serve`` listens on, or loopback's);
    ``trusted_proxies`` are the proxies whose X-Forwarded-For names the
    client. Re-running a story opens the pipeline over ``store`` on first
    use: loading its engines would otherwise delay the server's start."""
    return WebSettings(
        admin_tokens=settings.admin_token_names(),
        review=settings.review,
        desk_timezone=settings.desk_timezone,
        translate_options=translate_options(settings),
        public_url=settings.public_url,
        bound_hosts=bound_hosts,
        trusted_proxies=settings.trusted_proxies,
        open_pipeline=lambda: open_pipeline(settings, store=store),
    )


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith(("/api/", "/feeds/", "/digest/")) and (
        "text/html" in request.headers.get("accept", "")
    )


def _error_message(exc: HTTPException | RequestValidationError) -> str:
    if isinstance(exc, HTTPException):
        return str(exc.detail)
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(part) for part in first.get("loc", ())[1:]) or "request"
    return f"{where}: {first.get('msg', 'invalid input')}"


def _add_error_pages(app: FastAPI) -> None:
    """Errors read as one line: a page for people, JSON for programs."""

    async def handle(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException | RequestValidationError)
        code = exc.status_code if isinstance(exc, HTTPException) else 422
        message = _error_message(exc)
        # The exception's own headers go with it: Allow on a 405.
        headers = getattr(exc, "headers", None)
        if _wants_html(request):
            lang = parse_lang(request.query_params.get("lang"))
            page = render_page(request, "error.html", lang, status_code=code, message=message)
            page.headers.update(headers or {})
            return page
        return JSONResponse({"detail": message}, status_code=code, headers=headers)

    async def handle_unsupported(request: Request, exc: Exception) -> Response:
        return await handle(request, HTTPException(501, str(exc)))

    async def handle_crash(request: Request, exc: Exception) -> Response:
        # Starlette answers a crash outside every middleware, so the headers
        # are added here; the traceback goes to the server's log.
        response = await handle(request, HTTPException(500, SERVER_ERROR))
        response.raw_headers = with_security_headers(response.raw_headers)
        return response

    app.add_exception_handler(HTTPException, handle)
    app.add_exception_handler(RequestValidationError, handle)
    app.add_exception_handler(SearchUnsupportedError, handle_unsupported)
    app.add_exception_handler(Exception, handle_crash)


# Swagger UI's and ReDoc's assets, from the fastapi-offline package.
DOCS_ASSETS = resources.files("fastapi_offline") / "static"


def _add_docs(app: FastAPI) -> None:
    """/docs (Swagger UI) and /redoc; their assets are under /static/docs/."""
    pages = {
        "/docs": get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="ohliad API",
            swagger_js_url="/static/docs/swagger-ui-bundle.js",
            swagger_css_url="/static/docs/swagger-ui.css",
            swagger_favicon_url="/static/docs/favicon.png",
        ),
        "/redoc": get_redoc_html(
            openapi_url="/openapi.json",
            title="ohliad API",
            redoc_js_url="/static/docs/redoc.standalone.js",
            redoc_favicon_url="/static/docs/favicon.png",
            with_google_fonts=False,
        ),
    }
    for path, page in pages.items():
        app.add_api_route(path, _docs_page(bytes(page.body).decode()), include_in_schema=False)


def _docs_page(html: str) -> Callable[[], HTMLResponse]:
    policy = docs_policy(html)

    def show() -> HTMLResponse:
        return HTMLResponse(html, headers={"Content-Security-Policy": policy})

    return show


def create_app(store: Store, settings: WebSettings | None = None) -> FastAPI:
    settings = settings or WebSettings()
    app = FastAPI(
        title="ohliad",
        summary="The news digest: stories in English and Ukrainian, their sources, "
        "how the sources compare; articles; full-text search; feeds.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.settings = settings
    # Before /static, which would take its paths otherwise.
    app.mount("/static/docs", StaticFiles(directory=str(DOCS_ASSETS)), name="docs-assets")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (pages, api, publish, admin, desk):
        app.include_router(module.router)
    _add_docs(app)
    _add_error_pages(app)
    # The last added middleware runs first: headers go on every response,
    # refused ones included, and the rate is limited before a body is read.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        RateLimitMiddleware,
        per_minute=settings.rate_per_minute,
        burst=settings.rate_burst,
        trusted_proxies=settings.trusted_proxies,
    )
    app.add_middleware(EntityTagMiddleware)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def serve(app: FastAPI, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the app with uvicorn, with limits on connections and header sizes.
    A port that cannot be had is one ``WebServerError`` line, before uvicorn
    starts (its own is a log record and a bare exit)."""
    import uvicorn

    listener = _listen(host, port)
    uvicorn.run(
        app,
        host=host,
        port=port,
        fd=listener.fileno(),
        # The app believes forwarding headers from the proxies the settings
        # name (trusted_proxies); uvicorn's own believes any from loopback.
        proxy_headers=False,
        server_header=False,
        limit_concurrency=200,
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=16 * 1024,
        log_level="info",
    )


class WebServerError(OhliadError):
    """The server cannot start: the message names the address and what to do."""


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, reuse_port=False, backlog=2048)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise WebServerError(
                f"port {port} on {host} is in use: stop what listens there, or give --port"
            ) from None
        if error.errno == errno.EACCES:
            raise WebServerError(
                f"port {port} on {host} needs privileges: give --port above 1023"
            ) from None
        raise WebServerError(f"cannot listen on {host}:{port}: {error.strerror}") from None
