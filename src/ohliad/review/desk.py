"""What the desk's command line and web pages share: the house-style checks
of an entry's Ukrainian, an edition's title, and an edition in each form it
is published in (Markdown, JSON, Telegram, e-mail)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage

from ohliad.models import DigestEntry
from ohliad.publish.mail import SmtpSettings, edition_addresses, email_edition, send_edition
from ohliad.publish.telegram import telegram_lines, telegram_messages
from ohliad.render.jsonout import render_json
from ohliad.render.markdown import render_markdown
from ohliad.settings import Settings
from ohliad.store.reviews import Edition, ReviewStore
from ohliad.translate.check import Suggestion, UkrainianChecker
from ohliad.translate.localize import ukrainian_date

EDITION_FORMATS = ("md", "json", "telegram", "email")


@dataclass(frozen=True, slots=True)
class FieldSuggestions:
    """The checker's suggestions for one field of an entry (``headline_uk``)."""

    field: str
    text: str
    suggestions: tuple[Suggestion, ...]


def check_entry(entry: DigestEntry, checker: UkrainianChecker) -> list[FieldSuggestions]:
    """The house-style checks of an entry's Ukrainian headline and summary,
    against its English; fields with nothing to suggest are left out."""
    if entry.ukrainian is None:
        return []
    found = []
    for field, text, english in (
        ("headline_uk", entry.ukrainian.headline, entry.summary.headline),
        ("summary_uk", entry.ukrainian.summary, entry.summary.text),
    ):
        suggestions = checker.check(text, english=english)
        if suggestions:
            found.append(FieldSuggestions(field, text, suggestions))
    return found


def edition_title(day: date) -> str:
    """«Огляд — 5 березня 2026 року»."""
    return f"Огляд — {ukrainian_date(day.day, day.month, day.year)}"


def render_edition(edition: Edition, fmt: str, settings: Settings) -> bytes:
    """The edition as ``fmt`` (one of ``EDITION_FORMATS``): the house
    Markdown, the JSON contract, Telegram Bot API messages (JSON Lines), or
    the e-mail (a MIME message, to ``mail_to`` from ``mail_from``)."""
    title = edition_title(edition.day)
    entries = list(edition.entries)
    if fmt == "md":
        return render_markdown(entries, title=title, extras=False).encode("utf-8")
    if fmt == "json":
        return render_json(entries).encode("utf-8")
    if fmt == "telegram":
        return telegram_lines(telegram_messages(entries, title=title)).encode("utf-8")
    if fmt == "email":
        return _email(entries, title, settings).as_bytes()
    raise ValueError(f"unknown edition format {fmt!r}")


def _email(entries: Sequence[DigestEntry], title: str, settings: Settings) -> EmailMessage:
    sender, recipients = edition_addresses(settings)
    return email_edition(entries, title=title, sender=sender, recipients=recipients)


def send_edition_by_email(desk: ReviewStore, edition: Edition, settings: Settings) -> list[str]:
    """Send the entries of ``edition`` that no e-mail carried yet, through
    the SMTP server of ``settings``; returns their keys (none: nothing sent).
    An entry is marked sent before the message goes, and unmarked if it does
    not: two desks sending at once send it once."""
    smtp = SmtpSettings.from_settings(settings)
    claimed = desk.claim_unsent([entry.story_id for entry in edition.entries])
    if not claimed:
        return []
    entries = [entry for entry in edition.entries if entry.story_id in set(claimed)]
    message = _email(entries, edition_title(edition.day), settings)
    try:
        send_edition(message, smtp)
    except BaseException:
        desk.release_unsent(claimed)
        raise
    return claimed
