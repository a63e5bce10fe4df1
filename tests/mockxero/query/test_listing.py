"""The listing pipeline over a real store: explicit parameters, hidden records, app ownership, paging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from marshmallow import fields

from mockxero.exceptions import QueryParseException
from mockxero.query import BY_KEY, Hidden, Listing, ListQuery, Lookup, guid_value, select, upper_value
from mockxero.query.listing import RecordSource
from mockxero.records import CREATED_BY_APP
from mockxero.schemas.base import XeroSchema
from mockxero.schemas.fields import Choice, Guid, Money, Text, XeroDateTime
from mockxero.store import Store

UTC = UTC
T0 = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
TABLE = "t1:Bills"


class BillSchema(XeroSchema):
    BillID = Guid()
    Number = Text()
    Status = Choice(("DRAFT", "AUTHORISED", "ARCHIVED"), "BillStatus")
    SupplierID = Guid()
    Total = Money()
    UpdatedDateUTC = XeroDateTime()


LISTING = Listing(
    "Bills",
    BillSchema(),
    kind="Bills",
    paged=True,
    lookups=(
        Lookup("IDs", "BillID", BY_KEY, guid_value),
        Lookup("SupplierIDs", "SupplierID", "supplier", guid_value),
        Lookup("Statuses", "Status", value=upper_value),
    ),
    hidden=(Hidden("includeArchived", lambda r: r.get("Status") == "ARCHIVED"),),
    search=("Number",),
    created_by_my_app=True,
)


def guid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


SUPPLIER_A, SUPPLIER_B = guid(900), guid(901)


@pytest.fixture
def store() -> Store:
    store = Store()
    store.define_index("Bills", "supplier", lambda r: r.get("SupplierID"))
    with store.transaction():
        for n in range(1, 8):
            store.put(
                TABLE,
                guid(n),
                {
                    "BillID": guid(n),
                    "Number": f"BILL-{n:03d}",
                    "Status": "ARCHIVED" if n == 7 else ("DRAFT" if n % 2 else "AUTHORISED"),
                    "SupplierID": SUPPLIER_A if n <= 4 else SUPPLIER_B,
                    "Total": Decimal(n * 10),
                    "UpdatedDateUTC": T0 + timedelta(seconds=n),
                    CREATED_BY_APP: "app-1" if n in (2, 3) else "app-2",
                },
            )
    return store


def run(store: Store, client_id: str | None = "app-1", **query) -> tuple[list[str], dict | None]:
    result = select(RecordSource(store, TABLE), LISTING, ListQuery(**query), client_id=client_id)
    return [r["Number"][-1] for r in result.rows], result.pagination


def test_without_parameters_every_visible_record_in_insertion_order(store):
    assert run(store) == (list("123456"), None)


def test_ids_come_from_the_key_in_the_order_listed(store):
    ids = f"{guid(5)},{guid(2).upper()}, {guid(99)} ,{guid(5)}"
    assert run(store, values={"IDs": ids})[0] == ["5", "2"]


def test_an_indexed_lookup_reads_the_index_not_the_table(store, monkeypatch):
    monkeypatch.setattr(Store, "scan", lambda *a: pytest.fail("listing by an index must not scan"))
    assert run(store, values={"SupplierIDs": SUPPLIER_B})[0] == ["5", "6"]
    assert run(store, values={"IDs": guid(3)})[0] == ["3"]


@pytest.mark.parametrize("page, size", [("1", "3"), ("2", "3"), ("3", "3"), ("4", "3"), ("1", None), ("2", "1")])
def test_a_page_of_everything_is_a_slice_of_the_table_not_a_scan(store, monkeypatch, page, size):
    everything = run(store, flags={"includeArchived": True})[0]
    monkeypatch.setattr(Store, "scan", lambda *a: pytest.fail("a page with nothing to filter must not scan"))
    rows, pagination = run(store, page=page, page_size=size, flags={"includeArchived": True})
    per_page = int(size or 100)
    start = (int(page) - 1) * per_page
    assert rows == everything[start : start + per_page]
    assert pagination == {"page": int(page), "pageSize": per_page, "pageCount": -(-7 // per_page), "itemCount": 7}


def test_a_page_that_filters_still_counts_only_what_matches(store):
    assert run(store, page="2", page_size="4") == (
        ["5", "6"],
        {"page": 2, "pageSize": 4, "pageCount": 2, "itemCount": 6},
    )
    assert run(store, page="1", page_size="2", order="Total DESC", flags={"includeArchived": True})[0] == ["7", "6"]


def test_several_lookups_intersect(store):
    assert run(store, values={"SupplierIDs": SUPPLIER_A, "Statuses": "draft"})[0] == ["1", "3"]
    assert run(store, values={"IDs": f"{guid(1)},{guid(5)}", "SupplierIDs": SUPPLIER_B})[0] == ["5"]


def test_statuses_accept_several_values_and_quotes(store):
    assert run(store, values={"Statuses": '"AUTHORISED", "DRAFT"'})[0] == list("123456")
    assert run(store, values={"Statuses": "AUTHORISED"})[0] == ["2", "4", "6"]


def test_a_malformed_guid_in_a_list_parameter_is_refused(store):
    with pytest.raises(QueryParseException) as caught:
        run(store, values={"IDs": f"{guid(1)},INV-001"})
    assert caught.value.message == "'INV-001' is not a valid GUID in IDs"


def test_an_empty_list_parameter_is_ignored(store):
    assert run(store, values={"IDs": " , "})[0] == list("123456")


def test_hidden_records_need_their_flag(store):
    assert "7" not in run(store)[0]
    assert run(store, flags={"includeArchived": True})[0] == list("1234567")
    assert run(store, values={"IDs": guid(7)})[0] == []
    assert run(store, values={"IDs": guid(7)}, flags={"includeArchived": True})[0] == ["7"]


def test_created_by_my_app(store):
    assert run(store, flags={"createdByMyApp": True})[0] == ["2", "3"]
    assert run(store, client_id="app-3", flags={"createdByMyApp": True})[0] == []
    assert run(store, flags={"createdByMyApp": False})[0] == list("123456")


def test_search_term_is_a_case_insensitive_substring(store):
    assert run(store, search_term="bill-00")[0] == list("123456")
    assert run(store, search_term=" ll-005 ")[0] == ["5"]


def test_if_modified_since_to_the_second(store):
    assert run(store, if_modified_since="2026-01-15T09:00:05.999")[0] == ["5", "6"]
    assert run(store, if_modified_since="Thu, 15 Jan 2026 09:00:05 GMT")[0] == ["5", "6"]
    assert run(store, if_modified_since="not a date")[0] == list("123456")


def test_where_order_and_paging_combine(store):
    rows, pagination = run(store, where="Total >= 20", order="Status DESC, Total DESC", page="1", page_size="3")
    assert rows == ["5", "3", "6"]
    assert pagination == {"page": 1, "pageSize": 3, "pageCount": 2, "itemCount": 5}
    assert run(store, where="Total >= 20", order="Status DESC, Total DESC", page="2", page_size="3")[0] == ["4", "2"]


def test_a_bad_order_fails_even_when_nothing_matches(store):
    with pytest.raises(QueryParseException):
        run(store, where="Total > 1000", order="Nope")


def test_a_view_may_pass_rows_instead_of_a_table(store):
    rows = [r for r in store.scan(TABLE) if r["Total"] < 40]
    result = select(
        RecordSource(rows=rows),
        LISTING,
        ListQuery(values={"SupplierIDs": SUPPLIER_A}, order="Total DESC"),
        client_id=None,
    )
    assert [r["Number"] for r in result.rows] == ["BILL-003", "BILL-002", "BILL-001"]


def test_listing_never_mutates_or_copies_stored_records(store):
    before = store.export()
    result = select(RecordSource(store, TABLE), LISTING, ListQuery(order="Total DESC"), client_id=None)
    assert result.rows[0] is store.peek(TABLE, guid(6))
    assert store.export() == before


def test_unpaged_endpoints_ignore_page():
    listing = Listing("Bills", BillSchema(), kind="Bills")
    store = Store()
    with store.transaction():
        for n in range(3):
            store.put(TABLE, guid(n), {"BillID": guid(n), "Number": str(n)})
    result = select(RecordSource(store, TABLE), listing, ListQuery(page="2", page_size="1"), client_id=None)
    assert len(result.rows) == 3 and result.pagination is None


class SupplierSchema(XeroSchema):
    SupplierID = Guid()
    Name = Text()


class ShownBillSchema(BillSchema):
    Supplier = fields.Nested(SupplierSchema)


class NameBook:
    """Stands in for a backend: the stored bill names its supplier by id only; the wire shows the name."""

    def __init__(self):
        self.calls = 0

    def present(self, record: dict) -> dict:
        self.calls += 1
        name = {SUPPLIER_A: "Acme", SUPPLIER_B: "Beta"}[record["SupplierID"]]
        return {**record, "Supplier": {"SupplierID": record["SupplierID"], "Name": name}}


SHOWN = Listing(
    "Bills",
    ShownBillSchema(),
    kind="Bills",
    present=lambda backend, r: backend.present(r),
    presented=("Supplier",),
    search=("Supplier.Name",),
)


def test_presented_fields_are_read_from_the_wire_view(store):
    book = NameBook()
    result = select(
        RecordSource(store, TABLE),
        SHOWN,
        ListQuery(where='Supplier.Name == "beta"', order="Supplier.Name DESC, Total"),
        client_id=None,
        backend=book,
    )
    assert [r["Number"] for r in result.rows] == ["BILL-005", "BILL-006", "BILL-007"]
    assert book.calls == 7  # once per record, although both where and order read it


def test_search_can_look_in_presented_fields(store):
    result = select(RecordSource(store, TABLE), SHOWN, ListQuery(search_term="acm"), client_id=None, backend=NameBook())
    assert [r["Number"] for r in result.rows] == ["BILL-001", "BILL-002", "BILL-003", "BILL-004"]


def test_the_wire_view_is_not_built_unless_a_presented_field_is_used(store):
    book = NameBook()
    select(
        RecordSource(store, TABLE),
        SHOWN,
        ListQuery(where="Total > 10", order="Number DESC"),
        client_id=None,
        backend=book,
    )
    assert book.calls == 0
