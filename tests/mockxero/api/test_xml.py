"""XML bodies in and XML answers out, as Xero speaks them to clients that do not ask for JSON."""

from __future__ import annotations

from xml.etree import ElementTree

from mockxero import create_app


def test_xml_body_creates_a_contact(xero):
    response = xero.put(
        "/Contacts",
        data=b"<Contacts><Contact><Name>Acme</Name></Contact></Contacts>",
        headers={"Content-Type": "application/xml"},
    )
    assert response.status_code == 200
    assert response.json["Contacts"][0]["Name"] == "Acme"


def test_bare_xml_element_as_pyxero_sends_it(xero):
    response = xero.put(
        "/Contacts",
        data=b"<Contact><Name>Bare</Name><Phones><Phone><PhoneType>MOBILE</PhoneType>"
        b"<PhoneNumber>021</PhoneNumber></Phone></Phones></Contact>",
        headers={"Content-Type": "application/xml"},
    )
    assert response.status_code == 200
    phones = {p["PhoneType"]: p["PhoneNumber"] for p in response.json["Contacts"][0]["Phones"]}
    assert phones["MOBILE"] == "021"


def test_malformed_xml_is_post_data_invalid(xero):
    response = xero.put("/Contacts", data=b"<Contact><Name>x</Contact>", headers={"Content-Type": "text/xml"})
    assert response.status_code == 400
    assert response.json["Type"] == "PostDataInvalidException"
    assert response.json["Message"].startswith("XML for post data was invalid")


def test_client_that_does_not_ask_for_json_gets_xml(xero):
    xero.put("/Contacts", {"Contacts": [{"Name": "Acme"}]})
    response = xero.get("/Contacts", headers={"Accept": "*/*"})
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    root = ElementTree.fromstring(response.data)
    assert root.tag == "Response"
    assert root.findtext("Status") == "OK"
    assert root.findtext("Contacts/Contact/Name") == "Acme"


def test_validation_errors_come_back_as_xml_api_exception(xero):
    response = xero.put("/Contacts", {"Contacts": [{"Name": ""}]}, headers={"Accept": "application/xml"})
    assert response.status_code == 400
    root = ElementTree.fromstring(response.data)
    assert root.tag == "ApiException"
    assert root.findtext("ErrorNumber") == "10"
    assert root.findtext("Elements/DataContractBase/ValidationErrors/ValidationError/Message") == (
        "Contact Name cannot be empty."
    )


def test_gateway_problems_stay_json_for_xml_clients(client):
    response = client.get("/api.xro/2.0/Contacts", headers={"Accept": "application/xml"})
    assert response.status_code == 401
    assert response.json["Title"] == "Unauthorized"


def test_default_format_json_answers_json_to_clients_without_a_preference(clock):
    from tests.helpers import XeroTestClient, issue_token

    app = create_app({"clock": clock, "default_format": "json"})
    client = app.test_client()
    xero = XeroTestClient(client, issue_token(client))
    response = xero.get("/Contacts", headers={"Accept": "*/*"})
    assert response.mimetype == "application/json"
