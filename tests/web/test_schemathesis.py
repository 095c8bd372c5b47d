"""The API against its own OpenAPI document: schemathesis with every check
(``--checks all``: server errors, status codes and bodies the document does
not list, content types, schema-violating requests accepted, …) against a
real server on loopback over the digest the other web tests read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ohliad.store import Store
from tests.web.live import serving

# Seconds (a real server, about 900 generated requests).
pytestmark = pytest.mark.slow

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def test_the_api_passes_schemathesis_with_every_check(digest_store: Store, tmp_path: Path) -> None:
    # Rate limits off: they would answer most requests with 429.
    with serving(digest_store, rate_per_minute=10**9, rate_burst=10**9) as url:
        ran = subprocess.run(
            [
                str(SCHEMATHESIS),
                "run",
                f"{url}/openapi.json",
                "--checks",
                "all",
                "--max-examples",
                "25",
                "--seed",
                "7",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,  # where it keeps its own state (.schemathesis/)
            check=False,
        )
    assert ran.returncode == 0, ran.stdout[-6000:] + ran.stderr[-2000:]
