"""A fetch connects to the addresses its guard checked and never asks DNS
again, so a name that answers the guard with a public address and the
connection with a private one (DNS rebinding) reaches nothing private."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ohliad.ingest import FetchError, FetchOptions, fetch
from ohliad.ingest.fetch import FetchClient
from tests.ingest.servers import PUBLIC_NOWHERE, PageServer, RebindingResolver, rebinding_resolver

ALLOW = FetchOptions(allow_private=True, timeout=5.0)


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> RebindingResolver:
    return rebinding_resolver(monkeypatch)


@pytest.fixture
def checked() -> Iterator[PageServer]:
    server = PageServer("127.0.0.1").start()
    yield server
    server.stop()


@pytest.fixture
def rebound(checked: PageServer) -> Iterator[PageServer]:
    """A server on 127.0.0.2 at the port of ``checked``: where a second lookup leads."""
    server = PageServer("127.0.0.2", checked.port).start()
    yield server
    server.stop()


@pytest.mark.parametrize("own_client", [True, False], ids=["own-client", "client-passed-in"])
def test_a_name_rebound_to_a_private_address_reaches_nothing(
    dns: RebindingResolver, rebound: PageServer, own_client: bool
) -> None:
    dns.rebind("news.test", PUBLIC_NOWHERE, "127.0.0.2")
    rebound.add("/page", b"private")
    options = FetchOptions(timeout=1.0)
    client = None if own_client else FetchClient(options)
    with pytest.raises(FetchError):  # the approved public address does not answer
        fetch(f"http://news.test:{rebound.port}/page", options, client=client)
    assert rebound.requests == []
    assert dns.queries["news.test"] == 1


def test_every_hop_connects_where_its_guard_resolved_and_names_its_host(
    dns: RebindingResolver, checked: PageServer, rebound: PageServer
) -> None:
    port = checked.port
    dns.rebind("one.test", "127.0.0.1", "127.0.0.2")
    dns.rebind("two.test", "127.0.0.1", "127.0.0.2")
    checked.add("/start", b"", status=302, Location=f"http://two.test:{port}/end")
    checked.add("/end", b"checked")
    rebound.add("/start", b"rebound")
    rebound.add("/end", b"rebound")
    result = fetch(f"http://one.test:{port}/start", ALLOW)
    assert result.content == b"checked"
    assert result.url == f"http://two.test:{port}/end"
    assert checked.requests == [("/start", f"one.test:{port}"), ("/end", f"two.test:{port}")]
    assert rebound.requests == []
    assert dns.queries == {"one.test": 1, "two.test": 1}


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for news.test and its key."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1"
    names = ["-subj", "/CN=news.test", "-addext", "subjectAltName=DNS:news.test"]
    subprocess.run(
        [*command.split(), *names, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_tls_to_the_checked_address_names_the_host(
    dns: RebindingResolver, certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    server_names: list[str | None] = []
    context.sni_callback = lambda _socket, name, _context: server_names.append(name)
    server = PageServer("127.0.0.1", tls=context).start()
    server.add("/page", b"over tls")
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # the one certificate trusted
    dns.rebind("news.test", "127.0.0.1", "127.0.0.2")
    try:
        result = fetch(f"https://news.test:{server.port}/page", ALLOW)
    finally:
        server.stop()
    assert result.content == b"over tls"
    assert server_names == ["news.test"]
    assert server.requests == [("/page", f"news.test:{server.port}")]
