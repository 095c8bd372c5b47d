"""``ohliad serve`` as an operator runs it: a real server process on loopback,
asked over HTTP. What only the running server decides is tested here: the
Host names it answers feeds for, and whose forwarding headers it believes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from ohliad.web import WebSettings
from tests.web.conftest import build_digest_store

# Seconds each (processes, servers, models): left out of make test-fast.
pytestmark = pytest.mark.slow

# The requests one client may send at once, as ohliad serve runs.
BURST = WebSettings().rate_burst


@pytest.fixture(scope="module")
def digest_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("serve") / "digest.db"
    build_digest_store(db).close()
    return db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def ohliad_serve(db: Path, home: Path) -> Iterator[str]:
    """``ohliad serve --host 127.0.0.1`` on a free port, with no configuration
    (no OHLIAD_* variable, no ohliad.toml); yields its address."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OHLIAD_")}
    env |= {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "config")}
    command = [sys.executable, "-m", "ohliad", "serve", "--db", str(db)]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    log = home / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=home, env=env, stdout=output, stderr=output)
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"ohliad serve stopped: {log.read_text()}")
            try:
                httpx.get(f"{address}/static/app.js", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield address
    finally:
        server.terminate()
        server.wait(timeout=30)


def _statuses(address: str, forwarded_for: list[str]) -> list[int]:
    """The answers to one request per X-Forwarded-For value, sent from loopback."""
    with httpx.Client(base_url=address) as http:
        return [
            http.get("/static/app.js", headers={"X-Forwarded-For": value}).status_code
            for value in forwarded_for
        ]


# Twice the burst: the tokens that refill while they are sent cannot cover it.
REQUESTS = 2 * BURST


def test_serve_builds_links_and_knows_clients_from_what_it_is_told(
    digest_db: Path, tmp_path: Path
) -> None:
    # One server for both checks: each start takes seconds.
    with ohliad_serve(digest_db, tmp_path) as address:
        # Feeds' links follow the address it is bound to; another Host is refused.
        feed = httpx.get(f"{address}/feeds/rss.xml")
        assert feed.status_code == 200
        assert f"<link>{address}/?lang=uk</link>" in feed.text
        forged = httpx.get(f"{address}/feeds/rss.xml", headers={"Host": "attacker.example"})
        assert forged.status_code == 400
        assert forged.json()["detail"].startswith("unknown host 'attacker.example'")
        # No proxy is configured: a loopback client's X-Forwarded-For, new on
        # every request, is not believed, and the client is refused in time.
        statuses = _statuses(address, [f"198.51.100.{n % 250}" for n in range(REQUESTS)])
    assert statuses[: BURST // 2] == [200] * (BURST // 2)
    assert 429 in statuses
