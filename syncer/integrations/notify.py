"""Telling people an integration was disabled: an email through SMTP when one is configured, otherwise a
message file in a local outbox, so the notice is never lost because no mail server was set up.

The message names the integration, its id, the reason, and the command that re-enables it. It never carries
a token or a secret: the reason is written by the registry from the engine's error text, which the client
keeps free of credentials.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from syncer.integrations.registry import IntegrationRecord


class NotifyError(Exception):
    """The notice could not be delivered; the message says where it went wrong."""


@dataclass(frozen=True)
class Mailer:
    """Where notices go: ``smtp_host`` set → SMTP (plain, or STARTTLS when ``starttls``); else the outbox."""

    outbox: Path
    smtp_host: str | None = None
    smtp_port: int = 25
    sender: str = "xero-sync@localhost"
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 30.0


def disabled_notice(record: IntegrationRecord, sender: str, when: datetime | None = None) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"xero-sync: integration {record.name!r} was disabled"
    message["From"] = sender
    message["To"] = ", ".join(record.config.disabled_notification_users)
    message["Date"] = (when or datetime.now(UTC)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    message.set_content(
        f"The Xero integration {record.name!r} (id {record.integration_id}) was disabled and will not run until "
        f"it is enabled again.\n\nReason: {record.disabled_reason}\n\n"
        f"Tenant: {record.tenant_name or '-'} ({record.tenant_id or 'not connected'})\n\n"
        "After fixing the cause (for a revoked or expired credential: connect it again with "
        f"`xero-sync integrations connect {record.integration_id} --credential NAME`), re-enable it with:\n\n"
        f"    xero-sync integrations enable {record.integration_id}\n"
    )
    return message


def notify_disabled(record: IntegrationRecord, mailer: Mailer, when: datetime | None = None) -> str:
    """Send the notice to the integration's notification users; returns where it went (for the run ledger).
    With no users listed nothing is sent and that is said."""
    if not record.config.disabled_notification_users:
        return "no disabled-notification users are listed; nobody was told"
    message = disabled_notice(record, mailer.sender, when)
    if mailer.smtp_host:
        try:
            with smtplib.SMTP(mailer.smtp_host, mailer.smtp_port, timeout=mailer.timeout) as smtp:
                if mailer.starttls:
                    smtp.starttls()
                if mailer.username:
                    smtp.login(mailer.username, mailer.password or "")
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            raise NotifyError(
                f"cannot send the notice through {mailer.smtp_host}:{mailer.smtp_port}: {error}"
            ) from error
        return f"emailed {message['To']} through {mailer.smtp_host}:{mailer.smtp_port}"
    stamp = (when or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    path = mailer.outbox / f"{stamp}-{record.integration_id}.eml"
    try:
        mailer.outbox.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes(message))
    except OSError as error:
        raise NotifyError(f"cannot write the notice to {path}: {error}") from error
    return f"no SMTP server is configured; the notice for {message['To']} is in {path}"
