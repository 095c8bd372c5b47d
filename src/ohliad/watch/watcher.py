"""The watcher's loop: poll due feeds in the poll process (``poll_process.py``),
gather their new articles from many feeds into one ``Pipeline.ingest`` call,
record the entries and the feeds' validators only once the articles are
committed, then recompute the stories that changed: at once their summary tier
(each changed story once per round, however many articles it gained), and their
comparisons in the comparison process (``comparer.py``). The three processes
share the GIL-bound work between the machine's cores. A round of storing runs
on a thread of its own while the loop goes on polling, so the next round's
articles are fetched while this one's are stored.

Crash safety comes from that order. Articles and their story links are
committed by the pipeline in atomic batches; an entry (and the ETag that would
let the next poll skip it) is written only afterwards. A watcher killed in
between polls the feed in full again on restart, and the store's URL and
content-hash uniqueness makes the re-ingest a no-op. Stories stay dirty until
recomputed, so an interrupted refresh is finished by the next run.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ohliad.dates import utcnow
from ohliad.ingest.fetch import FetchOptions
from ohliad.models import Article, EntryOutcome, FeedState
from ohliad.store import FeedStore
from ohliad.watch.child import single_threaded_math
from ohliad.watch.comparer import ComparisonFailure, ComparisonProcess, ComparisonReport
from ohliad.watch.feedlist import FeedSpec
from ohliad.watch.hosts import host_of
from ohliad.watch.policy import (
    PollFailure,
    WatchPolicy,
    after_failure,
    after_success,
    due_at,
)

if TYPE_CHECKING:
    from ohliad.pipeline import Pipeline
from ohliad.watch.poll_process import PollProcess
from ohliad.watch.poller import PollResult
from ohliad.wording import plural

# The loop wakes at least this often to submit due feeds and flush batches.
_TICK_SECONDS = 0.5
# Polls handed to the poll process per worker thread of its own. While this
# process stores a batch (seconds, under load) the poll process works through
# what it was given; with only a round's worth, it sat idle and the two
# processes took turns instead of overlapping.
_QUEUED_PER_WORKER = 4


@dataclass(frozen=True, slots=True)
class FlushReport:
    """One ingest-and-refresh round, for progress lines and the benchmark."""

    articles: tuple[Article, ...]  # committed (new or already stored) this round
    article_ids: tuple[int | None, ...]  # their stored ids, in the same order
    added: int
    feeds: int
    stories_refreshed: tuple[str, ...]  # summary tier
    finished_at: float  # time.time()
    started_at: float  # when the round began storing
    polled_at: tuple[float, ...]  # when each article's feed poll began, in the same order


@dataclass
class WatchSummary:
    polls: int = 0
    failures: int = 0
    added: int = 0
    stories_refreshed: int = 0
    stories_compared: int = 0
    # The latest failures, for the run record; a watcher runs for weeks.
    errors: deque[str] = field(default_factory=lambda: deque(maxlen=100))


Log = Callable[[str], None]


def _ignore(_message: str) -> None:
    pass


class Watcher:
    """Polls the store's watch list until stopped (or once, for cron). The
    feeds given are added to it first (or updated); feeds added or removed
    while it runs (``ohliad feeds``, the admin page) are picked up within
    ``policy.feed_list_reload_seconds``."""

    def __init__(
        self,
        pipeline: Pipeline,
        feeds: Sequence[FeedSpec],
        *,
        policy: WatchPolicy | None = None,
        fetch_options: FetchOptions | None = None,
        log: Log = _ignore,
        on_flush: Callable[[FlushReport], None] | None = None,
        on_compare: Callable[[ComparisonReport], None] | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.specs = list(feeds)
        self._feeds_read_at = 0.0
        self.policy = policy or WatchPolicy()
        self.store = FeedStore(pipeline.store)
        self.stopping = threading.Event()
        self.fetch_options = fetch_options or FetchOptions()
        self.log = log
        self.on_flush = on_flush
        self.on_compare = on_compare
        self.summary = WatchSummary()
        self.comparer: ComparisonProcess | None = None
        self.polls: PollProcess | None = None
        self._states: dict[int, FeedState] = {}
        self._pending: list[PollResult] = []
        # The round storing articles on a thread of its own, while this thread
        # goes on polling; the feeds it stores, not polled again until it is done.
        self._rounds: ThreadPoolExecutor | None = None
        self._round: Future[list[FeedState]] | None = None
        self._in_round: set[int] = set()
        self._unsaved: dict[int, FeedState] = {}
        self._counting = threading.Lock()
        self._pending_since = 0.0
        self._run_id: int | None = None

    def stop(self) -> None:
        """Finish the polls in flight, store what they found, and return from run()."""
        self.stopping.set()

    # The loop -----------------------------------------------------------------

    def run(self, *, once: bool = False, now: bool = False) -> WatchSummary:
        """Poll until stopped, or with ``once`` every due feed once; ``now``
        makes every feed due, those backing off after errors and parked ones
        included (after an error is fixed)."""
        with single_threaded_math():
            return self._run(once=once, everything=now)

    def _run(self, *, once: bool, everything: bool) -> WatchSummary:
        self.store.sync((s.url, s.outlet, s.language, s.interval_seconds) for s in self.specs)
        states = self.store.feeds()
        self._feeds_read_at = time.monotonic()
        self._states = {s.id: s for s in states}
        self._run_id = self.pipeline.store.start_run("watch")
        self._refresh()  # stories left dirty by an interrupted run
        open_store = self.pipeline.store.opener()
        polls = self.polls = PollProcess(open_store, self.policy, self.fetch_options, log=self.log)
        if self.pipeline.options.compare:
            self.comparer = ComparisonProcess(
                open_store,
                self.pipeline.options,
                on_report=self._compared,
                on_failure=self._comparison_failed,
                log=self.log,
            )
        now = utcnow()
        if everything:
            states = [replace(s, next_poll=None) for s in states]
            self._states = {s.id: s for s in states}
        todo = {s.id for s in states if self._is_due(s, now, once=once)} if once else None
        for state in states:
            if todo is not None and state.id not in todo:
                self.log(_not_due(state))
        in_flight: dict[Future[PollResult], FeedState] = {}
        hosts: Counter[str] = Counter()
        self._rounds = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ohliad-store")
        try:
            polls.start()
            if self.comparer is not None:
                self.comparer.start()
            while True:
                if self.stopping.is_set():
                    polls.stop()  # here, not in stop(): that may run in a signal handler
                else:
                    self._submit_due(polls, in_flight, hosts, todo)
                if not in_flight and (self.stopping.is_set() or todo == set()):
                    break
                self._collect(in_flight, hosts)
                self._end_round(wait=False)
                if self._round is not None:
                    continue
                if self._pending and self._flush_due(idle=not in_flight):
                    self._start_round()
                elif not in_flight:
                    self._save_unsaved()
            self._flush()
            # A cron run leaves no comparison pending; a stopped watcher
            # leaves the rest to the next one.
            if self.comparer is not None:
                self.comparer.finish(drain=once, stopping=self.stopping)
        finally:
            self.stopping.set()
            self._rounds.shutdown(wait=True)  # if something failed: let the round end
            if self.comparer is not None:  # if something failed: stop it too
                self.comparer.finish(drain=False, stopping=self.stopping)
            polls.close()
        self.pipeline.store.finish_run(
            self._run_id, added=self.summary.added, errors=list(self.summary.errors)
        )
        return self.summary

    def _reread_feed_list(self, busy: set[int]) -> None:
        """Take in feeds added to the store's watch list since it was read, and
        drop those removed (once no poll of theirs is under way). The states
        of feeds already known stay this watcher's own: it has newer ones."""
        if time.monotonic() - self._feeds_read_at < self.policy.feed_list_reload_seconds:
            return
        self._feeds_read_at = time.monotonic()
        stored = {state.id: state for state in self.store.feeds()}
        for feed_id, state in stored.items():
            if feed_id not in self._states:
                self.log(f"watching {state.url}, added to the watch list")
                self._states[feed_id] = state
        for feed_id in [i for i in self._states if i not in stored and i not in busy]:
            self.log(f"stopped watching {self._states.pop(feed_id).url}, removed from the list")
            self._unsaved.pop(feed_id, None)

    @staticmethod
    def _is_due(state: FeedState, now: datetime, *, once: bool) -> bool:
        moment = due_at(state, once=once)
        return moment is None or moment <= now

    def _submit_due(
        self,
        polls: PollProcess,
        in_flight: dict[Future[PollResult], FeedState],
        hosts: Counter[str],
        todo: set[int] | None,
    ) -> None:
        busy = {state.id for state in in_flight.values()}
        busy.update(r.feed.id for r in self._pending)
        busy.update(self._in_round)
        if todo is None:
            self._reread_feed_list(busy)
        now = utcnow()
        candidates = todo if todo is not None else self._states.keys()
        due = [
            self._states[i]
            for i in candidates
            if i not in busy
            and (todo is not None or self._is_due(self._states[i], now, once=False))
        ]
        for state in sorted(due, key=lambda s: s.next_poll or now):
            if len(in_flight) >= _QUEUED_PER_WORKER * self.policy.workers:
                break
            host = host_of(state.url)
            if hosts[host] >= self.policy.host_concurrency:
                continue
            in_flight[polls.submit(state)] = state
            hosts[host] += 1
            if todo is not None:
                todo.discard(state.id)

    def _collect(self, in_flight: dict[Future[PollResult], FeedState], hosts: Counter[str]) -> None:
        """Take the polls that finish within a tick (returning early, too, when
        the round in progress ends)."""
        awaited: list[Future[Any]] = [*in_flight]
        if self._round is not None:
            awaited.append(self._round)
        if not awaited:
            self.stopping.wait(_TICK_SECONDS)
            return
        done, _running = wait(awaited, timeout=_TICK_SECONDS, return_when=FIRST_COMPLETED)
        for future in done:
            state = in_flight.pop(future, None)
            if state is None:  # the round
                continue
            hosts[host_of(state.url)] -= 1
            self.summary.polls += 1
            try:
                result = future.result()
            except Exception as exc:  # a bug must not stop the other feeds
                self._record_failure(state, f"internal error: {type(exc).__name__}: {exc}")
                continue
            self._take(result)

    def _take(self, result: PollResult) -> None:
        feed = result.feed
        if result.deferred_until is not None:
            self._save_later(replace(feed, next_poll=result.deferred_until))
        elif result.failure is not None:
            self._note_failure(feed, result.failure.reason)
            self._save(after_failure(feed, result.polled_at, result.failure, self.policy))
        elif not result.entries:
            self._save_later(self._succeeded(result))
        else:
            if not self._pending:
                self._pending_since = time.monotonic()
            self._pending.append(result)
            # Embedded while the round in progress is stored, off its path.
            self.pipeline.prefetch([e.article for e in result.entries if e.article is not None])

    def _flush_due(self, *, idle: bool) -> bool:
        waiting = sum(len(r.entries) for r in self._pending)
        return (
            idle
            or self.stopping.is_set()
            or waiting >= self.policy.batch_articles
            or time.monotonic() - self._pending_since >= self.policy.batch_wait_seconds
        )

    # Storing --------------------------------------------------------------------

    def _succeeded(self, result: PollResult) -> FeedState:
        return after_success(
            result.feed, result.polled_at, etag=result.etag, last_modified=result.last_modified
        )

    def _save(self, state: FeedState) -> None:
        self.store.save(state)
        self._states[state.id] = state
        self._unsaved.pop(state.id, None)

    def _save_later(self, state: FeedState) -> None:
        """Keep a state with no entries (a 304, a deferral) to write with others in one
        transaction: losing it to a crash only means one extra poll."""
        self._states[state.id] = state
        self._unsaved[state.id] = state
        if len(self._unsaved) >= self.policy.batch_articles:
            self._save_unsaved()

    def _save_unsaved(self) -> None:
        if self._unsaved:
            self.store.save_states(list(self._unsaved.values()))
            self._unsaved.clear()

    def _note_failure(self, state: FeedState, reason: str) -> None:
        with self._counting:  # the loop and the round's thread both fail feeds
            self.summary.failures += 1
        self.summary.errors.append(f"{state.url}: {reason}")
        self.log(f"{state.url}: {reason}")

    def _record_failure(self, state: FeedState, reason: str) -> None:
        self._note_failure(state, reason)
        self._save(after_failure(state, utcnow(), PollFailure(reason), self.policy))

    def _flush(self) -> None:
        """Store everything polled so far, and wait until it is stored."""
        self._end_round(wait=True)
        self._save_unsaved()
        if self._pending:
            self._start_round()
            self._end_round(wait=True)

    def _start_round(self) -> None:
        pending, self._pending = self._pending, []
        for result in pending:
            # The round saves a newer state of these feeds.
            self._unsaved.pop(result.feed.id, None)
        self._in_round = {result.feed.id for result in pending}
        assert self._rounds is not None, "rounds run inside run()"
        self._round = self._rounds.submit(self._store_round, pending)

    def _end_round(self, *, wait: bool) -> None:
        """Take the finished round's feed states (with ``wait``, once it has
        finished); an error that stopped it is raised here."""
        if self._round is None or not (wait or self._round.done()):
            return
        round_, self._round = self._round, None
        self._in_round = set()
        for state in round_.result():
            self._states[state.id] = state

    def _store_round(self, pending: list[PollResult]) -> list[FeedState]:
        """On the round's thread: ingest the polls' articles, record their
        entries, save the summaries of the stories that changed, and report the
        round. Returns the feeds' new states."""
        started_at = time.time()
        taken = [
            (e.article, r.polled_at) for r in pending for e in r.entries if e.article is not None
        ]
        articles = [article for article, _ in taken]
        try:
            report = self.pipeline.ingest(articles, run_id=self._run_id)
        except Exception as exc:
            # Nothing of this round is recorded; the feeds are polled in full again.
            reason = f"cannot store articles: {exc}"
            for result in pending:
                self._note_failure(result.feed, reason)
            failure, now = PollFailure(reason), utcnow()
            states = [after_failure(r.feed, now, failure, self.policy) for r in pending]
            self.store.save_states(states)
            return states
        stored_ids = self.store.stored_article_ids(articles)
        ids = iter(stored_ids)
        polls = [self._entries(result, ids) for result in pending]
        self.store.save_polls(polls)
        states = [state for state, _ in polls]
        self.summary.added += report.added
        refreshed = self._refresh()
        if report.added or refreshed:
            self.log(
                f"stored {plural(report.added, 'new article')} from "
                f"{plural(len(pending), 'feed')}, {plural(len(refreshed), 'story')} updated"
            )
        if self.on_flush is not None:
            self.on_flush(
                FlushReport(
                    tuple(articles),
                    tuple(stored_ids),
                    report.added,
                    len(pending),
                    refreshed,
                    time.time(),
                    started_at,
                    tuple(polled.timestamp() for _, polled in taken),
                )
            )
        return states

    def _entries(
        self, result: PollResult, ids: Iterator[int | None]
    ) -> tuple[FeedState, list[EntryOutcome]]:
        """The feed's new state and the entries to record, once its articles are stored."""
        records: list[EntryOutcome] = []
        complete = True
        for entry in result.entries:
            if entry.article is None:
                records.append(EntryOutcome(entry.entry_key, None, entry.error))
                continue
            article_id = next(ids)
            if article_id is None:  # not committed after all: take it on the next poll
                complete = False
                continue
            records.append(EntryOutcome(entry.entry_key, article_id))
        if not complete:
            result = replace(result, etag=None, last_modified=None)
        return self._succeeded(result), records

    def _refresh(self) -> tuple[str, ...]:
        refreshed = tuple(self.pipeline.refresh_summaries())
        self.summary.stories_refreshed += len(refreshed)
        return refreshed

    # Comparisons ----------------------------------------------------------------

    def _compared(self, report: ComparisonReport) -> None:
        self.summary.stories_compared += 1
        if self.on_compare is not None:
            self.on_compare(report)

    def _comparison_failed(self, failure: ComparisonFailure) -> None:
        # Not again in this run; the story stays pending for the next.
        self.summary.errors.append(f"comparing story {failure.story}: {failure.reason}")
        self.log(f"comparing story {failure.story} failed: {failure.reason}")


def _not_due(state: FeedState) -> str:
    """Why a cron run leaves a feed alone, and when it is next due."""
    why = (
        f"parked ({state.parked_reason})"
        if state.parked_reason
        else (
            f"backing off after {plural(state.consecutive_failures, 'failure')}"
            + (f" ({state.last_error})" if state.last_error else "")
        )
    )
    when = f"{state.next_poll:%Y-%m-%d %H:%M} UTC" if state.next_poll else "now"
    return f"skipped {state.url}: {why}; next due {when} (--now polls it anyway)"
