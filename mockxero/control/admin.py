"""Administration of the emulator: who is configured, wiping and restoring books, moving the clock.

``/mock-api/tenants`` (listed, or one added with an app of its own), ``/clients``, ``/reset``, ``/snapshot``,
``/restore``, ``/clock``. No bearer token: the control API is for the test harness on the same machine, never
for the client under test.
"""

from __future__ import annotations

import math
from datetime import UTC
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, request

from ..config import ClientConfig, ConfigError, TenantConfig
from ..emulator import Emulator, get_emulator
from ..exceptions import ControlError
from ..http import json_response
from ..ids import is_guid, normalise_guid
from ..store import decode_value
from .body import read_json

bp = Blueprint("control_admin", __name__)

SNAPSHOT_FORMAT = 1  # bump when the layout of a snapshot changes
SYSTEM_NAMESPACE = "system"


# --- is it up ---------------------------------------------------------------------------------------------


@bp.get("/health")
def health() -> Response:
    """200 once the emulator answers: what a CI service's or container's health check polls."""
    emulator = get_emulator()
    return json_response(
        {"status": "ok", "tenants": len(emulator.identity.tenants), "now": emulator.clock.now().isoformat()}
    )


# --- who is configured ---------------------------------------------------------------------------------


@bp.get("/tenants")
def tenants() -> Response:
    emulator = get_emulator()
    return json_response({"tenants": [_tenant_row(emulator, tenant) for tenant in emulator.config.tenants]})


@bp.post("/tenants")
def add_tenant() -> Response:
    """``{"name": ..., "country_code"?: "NZ", "tenant_id"?: GUID}``: a new organisation and an app of its own.

    The answer (201) holds the tenant and the app (``client_id``, ``client_secret``) connected only to it,
    so a test that takes one per case keeps its books and its token away from every other case's.
    """
    emulator = get_emulator()
    body = json_body()
    problems = [f"unknown field {key!r}" for key in body if key not in NEW_TENANT_FIELDS]
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append('name must be a non-empty string, such as "Acme Ltd"')
    country = body.get("country_code", "NZ")
    if not isinstance(country, str):
        problems.append(f'country_code must be a country code such as "NZ", got {country!r}')
    tenant_id = body.get("tenant_id")
    if tenant_id is not None and not (isinstance(tenant_id, str) and is_guid(tenant_id)):
        problems.append(f"tenant_id must be a GUID, got {tenant_id!r}")
    if problems or not isinstance(name, str) or not isinstance(country, str):  # the types narrow mypy's view
        raise ControlError(400, "invalid_tenant", "; ".join(problems))
    try:
        client = emulator.add_tenant(name=name, country_code=country, tenant_id=tenant_id)
    except ConfigError as exc:
        raise ControlError(400, "invalid_tenant", str(exc)) from None
    except ValueError as exc:
        raise ControlError(409, "tenant_exists", str(exc)) from None
    tenant = emulator.identity.tenant(client.tenant_ids[0])
    return json_response({"tenant": _tenant_row(emulator, tenant), "client": _client_row(client)}, 201)


NEW_TENANT_FIELDS = ("name", "country_code", "tenant_id")


@bp.get("/clients")
def clients() -> Response:
    """Secrets included: this is a local test tool and its secrets guard nothing."""
    return json_response({"clients": [_client_row(client) for client in get_emulator().config.clients]})


def _tenant_row(emulator: Emulator, tenant: TenantConfig) -> dict[str, Any]:
    organisation = emulator.backend(tenant.tenant_id).organisation()
    return {
        "tenant_id": tenant.tenant_id,
        "name": tenant.name,
        "country_code": tenant.country_code,
        "tenant_type": tenant.tenant_type,
        "base_currency": organisation["BaseCurrency"],
        "client_ids": [c.client_id for c in emulator.config.clients if tenant.tenant_id in c.tenant_ids],
    }


def _client_row(client: ClientConfig) -> dict[str, Any]:
    return {
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "name": client.name,
        "tenant_ids": list(client.tenant_ids),
        "scopes": list(client.scopes),
        "redirect_uris": list(client.redirect_uris),
    }


# --- reset, snapshot, restore --------------------------------------------------------------------------


@bp.post("/reset")
def reset() -> Response:
    """Everything (books, tokens, connections) or, with ``{"tenant_id": ...}``, one tenant's books."""
    emulator = get_emulator()
    body = json_body()
    if body.get("tenant_id") is None:
        emulator.reset()
        return json_response({"reset": "everything", "tenant_ids": list(emulator.identity.tenants)})
    tenant_id = known_tenant(emulator, body["tenant_id"], status=404)
    emulator.reset(tenant_id)
    return json_response({"reset": "tenant", "tenant_ids": [tenant_id]})


@bp.get("/snapshot")
def snapshot() -> Response:
    emulator = get_emulator()
    raw = request.args.get("tenant_id")
    tenant_id = known_tenant(emulator, raw, status=404) if raw else None
    with emulator.store.transaction():  # one consistent moment, even with writers on other threads
        tables = emulator.store.export(_prefix(tenant_id))
    return json_response(
        {
            "mockxero_snapshot": SNAPSHOT_FORMAT,
            "tenant_id": tenant_id,
            "taken_at": emulator.clock.now().isoformat(),
            "tables": tables,
        }
    )


@bp.post("/restore")
def restore() -> Response:
    """Replace the whole book, or one tenant's, with a snapshot. A bad snapshot changes nothing."""
    emulator = get_emulator()
    body = json_body()
    tenant_id, tables = _checked_snapshot(emulator, body)
    with emulator.store.transaction():
        emulator.store.restore(tables, _prefix(tenant_id))
        # A snapshot may predate a tenant or lack the signing secret; fill in what start-up would have.
        emulator.identity.ensure_secret()
        for tid in emulator.identity.tenants:
            emulator.backend(tid).bootstrap()
    records = sum(len(rows) for rows in tables.values())
    return json_response({"restored": {"tenant_id": tenant_id, "tables": len(tables), "records": records}})


def _checked_snapshot(emulator: Emulator, body: dict) -> tuple[str | None, dict[str, dict]]:
    """Refuse anything but a snapshot this emulator could have taken, naming the first problem found."""
    if body.get("mockxero_snapshot") != SNAPSHOT_FORMAT:
        raise _bad_snapshot(f'expected "mockxero_snapshot": {SNAPSHOT_FORMAT}, as GET /mock-api/snapshot writes')
    raw_tenant = body.get("tenant_id")
    tenant_id = None
    if raw_tenant is not None:
        if (
            not isinstance(raw_tenant, str)
            or not is_guid(raw_tenant)
            or normalise_guid(raw_tenant) not in emulator.identity.tenants
        ):
            raise _bad_snapshot(f"it is of tenant {raw_tenant!r}, which is not configured here")
        tenant_id = normalise_guid(raw_tenant)
    tables = body.get("tables")
    if not isinstance(tables, dict):
        raise _bad_snapshot('"tables" must be an object of tables')
    for table, rows in tables.items():
        namespace, sep, kind = table.partition(":")
        if not sep or not kind:
            raise _bad_snapshot(f"table {table!r} is not named <tenant id or system>:<kind>")
        if tenant_id is not None and namespace != tenant_id:
            raise _bad_snapshot(f"table {table!r} is outside tenant {tenant_id}")
        if namespace != SYSTEM_NAMESPACE and namespace not in emulator.identity.tenants:
            raise _bad_snapshot(f"table {table!r} belongs to a tenant that is not configured here")
        if not isinstance(rows, dict):
            raise _bad_snapshot(f"table {table!r} must be an object of records")
        for key, record in rows.items():
            if not isinstance(record, dict):
                raise _bad_snapshot(f"record {table}/{key} must be an object")
            try:
                decode_value(record)
            except ValueError as exc:
                raise _bad_snapshot(f"record {table}/{key}: {exc}") from None
    return tenant_id, tables


def _bad_snapshot(detail: str) -> ControlError:
    return ControlError(400, "invalid_snapshot", f"The snapshot was refused and nothing changed: {detail}")


def _prefix(tenant_id: str | None) -> str:
    return f"{tenant_id}:" if tenant_id else ""


# --- the clock -----------------------------------------------------------------------------------------


@bp.get("/clock")
def clock() -> Response:
    return _clock_state(get_emulator())


@bp.post("/clock")
def move_clock() -> Response:
    """``{"advance_seconds": n}`` moves the emulator's time forward: tokens expire, rate windows pass."""
    emulator = get_emulator()
    seconds = json_body().get("advance_seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, Decimal)) or not math.isfinite(seconds):
        raise ControlError(400, "invalid_request", "advance_seconds must be a number of seconds, such as 1800")
    if seconds < 0:
        raise ControlError(400, "invalid_request", "advance_seconds must be zero or more: the clock only moves forward")
    advance = getattr(emulator.clock, "advance", None)
    if advance is None:
        raise ControlError(
            409, "clock_fixed", f"this emulator's clock ({type(emulator.clock).__name__}) cannot be moved"
        )
    try:
        advance(float(seconds))  # a duration, not money: float is exact enough for seconds
    except OverflowError:
        raise ControlError(
            400, "invalid_request", f"advance_seconds {seconds} would move the clock past the year 9999"
        ) from None
    return _clock_state(emulator)


def _clock_state(emulator: Emulator) -> Response:
    now = emulator.clock.now().astimezone(UTC)
    return json_response(
        {
            "now": now.isoformat(),
            "clock": type(emulator.clock).__name__,
            "scale": emulator.config.clock_scale,
        }
    )


# --- helpers -------------------------------------------------------------------------------------------


def json_body() -> dict[str, Any]:
    """An optional JSON object: no body means ``{}``."""
    if not request.get_data(cache=True).strip():
        return {}
    body = read_json()
    if not isinstance(body, dict):
        raise ControlError(400, "invalid_body", "the request body must be a JSON object")
    return body


def known_tenant(emulator: Emulator, raw: Any, *, status: int) -> str:
    if isinstance(raw, str) and is_guid(raw.strip()):
        tenant_id = normalise_guid(raw.strip())
        if tenant_id in emulator.identity.tenants:
            return tenant_id
    raise ControlError(
        status, "unknown_tenant", f"No tenant {raw!r} is configured here; GET /mock-api/tenants lists them"
    )
