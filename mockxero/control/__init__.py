"""The control API under ``/mock-api/``: test-only knobs real Xero does not have (moto's ``/moto-api``).

One module per concern; each contributes a blueprint to ``BLUEPRINTS``. Control calls need no bearer
token, and their errors are ``{"error": ..., "detail": ...}`` (``ControlError``), not Xero's shapes.
"""

from __future__ import annotations

from flask import Blueprint

from ..paths import CONTROL_PREFIX
from . import admin, exchangerates, faults, ledger, lockdates, openapi, ratelimits, requestlog

__all__ = ["BLUEPRINTS", "CONTROL_PREFIX"]

BLUEPRINTS: tuple[Blueprint, ...] = (
    admin.bp,
    lockdates.bp,
    exchangerates.bp,
    faults.bp,
    requestlog.bp,
    ratelimits.bp,
    ledger.bp,
    openapi.bp,
)
