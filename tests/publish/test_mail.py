"""The e-mail edition, sent through a real SMTP server on loopback (aiosmtpd),
in the clear, over STARTTLS and over TLS, with a certificate authority made
offline (trustme)."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from ohliad.compare.records import Citation, CitedSource, Comparison, UniqueDetail
from ohliad.errors import OhliadError
from ohliad.publish import MailError, SmtpSettings, email_edition, send_edition
from ohliad.publish.mail import NO_UKRAINIAN
from ohliad.settings import Settings

from .entries import HOSTILE, entry

HOST = "127.0.0.1"
TITLE = "Огляд іноземної преси, 5 березня"
SENDER = "Огляд <desk@ohliad.example>"
RECIPIENTS = ("editor@ohliad.example", "Читач <reader@ohliad.example>")
DATE = datetime(2026, 3, 5, 9, tzinfo=UTC)
PASSWORD = b"s3cret-desk"


class Inbox:
    """What the server received; it refuses recipients at refused.example."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_RCPT(
        self, server: SMTPServer, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address.endswith("@refused.example"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def message(self) -> EmailMessage:
        [envelope] = self.envelopes
        assert isinstance(envelope.content, bytes)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


def _authenticate(
    server: SMTPServer, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    good = isinstance(data, LoginPassword) and (data.login, data.password) == (b"desk", PASSWORD)
    return AuthResult(success=good, handled=False, auth_data=data)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def trusted(authority: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test authority as the one ``ssl.create_default_context`` trusts."""
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))


def _server_context(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(HOST, "localhost").configure_cert(context)
    return context


def _serve(inbox: Inbox, **options: Any) -> Iterator[SmtpSettings]:
    controller = Controller(inbox, hostname=HOST, port=free_port(), **options)
    controller.start()
    try:
        security = "tls" if options.get("ssl_context") else "none"
        if options.get("require_starttls"):
            security = "starttls"
        user = "desk" if options.get("authenticator") else None
        password = PASSWORD.decode() if user else None
        yield SmtpSettings(HOST, controller.port, security, user, password)
    finally:
        controller.stop()


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


@pytest.fixture
def plain(inbox: Inbox) -> Iterator[SmtpSettings]:
    yield from _serve(inbox, authenticator=_authenticate, auth_require_tls=False)


def _edition(*entries: Any, recipients: tuple[str, ...] = RECIPIENTS) -> EmailMessage:
    chosen = entries or (entry(), entry("s2", uk_headline=None, headline=HOSTILE, text=HOSTILE))
    return email_edition(chosen, title=TITLE, sender=SENDER, recipients=recipients, date=DATE)


def test_the_edition_arrives_with_both_parts_in_ukrainian(
    plain: SmtpSettings, inbox: Inbox
) -> None:
    send_edition(_edition(), plain)
    [envelope] = inbox.envelopes
    assert envelope.mail_from == "desk@ohliad.example"
    assert envelope.rcpt_tos == ["editor@ohliad.example", "reader@ohliad.example"]
    message = inbox.message()
    assert message["Subject"] == TITLE
    assert message["From"].addresses[0].addr_spec == "desk@ohliad.example"
    assert [a.display_name for a in message["To"].addresses] == ["", "Читач"]
    assert message["Date"].datetime == DATE
    assert message["Message-ID"].endswith("@ohliad.example>")
    assert message.get_content_type() == "multipart/alternative"
    plain_part = message.get_body(("plain",))
    html_part = message.get_body(("html",))
    assert plain_part is not None and html_part is not None
    assert plain_part.get_content_charset() == html_part.get_content_charset() == "utf-8"
    text, page = plain_part.get_content(), html_part.get_content()
    for part in (text, page):
        assert "Огляд іноземної преси, 5 березня" in part
        assert "Польща підняла винищувачі через дрони" in part
        assert "П'ятнадцять дронів залетіли у повітряний простір Польщі." in part
    assert text.startswith("# Огляд іноземної преси")
    assert "> Ukrainian unavailable:" in text
    assert '<html lang="uk">' in page and NO_UKRAINIAN in page
    assert 'href="https://a.example/1?x=1&amp;y=2"' in page
    # Hostile text is text: escaped, never markup.
    assert "<script>" not in page and "<b>bold</b>" not in page
    assert '&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;bold' in page


def test_the_edition_is_the_house_format_alone_without_notes_or_comparison() -> None:
    source = CitedSource(1, HOSTILE, None)
    unique = UniqueDetail(Citation(source, "Only this outlet says so."), None, ())
    compared = replace(
        entry(),
        comparison=Comparison(sources=(source,), unique=(unique,)),
        notes=("Compared the first 12 sources; 3 more skipped.",),
    )
    message = email_edition([compared], title=TITLE, sender=SENDER, recipients=RECIPIENTS)
    for kind in ("plain", "html"):
        part = message.get_body((kind,))
        assert part is not None
        text = part.get_content()
        assert "Only this outlet says so" not in text and "more skipped" not in text


def test_the_message_id_is_the_same_for_the_same_stories_on_the_same_day() -> None:
    first, again = _edition(), _edition()
    assert first["Message-ID"] == again["Message-ID"]
    later = email_edition([entry()], title=TITLE, sender=SENDER, recipients=RECIPIENTS, date=DATE)
    assert later["Message-ID"] != first["Message-ID"]
    tomorrow = email_edition(
        [entry(), entry("s2")],
        title=TITLE,
        sender=SENDER,
        recipients=RECIPIENTS,
        date=datetime(2026, 3, 6, 9, tzinfo=UTC),
    )
    assert tomorrow["Message-ID"] != first["Message-ID"]
    assert tomorrow["Message-ID"].startswith("<ohliad.20260306.")


def test_a_title_cannot_add_headers() -> None:
    message = email_edition(
        [entry()], title="Огляд\r\nBcc: all@example.org", sender=SENDER, recipients=RECIPIENTS
    )
    assert message["Bcc"] is None
    assert message["Subject"] == "Огляд Bcc: all@example.org"


def test_a_wrong_password_is_one_line_naming_the_server(plain: SmtpSettings) -> None:
    wrong = SmtpSettings(plain.host, plain.port, "none", "desk", "wrong")
    with pytest.raises(MailError) as caught:
        send_edition(_edition(), wrong)
    message = str(caught.value)
    assert message.startswith(
        f"cannot send the e-mail edition through {HOST}:{plain.port}: authentication failed (535"
    )
    assert "\n" not in message and "wrong" not in message


def test_a_password_smtplib_cannot_send_is_one_line(plain: SmtpSettings, inbox: Inbox) -> None:
    server = SmtpSettings(plain.host, plain.port, "none", "desk", "пароль")
    with pytest.raises(MailError) as caught:
        send_edition(_edition(), server)
    assert str(caught.value) == (
        f"cannot send the e-mail edition through {HOST}:{plain.port}: "
        "smtplib sends only an ASCII login name and password"
    )
    assert inbox.envelopes == []


def test_a_refused_connection_is_one_line_naming_the_server() -> None:
    port = free_port()
    with pytest.raises(MailError) as caught:
        send_edition(_edition(), SmtpSettings(HOST, port, "starttls"))
    assert str(caught.value) == (
        f"cannot send the e-mail edition through {HOST}:{port}: connection refused"
    )


def test_refused_recipients_are_named(plain: SmtpSettings, inbox: Inbox) -> None:
    with pytest.raises(MailError, match=r"refused.*nobody@refused\.example \(550 5\.1\.1"):
        send_edition(_edition(recipients=("nobody@refused.example",)), plain)
    some = _edition(recipients=("editor@ohliad.example", "nobody@refused.example"))
    with pytest.raises(MailError) as caught:
        send_edition(some, plain)
    assert str(caught.value) == (
        f"the e-mail edition went through {HOST}:{plain.port}, but the server refused "
        "nobody@refused.example (550 5.1.1 no such mailbox)"
    )
    assert [e.rcpt_tos for e in inbox.envelopes] == [["editor@ohliad.example"]]


def test_starttls_sends_over_tls_to_a_trusted_server(
    authority: trustme.CA, trusted: None, inbox: Inbox
) -> None:
    for server in _serve(
        inbox,
        tls_context=_server_context(authority),
        require_starttls=True,
        authenticator=_authenticate,
    ):
        send_edition(_edition(), server)
    assert inbox.message()["Subject"] == TITLE


def test_starttls_refuses_an_untrusted_certificate(authority: trustme.CA, inbox: Inbox) -> None:
    for server in _serve(inbox, tls_context=_server_context(authority), require_starttls=True):
        with pytest.raises(MailError, match="TLS failed: the server's certificate is not trusted"):
            send_edition(_edition(), server)
    assert inbox.envelopes == []


def test_starttls_is_required_when_asked_for(plain: SmtpSettings, inbox: Inbox) -> None:
    server = SmtpSettings(plain.host, plain.port, "starttls")
    with pytest.raises(MailError, match="STARTTLS extension not supported"):
        send_edition(_edition(), server)
    assert inbox.envelopes == []


def test_implicit_tls_sends(authority: trustme.CA, trusted: None, inbox: Inbox) -> None:
    for server in _serve(inbox, ssl_context=_server_context(authority)):
        send_edition(_edition(), server)
    assert inbox.message().get_body(("html",)) is not None


def test_settings_name_what_is_missing() -> None:
    with pytest.raises(OhliadError) as caught:
        SmtpSettings.from_settings(Settings(smtp_user="desk"))
    assert str(caught.value) == (
        "the e-mail edition is not configured: set smtp_host (OHLIAD_SMTP_HOST), "
        "mail_from (OHLIAD_MAIL_FROM), mail_to (OHLIAD_MAIL_TO), "
        "smtp_password (OHLIAD_SMTP_PASSWORD)"
    )
    configured = Settings.model_validate(
        {
            "smtp_host": "smtp.example.org",
            "smtp_security": "tls",
            "smtp_port": 465,
            "smtp_user": "desk",
            "smtp_password": "s3cret",
            "mail_from": "desk@example.org",
            "mail_to": "a@example.org, b@example.org",
        }
    )
    assert SmtpSettings.from_settings(configured) == SmtpSettings(
        "smtp.example.org", 465, "tls", "desk", "s3cret"
    )
