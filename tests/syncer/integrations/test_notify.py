"""The disabled-integration notice: to the outbox when no SMTP server is set, never to nobody silently."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime

import pytest

from syncer.integrations.config import IntegrationConfig
from syncer.integrations.notify import Mailer, NotifyError, notify_disabled
from syncer.integrations.registry import IntegrationRecord
from tests.syncer.mapping.helpers import CONFIG

WHEN = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


def disabled(users=("finance@example.test", "ops@example.test")) -> IntegrationRecord:
    config = IntegrationConfig(name="UK bills", mapping=CONFIG, disabled_notification_users=users)
    return IntegrationRecord(
        "int-1", "UK bills", config, enabled=False, disabled_reason="authentication failed: revoked"
    )


def test_without_smtp_the_notice_is_written_to_the_outbox(tmp_path):
    where = notify_disabled(disabled(), Mailer(outbox=tmp_path / "outbox"), WHEN)
    [path] = (tmp_path / "outbox").iterdir()
    assert path.name == "20261203T093000Z-int-1.eml"
    assert where == f"no SMTP server is configured; the notice for finance@example.test, ops@example.test is in {path}"
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == "finance@example.test, ops@example.test"
    assert "Reason: authentication failed: revoked" in message.get_content()
    assert "xero-sync integrations enable int-1" in message.get_content()


def test_with_no_users_listed_nobody_is_told_and_that_is_said(tmp_path):
    assert notify_disabled(disabled(users=()), Mailer(outbox=tmp_path)) == (
        "no disabled-notification users are listed; nobody was told"
    )
    assert list(tmp_path.iterdir()) == []


def test_an_smtp_server_that_cannot_be_reached_is_an_error_naming_it(tmp_path):
    import socket

    with socket.socket() as probe:  # a loopback port with nothing listening on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(NotifyError, match=f"cannot send the notice through 127.0.0.1:{port}: "):
        notify_disabled(disabled(), Mailer(outbox=tmp_path, smtp_host="127.0.0.1", smtp_port=port, timeout=5))
