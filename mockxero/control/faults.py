"""``/mock-api/faults``: the fault rules (see ``mockxero.traffic.faults`` for the rule format).

GET lists the rules with how often each matched and fired; POST adds one rule, a list of rules, or
``{"faults": [...]}`` (all or none); DELETE clears them all, ``DELETE /faults/<id>`` removes one.
"""

from __future__ import annotations

from flask import Blueprint, Response

from ..emulator import get_emulator
from ..exceptions import ControlError
from ..http import json_response
from ..traffic.faults import FaultRuleError, rules_from_document
from .body import read_json

bp = Blueprint("control_faults", __name__)


@bp.get("/faults")
def list_faults() -> Response:
    return json_response({"faults": get_emulator().traffic.faults.rules()})


@bp.post("/faults")
def add_faults() -> Response:
    document = read_json()
    faults = get_emulator().traffic.faults
    try:
        if isinstance(document, dict) and "faults" not in document:
            added = [faults.add(document)]
        else:
            added = faults.add_all(rules_from_document(document))
    except FaultRuleError as exc:
        raise ControlError(400, "invalid_fault", str(exc)) from None
    return json_response({"faults": [rule.to_dict() for rule in added]}, 201)


@bp.delete("/faults")
def clear_faults() -> Response:
    get_emulator().traffic.faults.clear()
    return Response(status=204)


@bp.delete("/faults/<int:rule_id>")
def remove_fault(rule_id: int) -> Response:
    if not get_emulator().traffic.faults.remove(rule_id):
        raise ControlError(404, "unknown_fault", f"There is no fault rule {rule_id}; GET /mock-api/faults lists them")
    return Response(status=204)
