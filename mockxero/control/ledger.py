"""``GET /mock-api/ledger``: the ledger check on demand, for every tenant or one (``?tenant_id=``).

Answers ``{"balanced": bool, "tenants": [{tenant_id, name, balanced, errors, trial_balance, accounts}]}``:
``errors`` lists every broken invariant (``mockxero.ledger``), ``trial_balance`` the debits and credits per
currency, ``accounts`` every non-zero balance derived from the journals. ``balanced`` is true only when
no invariant is broken anywhere.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from ..emulator import get_emulator
from ..exceptions import ControlError
from ..http import json_response
from ..ids import is_guid, normalise_guid
from ..ledger import book_from_store, ledger_report

bp = Blueprint("control_ledger", __name__)


@bp.get("/ledger")
def ledger() -> Response:
    emulator = get_emulator()
    raw = request.args.get("tenant_id")
    if raw is None or raw == "":
        tenant_ids = list(emulator.identity.tenants)
    else:
        tenant_id = normalise_guid(raw.strip()) if is_guid(raw.strip()) else None
        if tenant_id not in emulator.identity.tenants:
            raise ControlError(
                404, "unknown_tenant", f"No tenant {raw!r} is configured here; GET /mock-api/tenants lists them"
            )
        tenant_ids = [tenant_id]
    with emulator.store.transaction():  # one consistent reading even while clients write
        reports = [ledger_report(book_from_store(emulator.store, tenant_id)) for tenant_id in tenant_ids]
    return json_response({"balanced": all(report["balanced"] for report in reports), "tenants": reports})
