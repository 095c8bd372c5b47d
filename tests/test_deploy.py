"""The deployment files (deploy/): every command they run is one the CLI
takes, every OHLIAD_* variable they set is a setting, and the systemd units
pass systemd's own check."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ohliad.cli import app
from ohliad.settings import ENV_PREFIX, Settings

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
# Variables that are not settings: where the config file and the models are.
NOT_SETTINGS = {"OHLIAD_CONFIG", "OHLIAD_MODEL_DIR"}


def _takes(arguments: list[str]) -> None:
    """The CLI parses ``arguments`` (with --help, so that nothing runs)."""
    result = CliRunner().invoke(app, [*arguments, "--help"])
    assert result.exit_code == 0, f"ohliad {' '.join(arguments)}: {result.output}"


def _settings_named(text: str) -> set[str]:
    return set(re.findall(rf"\b{ENV_PREFIX}[A-Z_]+\b", text)) - NOT_SETTINGS


def test_the_image_runs_commands_the_cli_takes_and_installs_real_extras() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    (entrypoint,) = re.findall(r"^ENTRYPOINT (\[.*\])$", dockerfile, re.M)
    (command,) = re.findall(r"^CMD (\[.*\])$", dockerfile, re.M)
    assert json.loads(entrypoint) == ["ohliad"]
    _takes(json.loads(command))
    extras = set(
        tomllib.loads((DEPLOY.parent / "pyproject.toml").read_text())["project"][
            "optional-dependencies"
        ]
    )
    (wanted,) = re.findall(r"'\.\[([a-z,]+)\]'", dockerfile)
    assert set(wanted.split(",")) <= extras
    assert "--compile-bytecode" in dockerfile


def test_compose_runs_commands_the_cli_takes_with_real_settings() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    assert {"postgres", "web", "watcher"} <= set(compose["services"])
    for name in ("web", "watcher"):
        service = compose["services"][name]
        _takes(service["command"])
        assert set(service["environment"]) - NOT_SETTINGS <= {
            f"{ENV_PREFIX}{field.upper()}" for field in Settings.model_fields
        }
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
    database = compose["services"]["web"]["environment"]["OHLIAD_DB"]
    assert database.startswith("postgresql+psycopg://ohliad:")


@pytest.mark.parametrize("unit", UNITS, ids=[u.name for u in UNITS])
def test_systemd_units_run_real_commands_and_pass_systemd_analyze(
    unit: Path, tmp_path: Path
) -> None:
    text = unit.read_text(encoding="utf-8")
    (start,) = re.findall(r"^ExecStart=(.*)$", text, re.M)
    program, *arguments = start.split()
    if program.endswith("/python"):
        assert arguments[:2] == ["-m", "ohliad.watch"]
        shown = subprocess.run(
            [sys.executable, *arguments, "--help"], capture_output=True, text=True, check=False
        )
        assert shown.returncode == 0, shown.stderr
    else:
        assert program.endswith("/ohliad")
        _takes(arguments)
    fields = {f"{ENV_PREFIX}{field.upper()}" for field in Settings.model_fields}
    assert _settings_named(text) <= fields
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    # Checked with this machine's interpreter in place of /opt/ohliad/venv.
    local = tmp_path / unit.name
    local.write_text(text.replace("/opt/ohliad/venv", sys.prefix), encoding="utf-8")
    verified = subprocess.run(
        [analyze, "verify", str(local)], capture_output=True, text=True, check=False
    )
    assert verified.returncode == 0 and not verified.stderr.strip(), verified.stderr
