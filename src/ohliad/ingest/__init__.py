"""Ingest: files, folders, feeds and URLs into Articles."""

from ohliad.ingest.fetch import FetchError, FetchOptions, fetch
from ohliad.ingest.sources import IngestFailure, IngestOptions, Outcome, finalize, read_inputs
from ohliad.ingest.urls import UnsafeURLError, canonical_url, check_fetchable

__all__ = [
    "FetchError",
    "FetchOptions",
    "IngestFailure",
    "IngestOptions",
    "Outcome",
    "UnsafeURLError",
    "canonical_url",
    "check_fetchable",
    "fetch",
    "finalize",
    "read_inputs",
]
