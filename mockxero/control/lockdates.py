"""The organisation's lock dates: ``/mock-api/tenants/{tenant_id}/lock-dates``.

In Xero an adviser sets them in the organisation's financial settings; the API can only read them
(``GET /Organisation``). A test sets them here, and they hold until the next reset or start. The
configuration file sets them per tenant at start (``period_lock_date``, ``end_of_year_lock_date``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response

from ..config import ConfigError, lock_date_value
from ..emulator import get_emulator
from ..exceptions import ControlError
from ..http import json_response
from .admin import json_body, known_tenant

bp = Blueprint("control_lock_dates", __name__)

# The control API's snake_case names of the organisation's two lock dates.
FIELDS = {"period_lock_date": "PeriodLockDate", "end_of_year_lock_date": "EndOfYearLockDate"}


@bp.get("/tenants/<tenant_id>/lock-dates")
def read_lock_dates(tenant_id: str) -> Response:
    emulator = get_emulator()
    known = known_tenant(emulator, tenant_id, status=404)
    return _state(known, *emulator.backend(known).lock_dates())


@bp.put("/tenants/<tenant_id>/lock-dates")
def set_lock_dates(tenant_id: str) -> Response:
    """Each lock date named in the body is set (``"2026-03-31"``) or cleared (``null``); one left out is kept.
    A body with any bad value changes nothing and names every problem."""
    emulator = get_emulator()
    known = known_tenant(emulator, tenant_id, status=404)
    body = json_body()
    problems = [f"{key!r} is not a lock date (known: {', '.join(FIELDS)})" for key in body if key not in FIELDS]
    changes: dict[str, date | None] = {}
    for key, name in FIELDS.items():
        if key in body:
            try:
                changes[name] = _date(key, body[key])
            except ConfigError as exc:
                problems.append(str(exc))
    if problems:
        raise ControlError(400, "invalid_request", "; ".join(problems))
    books = emulator.backend(known)
    with emulator.store.transaction():
        books.set_lock_dates(changes)
    return _state(known, *books.lock_dates())


def _date(key: str, value: Any) -> date | None:
    if value is not None and not isinstance(value, str):  # JSON has no date type: a string or null
        raise ConfigError(f"{key} must be a date written YYYY-MM-DD, such as 2026-03-31, or null, got {value!r}")
    if value == "":
        raise ConfigError(f"{key} must be a date written YYYY-MM-DD, such as 2026-03-31, or null, got ''")
    return lock_date_value(key, value)


def _state(tenant_id: str, period: date | None, end_of_year: date | None) -> Response:
    return json_response(
        {
            "tenant_id": tenant_id,
            "period_lock_date": period.isoformat() if period else None,
            "end_of_year_lock_date": end_of_year.isoformat() if end_of_year else None,
        }
    )
