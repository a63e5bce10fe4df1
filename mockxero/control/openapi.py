"""The contracts, served by the emulator they describe (as stripe-mock embeds its spec).

``GET /openapi.yaml`` is the emulated Accounting API; ``GET /mock-api/openapi.yaml`` is the control API.
Both come from the ``contracts`` package data, so a running mock never needs Xero's own spec.
"""

from __future__ import annotations

from functools import cache

from flask import Blueprint, Response

from contracts import ACCOUNTING, CONTROL, read_contract

public_bp = Blueprint("openapi", __name__)  # mounted at the root
bp = Blueprint("control_openapi", __name__)  # mounted under /mock-api

YAML_TYPE = "application/yaml; charset=utf-8"


@cache
def _contract(name: str) -> bytes:
    return read_contract(name)


@public_bp.get("/openapi.yaml")
def accounting_contract() -> Response:
    return Response(_contract(ACCOUNTING), content_type=YAML_TYPE)


@bp.get("/openapi.yaml")
def control_contract() -> Response:
    return Response(_contract(CONTROL), content_type=YAML_TYPE)
