"""One listing pipeline for every ``GET /<Collection>``: explicit parameters, ``where``, ``order``,
``If-Modified-Since`` and paging, over the stored records, read-only.

A resource describes what its list endpoint accepts once, as a ``Listing``; ``select`` does the rest.
Everything is parsed before any record is read, so a bad ``where`` fails fast on any book. Records are
filtered and sorted in place (``store.scan``/``store.peek`` hand out the stored dicts, never copies) and
only the page being returned is dumped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from marshmallow import Schema

from ..exceptions import QueryParseException
from ..ids import is_guid, normalise_guid
from ..records import CREATED_BY_APP
from ..store import Store
from .expressions import Getter, OrderKey, View, compile_order, compile_path, compile_where, sort_rows
from .modified import modified_since, parse_if_modified_since
from .paging import PageRequest, page_request
from .types import Catalog, Extra, catalog_for

BY_KEY = "<key>"  # a Lookup answered by the table's own key (IDs)


def guid_value(raw: str, param: str) -> str:
    """One value of a GUID list parameter; a malformed GUID is a query error, not an empty answer."""
    if not is_guid(raw):
        raise QueryParseException(f"'{raw}' is not a valid GUID in {param}")
    return normalise_guid(raw)


def text_value(raw: str, param: str) -> str:
    return raw


def upper_value(raw: str, param: str) -> str:
    return raw.upper()


@dataclass(frozen=True)
class Lookup:
    """A comma-separated list parameter (``IDs``, ``ContactIDs``, ``InvoiceNumbers``, ``Statuses``).

    A record matches when the value at ``field`` is one of the listed values. With ``index`` (a store
    index name, or ``BY_KEY`` for the table's key) the first such parameter in a request picks the
    candidate records straight from the index instead of scanning; ``value`` turns each listed text into
    the index's key (and may raise ``QueryParseException``).
    """

    param: str
    field: str
    index: str | None = None
    value: Callable[[str, str], Any] = text_value


@dataclass(frozen=True)
class Hidden:
    """Records ``hides`` matches are left out unless the boolean parameter ``param`` is true
    (``includeArchived`` on Contacts, ``includeDeleted`` on BankTransfers)."""

    param: str
    hides: Callable[[dict], bool]


@dataclass
class Listing:
    """How one list endpoint reads. Only ``collection`` and ``schema`` are required.

    * ``kind``: the store table the records live in; ``None`` when the view passes the rows itself.
    * ``schema``: dumps each returned record, and names the fields ``where``/``order`` may use.
    * ``paged``: Xero pages this endpoint (``page``, ``pageSize``, the ``pagination`` block).
    * ``lookups`` / ``hidden`` / ``search``: the explicit parameters this endpoint accepts; ``search``
      lists the fields ``searchTerm`` looks in (case-insensitive substring).
    * ``created_by_my_app``: honour ``createdByMyApp=true``.
    * ``modified_field``: the timestamp ``If-Modified-Since`` reads; ``None`` where Xero ignores the header.
    * ``extras``: where/order fields a record keeps somewhere other than its wire path.
    * ``present`` + ``presented``: ``present(backend, record)`` is the record as the wire shows it; the
      top-level fields named in ``presented`` (``("Contact",)``) are read from it, because the stored
      record holds only a reference there. It is called lazily, once per record, and only for a request
      whose where/order/search touches those fields.
    * ``default_order``: an ``order`` expression used when the request gives none (else insertion order).
    * ``dump``: replaces ``schema.dump`` for the returned rows.
    """

    collection: str
    schema: Schema
    kind: str | None = None
    paged: bool = False
    lookups: tuple[Lookup, ...] = ()
    hidden: tuple[Hidden, ...] = ()
    search: tuple[str, ...] = ()
    created_by_my_app: bool = False
    modified_field: str | None = "UpdatedDateUTC"
    extras: Mapping[str, Extra] = field(default_factory=dict)
    default_order: str | None = None
    dump: Callable[[dict], dict] | None = None
    present: Callable[[Any, dict], dict] | None = None
    presented: tuple[str, ...] = ()

    @property
    def catalog(self) -> Catalog:
        return catalog_for(self.schema)

    def getter(self, path: str, view: View | None = None) -> Getter:
        return compile_path(path, self.catalog, self.extras, view)


@dataclass(frozen=True)
class ListQuery:
    """The raw listing inputs of one request (query parameter names already matched without case)."""

    where: str | None = None
    order: str | None = None
    page: str | None = None
    page_size: str | None = None
    if_modified_since: str | None = None
    search_term: str | None = None
    values: Mapping[str, str | None] = field(default_factory=dict)  # the lookups' raw lists
    flags: Mapping[str, bool] = field(default_factory=dict)  # hidden params and createdByMyApp


@dataclass(frozen=True)
class ListResult:
    rows: list[dict]
    pagination: dict | None


class RecordSource:
    """Where a listing reads records from: a store table (index-aware) or rows a view already has."""

    def __init__(self, store: Store | None = None, table: str | None = None, rows: Iterable[dict] | None = None):
        self.store, self.table, self.rows = store, table, rows

    @property
    def indexed(self) -> bool:
        return self.store is not None and self.table is not None

    def all(self) -> Iterator[dict]:
        if self.indexed:
            return self.store.scan(self.table)  # type: ignore[union-attr,arg-type]
        return iter(self.rows or ())

    def count(self) -> int:
        assert self.store is not None and self.table is not None
        return self.store.count(self.table)

    def window(self, offset: int, size: int) -> list[dict]:
        """One page in insertion order, read straight from the table (no scan)."""
        assert self.store is not None and self.table is not None
        return self.store.window(self.table, offset, size)

    def by_index(self, index: str, values: list[Any]) -> Iterator[dict]:
        """Records whose ``index`` value is one of ``values``, in the order the values were listed."""
        store, table = self.store, self.table
        assert store is not None and table is not None
        seen: dict[str, None] = {}
        for value in values:
            keys = [value] if index == BY_KEY else store.keys(table, index, value)
            for key in keys:
                if key not in seen:
                    seen[key] = None
                    record = store.peek(table, key)
                    if record is not None:
                        yield record


def select(
    source: RecordSource, listing: Listing, query: ListQuery, *, client_id: str | None, backend: Any = None
) -> ListResult:
    """The records one list request returns (``backend`` is what ``listing.present`` is called with)."""
    view = _view(listing, backend)
    # Parse every input first: a bad request fails the same way on an empty book and a full one.
    where = compile_where(query.where, listing.catalog, listing.extras, view) if _given(query.where) else None
    order_text = query.order if _given(query.order) else listing.default_order
    order: list[OrderKey] = compile_order(order_text, listing.catalog, listing.extras, view) if order_text else []
    paging: PageRequest | None = page_request(query.page, query.page_size) if listing.paged else None
    since = parse_if_modified_since(query.if_modified_since) if listing.modified_field else None
    listed = [(lookup, _listed(lookup, query.values.get(lookup.param))) for lookup in listing.lookups]
    lookups = [(lookup, values) for lookup, values in listed if values is not None]

    searching = listing.search and _given(query.search_term)
    mine_only = listing.created_by_my_app and query.flags.get("createdByMyApp", False)
    hiding = [hidden for hidden in listing.hidden if not query.flags.get(hidden.param, False)]
    if (
        paging is not None
        and source.indexed
        and not lookups
        and not hiding
        and since is None
        and not mine_only
        and not searching
        and where is None
        and not order
    ):
        # Nothing to filter or sort: the page is a slice of the table and the count is its size, so a
        # plain "page=1" costs the same on a book of a thousand invoices as on one of a hundred thousand.
        return ListResult(source.window(paging.offset, paging.size), paging.pagination(source.count()))

    rows: Iterable[dict]
    driver = next((pair for pair in lookups if pair[0].index and source.indexed), None)
    if driver is not None:
        rows = source.by_index(driver[0].index, driver[1])  # type: ignore[arg-type]
        lookups = [pair for pair in lookups if pair is not driver]
    else:
        rows = source.all()

    for hidden in hiding:
        rows = (r for r in rows if not hidden.hides(r))
    for lookup, values in lookups:
        rows = _matching(rows, listing.getter(lookup.field, view), values)
    if since is not None:
        stamp = listing.modified_field
        rows = (r for r in rows if modified_since(r.get(stamp), since))
    if mine_only:
        rows = (r for r in rows if client_id is not None and r.get(CREATED_BY_APP) == client_id)
    if searching:
        rows = _searched(rows, [listing.getter(f, view) for f in listing.search], query.search_term)  # type: ignore[arg-type]
    if where is not None:
        rows = (r for r in rows if where(r))

    selected = list(rows)
    if order:
        sort_rows(selected, order)
    if paging is None:
        return ListResult(selected, None)
    return ListResult(selected[paging.offset : paging.offset + paging.size], paging.pagination(len(selected)))


def _view(listing: Listing, backend: Any) -> View | None:
    present = listing.present
    if present is None or not listing.presented:
        return None
    # Keyed by identity; the entry keeps the record alive so its id cannot be reused within the request.
    shown: dict[int, tuple[dict, dict]] = {}

    def show(record: dict) -> dict:
        found = shown.get(id(record))
        if found is None:
            found = shown[id(record)] = (record, present(backend, record))
        return found[1]

    return View(frozenset(listing.presented), show)


def _given(text: str | None) -> TypeGuard[str]:
    return text is not None and bool(text.strip())


def _listed(lookup: Lookup, raw: str | None) -> list[Any] | None:
    """A list parameter's values: comma separated, trimmed, optional quotes dropped, blanks ignored."""
    if raw is None:
        return None
    values = [part.strip().strip('"').strip() for part in raw.split(",")]
    values = [v for v in values if v]
    if not values:
        return None
    return list(dict.fromkeys(lookup.value(v, lookup.param) for v in values))


def _matching(rows: Iterable[dict], get: Getter, values: list[Any]) -> Iterator[dict]:
    wanted = {_fold(v) for v in values}
    return (r for r in rows if _fold(get(r)) in wanted)


def _searched(rows: Iterable[dict], getters: list[Getter], term: str) -> Iterator[dict]:
    needle = term.strip().casefold()
    for record in rows:
        if any(isinstance(text := get(record), str) and needle in text.casefold() for get in getters):
            yield record


def _fold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


__all__ = [
    "BY_KEY",
    "CREATED_BY_APP",
    "Extra",
    "Hidden",
    "ListQuery",
    "ListResult",
    "Listing",
    "Lookup",
    "RecordSource",
    "guid_value",
    "select",
    "text_value",
    "upper_value",
]
