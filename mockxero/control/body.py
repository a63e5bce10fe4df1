"""Reading a control-API request body: JSON, or a 400 that says what is wrong with it."""

from __future__ import annotations

from typing import Any

from flask import request

from .. import wire
from ..exceptions import ControlError


def read_json() -> Any:
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise ControlError(400, "invalid_body", "the request body is empty; send a JSON document")
    try:
        return wire.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ControlError(400, "invalid_body", f"the request body is not valid JSON: {exc}") from None
