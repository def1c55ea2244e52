"""Outgoing e-mail over SMTP; without MAIL_SERVER the message is only written to the log."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

log = logging.getLogger(__name__)


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a plain-text message; True when handed to the server (or logged when mail is off).

    A failing server is logged, never raised: callers decide what the user sees instead.
    """
    config = current_app.config
    if not mail_configured():
        log.info("Mail is not configured; not sent to %s: %s\n%s", to, subject, body)
        return True

    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=config["MAIL_SENDER"].rpartition("@")[2] or None)
    message.set_content(body)

    host, port = config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 587)
    try:
        # Port 465 speaks TLS from the first byte; anything else may upgrade with STARTTLS.
        if port == 465:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=10, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(host, port, timeout=10)
        with smtp:
            if port != 465 and config.get("MAIL_USE_TLS", True):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("Could not send mail to %s: %s", to, subject)
        return False
    log.info("Mail sent to %s: %s", to, subject)
    return True
