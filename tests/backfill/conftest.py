"""A real two-node Ray cluster on loopback for the backfill tests
(``cluster.py``), and the environment every Ray command here runs in."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.backfill.cluster import RAY, LocalCluster, ray_environment


def _missing(reason: str) -> None:
    if os.environ.get("OHLIAD_TEST_REQUIRE_SERVICES"):
        pytest.fail(reason)  # CI installs the extra: a skip there would hide the tests
    pytest.skip(reason)


@pytest.fixture(scope="session")
def ray_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    try:
        import ray  # noqa: F401
    except ImportError:
        _missing("needs Ray (pip install 'ohliad[ray]')")
    return ray_environment(dict(os.environ), tmp_path_factory.mktemp("ray-auth") / "auth_token")


@pytest.fixture(scope="session")
def ray_cluster(ray_env: dict[str, str]) -> Iterator[str]:
    """The address of a running two-node cluster (a head and a worker node,
    one CPU each)."""
    if not RAY.exists():
        _missing(f"no ray command beside the Python running the tests ({RAY})")
    cluster = LocalCluster(ray_env)
    try:
        cluster.start_head()
        cluster.add_worker_node()
        yield cluster.address
    finally:
        cluster.stop()
