"""One emulator: configuration, clock, ids, the store, identity, and every tenant's books."""
from __future__ import annotations

from flask import current_app

from .backend import AccountingBackend, all_indexes
from .clock import SystemClock
from .config import MockConfig
from .identity.service import IdentityService
from .ids import IdGenerator
from .store import Store


class Emulator:
    def __init__(self, config: MockConfig):
        self.config = config
        self.clock = config.clock or SystemClock(scale=config.clock_scale)
        self.ids = IdGenerator(config.seed)
        self.store = Store(config.data_file)
        for kind, name, key in all_indexes():
            self.store.define_index(kind, name, key)
        self.identity = IdentityService(config, self.store, self.clock, self.ids)
        with self.store.transaction():
            self.identity.ensure_secret()
            for tenant in config.tenants:
                self.backend(tenant.tenant_id).bootstrap()

    def backend(self, tenant_id: str) -> AccountingBackend:
        tenant = self.identity.tenants[tenant_id]
        return AccountingBackend(self.store, tenant, self.clock, self.ids)

    def reset(self, tenant_id: str | None = None) -> None:
        """Wipe one tenant's books (or everything, tokens included) and start them afresh."""
        with self.store.transaction():
            if tenant_id is None:
                self.store.drop_tables("")
                self.identity.ensure_secret()
                tenants = list(self.identity.tenants)
            else:
                self.store.drop_tables(f"{tenant_id}:")
                tenants = [tenant_id]
            for tid in tenants:
                self.backend(tid).bootstrap()


def get_emulator() -> Emulator:
    """The emulator of the current Flask app (flaskr's ``get_db`` pattern)."""
    return current_app.extensions["mockxero"]
