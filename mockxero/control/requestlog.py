"""``/mock-api/requests``: the request log (see ``mockxero.traffic.requestlog``), oldest first.

GET filters with ``?method=POST&path=/api.xro/2.0/Invoices*&tenant=<id>&since=<sequence>``; ``path`` is a
glob, and without wildcards matches one path exactly. DELETE empties the log.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from ..emulator import get_emulator
from ..exceptions import ControlError
from ..http import json_response

bp = Blueprint("control_requests", __name__)


@bp.get("/requests")
def list_requests() -> Response:
    since = request.args.get("since")
    if since is not None and not since.isdigit():
        raise ControlError(400, "invalid_request", f"since must be a sequence number (a whole number), got {since!r}")
    log = get_emulator().traffic.log
    rows = log.entries(
        method=request.args.get("method"),
        path=request.args.get("path"),
        tenant=request.args.get("tenant"),
        since=int(since) if since is not None else None,
    )
    return json_response({"enabled": log.enabled, "size": log.size, "requests": rows})


@bp.delete("/requests")
def clear_requests() -> Response:
    get_emulator().traffic.log.clear()
    return Response(status=204)
