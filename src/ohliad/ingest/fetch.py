"""Fetching over HTTP with the limits a crawler owes to itself and to others:
timeouts, a response size cap, a redirect limit checked hop by hop, and the
private-address guard on every hop."""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx

from ohliad import __version__
from ohliad.errors import OhliadError
from ohliad.ingest.urls import check_fetchable

USER_AGENT = f"ohliad/{__version__} (+https://github.com/ohliad/ohliad; news digest bot)"


class FetchError(OhliadError, RuntimeError):
    """A fetch failed; the message is one line for people."""


@dataclass(frozen=True, slots=True)
class FetchOptions:
    timeout: float = 20.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False
    user_agent: str = USER_AGENT
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str  # after redirects
    status: int
    content: bytes
    headers: Mapping[str, str]

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset the server declared in Content-Type, if any."""
        for parameter in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    # Read raw bytes and decompress ourselves with a cap, so that a small
    # compressed body cannot expand into gigabytes (a decompression bomb).
    raw = bytearray()
    for chunk in response.iter_raw():
        raw.extend(chunk)
        if len(raw) > max_bytes:
            raise FetchError(f"response larger than {max_bytes} bytes")
    encoding = response.headers.get("content-encoding", "").lower().strip()
    if encoding in ("gzip", "x-gzip", "deflate"):
        wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
        decompressor = zlib.decompressobj(wbits)
        try:
            body = decompressor.decompress(bytes(raw), max_bytes + 1)
        except zlib.error as exc:
            raise FetchError(f"corrupt {encoding} body: {exc}") from None
        if len(body) > max_bytes or decompressor.unconsumed_tail:
            raise FetchError(f"decompressed response larger than {max_bytes} bytes")
        return body
    if encoding not in ("", "identity"):
        raise FetchError(f"unsupported content encoding {encoding!r}")
    return bytes(raw)


def fetch(
    url: str, options: FetchOptions | None = None, *, client: httpx.Client | None = None
) -> FetchResult:
    """GET ``url`` following at most ``max_redirects`` redirects. Raises
    FetchError or UnsafeURLError with a one-line reason."""
    options = options or FetchOptions()
    headers = {
        "User-Agent": options.user_agent,
        "Accept-Encoding": "gzip, deflate",
        **options.headers,
    }
    own_client = client is None
    http = client or httpx.Client(timeout=options.timeout, follow_redirects=False)
    try:
        current = url
        for _hop in range(options.max_redirects + 1):
            check_fetchable(current, allow_private=options.allow_private)
            try:
                with http.stream("GET", current, headers=headers) as response:
                    # has_redirect_location, not is_redirect: a 304 is no redirect.
                    if response.has_redirect_location:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(f"redirect without a Location header ({current})")
                        current = urljoin(current, location)
                        continue
                    content = _read_capped(response, options.max_bytes)
                    return FetchResult(
                        url=str(response.url),
                        status=response.status_code,
                        content=content,
                        headers={k.lower(): v for k, v in response.headers.items()},
                    )
            except httpx.TimeoutException:
                raise FetchError(f"timed out after {options.timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"cannot fetch: {exc}") from None
        raise FetchError(f"more than {options.max_redirects} redirects")
    finally:
        if own_client:
            http.close()


def fetch_ok(url: str, options: FetchOptions | None = None) -> FetchResult:
    """Like :func:`fetch`, but an HTTP error status is a FetchError."""
    result = fetch(url, options)
    if result.status >= 400:
        raise FetchError(f"HTTP {result.status}")
    return result
