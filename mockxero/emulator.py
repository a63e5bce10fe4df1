"""One emulator: configuration, clock, ids, the store, identity, the gateway, and every tenant's books."""

from __future__ import annotations

from datetime import date

from flask import current_app

from .backend import AccountingBackend, all_indexes
from .clock import SystemClock
from .config import ClientConfig, MockConfig, TenantConfig
from .identity.service import IdentityService
from .ids import IdGenerator
from .store import Store
from .traffic import Traffic

T_META = "system:Meta"


class Emulator:
    def __init__(self, config: MockConfig):
        self.config = config
        self.clock = config.clock or SystemClock(scale=config.clock_scale)
        self.ids = IdGenerator(config.seed)
        self.store = Store(config.data_file)
        for kind, name, key in all_indexes():
            self.store.define_index(kind, name, key)
        self.identity = IdentityService(config, self.store, self.clock, self.ids)
        # rate limits, idempotency, faults (one of which revokes grants), the request log
        self.traffic = Traffic(config, self.clock, self.store, self.identity)
        with self.store.transaction():
            self._count_start()
            self.identity.ensure_secret()
            for tenant in config.tenants:
                books = self.backend(tenant.tenant_id)
                books.bootstrap()
                # A book kept in a data file was set up at an earlier start: lock dates configured now win.
                configured = (
                    ("PeriodLockDate", tenant.period_lock_date),
                    ("EndOfYearLockDate", tenant.end_of_year_lock_date),
                )
                changes: dict[str, date | None] = {name: day for name, day in configured if day is not None}
                if changes:
                    books.set_lock_dates(changes)
                # ... and so do configured exchange rates (each replaces the stored rate of its currency and date).
                books.set_exchange_rates((entry.currency, entry.since, entry.rate) for entry in tenant.exchange_rates)

    def _count_start(self) -> None:
        """Number the starts of a book kept in a data file, and keep seeded ids from repeating.

        A seeded generator draws the same ids on every start; a restarted server would hand out the ids of
        records already in the book and overwrite them. Later starts reseed with the start number, so a
        run stays reproducible without colliding with the runs before it.
        """
        meta = self.store.get(T_META, "starts") or {"Count": 0}
        if meta["Count"] and self.config.seed is not None:
            self.ids.reseed(f"{self.config.seed}:{meta['Count']}")
        self.store.put(T_META, "starts", {"Count": meta["Count"] + 1})

    def backend(self, tenant_id: str, client_id: str | None = None) -> AccountingBackend:
        """One tenant's books, as used by ``client_id`` (the calling app; ``None`` for the mock itself)."""
        tenant = self.identity.tenants[tenant_id]
        return AccountingBackend(self.store, tenant, self.clock, self.ids, client_id)

    def add_tenant(self, *, name: str, country_code: str = "NZ", tenant_id: str | None = None) -> ClientConfig:
        """A new organisation with its own books and an app of its own connected only to it (what a custom
        connection is in Xero); the app, whose ``tenant_ids`` names the tenant.

        It lasts as long as this emulator: it is not written into the configuration, so a restart with
        the same data file does not know it (start the server with a configuration file naming it instead).
        Ids come from the emulator's id generator, so a seeded emulator hands out the same ones every run.
        Raises ``ConfigError`` for an unusable name, country or id, ``ValueError`` for a tenant id in use.
        """
        with self.store.transaction():
            tenant = TenantConfig(tenant_id=tenant_id or self.ids.guid(), name=name, country_code=country_code)
            client = ClientConfig(
                client_id=self.ids.token(16).upper(),
                client_secret=self.ids.token(24),
                name=f"mockxero app for {tenant.name}",
                tenant_ids=(tenant.tenant_id,),
            )
            self.config = self.identity.add_tenant(tenant, client)
            self.backend(tenant.tenant_id).bootstrap()
        return client

    def reset(self, tenant_id: str | None = None) -> None:
        """Wipe one tenant's books (or everything, tokens included) and start them afresh.

        A full reset also forgets rate-limit counters, fault rules and the request log, so a test run that
        resets between cases starts each one from a clean gateway as well as clean books.
        """
        if tenant_id is None:
            self.traffic.reset()
        with self.store.transaction():
            if tenant_id is None:
                starts = self.store.get(T_META, "starts")
                self.store.drop_tables("")
                if starts is not None:  # the start count guards seeded ids; a reset must not rewind it
                    self.store.put(T_META, "starts", starts)
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
