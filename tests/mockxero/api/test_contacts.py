"""/Contacts over HTTP: Xero's name, number and status rules, both directions."""

from __future__ import annotations

import pytest

from tests.helpers import validation_messages


def create(xero, **contact):
    response = xero.put("/Contacts", {"Contacts": [contact]})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["Contacts"][0]


def test_create_returns_the_contact_in_the_envelope(xero):
    response = xero.put("/Contacts", {"Contacts": [{"Name": "Acme Ltd", "EmailAddress": "ap@acme.test"}]})
    assert response.status_code == 200
    body = response.json
    assert body["Status"] == "OK" and body["Id"] and body["DateTimeUTC"].startswith("/Date(")
    contact = body["Contacts"][0]
    assert contact["Name"] == "Acme Ltd"
    assert contact["ContactStatus"] == "ACTIVE"
    assert contact["UpdatedDateUTC"].endswith("+0000)/")


def test_absent_fields_are_omitted_not_null(xero):
    contact = create(xero, Name="Acme Ltd")
    assert "ContactNumber" not in contact
    assert None not in contact.values()


def test_contact_always_lists_both_address_types_and_four_phone_types(xero):
    contact = create(xero, Name="Acme Ltd", Phones=[{"PhoneType": "MOBILE", "PhoneNumber": "021 555"}])
    assert [a["AddressType"] for a in contact["Addresses"]] == ["POBOX", "STREET"]
    assert [p["PhoneType"] for p in contact["Phones"]] == ["DEFAULT", "DDI", "FAX", "MOBILE"]
    assert contact["Phones"][3]["PhoneNumber"] == "021 555"


def test_bare_contact_body_is_accepted(xero):
    response = xero.put("/Contacts", {"Name": "Bare Ltd"})
    assert response.status_code == 200
    assert response.json["Contacts"][0]["Name"] == "Bare Ltd"


def test_missing_name_is_rejected(xero):
    response = xero.put("/Contacts", {"Contacts": [{"EmailAddress": "x@y.test"}]})
    assert response.status_code == 400
    assert response.json["ErrorNumber"] == 10
    assert validation_messages(response) == ["Contact Name cannot be empty."]


def test_name_longer_than_255_is_rejected(xero):
    response = xero.put("/Contacts", {"Contacts": [{"Name": "x" * 256}]})
    assert response.status_code == 400
    assert validation_messages(response) == ["The contact name must not be more than 255 characters long."]


def test_name_of_255_is_accepted(xero):
    assert create(xero, Name="x" * 255)["Name"] == "x" * 255


def test_duplicate_active_name_is_rejected_with_xeros_message(xero):
    create(xero, Name="Buzz Lightyear")
    response = xero.put("/Contacts", {"Contacts": [{"Name": "buzz lightyear "}]})
    assert response.status_code == 400
    assert validation_messages(response) == [
        "The contact name buzz lightyear is already assigned to another contact. "
        "The contact name must be unique across all active contacts."
    ]


def test_name_of_an_archived_contact_can_be_reused(xero):
    old = create(xero, Name="Buzz Lightyear")
    archived = xero.post(f"/Contacts/{old['ContactID']}", {"Contacts": [{"ContactStatus": "ARCHIVED"}]})
    assert archived.status_code == 200
    assert create(xero, Name="Buzz Lightyear")["ContactID"] != old["ContactID"]


def test_contact_number_over_50_is_rejected(xero):
    response = xero.put("/Contacts", {"Contacts": [{"Name": "A", "ContactNumber": "n" * 51}]})
    assert response.status_code == 400
    assert validation_messages(response) == ["The contact number must not be more than 50 characters long."]


def test_get_by_contact_number_and_by_id(xero):
    contact = create(xero, Name="Acme", ContactNumber="cus_123")
    by_number = xero.get("/Contacts/cus_123")
    by_id = xero.get(f"/Contacts/{contact['ContactID']}")
    assert by_number.status_code == by_id.status_code == 200
    assert by_number.json["Contacts"][0]["ContactID"] == by_id.json["Contacts"][0]["ContactID"]


def test_unknown_contact_is_404(xero):
    response = xero.get("/Contacts/00000000-0000-0000-0000-00000000abcd")
    assert response.status_code == 404
    assert response.json["Title"] == "Not Found"


@pytest.mark.parametrize("identifier", ["00000000-0000-0000-0000-00000000abcd", "0", "cus_123"])
def test_an_update_of_an_unknown_contact_or_by_anything_but_its_id_is_404(xero, identifier):
    create(xero, Name="Acme", ContactNumber="cus_123")  # a ContactNumber finds a contact on GET only
    response = xero.post(f"/Contacts/{identifier}", {"Contacts": [{"Name": "Renamed"}]})
    assert response.status_code == 404
    assert response.json["Title"] == "Not Found"
    assert response.json["Detail"] == "The resource you're looking for cannot be found"


def test_an_update_by_the_contact_id_in_capitals_finds_the_contact(xero):
    contact = create(xero, Name="Acme")
    response = xero.post(f"/Contacts/{contact['ContactID'].upper()}", {"Contacts": [{"Name": "Acme Renamed"}]})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["Contacts"][0]["ContactID"] == contact["ContactID"]
    assert xero.get(f"/Contacts/{contact['ContactID']}").json["Contacts"][0]["Name"] == "Acme Renamed"


def test_archived_contacts_are_listed_only_with_include_archived(xero):
    contact = create(xero, Name="Gone Ltd")
    xero.post(f"/Contacts/{contact['ContactID']}", {"Contacts": [{"ContactStatus": "ARCHIVED"}]})
    assert xero.get("/Contacts").json["Contacts"] == []
    listed = xero.get("/Contacts?includeArchived=True").json["Contacts"]
    assert [c["ContactStatus"] for c in listed] == ["ARCHIVED"]


def test_batch_saves_good_elements_and_reports_bad_ones(xero):
    response = xero.put("/Contacts", {"Contacts": [{"Name": "Good"}, {"Name": ""}]})
    assert response.status_code == 400
    assert [e.get("Name") for e in response.json["Elements"]] == [""]
    assert [c["Name"] for c in xero.get("/Contacts").json["Contacts"]] == ["Good"]


def test_batch_with_summarize_errors_false_answers_200_per_element(xero):
    response = xero.put("/Contacts?summarizeErrors=false", {"Contacts": [{"Name": "Good"}, {"Name": ""}]})
    assert response.status_code == 200
    good, bad = response.json["Contacts"]
    assert good["StatusAttributeString"] == "OK"
    assert bad["StatusAttributeString"] == "ERROR"
    assert bad["ContactID"] == "00000000-0000-0000-0000-000000000000"
    assert bad["ValidationErrors"] == [{"Message": "Contact Name cannot be empty."}]


def test_unparseable_body_is_post_data_invalid(xero):
    response = xero.put("/Contacts", data="{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json["ErrorNumber"] == 14
    assert response.json["Type"] == "PostDataInvalidException"
    assert response.json["Message"].startswith("JSON for post data was invalid")


def test_wrong_enum_value_names_the_field(xero):
    response = xero.put("/Contacts", {"Contacts": [{"Name": "A", "Phones": [{"PhoneType": "PAGER"}]}]})
    assert response.status_code == 400
    assert response.json["Type"] == "PostDataInvalidException"
    assert "Contacts[0].Phones[0].PhoneType" in response.json["Message"]
    assert xero.get("/Contacts").json["Contacts"] == []
