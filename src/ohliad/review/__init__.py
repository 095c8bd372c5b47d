"""The editor's desk: an editor reviews the machine's drafts, writes or fixes
the Ukrainian, approves, and publishes the day's edition (the CLI's ``review``,
``edit``, ``approve``, ``reject`` and ``publish``, and the web app's desk).

The state lives in the store (``ohliad.store.reviews``); this package holds
what the command line and the web app share: the house-style checks of the
editor's text, and an edition in each published form.
"""

from ohliad.review.desk import (
    EDITION_FORMATS,
    FieldSuggestions,
    check_entry,
    edition_title,
    render_edition,
    send_edition_by_email,
)

__all__ = [
    "EDITION_FORMATS",
    "FieldSuggestions",
    "check_entry",
    "edition_title",
    "render_edition",
    "send_edition_by_email",
]
