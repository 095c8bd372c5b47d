from collections.abc import Iterator
from pathlib import Path

import pytest

from ohliad.store import Store
from tests.translate.chat_server import serve

__all__ = ["serve", "store"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(str(tmp_path / "translations.db"))
    yield opened
    opened.close()
