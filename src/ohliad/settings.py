"""ohliad's settings, from flags, the environment and a config file; the one
module that reads the environment.

Every setting is a key of ``ohliad.toml`` and a variable ``OHLIAD_<KEY>``
(``translator`` and ``OHLIAD_TRANSLATOR``). A flag wins over the variable,
the variable over the file, the file over the default::

    # ohliad.toml
    db = "sqlite:////srv/ohliad/news.db"
    translator = "llm"
    llm_base_url = "http://127.0.0.1:8080/v1"
    llm_model = "gemma-3-12b"

The file is the one ``--config`` (or ``OHLIAD_CONFIG``) names, else
``./ohliad.toml``, else ``ohliad.toml`` in the user config folder
(``~/.config/ohliad`` on Linux), if there is one. ``ohliad.assembly`` turns
``Settings`` into each stage's options and engines.

The API key is best kept out of files: ``OHLIAD_LLM_API_KEY`` (or the
variable ``llm_api_key_env`` names) is read like any other setting.
"""

from __future__ import annotations

import difflib
import os
import tomllib
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import platformdirs
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    IPvAnyNetwork,
    SecretStr,
    ValidationError,
    field_validator,
)

from ohliad.errors import OhliadError

ENV_PREFIX = "OHLIAD_"
CONFIG_FILE = "ohliad.toml"


class SettingsError(OhliadError, ValueError):
    """A setting no part of ohliad can work with; the message names where it was set."""


def _comma_list(value: Any) -> Any:
    """A list setting given as one string (an environment variable): its
    comma-separated items."""
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class Settings(BaseModel):
    """What a user can configure. Build it with ``Settings.load()``, or
    ``Settings(...)`` in code (no file, no environment)."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    db: str | None = Field(
        default=None,
        description="Database: a SQLAlchemy URL (sqlite:///…, postgresql+psycopg://…) or a "
        "SQLite file path. Default: ohliad.db in the user data folder.",
    )
    embedder: str | None = Field(
        default=None,
        description="Story grouping's embedder spec (default: the calibrated default).",
    )
    summarizer: str = Field(default="extractive", description="Summary engine.")
    translator: str = Field(
        default="auto", description="Ukrainian engine: auto, none, or an engine's name."
    )
    translation_style: str = Field(default="neutral", description="Ukrainian house style.")
    glossary: Path | None = Field(default=None, description="A glossary merged over ours.")
    llm_base_url: str | None = Field(
        default=None, description="An OpenAI-compatible endpoint, for the llm engines."
    )
    llm_model: str | None = Field(default=None, description="The endpoint's model.")
    llm_api_key: SecretStr | None = Field(default=None, description="The endpoint's key.")
    llm_api_key_env: str = Field(
        default="OHLIAD_LLM_API_KEY", description="The variable that holds the key."
    )
    llm_timeout: float = Field(default=120.0, gt=0, description="Seconds per request.")
    llm_max_retries: int = Field(default=3, ge=0, description="Retries of a failed request.")
    llm_concurrency: int = Field(default=2, ge=1, description="Requests at once.")
    llm_direct_summary: bool = Field(
        default=False,
        description="Write the Ukrainian summary from the sources, not from the English one.",
    )
    bergamot_model_dir: Path | None = Field(
        default=None, description="A Bergamot en→uk model folder."
    )
    translation_cache: Path | None = Field(
        default=None, description="Where downloaded translation models are kept."
    )
    max_article_chars: int = Field(
        default=200_000,
        ge=1_000,
        description="Characters of an article's text the NLP stages read (it is stored whole).",
    )
    allow_private: bool = Field(
        default=False, description="Fetch from private, link-local and loopback addresses."
    )
    fetch_deadline: float = Field(
        default=60.0, gt=0, description="Seconds a fetch may take in all, head and body."
    )
    host_delay: float | None = Field(
        default=None, ge=0, description="Seconds between requests to one host."
    )
    feeds: Path | None = Field(
        default=None, description="The feed list `python -m ohliad.watch` polls."
    )
    admin_token: SecretStr | None = Field(
        default=None, description="Turns the web app's admin actions on (its holder is 'admin')."
    )
    admin_tokens: SecretStr | None = Field(
        default=None,
        description="Named admin tokens, 'name:token,name:token': each change a desk makes "
        "records the name of the token that made it.",
    )
    review: bool = Field(
        default=False,
        description="The site, the API and the feeds show only entries an editor approved "
        "or published (ohliad review, the web desk).",
    )
    desk_timezone: str = Field(
        default="UTC",
        description="The desk's time zone (an IANA name, Europe/Kyiv): an entry's day is "
        "its date there.",
    )
    smtp_host: str | None = Field(default=None, description="SMTP server for the e-mail edition.")
    smtp_port: int = Field(default=587, ge=1, le=65_535, description="The SMTP server's port.")
    smtp_security: str = Field(
        default="starttls", description="SMTP connection security: starttls, tls or none."
    )
    smtp_user: str | None = Field(default=None, description="SMTP login name.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    mail_from: str | None = Field(default=None, description="The e-mail edition's sender.")
    mail_to: Annotated[tuple[str, ...], BeforeValidator(_comma_list)] = Field(
        default=(), description="The e-mail edition's recipients, comma-separated."
    )
    public_url: str | None = Field(
        default=None, description="The web app's public address, for links in feeds."
    )
    trusted_proxies: Annotated[tuple[IPvAnyNetwork, ...], BeforeValidator(_comma_list)] = Field(
        default=(),
        description="Proxies whose X-Forwarded-For the web app believes: IP addresses or "
        "networks (10.0.0.0/8), comma-separated in OHLIAD_TRUSTED_PROXIES. None by default.",
    )

    @field_validator("desk_timezone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"no time zone {value!r}: use an IANA name, Europe/Kyiv") from None
        return value

    @field_validator("smtp_security")
    @classmethod
    def _known_security(cls, value: str) -> str:
        if value not in SMTP_SECURITY:
            raise ValueError(f"use one of {', '.join(SMTP_SECURITY)}")
        return value

    @field_validator("admin_tokens")
    @classmethod
    def _named_tokens(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            parse_named_tokens(value.get_secret_value())
        return value

    def admin_token_names(self) -> dict[str, str]:
        """Each admin token, with the name that changes made with it record:
        ``admin_tokens``' names, and ``admin`` for ``admin_token``."""
        named = parse_named_tokens(self.secret("admin_tokens") or "")
        single = self.secret("admin_token")
        if single:
            named.setdefault(single, "admin")
        return named

    @classmethod
    def load(
        cls,
        config: Path | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        **flags: Any,
    ) -> Settings:
        """Settings from ``flags`` (those not None), the environment and the
        config file; raises ``SettingsError`` naming each bad setting's source."""
        env = os.environ if environ is None else environ
        given: dict[str, tuple[Any, str]] = {}
        path = config_file(config, environ=env)
        if path is not None:
            for key, value in _read_config(path, explicit=config is not None).items():
                given[key] = (value, f"{key} in {path}")
        for key in cls.model_fields:
            variable = f"{ENV_PREFIX}{key.upper()}"
            value = env.get(variable, "").strip()
            if value:
                given[key] = (value, variable)
        for key, value in flags.items():
            if value is not None:
                given[key] = (value, f"--{key.replace('_', '-')}")
        if "llm_api_key" not in given:
            variable = str(given.get("llm_api_key_env", ("OHLIAD_LLM_API_KEY", ""))[0])
            if env.get(variable):
                given["llm_api_key"] = (env[variable], variable)
        try:
            return cls(**{key: value for key, (value, _source) in given.items()})
        except ValidationError as error:
            raise SettingsError(_describe(error, given)) from None

    def secret(self, name: str) -> str | None:
        """A secret setting's value (``llm_api_key``, ``admin_token``)."""
        value = getattr(self, name)
        return value.get_secret_value() if isinstance(value, SecretStr) else None


SMTP_SECURITY = ("starttls", "tls", "none")
# Shorter tokens are guessable; the check names neither the token nor its length.
MIN_TOKEN_CHARS = 8


def parse_named_tokens(text: str) -> dict[str, str]:
    """``name:token,name:token`` as {token: name}; a malformed item is an
    error that names its position, never the token."""
    named: dict[str, str] = {}
    for position, item in enumerate(_comma_list(text), 1):
        name, colon, token = item.partition(":")
        name, token = name.strip(), token.strip()
        if not colon or not name or not token:
            raise ValueError(f"item {position} is not name:token")
        if len(token) < MIN_TOKEN_CHARS:
            raise ValueError(f"the token of {name!r} is shorter than {MIN_TOKEN_CHARS} characters")
        if token in named:
            raise ValueError(f"{name!r} and {named[token]!r} share a token")
        named[token] = name
    return named


_SECRETS = frozenset({"llm_api_key", "admin_token", "admin_tokens", "smtp_password"})


def _path(value: str | None) -> Path | None:
    return Path(value).expanduser() if value and value.strip() else None


def config_file(
    config: Path | None = None, *, environ: Mapping[str, str] | None = None
) -> Path | None:
    """The config file settings are read from: ``config`` (``--config``), else
    the one ``OHLIAD_CONFIG`` names, else ``./ohliad.toml``, else the user
    config folder's, if there is one."""
    env = os.environ if environ is None else environ
    named = config or _path(env.get(f"{ENV_PREFIX}CONFIG"))
    if named is not None:
        return named
    for folder in (Path.cwd(), Path(platformdirs.user_config_dir("ohliad"))):
        if (folder / CONFIG_FILE).is_file():
            return folder / CONFIG_FILE
    return None


def _read_config(path: Path, *, explicit: bool) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if explicit:
            raise SettingsError(f"{path}: no such config file") from None
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: cannot read the config file ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: not valid TOML ({error})") from None
    known = list(Settings.model_fields)
    for key in data:
        if key not in Settings.model_fields:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise SettingsError(f"{path}: unknown setting {key!r}{hint}")
    return data


def _describe(error: ValidationError, given: Mapping[str, tuple[Any, str]]) -> str:
    """One line: each bad setting, where it was set, and what is wrong."""
    problems = []
    for issue in error.errors():
        key = str(issue["loc"][0]) if issue["loc"] else "settings"
        source = given[key][1] if key in given else key
        shown = "a secret" if key in _SECRETS else repr(issue.get("input"))
        message = issue["msg"].removeprefix("Value error, ")
        problems.append(f"{source}: {message[:1].lower()}{message[1:]} (got {shown})")
    return "; ".join(problems)


def model_cache_root() -> Path:
    """Where models derived from bundled ones are cached (``OHLIAD_MODEL_DIR``,
    else the user cache folder). Read where a model is built, in whichever
    process builds it: spawned processes inherit the variable."""
    return _path(os.environ.get(f"{ENV_PREFIX}MODEL_DIR")) or Path(
        platformdirs.user_cache_dir("ohliad")
    )


def debug_requested() -> bool:
    """``OHLIAD_DEBUG`` is set: errors show their traceback."""
    return bool(os.environ.get(f"{ENV_PREFIX}DEBUG"))
