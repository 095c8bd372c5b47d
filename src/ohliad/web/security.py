"""Security for the web app: response headers (Content-Security-Policy),
a per-client rate limit, a request size limit and the admin token check.

The middlewares are plain ASGI so that they also guard streamed bodies and
run before any route does work.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Address, IPv6Network, ip_address

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No inline script or style anywhere: article text can never run or restyle the page.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def docs_policy(docs_html: str) -> str:
    """The policy for the API documentation pages: their assets from this
    server only (no CDN: the pages work offline), their inline start-up
    script allowed by hash (it holds no article text). ReDoc injects its
    styles and runs a worker from a blob: URL."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in _INLINE_SCRIPT.findall(docs_html)
    )
    return (
        f"default-src 'self'; script-src 'self' {hashes}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )


def _header(name: str, value: str) -> tuple[bytes, bytes]:
    return name.encode("latin-1"), value.encode("latin-1")


_HARDENING_HEADERS = (
    _header("X-Content-Type-Options", "nosniff"),
    _header("X-Frame-Options", "DENY"),
    # No address goes to other sites; "no-referrer" would also make browsers
    # send "Origin: null" on this site's own forms, which the Origin check
    # must then refuse (the admin and desk forms).
    _header("Referrer-Policy", "same-origin"),
)


def with_security_headers(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` and the hardening headers, with the pages' CSP unless they
    set their own (the OpenAPI page does)."""
    headers = list(headers)
    if b"content-security-policy" not in {name.lower() for name, _ in headers}:
        headers.append(_header("Content-Security-Policy", PAGE_POLICY))
    return headers + list(_HARDENING_HEADERS)


class EntityTagMiddleware:
    """ETags on the JSON API's answers: a strong tag from the body's hash, and
    304 Not Modified when ``If-None-Match`` names it (a client polling the
    stories list gets no body until it changes). The feeds set their own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or not scope["path"].startswith("/api/")
        ):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def hold(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            assert start is not None
            if start["status"] != 200:
                await send(start)
                await send({"type": "http.response.body", "body": b"".join(chunks)})
                return
            body = b"".join(chunks)
            tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            asked = dict(scope["headers"]).get(b"if-none-match", b"").decode("latin-1")
            headers = [h for h in start["headers"] if h[0].lower() != b"etag"]
            headers.append(_header("ETag", tag))
            if tag in {t.strip().removeprefix("W/") for t in asked.split(",")} or asked == "*":
                kept = [h for h in headers if h[0].lower() not in _BODY_HEADERS]
                await send({**start, "status": 304, "headers": kept})
                await send({"type": "http.response.body", "body": b""})
                return
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, hold)


# Headers that describe a body, which a 304 does not carry.
_BODY_HEADERS = {b"content-length", b"content-type", b"content-encoding"}


class SecurityHeadersMiddleware:
    """Adds the security headers (``with_security_headers``) to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": with_security_headers(message.get("headers", []))}
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _send_error(send: Send, status: int, message: str, **headers: str) -> None:
    body = json.dumps({"detail": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                _header("Content-Type", "application/json"),
                _header("Content-Length", str(len(body))),
                *(_header(k, v) for k, v in headers.items()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class _BodyTooLargeError(Exception):
    pass


class BodySizeLimitMiddleware:
    """Refuses request bodies over ``max_bytes`` with 413, by the declared
    length and, for chunked uploads, by what actually arrives."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = f"request body over the limit of {self.max_bytes} bytes"
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _send_error(send, 413, too_large)
            return
        received = 0
        started = refused = False

        async def counted_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    if not started:
                        refused = True
                        await _send_error(send, 413, too_large)
                    raise _BodyTooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            # Once refused, the app's own answer (an error about the cut-off body) is dropped.
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except _BodyTooLargeError:
            # Answered with 413 already, or the response had begun: nothing to add.
            return


@dataclass
class _Bucket:
    tokens: float
    checked: float


Network = IPv4Network | IPv6Network


def _is_trusted(address: str, proxies: Sequence[Network]) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in network for network in proxies)


def client_address(scope: Scope, trusted_proxies: Sequence[Network]) -> str:
    """The address of the client behind a request: the peer's; or, when the
    peer is a trusted proxy, the last address of X-Forwarded-For before the
    trusted proxies (each proxy appends the address it heard from; what comes
    before is the client's own say)."""
    client = scope.get("client")
    address: str = client[0] if client else "unknown"
    if not _is_trusted(address, trusted_proxies):
        return address
    forwarded = [
        hop.strip()
        for name, value in scope.get("headers", [])
        if name.lower() == b"x-forwarded-for"
        for hop in value.decode("latin-1").split(",")
    ]
    for hop in reversed([hop for hop in forwarded if hop]):
        address = hop
        if not _is_trusted(hop, trusted_proxies):
            break
    return address


class RateLimitMiddleware:
    """A token bucket per client address (``client_address``): ``burst``
    requests at once, refilled at ``per_minute``. Kept in process memory (one
    server process)."""

    # Buckets kept at most; the least recently seen clients are forgotten first.
    MAX_CLIENTS = 10_000

    def __init__(
        self, app: ASGIApp, per_minute: int, burst: int, trusted_proxies: Sequence[Network] = ()
    ) -> None:
        self.app = app
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.trusted_proxies = tuple(trusted_proxies)
        self.buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        bucket = self.buckets.pop(client, None) or _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.checked) * self.rate)
        bucket.checked = now
        self.buckets[client] = bucket
        if len(self.buckets) > self.MAX_CLIENTS:
            self.buckets.popitem(last=False)
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self.allow(client_address(scope, self.trusted_proxies)):
            retry = max(1, round(1 / self.rate)) if self.rate else 60
            await _send_error(
                send, 429, "too many requests: slow down", **{"Retry-After": str(retry)}
            )
            return
        await self.app(scope, receive, send)


def token_holder(given: str | None, tokens: Mapping[str, str]) -> str | None:
    """The name of the holder of the admin token ``given`` (``tokens``: token
    to name), or None. Each token is compared in constant time, all of them
    every time: the answer's timing tells nothing of which came close."""
    holder = None
    for token, name in tokens.items():
        if given and hmac.compare_digest(given.encode(), token.encode()):
            holder = name
    return holder
