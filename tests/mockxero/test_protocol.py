"""Protocol edges shared by every resource: body limits, routing errors, unreadable bodies, no 500s."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockxero.config import MAX_BODY_BYTES

JSON_HEADERS = {"Content-Type": "application/json"}


def problem(response, status: int, title: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.json
    assert body["Type"] is None and body["Title"] == title and body["Status"] == status
    assert body["Instance"] and body["Extensions"] == {}
    return body


def post_data_invalid(response) -> str:
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.json["Type"] == "PostDataInvalidException" and response.json["ErrorNumber"] == 14
    return response.json["Message"]


def test_a_body_over_3_5_mb_is_413(xero):
    response = xero.put("/Contacts", data=b" " * (MAX_BODY_BYTES + 1), headers=JSON_HEADERS)
    body = problem(response, 413, "Payload Too Large")
    assert body["Detail"] == "The request body is larger than the 3.5 MB Xero accepts in one call"
    assert xero.get("/Contacts").json["Contacts"] == []


def test_a_body_of_exactly_3_5_mb_is_read(xero):
    padding = MAX_BODY_BYTES - len('{"Contacts":[{"Name":"Big"}]}')
    body = '{"Contacts":[{"Name":"Big"}]}' + " " * padding
    assert len(body) == MAX_BODY_BYTES
    assert xero.put("/Contacts", data=body, headers=JSON_HEADERS).status_code == 200


def test_a_wrong_method_is_405(xero):
    body = problem(xero.delete("/Contacts"), 405, "Method Not Allowed")
    assert body["Detail"] == "The method DELETE is not allowed for /api.xro/2.0/Contacts"


@pytest.mark.parametrize("path", ["/api.xro/2.0/NoSuchThings", "/api.xro/3.0/Contacts", "/nowhere"])
def test_an_unknown_path_is_404(client, path):
    body = problem(client.get(path), 404, "Not Found")
    assert body["Detail"] == "The resource you're looking for cannot be found"


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "JSON for post data was invalid, the request body is empty"),
        (b"{not json", "JSON for post data was invalid,"),
        (b"\xff\xfe\xfa", "JSON for post data was invalid,"),
        (b"[" * 100_000, "JSON for post data was invalid,the JSON is nested too deeply"),
        (b"NaN", "JSON for post data was invalid,NaN is not a valid number"),
        (b"42", "JSON for post data was invalid, expected an object with a 'Contacts' array"),
        (b'{"Contacts": 5}', "JSON for post data was invalid, 'Contacts' must be an array"),
        (b'{"Contacts": []}', "JSON for post data was invalid, no Contacts were found in the request"),
        (b'{"Contacts": [5]}', "JSON for post data was invalid, Contacts[0]: expected an object"),
        (
            b'{"Contacts": [{"Name": {"a": 1}}]}',
            "Contacts[0].Name: Error converting value {dict} to type 'System.String'",
        ),
    ],
)
def test_garbage_bodies_are_post_data_invalid(xero, raw, message):
    assert message in post_data_invalid(xero.put("/Contacts", data=raw, headers=JSON_HEADERS))
    assert xero.get("/Contacts").json["Contacts"] == []


# --- no input produces a 500 ---------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
contact_fields = st.sampled_from(
    [
        "Name",
        "ContactNumber",
        "EmailAddress",
        "ContactStatus",
        "Addresses",
        "Phones",
        "ContactID",
        "IsSupplier",
        "TaxNumberType",
        "ContactPersons",
        "UpdatedDateUTC",
    ]
)
contact_like = st.dictionaries(contact_fields, json_values, max_size=6)
bodies = (
    st.binary(max_size=200)
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.lists(contact_like, max_size=3).map(lambda cs: json.dumps({"Contacts": cs}).encode())
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    raw=bodies,
    method=st.sampled_from(["PUT", "POST"]),
    query=st.sampled_from(["", "?summarizeErrors=false"]),
    content_type=st.sampled_from(["application/json", "text/xml", "application/octet-stream"]),
)
def test_no_body_makes_the_contacts_writes_answer_500(xero, unlimited, raw, method, query, content_type):
    response = xero._call(method, "/Contacts" + query, data=raw, headers={"Content-Type": content_type})
    assert response.status_code < 500, response.get_data(as_text=True)
    assert response.status_code != 429  # every example must reach the body reader


@pytest.mark.parametrize(
    ("contact", "error_type"),
    [
        ({"Addresses": None}, "ValidationException"),
        ({"Phones": None}, "ValidationException"),
        ({"Addresses": [None, 1, "x"], "Name": 3}, "PostDataInvalidException"),
        ({"Addresses": "x", "Phones": {}, "ContactStatus": 1}, "PostDataInvalidException"),
    ],
    ids=["null-addresses", "null-phones", "non-object-addresses", "addresses-not-a-list"],
)
def test_a_refused_contact_with_odd_collections_is_echoed_not_a_500(xero, unlimited, contact, error_type):
    # Found by the property test above: the echo of a refused element filled the address
    # and phone slots from whatever the client sent, and null is not a list.
    response = xero.put("/Contacts", json={"Contacts": [contact]})
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["Type"] == error_type
