"""The web app on a real uvicorn server on loopback, for the tests that need
one (a browser, schemathesis)."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from ohliad.store import Store
from ohliad.web import WebSettings, create_app

# The admin token the servers accept.
ADMIN_TOKEN = "live-test-token"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--lang=uk-UA",
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The marks of a module of browser tests.
BROWSER_MARKS = [
    pytest.mark.browser,
    # CI installs chromium (and says so): there these tests must run, not skip.
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("OHLIAD_TEST_REQUIRE_SERVICES"),
        reason="needs Debian's chromium at /usr/bin/chromium",
    ),
]


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
