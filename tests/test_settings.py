"""Settings from flags, the environment and ohliad.toml, and what the assembly
makes of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ohliad.assembly import cluster_config, llm_endpoint, summary_options, translate_options
from ohliad.cli import app
from ohliad.cluster import ClusterConfig
from ohliad.registry import UnknownComponentError
from ohliad.settings import Settings, SettingsError
from ohliad.store import Store

NOTHING: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _no_config_file_around(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # ./ohliad.toml and the user config folder's are read when present.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def test_every_variable_is_read() -> None:
    settings = Settings.load(
        environ={
            "OHLIAD_TRANSLATOR": "llm",
            "OHLIAD_TRANSLATION_STYLE": "uk-press",
            "OHLIAD_LLM_BASE_URL": "http://127.0.0.1:8080/v1",
            "OHLIAD_LLM_MODEL": "smol",
            "OHLIAD_LLM_TIMEOUT": "7.5",
            "OHLIAD_LLM_MAX_RETRIES": "0",
            "OHLIAD_LLM_CONCURRENCY": "4",
            "OHLIAD_LLM_DIRECT_SUMMARY": "yes",
            "OHLIAD_BERGAMOT_MODEL_DIR": "/models/enuk",
            "OHLIAD_ALLOW_PRIVATE": "1",
            "OHLIAD_ADMIN_TOKEN": "s3cret",
        }
    )
    options = translate_options(settings)
    assert (options.engine, options.style, options.llm_direct_summary) == ("llm", "uk-press", True)
    assert options.bergamot_model_dir == Path("/models/enuk")
    endpoint = options.llm
    assert endpoint is not None and endpoint.base_url == "http://127.0.0.1:8080/v1"
    assert (endpoint.model, endpoint.timeout, endpoint.max_retries) == ("smol", 7.5, 0)
    assert endpoint.max_concurrency == 4
    assert settings.allow_private is True
    assert settings.secret("admin_token") == "s3cret"
    assert "s3cret" not in repr(settings)


def test_the_api_key_comes_from_the_variable_the_settings_name() -> None:
    environ = {
        "OHLIAD_LLM_BASE_URL": "http://127.0.0.1:8080/v1",
        "OHLIAD_LLM_MODEL": "smol",
        "OHLIAD_LLM_API_KEY_ENV": "PROVIDER_KEY",
        "PROVIDER_KEY": "key-123",
    }
    endpoint = llm_endpoint(Settings.load(environ=environ))
    assert endpoint is not None
    assert endpoint.api_key == "key-123" and endpoint.api_key_source == "PROVIDER_KEY"
    assert "key-123" not in repr(endpoint)
    # The summarizer and the translator share the one endpoint.
    settings = Settings.load(environ=environ)
    assert summary_options(settings).llm == translate_options(settings).llm == endpoint


def test_flags_win_over_variables_which_win_over_the_file(tmp_path: Path) -> None:
    config = tmp_path / "ohliad.toml"
    config.write_text(
        'db = "from-file.db"\ntranslator = "none"\nllm_timeout = 30\n', encoding="utf-8"
    )
    environ = {"OHLIAD_TRANSLATOR": "bergamot", "OHLIAD_LLM_TIMEOUT": "45"}
    settings = Settings.load(config, environ=environ, llm_timeout=60.0, db=None)
    assert settings.db == "from-file.db"  # a flag not given (None) leaves the file's
    assert settings.translator == "bergamot"
    assert settings.llm_timeout == 60.0


def test_the_config_file_is_found_in_the_working_folder_or_named_by_a_variable(
    tmp_path: Path,
) -> None:
    (tmp_path / "ohliad.toml").write_text('summarizer = "llm"\n', encoding="utf-8")
    assert Settings.load(environ=NOTHING).summarizer == "llm"
    other = tmp_path / "elsewhere.toml"
    other.write_text('summarizer = "lede"\n', encoding="utf-8")
    assert Settings.load(environ={"OHLIAD_CONFIG": str(other)}).summarizer == "lede"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"OHLIAD_LLM_TIMEOUT": "soon"}, "OHLIAD_LLM_TIMEOUT: input should be a valid number"),
        ({"OHLIAD_LLM_CONCURRENCY": "0"}, "OHLIAD_LLM_CONCURRENCY: input should be greater"),
        ({"OHLIAD_ALLOW_PRIVATE": "maybe"}, "OHLIAD_ALLOW_PRIVATE: input should be a valid"),
    ],
)
def test_a_bad_variable_is_one_line_naming_it(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message) as error:
        Settings.load(environ=environ)
    assert "\n" not in str(error.value)


def test_the_config_file_refuses_unknown_keys_and_suggests_the_known_one(tmp_path: Path) -> None:
    config = tmp_path / "ohliad.toml"
    config.write_text('translater = "llm"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="unknown setting 'translater'; did you mean"):
        Settings.load(config, environ=NOTHING)
    config.write_text("llm_timeout = -1\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"llm_timeout in .*ohliad.toml: input should be"):
        Settings.load(config, environ=NOTHING)
    config.write_text("translator = [\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="not valid TOML"):
        Settings.load(config, environ=NOTHING)
    with pytest.raises(SettingsError, match="no such config file"):
        Settings.load(tmp_path / "missing.toml", environ=NOTHING)


def test_an_unknown_embedder_is_named_with_the_known_ones() -> None:
    assert cluster_config(Settings()).embedder == ClusterConfig().embedder
    with pytest.raises(UnknownComponentError, match=r"unknown embedder 'word2vec'.*minilm"):
        cluster_config(Settings(embedder="word2vec+minilm"))


def test_the_cli_takes_its_settings_from_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "ohliad.toml").write_text('translator = "deepl"\n', encoding="utf-8")
    Store.open(str(tmp_path / "d.db")).close()
    result = CliRunner().invoke(app, ["digest", "--db", str(tmp_path / "d.db")])
    assert result.exit_code == 2
    assert "unknown translator 'deepl'" in result.output
    assert "Traceback" not in result.output
