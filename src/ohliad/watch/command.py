"""The ``ohliad watch`` and ``ohliad status`` commands. cli.py registers them
(``app.command()(watch)``); ``python -m ohliad.watch`` runs ``watch`` alone."""

from __future__ import annotations

import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from ohliad.ingest.fetch import FetchOptions
from ohliad.store import Store
from ohliad.store.schema import utcnow
from ohliad.watch.feedlist import FeedListError, FeedSpec, load_feed_list
from ohliad.watch.policy import WatchPolicy
from ohliad.watch.status import WatchStatus, watch_status

if TYPE_CHECKING:
    from ohliad.pipeline import Pipeline
    from ohliad.watch.watcher import Watcher


@contextmanager
def _stop_on_signals(watcher: Watcher) -> Iterator[None]:
    # SIGINT/SIGTERM finish the polls in flight and store what they found.
    def handler(_signum: int, _frame: object) -> None:
        watcher.stop()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def run_watch(
    pipeline: Pipeline,
    feeds: Sequence[FeedSpec],
    *,
    once: bool,
    allow_private: bool,
    console: Console,
    policy: WatchPolicy | None = None,
) -> int:
    """Watch ``feeds``; returns the exit code (1 if a feed failed in a ``once`` run)."""
    from ohliad.watch.watcher import Watcher

    def log(message: str) -> None:
        console.print(f"{utcnow():%H:%M:%S} {message}", highlight=False, markup=False)

    watcher = Watcher(
        pipeline,
        feeds,
        policy=policy,
        fetch_options=FetchOptions(allow_private=allow_private),
        log=log,
    )
    mode = "once" if once else "until stopped (Ctrl-C)"
    console.print(
        f"Watching {len(feeds)} feeds {mode}; database {pipeline.store.url}",
        highlight=False,
        markup=False,
    )
    with _stop_on_signals(watcher):
        summary = watcher.run(once=once)
    console.print(
        f"{summary.polls} polls, {summary.failures} failed; stored {summary.added} new "
        f"articles; {summary.stories_refreshed} stories updated.",
        highlight=False,
    )
    return 1 if once and summary.failures else 0


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "never"


def status_table(status: WatchStatus) -> Table:
    table = Table(title=f"Feeds at {status.generated_at:%Y-%m-%d %H:%M} UTC")
    for column in ("Feed", "Last success", "Last error", "Parked", "Articles 24 h", "Stories 24 h"):
        table.add_column(column, overflow="fold")
    for feed in status.feeds:
        table.add_row(
            f"{feed.outlet}\n{feed.url}" if feed.outlet else feed.url,
            _when(feed.last_success),
            feed.last_error or "",
            feed.parked_reason or "",
            str(feed.articles_24h),
            str(feed.stories_updated_24h),
        )
    return table


def show_status(store: Store, *, as_json: bool, console: Console) -> None:
    status = watch_status(store)
    if as_json:
        console.print_json(status.to_json())
        return
    console.print(status_table(status))
    console.print(
        f"{len(status.feeds)} feeds ({status.parked} parked); in the last 24 h "
        f"{status.articles_24h} articles and {status.stories_updated_24h} stories updated; "
        f"queue: {status.feeds_due} feeds due, {status.stories_dirty} stories to recompute.",
        highlight=False,
    )


# Typer commands ---------------------------------------------------------------
# cli.py imports this module to register the commands, so cli.py is imported here
# only inside functions.

FeedListArgument = Annotated[
    Path, typer.Argument(help="Feeds to watch: a .toml feed list or an .opml export.")
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database: a SQLAlchemy URL or a file path. Default: ohliad.db in the user data "
        "folder, or $OHLIAD_DB.",
        envvar="OHLIAD_DB",
    ),
]


def watch(
    feed_list: FeedListArgument,
    once: Annotated[
        bool, typer.Option("--once", help="Poll every due feed once and exit (for cron).")
    ] = False,
    db: DbOption = None,
    translator: Annotated[
        str,
        typer.Option(
            "--translator",
            help="Ukrainian engine: auto, bergamot, llm or none.",
            envvar="OHLIAD_TRANSLATOR",
        ),
    ] = "auto",
    style: Annotated[
        str, typer.Option("--style", help="Ukrainian house style profile: neutral or uk-press.")
    ] = "neutral",
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help="Allow fetching from private, link-local and loopback addresses.",
        ),
    ] = False,
    host_delay: Annotated[
        float,
        typer.Option(
            "--host-delay",
            min=0.0,
            help="Seconds between requests to one host (robots.txt Crawl-delay can raise it).",
        ),
    ] = WatchPolicy().host_delay_seconds,
) -> None:
    """Poll the feeds of FEED_LIST politely and put new articles into their stories."""
    from ohliad.cli import _fail, _open_pipeline, err

    try:
        feeds = load_feed_list(feed_list)
    except FeedListError as exc:
        raise _fail(str(exc)) from None
    pipeline = _open_pipeline(db, translator, style)
    policy = WatchPolicy(host_delay_seconds=host_delay)
    code = run_watch(
        pipeline, feeds, once=once, allow_private=allow_private, console=err, policy=policy
    )
    raise typer.Exit(code)


def status(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the watched feeds: last success, errors, parking, recent articles, the queue."""
    show_status(Store.open(db), as_json=as_json, console=Console())
