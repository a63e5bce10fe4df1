"""mockxero: an offline emulation of the Xero Accounting API with a checked double-entry ledger.

``create_app`` builds the Flask app; ``running`` starts one in-process for a test, and ``connect`` drives one
already running elsewhere (see ``mockxero.embedding``).
"""

from .app import create_app
from .embedding import ControlAPIError, LedgerBroken, RunningMock, Tenant, connect, running

__all__ = ["ControlAPIError", "LedgerBroken", "RunningMock", "Tenant", "connect", "create_app", "running"]
