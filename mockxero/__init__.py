"""mockxero: an offline emulation of the Xero Accounting API with a checked double-entry ledger."""

from .app import create_app

__all__ = ["create_app"]
