"""Reading dates: shared by ingestion and by reading stored or rendered digests,
so it stays free of the heavy ingestion imports."""

from __future__ import annotations

from datetime import UTC, datetime

from dateutil import parser as date_parser


def parse_datetime(value: object) -> datetime | None:
    """A timezone-aware UTC datetime from an ISO 8601 or human date string;
    None when the value is empty or not a date. Dates without a zone are
    taken as UTC."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = date_parser.parse(value.strip())
        except (ValueError, OverflowError):
            return None
    else:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
