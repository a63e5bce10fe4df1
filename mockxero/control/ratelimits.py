"""``/mock-api/rate-limits``: see and change the rate limiter (see ``mockxero.traffic.ratelimit``).

GET shows whether limits are on, the limits and each app/tenant's current use; POST changes any of
``{"enabled": false, "minute": 60, "day": 5000, "concurrent": 5, "app_minute": 10000}``; DELETE forgets
every counted call (the windows start empty).
"""

from __future__ import annotations

from flask import Blueprint, Response

from ..emulator import get_emulator
from ..exceptions import ControlError
from ..http import json_response
from .body import read_json

bp = Blueprint("control_rate_limits", __name__)


@bp.get("/rate-limits")
def show_rate_limits() -> Response:
    return json_response(get_emulator().traffic.limiter.usage())


@bp.post("/rate-limits")
def change_rate_limits() -> Response:
    changes = read_json()
    if not isinstance(changes, dict):
        raise ControlError(400, "invalid_body", 'send an object such as {"enabled": false} or {"minute": 10}')
    limiter = get_emulator().traffic.limiter
    enabled = changes.pop("enabled", limiter.enabled)
    if not isinstance(enabled, bool):
        raise ControlError(400, "invalid_limits", f"enabled must be true or false, got {enabled!r}")
    try:
        limits = limiter.limits.updated(changes)
    except ValueError as exc:
        raise ControlError(400, "invalid_limits", str(exc)) from None
    limiter.limits = limits
    limiter.enabled = enabled
    return json_response(limiter.usage())


@bp.delete("/rate-limits")
def clear_rate_limits() -> Response:
    get_emulator().traffic.limiter.reset()
    return Response(status=204)
