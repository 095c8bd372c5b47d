"""One poll of one feed: a conditional GET through the host gate and robots.txt,
then the entries not taken before, each resolved to an article (the full page
when the feed carries only a teaser)."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ohliad.dates import utcnow
from ohliad.extract import ExtractOptions, extract_html
from ohliad.ingest.feeds import (
    FeedEntry,
    FeedError,
    feed_item,
    item_article,
    read_feed,
    skim_feed,
)
from ohliad.ingest.fetch import FetchClient, FetchError, FetchOptions, FetchResult, fetch
from ohliad.ingest.records import InvalidRecordError
from ohliad.ingest.sources import finalize
from ohliad.ingest.urls import UnsafeURLError, check_fetchable
from ohliad.models import Article, FeedState
from ohliad.store import FeedStore
from ohliad.watch.hosts import HostBusyError, HostGate, RobotsCache, host_of
from ohliad.watch.policy import PollFailure, parse_retry_after

_DOCTYPE = re.compile(rb"<!doctype", re.IGNORECASE)
# Statuses after which asking again later may well work.
_TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class NewEntry:
    """A feed entry not taken before: its article, or why it has none."""

    entry_key: str
    article: Article | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class PollResult:
    feed: FeedState
    polled_at: datetime
    entries: tuple[NewEntry, ...] = ()
    # Validators to store once the entries are committed. None when an entry
    # was put off: the next poll must then fetch the whole feed again.
    etag: str | None = None
    last_modified: str | None = None
    failure: PollFailure | None = None
    # The host asked us to wait; not the feed's fault.
    deferred_until: datetime | None = None


class _TransientError(RuntimeError):
    """An article page that may well be fetched on a later poll."""


class RobotsDisallowedError(FetchError):
    """robots.txt asks us not to fetch the URL."""


def reject_xml_bombs(data: bytes) -> None:
    """Raise FeedError for XML with entity declarations (billion laughs,
    external entities). Malformed XML is left to feedparser's lenient reading."""
    # Entities are declared only inside a DOCTYPE. A document in an ASCII-based
    # encoding (no NUL bytes: UTF-16 and UTF-32 have them) without one is safe
    # and spared a second full parse on every poll.
    if b"\x00" not in data and not _DOCTYPE.search(data):
        return
    try:
        SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise FeedError(f"feed refused: {exc}") from None
    except (ParseError, ValueError):
        pass


class FeedPoller:
    """Polls feeds politely; safe to call from several threads at once."""

    def __init__(
        self,
        feeds: FeedStore,
        gate: HostGate,
        options: FetchOptions,
        *,
        stopping: threading.Event | None = None,
    ) -> None:
        self.feeds = feeds
        self.gate = gate
        self.options = options
        self.stopping = stopping or threading.Event()
        self._client = FetchClient(options)
        self.robots = RobotsCache(self._get)
        # Per feed, digests of the items it lists that were already taken.
        self._taken: dict[int, frozenset[str]] = {}

    def close(self) -> None:
        self._client.close()

    def _get(self, url: str, headers: dict[str, str] | None = None) -> FetchResult:
        options = replace(self.options, headers={**self.options.headers, **(headers or {})})
        with self.gate.slot(host_of(url)):
            return fetch(url, options, client=self._client)

    def _polite_get(self, url: str, headers: dict[str, str] | None = None) -> FetchResult:
        """GET after robots.txt allows it; a 429/503 holds the whole host."""
        # First the address guard, so that a refused host is reported as such.
        check_fetchable(url, allow_private=self.options.allow_private)
        if not self.robots.allowed(url):
            raise RobotsDisallowedError("robots.txt disallows fetching it")
        delay = self.robots.crawl_delay(url)
        if delay:
            self.gate.slow_down(host_of(url), delay)
        result = self._get(url, headers)
        if result.status in (429, 503):
            retry_at = parse_retry_after(result.headers.get("retry-after"), utcnow())
            if retry_at is not None:
                self.gate.hold(host_of(url), (retry_at - utcnow()).total_seconds())
        return result

    # Feeds ------------------------------------------------------------------

    def poll(self, feed: FeedState) -> PollResult:
        now = utcnow()
        headers = {}
        if feed.etag:
            headers["If-None-Match"] = feed.etag
        if feed.last_modified:
            headers["If-Modified-Since"] = feed.last_modified
        try:
            response = self._polite_get(feed.url, headers)
        except HostBusyError as busy:
            return PollResult(feed, now, deferred_until=now + timedelta(seconds=busy.wait_seconds))
        except (FetchError, UnsafeURLError) as exc:
            return PollResult(feed, now, failure=PollFailure(str(exc)))
        if response.status == 304:
            return PollResult(feed, now, etag=feed.etag, last_modified=feed.last_modified)
        if response.status >= 400:
            retry_at = parse_retry_after(response.headers.get("retry-after"), now)
            failure = PollFailure(f"HTTP {response.status}", response.status, retry_at)
            return PollResult(feed, now, failure=failure)
        return self._read_feed(feed, now, response)

    def _read_feed(self, feed: FeedState, now: datetime, response: FetchResult) -> PollResult:
        try:
            reject_xml_bombs(response.content)
            skim = skim_feed(response.content, self._taken.get(feed.id, frozenset()))
            if skim is not None and skim.skipped and not skim.digests:
                parsed = []  # every item taken before: nothing to parse
            else:
                parsed = read_feed(
                    skim.document if skim else response.content,
                    origin=feed.url,
                    outlet=feed.outlet,
                    digests=skim.digests if skim else None,
                )
        except FeedError as exc:
            return PollResult(feed, now, failure=PollFailure(str(exc)))
        unique = list({entry.entry_key: entry for entry in parsed}.values())
        known = self.feeds.known_entry_keys(feed.id, [e.entry_key for e in unique])
        # Items taken before are not parsed on the next poll; only the digests
        # the feed still lists are kept, so the memory is the feed's window.
        self._taken[feed.id] = (skim.skipped if skim else frozenset()) | {
            e.digest for e in unique if e.digest is not None and e.entry_key in known
        }
        entries: list[NewEntry] = []
        complete = True
        # Only entries not taken before are cleaned into articles.
        for entry in unique:
            if entry.entry_key in known:
                continue
            if self.stopping.is_set():
                complete = False
                break
            try:
                entries.append(self._entry(feed, entry))
            except _TransientError:
                complete = False
        return PollResult(
            feed,
            now,
            entries=tuple(entries),
            etag=response.headers.get("etag") if complete else None,
            last_modified=response.headers.get("last-modified") if complete else None,
        )

    # Entries ----------------------------------------------------------------

    def _entry(self, feed: FeedState, entry: FeedEntry) -> NewEntry:
        item = feed_item(entry)
        where = f"{feed.url} item {item.link or item.entry_key}"
        article, missing = item_article(item, where, self._full_article)
        if article is None:
            error = f"{item.link}: {missing}" if missing else "feed item has no title or text"
            return NewEntry(item.entry_key, None, error)
        if feed.language:
            article = replace(article, language=feed.language)
        try:
            return NewEntry(item.entry_key, finalize(article))
        except InvalidRecordError as exc:  # this item alone; the feed's others are taken
            return NewEntry(item.entry_key, None, f"{item.link or item.entry_key}: {exc}")

    def _full_article(self, link: str, options: ExtractOptions) -> Article:
        try:
            page = self._polite_get(link)
        except RobotsDisallowedError:
            raise
        except (HostBusyError, FetchError) as exc:
            # Timeouts, refused connections, a host asking us to wait: try on a later poll.
            raise _TransientError(str(exc)) from None
        if page.status in _TRANSIENT_STATUSES:
            raise _TransientError(f"HTTP {page.status}")
        if page.status >= 400:
            raise FetchError(f"HTTP {page.status}")
        return extract_html(page.content, page.url, options=options)
