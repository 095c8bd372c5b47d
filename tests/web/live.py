"""The web app on a real uvicorn server on loopback, for the tests that need
one (a browser, schemathesis)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from ohliad.store import Store
from ohliad.web import WebSettings, create_app

# The admin token the servers accept.
ADMIN_TOKEN = "live-test-token"


@contextmanager
def serving(store: Store, **settings: Any) -> Iterator[str]:
    """The app over ``store`` on a real uvicorn server, on a free loopback port;
    ``settings`` are WebSettings' fields."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(store, WebSettings(**{"admin_tokens": {ADMIN_TOKEN: "admin"}, **settings}))
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not uv.started:
        if not thread.is_alive():
            raise RuntimeError("the uvicorn server did not start")
        threading.Event().wait(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        sock.close()
