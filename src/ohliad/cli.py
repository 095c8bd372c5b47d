"""The ``ohliad`` command line. It wires the stages together; the work is in
the stage packages and ``pipeline.py``."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ohliad.ingest import FetchOptions, IngestFailure, IngestOptions, read_inputs
from ohliad.models import Article, Story

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from ohliad.ingest import Outcome
    from ohliad.pipeline import Pipeline

app = typer.Typer(
    name="ohliad",
    help="ohliad (огляд): a news digest engine. Ingest outlets, group articles into stories, "
    "summarize and compare the sources, publish in English and Ukrainian.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console(soft_wrap=True)
# Messages are one line each, never wrapped, so that they can be grepped.
err = Console(stderr=True, soft_wrap=True)


class OutputFormat(StrEnum):
    md = "md"
    json = "json"


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database: a SQLAlchemy URL (sqlite:///…, postgresql+psycopg://…) or a file path. "
        "Default: ohliad.db in the user data folder, or $OHLIAD_DB.",
        envvar="OHLIAD_DB",
    ),
]
AllowPrivateOption = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Allow fetching from private, link-local and loopback addresses.",
    ),
]
TranslatorOption = Annotated[
    str,
    typer.Option(
        "--translator",
        help="Ukrainian engine: auto, bergamot, llm or none.",
        envvar="OHLIAD_TRANSLATOR",
    ),
]
StyleOption = Annotated[
    str, typer.Option("--style", help="Ukrainian house style profile: neutral or uk-press.")
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Digest format.")]
OutOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write the digest here instead of stdout.")
]


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    return typer.Exit(code)


def _open_pipeline(db: str | None, translator_name: str, style: str) -> Pipeline:
    from ohliad.pipeline import Pipeline, PipelineSettings
    from ohliad.store import Store, state_dir_for
    from ohliad.translate import TranslateSettings, TranslatorUnavailableError, open_translator

    settings = replace(TranslateSettings.from_env(), engine=translator_name, style=style)
    translator = None
    try:
        translator = open_translator(settings)
        if translator_name != "none":
            err.print(f"Ukrainian: using the {translator.name} engine", highlight=False)
    except TranslatorUnavailableError as exc:
        if translator_name != "auto":
            raise _fail(str(exc)) from None
        err.print(f"[yellow]Ukrainian unavailable:[/yellow] {escape(str(exc))}", highlight=False)
    from ohliad.cluster import ClusterConfig

    store = Store.open(db)
    # Grouping's embedder, each with its own calibrated thresholds.
    cluster = ClusterConfig.for_embedder(
        os.environ.get("OHLIAD_EMBEDDER") or ClusterConfig().embedder
    )
    pipeline_settings = PipelineSettings(
        translate=settings, cluster=cluster, state_dir=state_dir_for(store.url)
    )
    return Pipeline(store, pipeline_settings, translator=translator)


def _ingest(pipeline: Pipeline, inputs: list[str], allow_private: bool, command: str) -> int:
    """Ingest and group with a progress display; returns the number of failed inputs."""
    options = IngestOptions(fetch=FetchOptions(allow_private=allow_private))
    run_id = pipeline.store.start_run(command)
    with Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        TextColumn("{task.completed} articles"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("Ingesting", total=None)

        def on_progress(message: str) -> None:
            progress.console.print(f"[red]failed:[/red] {escape(message)}", highlight=False)

        def counted(outcomes: Iterable[Outcome]) -> Iterator[Outcome]:
            for outcome in outcomes:
                if not isinstance(outcome, IngestFailure):
                    progress.advance(task)
                yield outcome

        report = pipeline.ingest(
            counted(read_inputs(inputs, options)), run_id=run_id, progress=on_progress
        )
    pipeline.store.finish_run(run_id, added=report.added, errors=[str(f) for f in report.failures])
    err.print(
        f"Stored {report.added} new articles ({report.copies} copies of other reports), "
        f"{report.already_stored} already stored, {len(report.failures)} failed.",
        highlight=False,
    )
    return len(report.failures)


def _refresh(pipeline: Pipeline) -> None:
    keys = pipeline.store.dirty_story_keys()
    if not keys:
        return
    with Progress(
        TextColumn("Summarizing stories"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("stories", total=len(keys))
        pipeline.refresh(progress=lambda _key: progress.advance(task))


def _render(pipeline: Pipeline, fmt: OutputFormat, out_path: Path | None) -> str:
    from ohliad.render import render_json, render_markdown

    entries = pipeline.digest()
    text = render_json(entries) if fmt is OutputFormat.json else render_markdown(entries)
    if out_path is None:
        sys.stdout.write(text)
    else:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(text, encoding="utf-8")
    return text


@app.command()
def run(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, feed or article URLs.")],
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.md,
    out_path: OutOption = None,
    translator: TranslatorOption = "auto",
    style: StyleOption = "neutral",
    allow_private: AllowPrivateOption = False,
) -> None:
    """Ingest INPUTS, group them into stories, summarize, and print the digest."""
    pipeline = _open_pipeline(db, translator, style)
    failed = _ingest(pipeline, inputs, allow_private, "run")
    _refresh(pipeline)
    _render(pipeline, fmt, out_path)
    if out_path:
        err.print(f"Digest written to {out_path}", highlight=False)
    if failed:
        raise typer.Exit(1)


@app.command()
def demo(
    out_dir: Annotated[
        Path, typer.Option("--out-dir", help="Where the demo database and digests go.")
    ] = Path("out/demo"),
    translator: TranslatorOption = "auto",
) -> None:
    """Run the main job on the sample corpus bundled with ohliad."""
    sample = resources.files("ohliad") / "data" / "sample"
    with resources.as_file(sample) as sample_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
        pipeline = _open_pipeline(str(out_dir / "ohliad.db"), translator, "neutral")
        failed = _ingest(pipeline, [str(sample_dir)], False, "demo")
        _refresh(pipeline)
        _render(pipeline, OutputFormat.json, out_dir / "digest.json")
        _render(pipeline, OutputFormat.md, out_dir / "digest.md")
    err.print(
        f"Demo digest: {out_dir / 'digest.md'} (JSON: {out_dir / 'digest.json'}, "
        f"database: {out_dir / 'ohliad.db'})",
        highlight=False,
    )
    if failed:
        raise typer.Exit(1)


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, feed or article URLs.")],
    db: DbOption = None,
    translator: TranslatorOption = "auto",
    style: StyleOption = "neutral",
    allow_private: AllowPrivateOption = False,
) -> None:
    """Store INPUTS, group them into stories and update the stories' entries."""
    pipeline = _open_pipeline(db, translator, style)
    failed = _ingest(pipeline, inputs, allow_private, "ingest")
    _refresh(pipeline)
    if failed:
        raise typer.Exit(1)


@app.command()
def digest(
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.md,
    out_path: OutOption = None,
    translator: TranslatorOption = "auto",
    style: StyleOption = "neutral",
) -> None:
    """Print the digest of the stored stories, the latest news first."""
    pipeline = _open_pipeline(db, translator, style)
    _refresh(pipeline)
    _render(pipeline, fmt, out_path)


@app.command()
def extract(
    source: Annotated[str, typer.Argument(help="An HTML file (.html, .html.gz) or a URL.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    allow_private: AllowPrivateOption = False,
) -> None:
    """Extract an article's clean text and metadata from a page."""
    options = IngestOptions(fetch=FetchOptions(allow_private=allow_private))
    outcomes = list(read_inputs([source], options))
    articles = [o for o in outcomes if isinstance(o, Article)]
    for failure in (o for o in outcomes if isinstance(o, IngestFailure)):
        err.print(f"[red]failed:[/red] {escape(str(failure))}", highlight=False)
    if not articles:
        raise typer.Exit(1)
    for article in articles:
        record = {
            "title": article.title,
            "text": article.text,
            "published": article.published.isoformat() if article.published else None,
            "outlet": article.outlet,
            "url": article.url,
            "language": article.language,
        }
        if as_json:
            out.print_json(json.dumps(record, ensure_ascii=False))
        else:
            sys.stdout.write(f"{article.title}\n\n{article.text}\n")


def _read_jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    records: list[tuple[int, dict[str, Any]]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"{path}: cannot read ({exc})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _fail(f"{path}:{number}: invalid JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise _fail(f"{path}:{number}: a line must hold a JSON object")
        records.append((number, record))
    return records


def _article_from_record(record: dict[str, Any], where: str) -> Article:
    from ohliad.dates import parse_datetime

    title = str(record.get("title") or "")
    text = str(record.get("text") or "")
    if not title and not text:
        raise _fail(f"{where}: an article needs a title or a text")
    return Article(
        title=title,
        text=text,
        url=record.get("url"),
        outlet=record.get("outlet"),
        published=parse_datetime(record.get("published")),
        origin=where,
    )


@app.command()
def cluster(
    articles_file: Annotated[
        Path, typer.Argument(help="JSON Lines: id, title, text [, url, outlet, published].")
    ],
) -> None:
    """Group articles into stories; prints JSON Lines {"id", "story"} in input order."""
    from ohliad.cluster import assign_stories

    records = _read_jsonl(articles_file)
    articles = [_article_from_record(r, f"{articles_file}:{n}") for n, r in records]
    for (_n, record), story in zip(records, assign_stories(articles), strict=True):
        sys.stdout.write(json.dumps({"id": record.get("id"), "story": story}) + "\n")


@app.command()
def summarize(
    stories_file: Annotated[
        Path, typer.Argument(help='JSON Lines: {"story", "articles": [{"title", "text", …}]}.')
    ],
    sentences: Annotated[int, typer.Option(help="Summary length in sentences.")] = 4,
    words: Annotated[
        int | None,
        typer.Option(
            help="Summary length in words, on top of --sentences (default 100); 0: no cap."
        ),
    ] = None,
    share: Annotated[
        float | None,
        typer.Option(help="At most this share of the story's own words (default 0.5); 0: no cap."),
    ] = None,
    engine: Annotated[
        str, typer.Option(help="Summarizer: extractive, or llm ($OHLIAD_LLM_BASE_URL).")
    ] = "extractive",
) -> None:
    """Summarize stories; prints JSON Lines {"story", "headline", "summary"}."""
    from ohliad.registry import UnknownEngineError
    from ohliad.summarize import (
        LLMNotConfiguredError,
        SummaryOptions,
        SummaryOptionsError,
        summarize_story,
    )

    try:
        options = SummaryOptions(max_sentences=sentences, engine=engine)
        # Only what was given overrides SummaryOptions' fitted defaults.
        if words is not None:
            options = replace(options, max_words=words or None)
        if share is not None:
            options = replace(options, max_share=share or None)
    except SummaryOptionsError as exc:
        raise _fail(str(exc)) from None
    for number, record in _read_jsonl(stories_file):
        where = f"{stories_file}:{number}"
        raw_articles = record.get("articles")
        if not isinstance(raw_articles, list) or not raw_articles:
            raise _fail(f"{where}: 'articles' must be a non-empty list")
        story = Story(
            id=str(record.get("story", number)),
            articles=tuple(_article_from_record(a, where) for a in raw_articles),
        )
        try:
            summary = summarize_story(story, options)
        except (UnknownEngineError, LLMNotConfiguredError) as exc:
            raise _fail(str(exc)) from None
        line = {"story": record.get("story"), "headline": summary.headline, "summary": summary.text}
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    translator: TranslatorOption = "auto",
    style: StyleOption = "neutral",
) -> None:
    """Serve the digest: web pages, the JSON API and the feeds.

    Pages at /, the API under /api/ (docs at /docs), feeds at /feeds/rss.xml,
    /feeds/atom.xml and /feeds/feed.json. Admin actions (add a feed, re-run a
    story) need $OHLIAD_ADMIN_TOKEN; $OHLIAD_PUBLIC_URL sets the feeds' base URL.
    """
    from ohliad.store import Store
    from ohliad.web import create_app, settings_from_env
    from ohliad.web import serve as serve_app

    store = Store.open(db)
    # The engines load on the first re-run, so the server starts quickly.
    settings = replace(
        settings_from_env(), open_pipeline=lambda: _open_pipeline(db, translator, style)
    )
    err.print(f"Serving {store.url} at http://{host}:{port}/ (API docs at /docs)", highlight=False)
    serve_app(create_app(store, settings), host=host, port=port)


@app.command()
def watch(
    feed_list: Annotated[
        Path, typer.Argument(help="Feeds to watch: a .toml feed list or an .opml export.")
    ],
    once: Annotated[
        bool, typer.Option("--once", help="Poll every due feed once and exit (for cron).")
    ] = False,
    db: DbOption = None,
    translator: TranslatorOption = "auto",
    style: StyleOption = "neutral",
    allow_private: AllowPrivateOption = False,
    host_delay: Annotated[
        float | None,
        typer.Option(
            "--host-delay",
            min=0.0,
            help="Seconds between requests to one host (robots.txt Crawl-delay can raise it).",
        ),
    ] = None,
) -> None:
    """Poll the feeds of FEED_LIST politely and put new articles into their stories."""
    from ohliad.watch.command import run_watch
    from ohliad.watch.feedlist import FeedListError, load_feed_list
    from ohliad.watch.policy import WatchPolicy

    try:
        feeds = load_feed_list(feed_list)
    except FeedListError as exc:
        raise _fail(str(exc)) from None
    pipeline = _open_pipeline(db, translator, style)
    policy = WatchPolicy() if host_delay is None else WatchPolicy(host_delay_seconds=host_delay)
    code = run_watch(
        pipeline, feeds, once=once, allow_private=allow_private, console=err, policy=policy
    )
    raise typer.Exit(code)


@app.command()
def status(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the watched feeds: last success, errors, parking, recent articles, the queue."""
    from ohliad.store import Store
    from ohliad.watch.command import show_status

    show_status(Store.open(db), as_json=as_json, console=out)


def main() -> None:
    """Entry point: errors reach people as one line, not as a stack trace."""
    from ohliad.store import DatabaseError

    try:
        app()
    except DatabaseError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("OHLIAD_DEBUG"):
            raise
        err.print(
            f"[red]error:[/red] {type(exc).__name__}: {escape(str(exc))} "
            "(set OHLIAD_DEBUG=1 for a traceback)",
            highlight=False,
        )
        sys.exit(2)
