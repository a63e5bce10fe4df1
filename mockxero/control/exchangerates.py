"""A tenant's exchange-rate table: ``/mock-api/tenants/{tenant_id}/exchange-rates``.

Xero takes its daily rates from a rates provider; a foreign document sent without a ``CurrencyRate`` gets
the day's rate. The emulator keeps a table per tenant (``mockxero.exchange``: a fixed default per currency
pair, overridden by rates set here or in the configuration file), so a test can state the rates it expects.
A rate is units of the foreign currency per one unit of the base currency, as Xero's ``CurrencyRate`` is.
"""

from __future__ import annotations

from flask import Blueprint, Response

from ..emulator import get_emulator
from ..exceptions import ControlError
from ..exchange import SetRate, parse_rates
from ..http import json_response
from .admin import json_body, known_tenant

bp = Blueprint("control_exchange_rates", __name__)


@bp.get("/tenants/<tenant_id>/exchange-rates")
def read_exchange_rates(tenant_id: str) -> Response:
    emulator = get_emulator()
    known = known_tenant(emulator, tenant_id, status=404)
    return _table(known, emulator.backend(known).exchange_rates())


@bp.put("/tenants/<tenant_id>/exchange-rates")
def set_exchange_rates(tenant_id: str) -> Response:
    """``{"rates": [{"currency": "USD", "date": "2026-01-15", "rate": "0.61"}, ...]}``: each entry is set
    (from its date on; with no date, for every date) or removed (``"rate": null``). A body with any bad
    entry changes nothing and names every problem."""
    emulator = get_emulator()
    known = known_tenant(emulator, tenant_id, status=404)
    body = json_body()
    unknown = [f"{key!r} is not a field (the body is {{'rates': [...]}})" for key in body if key != "rates"]
    if "rates" not in body:
        unknown.append("rates is required: a list of {currency, date, rate}")
    changes, problems = parse_rates("rates", body.get("rates", []), allow_removal=True)
    if unknown or problems:
        raise ControlError(400, "invalid_request", "; ".join(unknown + problems))
    books = emulator.backend(known)
    with emulator.store.transaction():
        table = books.set_exchange_rates(changes)
    return _table(known, table)


def _table(tenant_id: str, entries: list[SetRate]) -> Response:
    return json_response(
        {
            "tenant_id": tenant_id,
            "rates": [
                {
                    "currency": entry.currency,
                    "date": entry.since.isoformat() if entry.since else None,
                    "rate": format(entry.rate, "f"),
                }
                for entry in entries
            ],
        }
    )
