"""Dates and times: reading them from text, and the UTC conventions every
package shares (aware datetimes in UTC). Free of heavy imports, so that
storage, the watcher and rendering can all use it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload

from dateutil import parser as date_parser


def utcnow() -> datetime:
    """The current moment, timezone-aware, in UTC."""
    return datetime.now(UTC)


@overload
def assume_utc(moment: datetime) -> datetime: ...
@overload
def assume_utc(moment: None) -> None: ...
def assume_utc(moment: datetime | None) -> datetime | None:
    """``moment`` with UTC as its zone when it has none (SQLite hands back
    naive datetimes even for timezone-aware columns); aware ones unchanged."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


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
