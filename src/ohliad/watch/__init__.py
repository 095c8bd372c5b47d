"""Continuous ingestion: a polite, crash-safe feed watcher (``ohliad watch``)
and its status report (``ohliad status``)."""

from ohliad.watch.feedlist import FeedListError, FeedSpec, load_feed_list
from ohliad.watch.policy import WatchPolicy
from ohliad.watch.status import FeedStatus, WatchStatus, watch_status

__all__ = [
    "FeedListError",
    "FeedSpec",
    "FeedStatus",
    "WatchPolicy",
    "WatchStatus",
    "load_feed_list",
    "watch_status",
]
