"""A real Ray cluster on this machine, node by node, for the backfill tests
and benchmark: a head started with ``ray start --head`` on loopback, and
worker nodes joining it, each with an explicit CPU count, memory and object
store (Ray over-reports memory on small machines). The head listens on a free
port, and ``stop`` stops this cluster's processes alone: ``ray stop --force``
would stop every Ray cluster on the machine, those of other test runs too."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RAY = Path(sys.executable).with_name("ray")
# Per node: what the scheduler may hand out, and the shared-memory object store.
NODE_MEMORY = str(2 * 1024**3)
OBJECT_STORE = str(200 * 1024**2)


def ray_environment(base: dict[str, str], token_file: Path) -> dict[str, str]:
    """``base`` for commands using Ray: no cluster inherited, no usage
    reports, token authentication with a token of our own (Ray's default
    keeps one in ~/.ray, which is left alone)."""
    if not token_file.exists():
        token_file.write_text(secrets.token_hex(32))
    env = {k: v for k, v in base.items() if not k.startswith("RAY_")}
    env.update(
        RAY_USAGE_STATS_ENABLED="0", RAY_AUTH_MODE="token", RAY_AUTH_TOKEN_PATH=str(token_file)
    )
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalCluster:
    def __init__(self, env: dict[str, str], port: int | None = None) -> None:
        self.env = env
        port = port or _free_port()
        self.address = f"127.0.0.1:{port}"
        self._port = str(port)
        # Short: Ray's socket paths must fit in 107 bytes.
        self._temp = Path(tempfile.mkdtemp(prefix="ohray-"))
        self.nodes = 0

    def _ray(self, *args: str) -> None:
        done = subprocess.run(
            [str(RAY), *args], capture_output=True, text=True, env=self.env, timeout=120
        )
        if done.returncode:
            raise RuntimeError(f"ray {' '.join(args)}: {done.stderr.strip()[-2000:]}")

    @staticmethod
    def _resources(cpus: int) -> list[str]:
        return [
            "--num-cpus",
            str(cpus),
            "--memory",
            NODE_MEMORY,
            "--object-store-memory",
            OBJECT_STORE,
        ]

    def start_head(self, cpus: int = 1) -> None:
        self._ray(
            "start",
            "--head",
            "--node-ip-address",
            "127.0.0.1",
            "--port",
            self._port,
            "--include-dashboard",
            "false",
            "--temp-dir",
            str(self._temp),
            "--disable-usage-stats",
            *self._resources(cpus),
        )
        self._wait_for(1)

    def add_worker_node(self, cpus: int = 1, *, resource: str | None = None) -> None:
        """Start a worker node; ``resource`` names a custom resource it has
        one of (``raylet_with_resource`` finds its raylet by it)."""
        labels = ["--resources", json.dumps({resource: 1})] if resource else []
        self._ray(
            "start", "--address", self.address, "--node-ip-address", "127.0.0.1",
            *self._resources(cpus), *labels,
        )  # fmt: skip
        self._wait_for(self.nodes + 1)

    def _alive(self) -> int:
        probe = (
            f"import ray; ray.init(address={self.address!r}, logging_level='ERROR');"
            "print('alive nodes:', sum(1 for n in ray.nodes() if n['Alive']))"
        )
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=self.env, timeout=60
        )
        # Ray prints warnings of its own to stdout ("raylet has lagging heartbeats").
        counts = [
            line.removeprefix("alive nodes:")
            for line in done.stdout.splitlines()
            if line.startswith("alive nodes:")
        ]
        return int(counts[-1]) if done.returncode == 0 and counts else 0

    def _wait_for(self, nodes: int) -> None:
        deadline = time.monotonic() + 60
        while self._alive() < nodes:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the cluster did not reach {nodes} nodes within 60 s")
            time.sleep(1)
        self.nodes = nodes

    def stop(self) -> None:
        """Kill the cluster's processes: every one names its temp folder
        (worker nodes use the head's), and the workers are their children."""
        own = processes_naming(str(self._temp))
        for pid in [*children_of(own), *own]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self._temp, ignore_errors=True)


def _processes() -> list[tuple[int, int, bytes]]:
    """Each process's pid, parent pid and command line."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (proc / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        found.append((int(proc.name), parent, command))
    return found


def processes_naming(text: str) -> list[int]:
    """Other processes whose command line holds ``text``."""
    return [
        pid for pid, _, command in _processes() if text.encode() in command and pid != os.getpid()
    ]


def children_of(parents: list[int]) -> list[int]:
    return [pid for pid, parent, _ in _processes() if parent in parents]


def raylet_with_resource(resource: str) -> int | None:
    """The pid of the raylet of the node started with ``--resources`` naming
    ``resource`` (its command line carries them)."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if command and command[0].endswith(b"raylet") and resource.encode() in b" ".join(command):
            return int(proc.name)
    return None


def busy_worker_of(raylet: int, method: str) -> int | None:
    """A worker process of that raylet running ``method`` now (Ray names the
    process after the task it runs: ``ray::ArchiveWorker.prepare``)."""
    for pid, parent, command in _processes():
        if parent == raylet and command.startswith(f"ray::{method}".encode()):
            return pid
    return None
