"""The edition as an e-mail, and its sending through the desk's SMTP server.

The message is multipart/alternative: the house Markdown for plain-text
readers, and HTML with inline styles (mail clients drop style sheets), every
piece of article text escaped. Its Message-ID is made from the entries' story
ids and the edition's day, so that the same edition is recognisable as such.

Sending uses ``smtplib``; every way it can fail (no connection, TLS, login, a
refused recipient) becomes one ``MailError`` line naming the server.
"""

from __future__ import annotations

import hashlib
import html
import smtplib
import socket
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from ohliad.dates import utcnow
from ohliad.errors import OhliadError, one_line
from ohliad.models import DigestEntry
from ohliad.publish.telegram import NO_UKRAINIAN, SOURCES_LABEL
from ohliad.render.markdown import render_markdown, safe_url
from ohliad.settings import ENV_PREFIX, Settings, SettingsError

# How long to wait for the server at each step.
TIMEOUT_SECONDS = 30.0
# The comparison section is house Markdown with every piece of text escaped;
# raw HTML in it stays text.

_PAGE = "max-width:640px;margin:0 auto;padding:24px 16px;font-family:Georgia,serif;"
_STYLES = {
    "body": "margin:0;padding:0;background:#ffffff;color:#1a1a1a;",
    "page": _PAGE + "font-size:16px;line-height:1.5;",
    "title": "font-size:26px;line-height:1.2;margin:0 0 24px;",
    "entry": "margin:0 0 28px;padding:0 0 20px;border-bottom:1px solid #dddddd;",
    "headline": "font-size:20px;line-height:1.3;margin:0 0 8px;",
    "text": "margin:0 0 12px;",
    "english": "margin:0 0 12px;color:#555555;",
    "notice": "margin:0 0 12px;font-style:italic;color:#8a4b00;",
    "sources": "margin:0 0 12px;font-size:14px;",
    "link": "color:#1a5fb4;",
}


class MailError(OhliadError):
    """The e-mail edition could not be sent; the message names the server."""


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where and how to send the e-mail edition (``security``: starttls, tls
    or none)."""

    host: str
    port: int
    security: str
    user: str | None = None
    password: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpSettings:
        """The server from ohliad's settings; a ``SettingsError`` naming each
        missing setting (and its variable) when the e-mail edition is not
        configured: a server, a sender and recipients, and a password with a
        login name."""
        password = settings.secret("smtp_password")
        needed: dict[str, object] = {
            "smtp_host": settings.smtp_host,
            "mail_from": settings.mail_from,
            "mail_to": settings.mail_to,
        }
        if settings.smtp_user:
            needed["smtp_password"] = password
        missing = unset_settings(needed)
        if missing or not settings.smtp_host:  # (the second test narrows the type)
            raise SettingsError(f"the e-mail edition is not configured: set {', '.join(missing)}")
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            security=settings.smtp_security,
            user=settings.smtp_user or None,
            password=password,
        )

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def unset_settings(needed: Mapping[str, object]) -> list[str]:
    """Each setting of ``needed`` without a value, named with its variable:
    ``smtp_host (OHLIAD_SMTP_HOST)``."""
    return [f"{key} ({ENV_PREFIX}{key.upper()})" for key, value in needed.items() if not value]


def edition_addresses(settings: Settings) -> tuple[str, tuple[str, ...]]:
    """The e-mail edition's sender and recipients (an edition written to a
    file needs them, and no server)."""
    if not settings.mail_from or not settings.mail_to:
        missing = unset_settings({"mail_from": settings.mail_from, "mail_to": settings.mail_to})
        raise SettingsError(f"the e-mail edition is not configured: set {', '.join(missing)}")
    return settings.mail_from, settings.mail_to


# The message ---------------------------------------------------------------------


def email_edition(
    entries: Sequence[DigestEntry],
    *,
    title: str,
    sender: str,
    recipients: Sequence[str],
    date: datetime | None = None,
) -> EmailMessage:
    """The edition as an e-mail from ``sender`` to ``recipients``: the house
    Markdown and HTML, UTF-8, with ``title`` as its subject; ``date`` (now,
    when None) is best given in the desk's time zone, whose day names the
    edition."""
    date = date or utcnow()
    subject = " ".join(title.split())
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = format_datetime(date)
    message["Message-ID"] = edition_id(entries, date, sender)
    # The house format alone, as every published edition: the notes and the
    # comparison are for the desk, which reviewed the headline and summary.
    plain = render_markdown(entries, title=subject, extras=False)
    message.set_content(plain, subtype="plain", charset="utf-8")
    message.add_alternative(edition_html(entries, title=subject), subtype="html", charset="utf-8")
    return message


def edition_id(entries: Sequence[DigestEntry], date: datetime, sender: str) -> str:
    """The Message-ID of the edition of ``entries`` on ``date``'s day (in
    ``date``'s own time zone: pass the desk's), at the sender's domain: the
    same stories on the same day give the same id."""
    stories = "\n".join(entry.story_id for entry in entries)
    digest = hashlib.sha256(f"{date:%Y-%m-%d}\n{stories}".encode()).hexdigest()[:20]
    domain = parseaddr(sender)[1].rpartition("@")[2].strip().lower()
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        domain = ""
    return f"<ohliad.{date:%Y%m%d}.{digest}@{domain or 'ohliad.invalid'}>"


def _text(text: str | None) -> str:
    return html.escape(" ".join((text or "").split()), quote=False)


def _paragraph(style: str, content: str, *, lang: str | None = None) -> str:
    language = f' lang="{lang}"' if lang else ""
    return f'<p{language} style="{_STYLES[style]}">{content}</p>'


def _sources(entry: DigestEntry) -> str:
    links: list[str] = []
    seen: set[str] = set()
    for source in entry.sources:
        url = safe_url(source.url)
        if not url or url in seen:
            continue
        seen.add(url)
        name = _text(source.outlet) or _text(url)
        href = html.escape(url, quote=True)
        links.append(f'<a href="{href}" style="{_STYLES["link"]}">{name}</a>')
    return _paragraph("sources", f"{SOURCES_LABEL} " + " · ".join(links)) if links else ""


def _entry_html(entry: DigestEntry) -> str:
    english = _text(entry.summary.headline)
    parts: list[str] = []
    if entry.ukrainian:
        headline = f'<h2 style="{_STYLES["headline"]}">{_text(entry.ukrainian.headline)}</h2>'
        parts += [headline, _paragraph("text", _text(entry.ukrainian.summary))]
        parts.append(_paragraph("english", f"<i>{english}</i>", lang="en"))
    else:
        parts.append(f'<h2 lang="en" style="{_STYLES["headline"]}">{english}</h2>')
        parts.append(_paragraph("notice", html.escape(NO_UKRAINIAN)))
    parts.append(_paragraph("english", _text(entry.summary.text), lang="en"))
    parts.append(_sources(entry))
    body = "\n".join(part for part in parts if part)
    return f'<div style="{_STYLES["entry"]}">\n{body}\n</div>'


def edition_html(entries: Sequence[DigestEntry], *, title: str) -> str:
    """The edition as an HTML document for mail clients (inline styles)."""
    heading = _text(title)
    items = "\n".join(_entry_html(entry) for entry in entries)
    return (
        '<!DOCTYPE html>\n<html lang="uk">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{heading}</title>\n</head>\n"
        f'<body style="{_STYLES["body"]}">\n<div style="{_STYLES["page"]}">\n'
        f'<h1 style="{_STYLES["title"]}">{heading}</h1>\n{items}\n</div>\n</body>\n</html>\n'
    )


# Sending -------------------------------------------------------------------------


def send_edition(message: EmailMessage, smtp: SmtpSettings) -> None:
    """Send ``message`` through the server (to the recipients its headers
    name); a ``MailError`` naming the server when it does not take it for
    every recipient."""
    failed = f"cannot send the e-mail edition through {smtp.address}"
    if not f"{smtp.user or ''}{smtp.password or ''}".isascii():
        raise MailError(f"{failed}: smtplib sends only an ASCII login name and password")
    try:
        _send(message, smtp)
    except OSError as error:  # smtplib's and ssl's errors are OSErrors too
        raise MailError(f"{failed}: {one_line(_reason(error))}") from None


def _send(message: EmailMessage, smtp: SmtpSettings) -> None:
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if smtp.security == "tls":
        client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS)
    with client:
        if smtp.security == "starttls":
            client.starttls(context=context)
        if smtp.user:
            client.login(smtp.user, smtp.password or "")
        refused = client.send_message(message)
    if refused:
        raise MailError(
            f"the e-mail edition went through {smtp.address}, but the server refused "
            + _recipients(refused)
        )


def _response(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}".strip()


def _recipients(refused: dict[str, tuple[int, bytes]]) -> str:
    return ", ".join(f"{to} ({_response(*reply)})" for to, reply in refused.items())


def _reason(error: OSError) -> str:
    """What went wrong, in a few words and the server's own reply."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return f"authentication failed ({_response(error.smtp_code, error.smtp_error)})"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return f"the server refused {_recipients(error.recipients)}"
    if isinstance(error, smtplib.SMTPSenderRefused):
        reply = _response(error.smtp_code, error.smtp_error)
        return f"the server refused the sender {error.sender} ({reply})"
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return f"the server does not support it: {error}"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return f"the server closed the connection ({error or 'no reason given'})"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"the server answered {_response(error.smtp_code, error.smtp_error)}"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS failed: the server's certificate is not trusted ({error.verify_message})"
    if isinstance(error, ssl.SSLError):
        return f"TLS failed ({error.reason or error})"
    if isinstance(error, TimeoutError):
        return f"no answer within {TIMEOUT_SECONDS:g} seconds"
    if isinstance(error, socket.gaierror):
        return f"unknown host ({error.strerror})"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    return error.strerror or str(error) or type(error).__name__
