"""Publish an approved edition: as Telegram messages (``telegram``) and as
an e-mail (``mail``)."""

from ohliad.publish.mail import MailError, SmtpSettings, email_edition, send_edition
from ohliad.publish.telegram import telegram_lines, telegram_messages

__all__ = [
    "MailError",
    "SmtpSettings",
    "email_edition",
    "send_edition",
    "telegram_lines",
    "telegram_messages",
]
