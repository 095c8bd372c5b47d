"""A real two-node Ray cluster on loopback for the backfill tests: a head and
a worker node started with ``ray start``, one CPU each, with explicit memory
(Ray over-reports it on small machines), stopped with ``ray stop --force``."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

RAY = Path(sys.executable).with_name("ray")
# Per node: what the scheduler may hand out, and the shared-memory object store.
NODE_MEMORY = str(2 * 1024**3)
OBJECT_STORE = str(200 * 1024**2)


def _missing(reason: str) -> None:
    if os.environ.get("OHLIAD_TEST_REQUIRE_SERVICES"):
        pytest.fail(reason)  # CI installs the extra: a skip there would hide the tests
    pytest.skip(reason)


@pytest.fixture(scope="session")
def ray_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of every command using Ray here: no cluster inherited,
    no usage reports, and token authentication with a token of the tests' own
    (Ray's default keeps one in ~/.ray, which the tests leave alone)."""
    try:
        import ray  # noqa: F401
    except ImportError:
        _missing("needs Ray (pip install 'ohliad[ray]')")
    token = tmp_path_factory.mktemp("ray-auth") / "auth_token"
    token.write_text(secrets.token_hex(32))
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_")}
    env.update(RAY_USAGE_STATS_ENABLED="0", RAY_AUTH_MODE="token", RAY_AUTH_TOKEN_PATH=str(token))
    return env


def _ray(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    done = subprocess.run(
        [str(RAY), *args], capture_output=True, text=True, env=env, timeout=timeout
    )
    if done.returncode:
        raise RuntimeError(f"ray {' '.join(args)}: {done.stderr.strip()[-2000:]}")
    return done.stdout


def _node_count(env: dict[str, str], address: str) -> int:
    probe = (
        f"import ray; ray.init(address={address!r}, logging_level='ERROR');"
        "print(sum(1 for n in ray.nodes() if n['Alive']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
    )
    return int(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else 0


@pytest.fixture(scope="session")
def ray_cluster(ray_env: dict[str, str]) -> Iterator[str]:
    """The address of a running two-node cluster (head + one worker node)."""
    if not RAY.exists():
        _missing(f"no ray command beside {sys.executable}")
    # Short: Ray's socket paths must fit in 107 bytes.
    temp = Path(tempfile.mkdtemp(prefix="ohray-"))
    port = "6390"
    address = f"127.0.0.1:{port}"
    common = ["--num-cpus", "1", "--memory", NODE_MEMORY, "--object-store-memory", OBJECT_STORE]
    try:
        _ray(
            ray_env,
            "start",
            "--head",
            "--node-ip-address",
            "127.0.0.1",
            "--port",
            port,
            "--include-dashboard",
            "false",
            "--temp-dir",
            str(temp),
            "--disable-usage-stats",
            *common,
        )
        _ray(ray_env, "start", "--address", address, "--node-ip-address", "127.0.0.1", *common)
        deadline = time.monotonic() + 60
        while _node_count(ray_env, address) < 2:
            if time.monotonic() > deadline:
                raise RuntimeError("the worker node did not join the head within 60 s")
            time.sleep(1)
        yield address
    finally:
        subprocess.run([str(RAY), "stop", "--force"], capture_output=True, env=ray_env)
        shutil.rmtree(temp, ignore_errors=True)
