"""Where ohliad is put together: ``Settings`` become each stage's options,
the engines (each built once per process) and the pipeline. The command
line, the web app, the watcher and a notebook all open ohliad here::

    from ohliad.assembly import open_pipeline
    from ohliad.settings import Settings

    pipeline = open_pipeline(Settings.load())   # ohliad.toml, OHLIAD_*
"""

from __future__ import annotations

from dataclasses import dataclass

from ohliad.chat_client import LLMSettings
from ohliad.cluster.config import ClusterConfig
from ohliad.ingest.fetch import FetchOptions
from ohliad.ingest.readers import IngestOptions
from ohliad.pipeline import Pipeline, PipelineOptions
from ohliad.registry import embedders
from ohliad.settings import Settings
from ohliad.store import Store, state_dir_for
from ohliad.summarize import SummaryOptions, open_summarizer
from ohliad.translate import TranslateOptions, Translator, TranslatorUnavailableError
from ohliad.translate import open_translator as open_translation_engine


def open_store(settings: Settings, *, must_exist: bool = False) -> Store:
    """The store in ``settings.db``, its schema brought up to date; with
    ``must_exist``, one that is not there yet is an error (``Store.open``)."""
    return Store.open(settings.db, must_exist=must_exist)


def llm_endpoint(settings: Settings) -> LLMSettings | None:
    """The OpenAI-compatible endpoint the llm engines share, if one is set."""
    if not settings.llm_base_url or not settings.llm_model:
        return None
    return LLMSettings(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.secret("llm_api_key"),
        api_key_source=settings.llm_api_key_env,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
        max_concurrency=settings.llm_concurrency,
    )


def summary_options(settings: Settings) -> SummaryOptions:
    return SummaryOptions(engine=settings.summarizer, llm=llm_endpoint(settings))


def translate_options(settings: Settings) -> TranslateOptions:
    return TranslateOptions(
        engine=settings.translator,
        style=settings.translation_style,
        glossary=settings.glossary,
        llm=llm_endpoint(settings),
        llm_direct_summary=settings.llm_direct_summary,
        bergamot_model_dir=settings.bergamot_model_dir,
        cache_dir=settings.translation_cache,
    )


def cluster_config(settings: Settings) -> ClusterConfig:
    """Grouping's configuration, calibrated for the embedder the settings name."""
    spec = settings.embedder or ClusterConfig().embedder
    for part in spec.split("+"):
        name = part.partition(":")[0]
        if name not in embedders.names():
            raise embedders.unknown(name)
    return ClusterConfig.for_embedder(spec)


def fetch_options(settings: Settings) -> FetchOptions:
    return FetchOptions(allow_private=settings.allow_private, deadline=settings.fetch_deadline)


def ingest_options(settings: Settings) -> IngestOptions:
    return IngestOptions(fetch=fetch_options(settings))


def pipeline_options(settings: Settings, store: Store) -> PipelineOptions:
    return PipelineOptions(
        summary=summary_options(settings),
        translate=translate_options(settings),
        cluster=cluster_config(settings),
        state_dir=state_dir_for(store.url),
        max_article_chars=settings.max_article_chars,
    )


@dataclass(frozen=True, slots=True)
class UkrainianEngine:
    """The translator the settings chose, or None and why there is none
    (each engine's reason: ``ohliad doctor`` shows it)."""

    translator: Translator | None
    unavailable: str | None = None

    @property
    def notice(self) -> str | None:
        """One short line for the person running ohliad: the engine, or that
        there is none and where to learn more."""
        if self.translator is None:
            return "Ukrainian unavailable: no translation engine is set up (see: ohliad doctor)"
        if self.translator.name == "none":
            return None  # turned off on purpose
        return f"Ukrainian: using the {self.translator.name} engine"


def open_translator(settings: Settings) -> UkrainianEngine:
    """The Ukrainian engine ``settings.translator`` names. With ``auto`` and no
    engine available, none (the digest then says that Ukrainian is missing);
    an engine named but unable to run raises ``TranslatorUnavailableError``."""
    options = translate_options(settings)
    try:
        return UkrainianEngine(open_translation_engine(options))
    except TranslatorUnavailableError as error:
        if options.engine != "auto":
            raise
        return UkrainianEngine(None, str(error))


def open_pipeline(
    settings: Settings,
    *,
    store: Store | None = None,
    ukrainian: UkrainianEngine | None = None,
    must_exist: bool = False,
) -> Pipeline:
    """The pipeline over ``store`` (else the store the settings name, which
    ``must_exist`` for a command that only reads), with its engines:
    ``ukrainian`` if already opened, the summarizer, and the embedders, which
    load on first use."""
    store = store or open_store(settings, must_exist=must_exist)
    options = pipeline_options(settings, store)
    ukrainian = ukrainian or open_translator(settings)
    return Pipeline(
        store,
        options,
        translator=ukrainian.translator,
        summarizer=open_summarizer(options.summary),
    )
