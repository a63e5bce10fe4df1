"""What every resource backend shares: its tenant's tables, the clock, ids and a savepoint."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from ..clock import Clock
from ..config import TenantConfig
from ..exceptions import NotFound, ValidationException
from ..ids import IdGenerator
from ..records import CREATED_BY_APP
from ..store import Store, table_name
from .books import Books

# (kind, index name, key function): each resource module declares the lookups it needs to be fast.
IndexSpec = tuple[str, str, Callable[[dict], Any]]


if TYPE_CHECKING:
    # The type checker sees every mixin as ``Books``, so each cross-resource call is checked against its
    # declaration. At run time the mixins are plain classes: ``AccountingBackend`` supplies the members.
    _Declared = Books
else:
    _Declared = object


class BackendBase(_Declared):
    """One tenant's books. Resource mixins add their rules; ``AccountingBackend`` combines them."""

    INDEXES: ClassVar[list[IndexSpec]] = []

    def __init__(
        self, store: Store, tenant: TenantConfig, clock: Clock, ids: IdGenerator, client_id: str | None = None
    ):
        self.store = store
        self.client_id = client_id  # the calling app, when the books are used through the API
        self.tenant = tenant
        self.tenant_id = tenant.tenant_id
        self.clock = clock
        self.ids = ids
        self._table_names: dict[str, str] = {}  # kind -> this tenant's table: a create names two dozen

    # -- plumbing --

    def table(self, kind: str) -> str:
        name = self._table_names.get(kind)
        if name is None:
            name = self._table_names[kind] = table_name(self.tenant_id, kind)
        return name

    def now(self) -> datetime:
        """Timestamps are kept to the millisecond, as Xero's ``/Date(ms)/`` can carry no more."""
        instant = self.clock.now()
        return instant.replace(microsecond=instant.microsecond // 1000 * 1000)

    def today(self) -> date:
        return self.clock.now().date()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Everything inside either happens or is undone (one batch element, one multi-record change)."""
        with self.store.transaction():
            yield

    def _get(self, kind: str, key: str | None) -> dict | None:
        if not key:
            return None
        return self.store.get(self.table(kind), key)

    def _peek(self, kind: str, key: str | None) -> dict | None:
        """The stored record itself, uncopied, for a lookup that only reads it. Never mutate the result."""
        if not key:
            return None
        return self.store.peek(self.table(kind), key)

    def _require(self, kind: str, key: str | None) -> dict:
        record = self._get(kind, key)
        if record is None:
            raise NotFound()
        return record

    def _save(self, kind: str, key: str, record: dict, *, copy: bool = True) -> dict:
        """Store ``record`` and return it; with ``copy=False`` the store keeps the record itself (see
        ``Store.put``), so neither the caller nor whoever it returns the record to may change it."""
        table = self.table(kind)
        if self.client_id and CREATED_BY_APP not in record and not self.store.exists(table, key):
            record[CREATED_BY_APP] = self.client_id
        self.store.put(table, key, record, copy=copy)
        return record


def fail(*messages: str) -> ValidationException:
    """``raise fail("...")`` reads better than building the exception inline in every rule."""
    return ValidationException(list(messages))
