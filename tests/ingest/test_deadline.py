"""A fetch ends by its deadline, however slowly a server drips its answer."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ohliad.assembly import fetch_options
from ohliad.ingest import FetchError, FetchOptions, IngestFailure, IngestOptions, fetch, read_inputs
from ohliad.models import Article
from ohliad.settings import Settings, SettingsError
from tests.conftest import LoopbackServer
from tests.ingest.servers import DripServer

# Each byte comes every 0.5 s, well within the 1 s a single read may take.
DRIPPING = FetchOptions(allow_private=True, timeout=1.0, deadline=2.0)


@pytest.fixture(params=[False, True], ids=["body", "head"])
def drip_server(request: pytest.FixtureRequest) -> Iterator[DripServer]:
    server = DripServer(drip_head=request.param).start()
    yield server
    server.stop()


def test_a_dripping_response_fails_at_the_deadline(drip_server: DripServer) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^no complete response within 2 s$"):
        fetch(drip_server.url("/page"), DRIPPING)
    took = time.monotonic() - started
    assert 1.9 <= took < 4.0


def test_a_silent_server_still_times_out_on_a_read() -> None:
    server = DripServer(interval=3.0).start()  # the head, then 3 s of silence
    try:
        with pytest.raises(FetchError, match=r"^timed out after 1 s$"):
            fetch(server.url("/page"), FetchOptions(allow_private=True, timeout=1.0, deadline=10.0))
    finally:
        server.stop()


def test_the_rest_of_the_batch_goes_on(
    drip_server: DripServer, http_server: LoopbackServer
) -> None:
    body = "".join(
        f"<p>The city council approved the new tram line on Tuesday, paragraph {i}, "
        "after a year of hearings about routes, costs and the depot.</p>"
        for i in range(8)
    )
    page = http_server.add(
        "/tram",
        f"<html><head><title>Tram line approved</title></head><body><article>"
        f"<h1>Tram line approved</h1>{body}</article></body></html>",
        Content_Type="text/html; charset=utf-8",
    )
    slow = drip_server.url("/slow")
    failure, article = read_inputs([slow, page], IngestOptions(fetch=DRIPPING))
    assert isinstance(failure, IngestFailure)
    assert (failure.origin, failure.reason) == (slow, "no complete response within 2 s")
    assert isinstance(article, Article) and "tram line" in article.text


def test_the_deadline_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no ohliad.toml around
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert fetch_options(Settings()).deadline == 60.0
    settings = Settings.load(environ={"OHLIAD_FETCH_DEADLINE": "12.5"})
    assert fetch_options(settings).deadline == 12.5
    with pytest.raises(SettingsError, match="OHLIAD_FETCH_DEADLINE"):
        Settings.load(environ={"OHLIAD_FETCH_DEADLINE": "0"})
