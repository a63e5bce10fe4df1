"""The control API under ``/mock-api/``: test-only knobs real Xero does not have (moto's ``/moto-api``).

One module per concern; each contributes a blueprint to ``BLUEPRINTS``.
"""
from __future__ import annotations

from flask import Blueprint

CONTROL_PREFIX = "/mock-api"

BLUEPRINTS: tuple[Blueprint, ...] = ()
