"""Fixtures for the watcher: a live feed server on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.watch.feedserver import FeedServer


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer().start()
    yield server
    server.stop()
