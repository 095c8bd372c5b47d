"""Fetching over HTTP with the limits a crawler owes to itself and to others:
timeouts and a deadline for the whole response, a response size cap, a
redirect limit checked hop by hop, and the private-address guard on every
hop, whose connections go only to the addresses the guard checked."""

from __future__ import annotations

import ssl
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar
from urllib.parse import urljoin

import httpcore
import httpx

from ohliad import __version__
from ohliad.errors import OhliadError
from ohliad.ingest.urls import check_fetchable

USER_AGENT = f"ohliad/{__version__} (+https://github.com/ohliad/ohliad; news digest bot)"


class FetchError(OhliadError, RuntimeError):
    """A fetch failed; the message is one line for people."""


@dataclass(frozen=True, slots=True)
class FetchOptions:
    timeout: float = 20.0  # seconds for each connect, read or write
    # Seconds for the whole fetch, redirects, head and body included: a server
    # dripping a byte now and then never lets a read time out.
    deadline: float = 60.0
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


@dataclass(frozen=True, slots=True)
class _Hop:
    """The request of a fetch under way: its host, the addresses the guard
    approved for it, and when the fetch must be done."""

    host: str  # as httpx spells it (lower case, IDNA)
    addresses: tuple[str, ...]
    ends_at: float  # time.monotonic()


# Set by fetch() around each request. httpx's sync client connects and reads
# in the caller's thread, so a connection sees the hop of the request using
# it, even while other threads fetch through the same client (the watcher's).
_current_hop: ContextVar[_Hop | None] = ContextVar("ohliad_fetch_hop", default=None)


class _DeadlinePassed(Exception):
    """The fetch under way ran out of time. Not an httpx or httpcore error, so
    it passes through both (each closes the connection on the way) to fetch()."""


_T = TypeVar("_T")


def _by_deadline(step: Callable[..., _T], timeout: float | None) -> _T:
    """One network step (connect, TLS handshake, read, write), called with
    ``timeout=`` cut to the time left to the fetch under way."""
    hop = _current_hop.get()
    if hop is None:
        return step(timeout=timeout)
    left = hop.ends_at - time.monotonic()
    if timeout is not None and timeout < left:
        return step(timeout=timeout)
    if left <= 0:
        raise _DeadlinePassed
    try:
        return step(timeout=left)
    except httpcore.TimeoutException:
        raise _DeadlinePassed from None


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every step ends by the deadline of the fetch using
    it: httpx's timeout bounds each read alone."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return _by_deadline(partial(self._stream.read, max_bytes), timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        _by_deadline(partial(self._stream.write, buffer), timeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        handshake = partial(self._stream.start_tls, ssl_context, server_hostname)
        return _DeadlineStream(_by_deadline(handshake, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects to the addresses the guard approved for the request under way
    and never resolves the host name again: a name that answers the guard
    with a public address and the connection with a private one (DNS
    rebinding) gets nowhere. TLS still names the host (SNI, the certificate
    check) and so does the Host header: httpcore takes both from the URL.
    Its connections end by the fetch's deadline."""

    def __init__(self) -> None:
        self._sockets = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        hop = _current_hop.get()
        if hop is None or host != hop.host:
            # Only fetch() knows what the guard approved; anything else fails closed.
            raise httpcore.ConnectError(f"{host} was not checked by the address guard")

        def connect(address: str) -> httpcore.NetworkStream:
            step = partial(
                self._sockets.connect_tcp,
                address,
                port,
                local_address=local_address,
                socket_options=socket_options,
            )
            return _DeadlineStream(_by_deadline(step, timeout))

        # Each address in the resolver's order, as socket.create_connection tries them.
        *others, last = hop.addresses
        for address in others:
            try:
                return connect(address)
            except (httpcore.ConnectError, httpcore.ConnectTimeout):
                continue
        return connect(last)


@contextmanager
def _as_httpx_errors() -> Iterator[None]:
    # Users of an httpx client catch httpx's errors, not httpcore's.
    try:
        yield
    except httpcore.TimeoutException as exc:
        raise httpx.TimeoutException(str(exc)) from exc
    except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol) as exc:
        raise httpx.TransportError(str(exc)) from exc


class _ResponseBody(httpx.SyncByteStream):
    def __init__(self, response: httpcore.Response) -> None:
        self._response = response

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors():
            yield from self._response.iter_stream()

    def close(self) -> None:
        self._response.close()


class _PinnedTransport(httpx.BaseTransport):
    """httpx over an httpcore connection pool that connects through
    :class:`_PinnedBackend`. httpx's own HTTPTransport takes no network
    backend (httpx 0.28), hence this bridge over httpcore's public pool."""

    def __init__(self) -> None:
        limits = httpx.Limits()  # httpx's defaults
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_PinnedBackend(),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = httpcore.URL(
            scheme=request.url.raw_scheme,
            host=request.url.raw_host,
            port=request.url.port,
            target=request.url.raw_path,
        )
        core_request = httpcore.Request(
            request.method,
            url,
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            response = self._pool.handle_request(core_request)
        return httpx.Response(
            response.status,
            headers=response.headers,
            stream=_ResponseBody(response),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


class FetchClient(httpx.Client):
    """An HTTP client for :func:`fetch` that keeps its connections between
    fetches (the watcher's). It connects only to the addresses the guard
    approved for the fetch under way (a connection kept alive goes on to the
    address approved when it was opened). With a transport of its own it
    ignores proxies named in the environment: a proxy resolves names itself."""

    def __init__(self, options: FetchOptions) -> None:
        super().__init__(
            timeout=options.timeout, follow_redirects=False, transport=_PinnedTransport()
        )


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
    url: str, options: FetchOptions | None = None, *, client: FetchClient | None = None
) -> FetchResult:
    """GET ``url`` following at most ``max_redirects`` redirects, all within
    ``deadline`` seconds. Raises FetchError or UnsafeURLError with a one-line
    reason."""
    options = options or FetchOptions()
    headers = {
        "User-Agent": options.user_agent,
        "Accept-Encoding": "gzip, deflate",
        **options.headers,
    }
    ends_at = time.monotonic() + options.deadline
    own_client = client is None
    http = client or FetchClient(options)
    try:
        current = url
        for _ in range(options.max_redirects + 1):
            addresses = check_fetchable(current, allow_private=options.allow_private)
            hop = _Hop(httpx.URL(current).raw_host.decode("ascii"), addresses, ends_at)
            hop_token = _current_hop.set(hop)
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
            except _DeadlinePassed:
                raise FetchError(f"no complete response within {options.deadline:g} s") from None
            except httpx.TimeoutException:
                raise FetchError(f"timed out after {options.timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"cannot fetch: {exc}") from None
            finally:
                _current_hop.reset(hop_token)
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
