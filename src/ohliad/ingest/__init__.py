"""Ingest: files, folders, feeds and URLs into Articles, each format read by
a reader of ``ohliad.registry.readers`` (``readers.py``)."""

from ohliad.ingest.fetch import FetchError, FetchOptions, fetch
from ohliad.ingest.readers import (
    IngestFailure,
    IngestOptions,
    InputError,
    Outcome,
    Reader,
    Source,
    TextReader,
    reader_for,
)
from ohliad.ingest.sources import finalize, read_content, read_inputs
from ohliad.ingest.urls import UnsafeURLError, canonical_url, check_fetchable

__all__ = [
    "FetchError",
    "FetchOptions",
    "IngestFailure",
    "IngestOptions",
    "InputError",
    "Outcome",
    "Reader",
    "Source",
    "TextReader",
    "UnsafeURLError",
    "canonical_url",
    "check_fetchable",
    "fetch",
    "finalize",
    "read_content",
    "read_inputs",
    "reader_for",
]
