"""What ``ohliad watch`` (and ``python -m ohliad.watch``) and ``ohliad
status`` do; cli.py declares the commands."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from ohliad.dates import utcnow
from ohliad.errors import one_line
from ohliad.store import Store
from ohliad.watch.feedlist import FeedListError, load_feed_list
from ohliad.watch.policy import WatchPolicy
from ohliad.watch.status import WatchStatus, watch_status
from ohliad.wording import plural

if TYPE_CHECKING:
    from ohliad.settings import Settings
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


def watch_policy(settings: Settings) -> WatchPolicy:
    """The watcher's politeness and persistence, with the settings' host delay."""
    if settings.host_delay is None:
        return WatchPolicy()
    return WatchPolicy(host_delay_seconds=settings.host_delay)


def run_watch(
    settings: Settings,
    feed_list: Path | None,
    *,
    once: bool,
    now: bool = False,
    console: Console,
) -> int:
    """Watch the store's watch list, with the feeds of ``feed_list`` added
    first, with ohliad opened as ``settings`` say; returns the exit code (1
    if a feed failed in a ``once`` run). A feed list that cannot be read
    raises ``FeedListError`` before anything opens."""
    from ohliad.assembly import fetch_options, open_pipeline, open_store, open_translator
    from ohliad.store import FeedStore
    from ohliad.watch.watcher import Watcher

    feeds = load_feed_list(feed_list) if feed_list is not None else []
    store = open_store(settings)
    watched = len({s.url for s in FeedStore(store).feeds()} | {s.url for s in feeds})
    if not watched:
        raise FeedListError(
            "no feeds to watch: give a FEED_LIST, or add feeds with "
            "ohliad feeds add URL or ohliad feeds import FILE"
        )
    ukrainian = open_translator(settings)
    if ukrainian.notice:
        console.print(ukrainian.notice, highlight=False, markup=False)
    pipeline = open_pipeline(settings, store=store, ukrainian=ukrainian)

    def log(message: str) -> None:
        console.print(f"{utcnow():%H:%M:%S} {one_line(message)}", highlight=False, markup=False)

    watcher = Watcher(
        pipeline,
        feeds,
        policy=watch_policy(settings),
        fetch_options=fetch_options(settings),
        log=log,
    )
    mode = "once" if once else "until stopped (Ctrl-C)"
    console.print(
        f"Watching {plural(watched, 'feed')} {mode}; database {pipeline.store.url}",
        highlight=False,
        markup=False,
    )
    with _stop_on_signals(watcher):
        summary = watcher.run(once=once, now=now)
    console.print(
        f"{plural(summary.polls, 'poll')}, {summary.failures:,} failed; stored "
        f"{plural(summary.added, 'new article')}; "
        f"{plural(summary.stories_refreshed, 'story')} updated, "
        f"{plural(summary.stories_compared, 'comparison')} updated.",
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
        f"{plural(len(status.feeds), 'feed')} ({status.parked:,} parked); in the last 24 h "
        f"{plural(status.articles_24h, 'article')} and "
        f"{plural(status.stories_updated_24h, 'story')} updated; "
        f"queue: {plural(status.feeds_due, 'feed')} due, "
        f"{plural(status.stories_dirty, 'story')} to recompute, "
        f"{plural(status.comparisons_pending, 'comparison')} pending.",
        highlight=False,
    )
    if status.stories_without_ukrainian:
        from ohliad.translate.engine import HOW_TO_ENABLE

        console.print(
            f"{plural(status.stories_without_ukrainian, 'story')} without Ukrainian text: "
            f"{HOW_TO_ENABLE}, or write it at the desk.",
            highlight=False,
        )
