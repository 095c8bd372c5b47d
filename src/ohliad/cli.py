"""The ``ohliad`` command line: it parses arguments and prints. What the
commands do is in the packages; ohliad is put together in ``assembly.py``,
from ``Settings`` (flags, ``OHLIAD_*`` variables, ``ohliad.toml``).

Only names are imported here at start, so that ``ohliad --help`` is quick;
each command imports what it runs.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from ohliad.errors import OhliadError, one_line

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from ohliad.ingest import Outcome
    from ohliad.models import Article, DigestEntry, ReviewStatus
    from ohliad.pipeline import Pipeline
    from ohliad.settings import Settings
    from ohliad.store import Store
    from ohliad.store.reviews import ReviewStore
    from ohliad.watch.feedlist import FeedSpec

app = typer.Typer(
    name="ohliad",
    help="ohliad (огляд): a news digest engine. Ingest outlets, group articles into stories, "
    "summarize and compare the sources, publish in English and Ukrainian. Every option can "
    "also be set as OHLIAD_<NAME> or in ohliad.toml.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
# Messages are one line each, never wrapped, so that they can be grepped.
err = Console(stderr=True, soft_wrap=True)

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Settings file (TOML). Default: ./ohliad.toml, else ohliad.toml in the user "
        "config folder; or $OHLIAD_CONFIG.",
    ),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database: a SQLAlchemy URL (sqlite:///…, postgresql+psycopg://…) or a file path. "
        "Default: ohliad.db in the user data folder. Setting: db.",
    ),
]
AllowPrivateOption = Annotated[
    bool | None,
    typer.Option(
        "--allow-private/--refuse-private",
        help="Fetch from private, link-local and loopback addresses, or refuse them "
        "(the default). Setting: allow_private.",
        show_default=False,
    ),
]
TranslatorOption = Annotated[
    str | None,
    typer.Option(
        "--translator",
        help="Ukrainian engine: auto (default), none, bergamot, llm, or a plug-in's. "
        "Setting: translator.",
    ),
]
StyleOption = Annotated[
    str | None,
    typer.Option(
        "--style",
        help="Ukrainian house style: neutral (default) or uk-press. Setting: translation_style.",
    ),
]
SummarizerOption = Annotated[
    str | None,
    typer.Option(
        "--summarizer",
        help="Summary engine: extractive (default), llm, or a plug-in's. Setting: summarizer.",
    ),
]
FormatOption = Annotated[
    str,
    typer.Option(
        "--format", "-f", help="Digest format: md, json, or a plug-in's (see components)."
    ),
]
OutOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write the digest here instead of stdout.")
]
InputsArgument = Annotated[
    list[str], typer.Argument(help="Files, folders, feed or article URLs.", metavar="INPUT")
]


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(one_line(message))}", highlight=False)
    return typer.Exit(code)


P = ParamSpec("P")
R = TypeVar("R")


def _one_line_errors(function: Callable[P, R]) -> Callable[P, R]:
    """The command with its errors reaching people as one line (exit status 2)."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except OhliadError as error:
            raise _fail(str(error)) from None

    return run


def _command(function: Callable[P, R]) -> Callable[P, R]:
    """A command of ``ohliad``."""
    return app.command()(_one_line_errors(function))


feeds_app = typer.Typer(
    help="The watch list: the feeds ohliad watch polls, kept in the database. "
    "The admin page and API add to the same list.",
    no_args_is_help=True,
)
app.add_typer(feeds_app, name="feeds")


def _feeds_command(function: Callable[P, R]) -> Callable[P, R]:
    """A command of ``ohliad feeds``."""
    return feeds_app.command(function.__name__.removeprefix("feeds_"))(_one_line_errors(function))


def _settings(config: Path | None, **flags: Any) -> Settings:
    from ohliad.settings import Settings

    return Settings.load(config, **flags)


def _pipeline_settings(
    config: Path | None,
    db: str | None,
    translator: str | None,
    style: str | None,
    summarizer: str | None,
    allow_private: bool | None = None,
) -> Settings:
    """The settings, with the options of the commands that run the pipeline;
    the engines they name are checked at once, even where none is loaded."""
    from ohliad import registry

    settings = _settings(
        config,
        db=db,
        translator=translator,
        translation_style=style,
        summarizer=summarizer,
        allow_private=allow_private,
    )
    registry.translators.check(settings.translator, also=("auto",))
    registry.summarizers.check(settings.summarizer)
    return settings


def _open_pipeline(
    settings: Settings, *, must_exist: bool = False, store: Store | None = None
) -> Pipeline:
    """The pipeline, saying in one line which Ukrainian engine it uses (or
    that there is none). The database is opened first: a wrong ``--db`` is
    the first thing said."""
    from ohliad.assembly import open_pipeline, open_store, open_translator

    store = store or open_store(settings, must_exist=must_exist)
    ukrainian = open_translator(settings)
    if ukrainian.notice:
        style = "yellow" if ukrainian.translator is None else "default"
        err.print(escape(ukrainian.notice), style=style, highlight=False)
    return open_pipeline(settings, store=store, ukrainian=ukrainian)


def _ingest(pipeline: Pipeline, settings: Settings, inputs: list[str], command: str) -> int:
    """Ingest and group with a progress display; returns the number of failed inputs."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ohliad.assembly import ingest_options
    from ohliad.ingest import IngestFailure, read_inputs
    from ohliad.wording import plural

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

        def on_skip(name: str, why: str) -> None:
            line = one_line(f"{name}: {why}")
            progress.console.print(f"[yellow]skipped:[/yellow] {escape(line)}", highlight=False)

        def counted(outcomes: Iterable[Outcome]) -> Iterator[Outcome]:
            for outcome in outcomes:
                if not isinstance(outcome, IngestFailure):
                    progress.advance(task)
                yield outcome

        report = pipeline.ingest(
            counted(read_inputs(inputs, ingest_options(settings), on_skip=on_skip)),
            run_id=run_id,
            progress=on_progress,
        )
    pipeline.store.finish_run(run_id, added=report.added, errors=[str(f) for f in report.failures])
    err.print(
        f"Stored {plural(report.added, 'new article')} "
        f"({plural(report.copies, 'copy', 'copies')} of other reports), "
        f"{report.already_stored:,} already stored, {len(report.failures):,} failed.",
        highlight=False,
    )
    return len(report.failures)


def _refresh(pipeline: Pipeline) -> None:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

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


def _render(entries: list[DigestEntry], fmt: str, out_path: Path | None) -> None:
    from ohliad.ingest.sources import path_name
    from ohliad.render import render_digest

    text = render_digest(entries, fmt)  # whole, before a byte is written
    if out_path is None:
        sys.stdout.write(text)
        return
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"{path_name(out_path)}: cannot write the digest ({exc.strerror})") from None


def _ingest_and_refresh(
    settings: Settings, inputs: list[str], command: str
) -> tuple[Pipeline, int]:
    """Store and group INPUTS, then update the stories' entries; returns the
    pipeline and how many inputs failed (the rest were stored)."""
    pipeline = _open_pipeline(settings)
    failed = _ingest(pipeline, settings, inputs, command)
    _refresh(pipeline)
    return pipeline, failed


@_command
def run(
    inputs: InputsArgument,
    db: DbOption = None,
    fmt: FormatOption = "md",
    out_path: OutOption = None,
    translator: TranslatorOption = None,
    style: StyleOption = None,
    summarizer: SummarizerOption = None,
    allow_private: AllowPrivateOption = None,
    config: ConfigOption = None,
) -> None:
    """Ingest each INPUT, group the articles into stories, summarize, and print the digest."""
    settings = _pipeline_settings(config, db, translator, style, summarizer, allow_private)
    pipeline, failed = _ingest_and_refresh(settings, inputs, "run")
    _render(pipeline.digest(), fmt, out_path)
    if out_path:
        err.print(f"Digest written to {out_path}", highlight=False)
    if failed:
        raise typer.Exit(1)


@_command
def demo(
    out_dir: Annotated[
        Path,
        typer.Option("--out-dir", help="Where the digests go (and the database, without --db)."),
    ] = Path("out/demo"),
    db: DbOption = None,
    translator: TranslatorOption = None,
    config: ConfigOption = None,
) -> None:
    """Run the main job on the sample corpus bundled with ohliad."""
    sample = resources.files("ohliad") / "data" / "sample"
    database = db or str(out_dir / "ohliad.db")
    settings = _settings(config, db=database, translator=translator)
    with resources.as_file(sample) as sample_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
        pipeline, failed = _ingest_and_refresh(settings, [str(sample_dir)], "demo")
        _render(pipeline.digest(), "json", out_dir / "digest.json")
        _render(pipeline.digest(), "md", out_dir / "digest.md")
    err.print(
        f"Demo digest: {out_dir / 'digest.md'} (JSON: {out_dir / 'digest.json'}, "
        f"database: {database})",
        highlight=False,
    )
    if failed:
        raise typer.Exit(1)


@_command
def ingest(
    inputs: InputsArgument,
    db: DbOption = None,
    translator: TranslatorOption = None,
    style: StyleOption = None,
    summarizer: SummarizerOption = None,
    allow_private: AllowPrivateOption = None,
    config: ConfigOption = None,
) -> None:
    """Store each INPUT, group the articles into stories and update the stories' entries."""
    settings = _pipeline_settings(config, db, translator, style, summarizer, allow_private)
    _pipeline, failed = _ingest_and_refresh(settings, inputs, "ingest")
    if failed:
        raise typer.Exit(1)


class _BackfillDisplay:
    """A backfill's progress in Rich: archives read, articles stored,
    stories summarised and compared; each failure one line above the bars."""

    def __init__(self, progress: Any) -> None:
        self._progress = progress
        self._archives: Any = None
        self._stage: Any = None

    def archives(self, total: int, skipped: int) -> None:
        if skipped:
            self._progress.console.print(
                f"Skipping {skipped:,} archives stored to the end before.", highlight=False
            )
        self._archives = self._progress.add_task("Reading archives", total=total)

    def archive_done(self, result: Any) -> None:
        self._progress.advance(self._archives)

    def failure(self, message: str) -> None:
        self._progress.console.print(f"[red]failed:[/red] {escape(message)}", highlight=False)

    def stage(self, description: str, total: int) -> None:
        self._stage = self._progress.add_task(description, total=total)

    def advance(self, count: int = 1) -> None:
        self._progress.advance(self._stage, count)


@_command
def backfill(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="WARC files (.warc, .warc.gz), folders of them, or list files of their paths "
            "(one a line, as Common Crawl's warc.paths).",
            metavar="WARC",
        ),
    ],
    db: DbOption = None,
    ray_address: Annotated[
        str | None,
        typer.Option(
            "--ray-address",
            help="The Ray cluster to join (host:port of its head, or 'auto'). "
            "Default: $RAY_ADDRESS, else a local Ray instance on this machine.",
        ),
    ] = None,
    translator: TranslatorOption = None,
    style: StyleOption = None,
    summarizer: SummarizerOption = None,
    config: ConfigOption = None,
) -> None:
    """Store the news pages of web archives (WARC), grouped into stories, using a Ray cluster.

    Reading, extraction, language ID, MinHash and embeddings run on the cluster's workers;
    one writer stores the articles in publication order; then the changed stories' summaries
    (with their Ukrainian) and comparisons run on the workers. An archive stored to the end
    is skipped on a rerun; one stopped part-way is read again without duplicates.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from ohliad.assembly import ingest_options
    from ohliad.backfill import backfill as run_backfill
    from ohliad.backfill import describe

    settings = _pipeline_settings(config, db, translator, style, summarizer)
    pipeline = _open_pipeline(settings)
    run_id = pipeline.store.start_run("backfill")
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        report = run_backfill(
            pipeline,
            inputs,
            ingest=ingest_options(settings),
            progress=_BackfillDisplay(progress),
            ray_address=ray_address,
            run_id=run_id,
        )
    pipeline.store.finish_run(run_id, added=report.stored.added, errors=report.failures)
    err.print(f"Backfill: {describe(report)}", highlight=False)
    _refresh(pipeline)
    if report.failures:
        raise typer.Exit(1)


@_command
def digest(
    db: DbOption = None,
    fmt: FormatOption = "md",
    out_path: OutOption = None,
    translator: TranslatorOption = None,
    style: StyleOption = None,
    summarizer: SummarizerOption = None,
    config: ConfigOption = None,
) -> None:
    """Print the digest of the stored stories, the latest news first."""
    from ohliad.store import DatabaseWriteError, Store

    settings = _pipeline_settings(config, db, translator, style, summarizer)
    store = Store.open(settings.db, must_exist=True)
    # The engines load only when a story needs its entry brought up to date:
    # a digest of an up-to-date database takes a second, not ten.
    try:
        if store.dirty_story_keys():
            _refresh(_open_pipeline(settings, store=store))
    except DatabaseWriteError as exc:
        # A full disk or a read-only database: what is stored is still a digest.
        err.print(
            f"[yellow]warning:[/yellow] stories not brought up to date ({escape(str(exc))}); "
            "the digest shows them as stored",
            highlight=False,
        )
    _render(store.digest_entries(), fmt, out_path)


@_command
def extract(
    source: Annotated[str, typer.Argument(help="An HTML file (.html, .html.gz) or a URL.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    allow_private: AllowPrivateOption = None,
    config: ConfigOption = None,
) -> None:
    """Extract an article's clean text and metadata from a page."""
    from ohliad.assembly import ingest_options
    from ohliad.ingest import IngestFailure, read_inputs

    settings = _settings(config, allow_private=allow_private)
    outcomes = list(read_inputs([source], ingest_options(settings)))
    articles = [o for o in outcomes if not isinstance(o, IngestFailure)]
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


def _records(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """The JSON Lines records of a file, each with where it is; the first
    bad line is an error."""
    from ohliad.ingest import IngestFailure
    from ohliad.ingest.json_lines import json_records

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"{path}: cannot read ({exc})") from None
    records = []
    for found in json_records(text, origin=str(path)):
        if isinstance(found, IngestFailure):
            raise _fail(str(found))
        records.append(found)
    return records


def _record_article(record: object, where: str) -> Article:
    from ohliad.ingest import IngestFailure
    from ohliad.ingest.json_lines import record_article

    if not isinstance(record, dict):
        raise _fail(f"{where}: an article must be a JSON object")
    article = record_article(record, where)
    if isinstance(article, IngestFailure):
        raise _fail(str(article))
    return article


@_command
def cluster(
    articles_file: Annotated[
        Path,
        typer.Argument(help="JSON Lines: title, text [, id, url, outlet, published]."),
    ],
) -> None:
    """Group articles into stories; prints JSON Lines {"id", "story"} in input
    order. A record without an id is named by its line number."""
    from ohliad.cluster import assign_stories

    records = _records(articles_file)
    articles = [_record_article(record, where) for where, record in records]
    for (where, record), story in zip(records, assign_stories(articles), strict=True):
        given = record.get("id")
        line = int(where.rpartition(":")[2])
        sys.stdout.write(
            json.dumps({"id": line if given is None else given, "story": story}) + "\n"
        )


@_command
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
        str | None,
        typer.Option(
            "--engine",
            "--summarizer",
            help="Summary engine: extractive (default), llm, or a plug-in's.",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Summarize stories; prints JSON Lines {"story", "headline", "summary"}."""
    from ohliad.assembly import summary_options
    from ohliad.models import Story
    from ohliad.summarize import open_summarizer, summarize_story

    options = replace(
        summary_options(_settings(config, summarizer=engine)), max_sentences=sentences
    )
    # Only what was given overrides SummaryOptions' fitted defaults.
    if words is not None:
        options = replace(options, max_words=words or None)
    if share is not None:
        options = replace(options, max_share=share or None)
    summarizer = open_summarizer(options)
    for number, (where, record) in enumerate(_records(stories_file), start=1):
        raw_articles = record.get("articles")
        if not isinstance(raw_articles, list) or not raw_articles:
            raise _fail(f"{where}: 'articles' must be a non-empty list")
        story = Story(
            id=str(record.get("story", number)),
            articles=tuple(_record_article(a, where) for a in raw_articles),
        )
        summary = summarize_story(story, options, summarizer)
        line = {
            "story": record.get("story"),
            "headline": summary.headline,
            "summary": summary.text,
            # Where each sentence comes from: article ids, else their places in the record.
            "sentences": [
                {
                    "text": s.text,
                    "sources": list(s.sources),
                    "taken_from": s.taken_from,
                    "outlet": s.outlet,
                }
                for s in summary.sentences
            ],
            "notes": list(summary.notes),
        }
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")


@_command
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    translator: TranslatorOption = None,
    style: StyleOption = None,
    config: ConfigOption = None,
) -> None:
    """Serve the digest: web pages, the JSON API and the feeds.

    Pages at /, the API under /api/ (docs at /docs), feeds at /feeds/rss.xml,
    /feeds/atom.xml and /feeds/feed.json, the editor's desk at /desk. Admin
    actions (add a feed, re-run a story) and the desk need an admin token
    (admin_tokens, or admin_token); review = true shows the public only what
    an editor approved; public_url sets the feeds' base URL.
    """
    from ohliad.assembly import open_store
    from ohliad.web import create_app, web_settings
    from ohliad.web import serve as serve_app

    settings = _settings(config, db=db, translator=translator, translation_style=style)
    store = open_store(settings, must_exist=True)
    err.print(f"Serving {store.url} at http://{host}:{port}/ (API docs at /docs)", highlight=False)
    app = create_app(store, web_settings(settings, store, bound_hosts=(host,)))
    serve_app(app, host=host, port=port)


@_command
def watch(
    feed_list: Annotated[
        Path | None,
        typer.Argument(
            help="Feeds to add to the watch list first: a .toml feed list or an .opml "
            "export. Without it, the watch list as it is (ohliad feeds).",
            show_default=False,
        ),
    ] = None,
    once: Annotated[
        bool,
        typer.Option(
            "--once",
            help="Poll every due feed once and exit (for cron); says when each skipped "
            "feed is next due.",
        ),
    ] = False,
    now: Annotated[
        bool,
        typer.Option(
            "--now",
            help="Poll every feed now, those backing off after errors and parked ones too "
            "(after fixing an error).",
        ),
    ] = False,
    db: DbOption = None,
    translator: TranslatorOption = None,
    style: StyleOption = None,
    allow_private: AllowPrivateOption = None,
    host_delay: Annotated[
        float | None,
        typer.Option(
            "--host-delay",
            min=0.0,
            help="Seconds between requests to one host (robots.txt Crawl-delay can raise it).",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Poll the feeds of the watch list politely and put new articles into their stories."""
    from ohliad.watch.command import run_watch

    settings = _settings(
        config,
        db=db,
        translator=translator,
        translation_style=style,
        allow_private=allow_private,
        host_delay=host_delay,
    )
    raise typer.Exit(run_watch(settings, feed_list, once=once, now=now, console=err))


def _add_to_watch_list(settings: Settings, specs: list[FeedSpec]) -> set[str]:
    """Add or update the feeds on the watch list; returns the new ones' URLs."""
    from ohliad.assembly import open_store
    from ohliad.store import FeedStore

    feeds = FeedStore(open_store(settings))
    known = {state.url for state in feeds.feeds()}
    feeds.sync((s.url, s.outlet, s.language, s.interval_seconds) for s in specs)
    return {s.url for s in specs} - known


FeedUrlArgument = Annotated[str, typer.Argument(help="The feed's address (http or https).")]


@_feeds_command
def feeds_add(
    url: FeedUrlArgument,
    outlet: Annotated[str | None, typer.Option(help="The outlet's name.")] = None,
    language: Annotated[str | None, typer.Option(help="Its language, e.g. en.")] = None,
    interval: Annotated[
        str | None, typer.Option(help="How often to poll it: seconds, or like 15m, 2h.")
    ] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Add a feed to the watch list (or update its outlet, language and interval)."""
    from ohliad.watch.feedlist import feed_spec

    spec = feed_spec(url, outlet=outlet, language=language, interval=interval, where=url)
    new = _add_to_watch_list(_settings(config, db=db), [spec])
    verb = "added" if new else "updated"
    err.print(f"{verb} {spec.url}", highlight=False, markup=False)


@_feeds_command
def feeds_remove(
    urls: Annotated[list[str], typer.Argument(help="Feed addresses.", metavar="URL")],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Take feeds off the watch list (the articles they brought stay)."""
    from ohliad.assembly import open_store
    from ohliad.ingest.urls import canonical_url
    from ohliad.store import FeedStore

    feeds = FeedStore(open_store(_settings(config, db=db), must_exist=True))
    missing = 0
    for url in urls:
        if feeds.remove(url.strip()) or feeds.remove(canonical_url(url.strip())):
            err.print(f"removed {url}", highlight=False, markup=False)
        else:
            err.print(f"not on the watch list: {url}", style="red", highlight=False, markup=False)
            missing += 1
    if missing:
        raise typer.Exit(1)


@_feeds_command
def feeds_list(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    config: ConfigOption = None,
) -> None:
    """List the watch list: address, outlet, language and interval."""
    from rich.table import Table

    from ohliad.assembly import open_store
    from ohliad.store import FeedStore

    states = FeedStore(open_store(_settings(config, db=db), must_exist=True)).feeds()
    if as_json:
        fields = ("url", "outlet", "language", "interval_seconds")
        out.print_json(data=[{f: getattr(s, f) for f in fields} for s in states])
        return
    table = Table(title=f"Watch list ({len(states)})")
    for column in ("Feed", "Outlet", "Language", "Interval"):
        table.add_column(column, overflow="fold")
    for state in states:
        table.add_row(
            escape(state.url),
            escape(state.outlet or ""),
            state.language or "",
            f"{state.interval_seconds} s",
        )
    out.print(table)


@_feeds_command
def feeds_import(
    feed_list: Annotated[Path, typer.Argument(help="A .toml feed list or an .opml export.")],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Add the feeds of a feed list or a feed reader's OPML export (those
    already on the list are updated)."""
    from ohliad.watch.feedlist import load_feed_list
    from ohliad.wording import plural

    specs = load_feed_list(feed_list)
    new = len(_add_to_watch_list(_settings(config, db=db), specs))
    err.print(
        f"imported {plural(len(specs), 'feed')} from {feed_list}: {new:,} new, "
        f"{len(specs) - new:,} updated",
        highlight=False,
        markup=False,
    )


@_feeds_command
def feeds_export(
    out_path: OutOption = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="opml (for feed readers) or toml (keeps intervals)."),
    ] = "opml",
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Write the watch list as OPML (for feed readers) or as a TOML feed list."""
    from ohliad.assembly import open_store
    from ohliad.store import FeedStore
    from ohliad.watch.feedlist import FeedSpec, opml_feed_list, toml_feed_list

    if fmt not in ("opml", "toml"):
        raise _fail(f"unknown format {fmt!r}: opml or toml")
    states = FeedStore(open_store(_settings(config, db=db), must_exist=True)).feeds()
    specs = [FeedSpec(s.url, s.outlet, s.language, s.interval_seconds) for s in states]
    data = opml_feed_list(specs) if fmt == "opml" else toml_feed_list(specs).encode("utf-8")
    _write_out(data, out_path)


def _write_out(data: bytes, out_path: Path | None) -> None:
    """``data`` to ``out_path``, or to standard output when there is none."""
    from ohliad.ingest.sources import path_name

    if out_path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        out_path.write_bytes(data)
    except OSError as exc:
        raise _fail(f"{path_name(out_path)}: cannot write ({exc.strerror})") from None


review_app = typer.Typer(
    help="The editor's desk: the machine's drafts, their review state and what changed. "
    "Edit, approve, reject and publish with the commands of those names.",
    no_args_is_help=True,
)
app.add_typer(review_app, name="review")

StoryIdArgument = Annotated[
    str, typer.Argument(help='The entry\'s id (its "id" in the digest JSON).', metavar="STORY_ID")
]
ByOption = Annotated[
    str | None,
    typer.Option("--by", help="Who makes the change, for the record. Default: your user name."),
]


def _desk(config: Path | None, db: str | None) -> tuple[ReviewStore, Settings]:
    """The desk's store (``ohliad.store.reviews.ReviewStore``) and the settings."""
    from ohliad.assembly import open_store
    from ohliad.store.reviews import ReviewStore

    settings = _settings(config, db=db)
    store = open_store(settings, must_exist=True)
    return ReviewStore(store, timezone=settings.desk_timezone), settings


def _who(by: str | None) -> str:
    import getpass

    if by and by.strip():
        return by.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in a bare container
        return "unknown"


def _day_option(value: str | None, today: Any) -> Any:
    from datetime import date

    if value is None:
        return None
    if value == "today":
        return today
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(f"--day: expected a date as YYYY-MM-DD or 'today', got {value!r}") from None


def _print_suggestions(found: list[Any]) -> None:
    for field in found:
        for suggestion in field.suggestions:
            err.print(
                f"{field.field}: {suggestion.message}",
                style="yellow",
                highlight=False,
                markup=False,
            )


@review_app.command("list")
@_one_line_errors
def review_list(
    status: Annotated[
        list[str] | None,
        typer.Option("--status", "-s", help="draft, approved, published or rejected (repeat)."),
    ] = None,
    day: Annotated[
        str | None, typer.Option(help="Entries of this day (YYYY-MM-DD or today), desk time.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print the entries as JSON.")] = False,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """List the entries on the desk, newest news first: status, day, sources,
    conflicts, and whether the story changed after the last edit (stale)."""
    from rich.table import Table

    from ohliad.digest_json import entry_to_dict
    from ohliad.models import REVIEW_STATUSES

    for name in status or ():
        if name not in REVIEW_STATUSES:
            raise _fail(f"--status: unknown status {name!r}; use {', '.join(REVIEW_STATUSES)}")
    desk, _ = _desk(config, db)
    chosen = [name for name in REVIEW_STATUSES if name in (status or ())]
    entries = desk.queue(statuses=chosen or None, day=_day_option(day, desk.today()), limit=limit)
    if as_json:
        out.print_json(data=[entry_to_dict(e.entry) for e in entries])
        return
    table = Table(title=f"The desk ({len(entries)})")
    for column in ("Id", "Status", "Day", "Sources", "Conflicts", "Headline"):
        table.add_column(column, overflow="fold")
    for found in entries:
        entry = found.entry
        conflicts = len(entry.comparison.conflicts) if entry.comparison else 0
        headline = entry.ukrainian.headline if entry.ukrainian else entry.summary.headline
        table.add_row(
            escape(found.key),
            ", ".join(found.review.marks),
            found.day.isoformat(),
            str(len(entry.sources)),
            str(conflicts) if conflicts else "",
            escape(headline),
        )
    out.print(table)


@review_app.command("show")
@_one_line_errors
def review_show(
    story_id: StoryIdArgument, db: DbOption = None, config: ConfigOption = None
) -> None:
    """Show an entry as the desk sees it: as it would be published, the
    machine's draft beside it, what changed since the last edit, the
    checker's suggestions and the entry's history."""
    from ohliad.assembly import translate_options
    from ohliad.render.markdown import render_entry
    from ohliad.review import check_entry
    from ohliad.translate.check import UkrainianChecker

    desk, settings = _desk(config, db)
    found = desk.entry(story_id)
    review = found.review
    marks = ", ".join(review.marks)
    out.print(f"{found.key} · {marks} · {found.day.isoformat()}", markup=False)
    out.print(render_entry(found.entry), markup=False, highlight=False)
    if review.edited:
        out.print("\nThe machine's draft:", style="bold")
        out.print(render_entry(found.draft), markup=False, highlight=False)
    for source in found.new_sources:
        out.print(
            f"new source since the edit: {source.outlet or source.url}",
            style="yellow",
            markup=False,
        )
    for conflict in found.new_conflicts:
        out.print(f"new conflict since the edit: {conflict.about}", style="yellow", markup=False)
    _print_suggestions(
        check_entry(found.entry, UkrainianChecker.from_options(translate_options(settings)))
    )
    for event in desk.events(story_id):
        out.print(
            f"{event.at:%Y-%m-%d %H:%M} {event.action} by {event.by or 'ohliad'}",
            style="dim",
            markup=False,
        )


def _text_option(value: str | None) -> str | None:
    """An option's text; ``-`` reads it from standard input (a summary of
    several lines)."""
    return sys.stdin.read() if value == "-" else value


def _source_ids(desk: ReviewStore, key: str, given: list[str]) -> tuple[int, ...]:
    """Sources given by article id or by URL, as article ids."""
    sources = desk.entry(key).draft.sources
    ids = []
    for value in given:
        match = [s.article_id for s in sources if value in (str(s.article_id), s.url)]
        if not match or match[0] is None:
            raise _fail(f"story {key!r} has no source {value!r}: give its URL or article id")
        ids.append(match[0])
    return tuple(ids)


@_command
def edit(
    story_id: StoryIdArgument,
    headline_uk: Annotated[
        str | None, typer.Option(help="Ukrainian headline ('' restores the machine's).")
    ] = None,
    summary_uk: Annotated[
        str | None,
        typer.Option(help="Ukrainian summary, 3–6 sentences ('-' reads standard input)."),
    ] = None,
    headline_en: Annotated[str | None, typer.Option(help="English headline.")] = None,
    summary_en: Annotated[
        str | None, typer.Option(help="English summary ('-' reads standard input).")
    ] = None,
    drop_source: Annotated[
        list[str] | None, typer.Option(help="Leave this source out (URL or article id; repeat).")
    ] = None,
    restore_source: Annotated[
        list[str] | None, typer.Option(help="Take a dropped source back (repeat).")
    ] = None,
    by: ByOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Write the editor's text for an entry: it is kept apart from the
    machine's draft and survives every recomputation. Prints the house-style
    checker's suggestions (glossary, names, dates, numbers, style, spelling);
    nothing is rewritten for you."""
    from ohliad.assembly import translate_options
    from ohliad.review import check_entry
    from ohliad.store.reviews import TextChange
    from ohliad.translate.check import UkrainianChecker

    desk, settings = _desk(config, db)
    change = TextChange(
        headline_en=headline_en,
        summary_en=_text_option(summary_en),
        headline_uk=headline_uk,
        summary_uk=_text_option(summary_uk),
        drop_sources=_source_ids(desk, story_id, drop_source or []),
        restore_sources=_source_ids(desk, story_id, restore_source or []),
    )
    if change == TextChange():
        raise _fail(
            "nothing to change: give --headline-uk, --summary-uk, --headline-en, --summary-en, "
            "--drop-source or --restore-source"
        )
    found = desk.edit(story_id, change, by=_who(by))
    suggestions = check_entry(
        found.entry, UkrainianChecker.from_options(translate_options(settings))
    )
    _print_suggestions(suggestions)
    count = sum(len(f.suggestions) for f in suggestions)
    from ohliad.wording import plural

    tail = f"; {plural(count, 'suggestion')} above" if count else "; no suggestions"
    err.print(f"edited {story_id} ({found.review.status}){tail}", highlight=False, markup=False)


def _decide(
    story_id: str,
    status: ReviewStatus,
    by: str | None,
    note: str,
    db: str | None,
    config: Path | None,
) -> None:
    desk, _ = _desk(config, db)
    found = desk.decide(story_id, status, by=_who(by), note=note)
    err.print(
        f"{found.review.status} {story_id} (by {found.review.updated_by})",
        highlight=False,
        markup=False,
    )


@_command
def approve(
    story_id: StoryIdArgument, by: ByOption = None, db: DbOption = None, config: ConfigOption = None
) -> None:
    """Approve an entry for the next edition (it needs its Ukrainian headline
    and summary). What is approved is what is published."""
    _decide(story_id, "approved", by, "", db, config)


@_command
def reject(
    story_id: StoryIdArgument,
    reason: Annotated[str, typer.Option(help="Why, for the record.")] = "",
    by: ByOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Leave an entry out of the review."""
    _decide(story_id, "rejected", by, reason, db, config)


@_command
def publish(
    day: Annotated[
        str | None,
        typer.Option(
            help="Publish this day's edition (YYYY-MM-DD or today). Default: the next "
            "edition, every approved entry not yet published."
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="md (house format), json, telegram (Bot API messages, JSON Lines) or email "
            "(a MIME message).",
        ),
    ] = "md",
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the edition here instead of stdout.")
    ] = None,
    send: Annotated[
        bool,
        typer.Option(
            "--send",
            help="Also e-mail the entries no e-mail carried yet, through the SMTP server of "
            "the settings.",
        ),
    ] = False,
    by: ByOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Publish an edition: the approved entries become published, dated with
    the edition's day, and the edition is written in the house format (or
    JSON, Telegram messages, e-mail). Publishing again publishes and sends
    nothing twice."""
    from ohliad.review import EDITION_FORMATS, render_edition, send_edition_by_email
    from ohliad.wording import plural

    if fmt not in EDITION_FORMATS:
        raise _fail(f"unknown format {fmt!r}: use {', '.join(EDITION_FORMATS)}")
    desk, settings = _desk(config, db)
    edition = desk.publish(by=_who(by), day=_day_option(day, desk.today()))
    if not edition.entries:
        what = f"no entries of {edition.day.isoformat()}" if day else "no approved entries wait"
        err.print(f"nothing to publish: {what}", highlight=False, markup=False)
        return
    err.print(
        f"edition of {edition.day.isoformat()}: {plural(len(edition.entries), 'entry')}, "
        f"{len(edition.new):,} newly published",
        highlight=False,
        markup=False,
    )
    _write_out(render_edition(edition, fmt, settings), out_path)
    if send:
        sent = send_edition_by_email(desk, edition, settings)
        if sent:
            err.print(
                f"sent {plural(len(sent), 'entry')} by e-mail to {', '.join(settings.mail_to)}",
                highlight=False,
                markup=False,
            )
        else:
            err.print(
                "nothing new to send: every entry of this edition went out by e-mail already",
                highlight=False,
                markup=False,
            )


@_command
def status(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    config: ConfigOption = None,
) -> None:
    """Show the watched feeds: last success, errors, parking, recent articles, the queue."""
    from ohliad.assembly import open_store
    from ohliad.watch.command import show_status

    show_status(open_store(_settings(config, db=db), must_exist=True), as_json=as_json, console=out)


@_command
def components() -> None:
    """List the components ohliad can use, ohliad's own and those packages add:
    embedders, summarizers, translators, input readers and output renderers."""
    from rich.table import Table

    from ohliad import registry

    table = Table(title="Components (ohliad.registry)")
    for column in ("Kind", "Entry-point group", "Names"):
        table.add_column(column, overflow="fold")
    for found in registry.ALL:
        table.add_row(found.kind, found.group, ", ".join(found.names()))
    out.print(table)


@_command
def doctor(
    db: DbOption = None,
    translator: TranslatorOption = None,
    config: ConfigOption = None,
) -> None:
    """Say what ohliad finds on this machine, and what to do where something is
    missing: settings, database, Ukrainian engines, summarizer, models,
    components, caches. Exits 1 when something is missing."""
    from rich.table import Table

    from ohliad.doctor import examine

    checks = examine(_settings(config, db=db, translator=translator))
    table = Table(title="ohliad doctor")
    for column in ("Part", "State", "Found", "What to do"):
        table.add_column(column, overflow="fold")
    colours = {"ok": "green", "note": "yellow", "missing": "red"}
    for check in checks:
        state = f"[{colours[check.state]}]{check.state}[/]"
        table.add_row(escape(check.part), state, escape(check.found), escape(check.todo))
    out.print(table)
    if any(check.state == "missing" for check in checks):
        raise typer.Exit(1)


def _version(value: bool) -> None:
    if value:
        from ohliad import __version__

        out.print(f"ohliad {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """ohliad (огляд): a news digest engine."""


def main() -> None:
    """Entry point: errors reach people as one line, not as a stack trace."""
    try:
        app()
    except OhliadError as exc:
        err.print(f"[red]error:[/red] {escape(one_line(str(exc)))}", highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        from ohliad.settings import debug_requested

        if debug_requested():
            raise
        err.print(
            f"[red]error:[/red] {type(exc).__name__}: {escape(one_line(str(exc)))} "
            "(set OHLIAD_DEBUG=1 for a traceback)",
            highlight=False,
        )
        sys.exit(2)
