"""GET /Contacts over HTTP: where, order, paging, IDs, includeArchived, searchTerm, If-Modified-Since."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def create(xero, clock, **contact) -> dict:
    response = xero.put("/Contacts", {"Contacts": [contact]})
    assert response.status_code == 200, response.get_data(as_text=True)
    clock.advance(1)
    return response.json["Contacts"][0]


def names(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [c["Name"] for c in response.json["Contacts"]]


def listed(xero, query: str = "", **kwargs) -> list[str]:
    return names(xero.get("/Contacts" + (f"?{query}" if query else ""), **kwargs))


@pytest.fixture
def book(xero, clock) -> dict[str, dict]:
    people = [
        dict(Name="Acme Ltd", FirstName="Wile", LastName="Coyote", EmailAddress="ap@acme.test", ContactNumber="C-1"),
        dict(Name="Beta Traders", EmailAddress="hello@beta.test"),
        dict(Name="gamma co", FirstName="Gail"),
        dict(Name="Delta Supplies", LastName="Smith", ContactNumber="C-4"),
    ]
    return {p["Name"]: create(xero, clock, **p) for p in people}


def test_where_filters_over_http(xero, book):
    assert listed(xero, "where=" + quote('Name.StartsWith("b") OR ContactNumber == "C-4"')) == [
        "Beta Traders",
        "Delta Supplies",
    ]
    assert listed(xero, "where=" + quote('EmailAddress != null && EmailAddress.EndsWith("ACME.TEST")')) == ["Acme Ltd"]
    assert listed(xero, "Where=" + quote('ContactStatus == "ACTIVE"')) == list(book)


def test_where_on_a_guid(xero, book):
    contact_id = book["gamma co"]["ContactID"]
    assert listed(xero, "where=" + quote(f'ContactID == Guid("{contact_id.upper()}")')) == ["gamma co"]


@pytest.mark.parametrize(
    "where, message",
    [
        ("Name ==", "Expression expected"),
        ('IsSupplier == "true"', "Operator '==' incompatible with operand types 'Boolean?' and 'String' (at index 11)"),
        ('Colour == "red"', "No property or field 'Colour' exists in type 'Contact' (at index 0)"),
        ("Name == 'Acme'", "Character literal must contain exactly one character"),
    ],
)
def test_a_bad_where_is_a_400_query_parse_exception(xero, book, where, message):
    response = xero.get("/Contacts?where=" + quote(where))
    assert response.status_code == 400
    assert response.json == {"ErrorNumber": 16, "Type": "QueryParseException", "Message": message}


def test_a_method_on_a_null_field_is_a_400(xero, book):
    response = xero.get("/Contacts?where=" + quote('EmailAddress.Contains("a")'))
    assert response.status_code == 400
    assert response.json["Type"] == "QueryParseException"
    assert "EmailAddress is null" in response.json["Message"]


def test_a_bad_where_fails_on_an_empty_book_too(xero):
    response = xero.get("/Contacts?where=" + quote("Name =="))
    assert response.status_code == 400 and response.json["ErrorNumber"] == 16


def test_order_by_several_fields(xero, clock, book):
    create(xero, clock, Name="Acme Holdings", FirstName="Zed")
    assert listed(xero, "order=" + quote("Name DESC")) == [
        "gamma co",
        "Delta Supplies",
        "Beta Traders",
        "Acme Ltd",
        "Acme Holdings",
    ]
    assert listed(xero, "order=" + quote("FirstName DESC, Name ASC")) == [
        "Acme Holdings",
        "Acme Ltd",
        "gamma co",
        "Beta Traders",
        "Delta Supplies",
    ]


def test_a_bad_order_is_a_400(xero, book):
    response = xero.get("/Contacts?order=" + quote("Colour DESC"))
    assert response.status_code == 400
    assert response.json["Message"] == "No property or field 'Colour' exists in type 'Contact' (at index 0)"


def test_without_page_everything_comes_back_without_a_pagination_block(xero, book):
    response = xero.get("/Contacts")
    assert len(response.json["Contacts"]) == 4
    assert "pagination" not in response.json


def test_paging_on_an_empty_book(xero):
    response = xero.get("/Contacts?page=1")
    assert response.json["Contacts"] == []
    assert response.json["pagination"] == {"page": 1, "pageSize": 100, "pageCount": 0, "itemCount": 0}


@pytest.mark.parametrize(
    "query, expected, pagination",
    [
        ("page=1&pageSize=2", ["Acme Ltd", "Beta Traders"], {"page": 1, "pageSize": 2, "pageCount": 2, "itemCount": 4}),
        (
            "page=2&pageSize=2",
            ["gamma co", "Delta Supplies"],
            {"page": 2, "pageSize": 2, "pageCount": 2, "itemCount": 4},
        ),
        ("page=2&pageSize=3", ["Delta Supplies"], {"page": 2, "pageSize": 3, "pageCount": 2, "itemCount": 4}),
        ("page=3&pageSize=2", [], {"page": 3, "pageSize": 2, "pageCount": 2, "itemCount": 4}),
        (
            "page=1",
            ["Acme Ltd", "Beta Traders", "gamma co", "Delta Supplies"],
            {"page": 1, "pageSize": 100, "pageCount": 1, "itemCount": 4},
        ),
        (
            "page=1&pageSize=5000",
            ["Acme Ltd", "Beta Traders", "gamma co", "Delta Supplies"],
            {"page": 1, "pageSize": 1000, "pageCount": 1, "itemCount": 4},
        ),
        (
            "page=0&pageSize=0",
            ["Acme Ltd", "Beta Traders", "gamma co", "Delta Supplies"],
            {"page": 1, "pageSize": 100, "pageCount": 1, "itemCount": 4},
        ),
        ("pageSize=1&order=Name%20DESC", ["gamma co"], {"page": 1, "pageSize": 1, "pageCount": 4, "itemCount": 4}),
    ],
)
def test_paging_edges(xero, book, query, expected, pagination):
    response = xero.get(f"/Contacts?{query}")
    assert names(response) == expected
    assert response.json["pagination"] == pagination


def test_a_non_numeric_page_is_a_400(xero, book):
    response = xero.get("/Contacts?page=first")
    assert response.status_code == 400
    assert response.json == {
        "ErrorNumber": 16,
        "Type": "QueryParseException",
        "Message": "The value 'first' is not valid for page.",
    }


def test_ids_returns_those_contacts(xero, book):
    wanted = [book["Delta Supplies"]["ContactID"], book["Acme Ltd"]["ContactID"]]
    assert listed(xero, "IDs=" + ",".join(wanted)) == ["Delta Supplies", "Acme Ltd"]
    unknown = "00000000-0000-4000-8000-000000000001"
    assert listed(xero, f"IDs={unknown}") == []


def test_a_malformed_id_is_a_400(xero, book):
    response = xero.get("/Contacts?IDs=C-1")
    assert response.status_code == 400
    assert response.json["Message"] == "'C-1' is not a valid GUID in IDs"


def test_archived_contacts_need_include_archived(xero, book):
    contact_id = book["Beta Traders"]["ContactID"]
    assert xero.post(f"/Contacts/{contact_id}", {"ContactStatus": "ARCHIVED"}).status_code == 200
    assert "Beta Traders" not in listed(xero)
    assert listed(xero, f"IDs={contact_id}") == []
    assert "Beta Traders" in listed(xero, "includeArchived=true")
    assert "Beta Traders" in listed(xero, "includeArchived=True")  # as xero-python sends it
    assert listed(xero, f"IDs={contact_id}&includeArchived=true") == ["Beta Traders"]


@pytest.mark.parametrize(
    "term, expected",
    [
        ("acme", ["Acme Ltd"]),  # Name
        ("GAIL", ["gamma co"]),  # FirstName
        ("smith", ["Delta Supplies"]),  # LastName
        ("c-", ["Acme Ltd", "Delta Supplies"]),  # ContactNumber
        ("beta.test", ["Beta Traders"]),  # EmailAddress
        ("nobody", []),
    ],
)
def test_search_term_covers_xeros_contact_fields(xero, book, term, expected):
    assert listed(xero, f"searchTerm={quote(term)}") == expected


def test_if_modified_since_in_iso_and_rfc_1123(xero, clock, book):
    # The book was written at 09:00:00, :01, :02 and :03 (the clock moves one second per contact).
    assert listed(xero, headers={"If-Modified-Since": "2026-01-15T09:00:02"}) == ["gamma co", "Delta Supplies"]
    auckland = datetime(2026, 1, 15, 22, 0, 2, 500000, tzinfo=timezone(timedelta(hours=13)))
    assert listed(xero, headers={"If-Modified-Since": auckland.isoformat()}) == ["gamma co", "Delta Supplies"]
    assert listed(xero, headers={"If-Modified-Since": "Thu, 15 Jan 2026 09:00:03 GMT"}) == ["Delta Supplies"]
    assert listed(xero, headers={"If-Modified-Since": "whenever"}) == list(book)


def test_an_update_moves_a_contact_into_if_modified_since(xero, clock, book):
    clock.advance(60)
    contact_id = book["Acme Ltd"]["ContactID"]
    assert xero.post(f"/Contacts/{contact_id}", {"Website": "https://acme.test"}).status_code == 200
    assert listed(xero, headers={"If-Modified-Since": "2026-01-15T09:01:00Z"}) == ["Acme Ltd"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    where=st.text(max_size=40)
    | st.text(alphabet=st.sampled_from(list('Name.Contains("x")!=<>&|()GUIDnull 0123')), max_size=40)
)
def test_no_where_text_causes_a_server_error(xero, book, where, unlimited):
    response = xero.get("/Contacts", query_string={"where": where, "order": where[:5]})
    assert response.status_code in (200, 400), response.get_data(as_text=True)
