"""What can go wrong talking to Xero, as types the engine can tell apart.

Every error carries a message a person can act on. ``status`` is the HTTP status when there was one.
"""

from __future__ import annotations

from datetime import datetime


class XeroError(Exception):
    """Any failure of a call to Xero that the client could not recover from."""

    def __init__(self, message: str, status: int | None = None, body: object = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body


class ValidationFailed(XeroError):
    """Xero refused the request's content (HTTP 400); ``messages`` are its ``ValidationErrors``, in order."""

    def __init__(self, messages: list[str], status: int | None = 400, body: object = None):
        self.messages = list(messages)
        super().__init__("Xero refused the request: " + "; ".join(self.messages), status, body)


class NotFound(XeroError):
    """HTTP 404: the path names nothing Xero knows."""


class AuthFailed(XeroError):
    """The token cannot be used or renewed (401 after a refresh, 403 for a tenant, ``invalid_grant``);
    a person has to reconnect the organisation."""


class DailyLimitReached(XeroError):
    """The tenant's rolling 24-hour call limit is used up: the run must stop here and resume at ``resume_at``."""

    def __init__(self, tenant_id: str, resume_at: datetime):
        self.tenant_id = tenant_id
        self.resume_at = resume_at
        super().__init__(
            f"Xero's daily call limit for tenant {tenant_id} is used up; "
            f"the run can continue at {resume_at.isoformat(timespec='seconds')}",
            429,
        )


class GaveUp(XeroError):
    """The retry policy gave up: ``attempts`` calls were made and ``reason`` says what the last one met."""

    def __init__(self, what: str, attempts: int, reason: str, status: int | None = None, body: object = None):
        self.attempts = attempts
        self.reason = reason
        super().__init__(f"{what}: gave up after {attempts} attempt(s): {reason}", status, body)


class DuplicateObjects(XeroError):
    """A natural-key lookup found more than one live object: exactly-once has already been broken."""

    def __init__(self, collection: str, field: str, value: str, ids: list[str]):
        self.ids = ids
        super().__init__(
            f"{len(ids)} {collection} have {field} {value!r} ({', '.join(ids)}); expected at most one", None
        )


class TokenStoreError(XeroError):
    """The stored token cannot be read or written; the message names the file."""
