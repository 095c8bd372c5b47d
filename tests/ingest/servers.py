"""Servers on loopback for the fetch guard's tests: one that never finishes its
answer, pages served from an address of the test's choice, and a resolver
that rebinds names of the test's own."""

from __future__ import annotations

import itertools
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 1000000\r\n\r\n"
)


class DripServer:
    """Answers robots.txt at once (404) and every other request with a
    response that never completes: the head at once and then one body byte
    per ``interval``, or with ``drip_head`` the head itself a byte at a time.
    Each byte comes sooner than any read timeout a test sets, so only an
    overall deadline ends the fetch. It gives up after ``give_up`` seconds, so
    that a fetch without a deadline fails its test instead of hanging it."""

    def __init__(
        self, *, drip_head: bool = False, interval: float = 0.5, give_up: float = 20.0
    ) -> None:
        self.drip_head = drip_head
        self.interval = interval
        self.give_up = give_up
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}{path}"

    def start(self) -> DripServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(5)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _address = self._listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(self.give_up)
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = connection.recv(4096)
                if not chunk:
                    return
                request += chunk
            if request.split(b" ", 2)[1] == b"/robots.txt":
                # It closes the connection, so it says so: a client that reused it
                # for the next request met "connection reset by peer" (CI, once).
                connection.sendall(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                )
                return
            if not self.drip_head:
                connection.sendall(_HEAD)
            drops = iter(_HEAD) if self.drip_head else itertools.repeat(ord("x"))
            ends = time.monotonic() + self.give_up
            for byte in drops:
                if self._stopping.wait(self.interval) or time.monotonic() > ends:
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:  # the client gave up
                    return


class PageServer:
    """Fixed pages from one loopback address (any of 127.0.0.0/8), over TLS
    when given a context; records the requests it gets, with their Host header."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, tls: ssl.SSLContext | None = None
    ) -> None:
        self.pages: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.requests: list[tuple[str, str | None]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, self.headers.get("Host")))
                status, headers, body = server.pages.get(self.path, (404, {}, b""))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def add(self, path: str, body: bytes, status: int = 200, **headers: str) -> None:
        self.pages[path] = (status, headers, body)

    def start(self) -> PageServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# A public address nothing answers HTTP on (the retired 6to4 relay anycast):
# the guard approves it, and a connection to it goes nowhere.
PUBLIC_NOWHERE = "192.88.99.1"

Resolver = Callable[..., list[tuple[Any, ...]]]


class RebindingResolver:
    """``socket.getaddrinfo`` as a name server rebinding names of the test's
    own (TTL 0) would answer: the first query for a name gets one address,
    every later query another. Other names go to the system's resolver. DNS is
    the one part of a rebinding attack a test cannot run for real here; the
    sockets and servers are real."""

    def __init__(self, system: Resolver) -> None:
        self._system = system
        self._names: dict[str, tuple[str, str]] = {}
        self.queries: Counter[str] = Counter()

    def rebind(self, name: str, first: str, then: str) -> None:
        self._names[name] = (first, then)

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        if host not in self._names:
            return self._system(host, port, *args, **kwargs)
        first, then = self._names[host]
        answer = then if self.queries[host] else first
        self.queries[host] += 1
        return self._system(answer, port, *args, **kwargs)


def rebinding_resolver(monkeypatch: pytest.MonkeyPatch) -> RebindingResolver:
    """A RebindingResolver in place of ``socket.getaddrinfo`` for one test."""
    resolver = RebindingResolver(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    return resolver
