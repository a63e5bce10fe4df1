"""/Currencies over HTTP: the enabled currencies, and adding one from Xero's code list."""

from __future__ import annotations


def codes(xero) -> list[str]:
    return [c["Code"] for c in xero.get("/Currencies").json["Currencies"]]


def test_a_new_tenant_has_its_base_currency_first(xero):
    response = xero.get("/Currencies")
    assert response.status_code == 200
    assert response.json["Currencies"][0] == {"Code": "NZD", "Description": "New Zealand Dollar"}
    assert "JPY" not in codes(xero)


def test_put_adds_a_currency_from_a_bare_object(xero):
    response = xero.put("/Currencies", {"Code": "JPY", "Description": "Japanese Yen"})
    assert response.status_code == 200
    assert response.json["Currencies"] == [{"Code": "JPY", "Description": "Japanese Yen"}]
    assert "JPY" in codes(xero)


def test_a_wrapped_body_is_read_too(xero):
    response = xero.put("/Currencies", {"Currencies": [{"Code": "CAD"}]})
    assert response.status_code == 200
    assert response.json["Currencies"] == [{"Code": "CAD", "Description": "Canadian Dollar"}]


def test_a_code_we_cannot_name_keeps_the_clients_description(xero):
    response = xero.put("/Currencies", {"Code": "THB", "Description": "Thai Baht"})
    assert response.json["Currencies"] == [{"Code": "THB", "Description": "Thai Baht"}]


def test_adding_an_enabled_currency_answers_with_it_and_adds_nothing(xero):
    before = codes(xero)
    response = xero.put("/Currencies", {"Code": "USD", "Description": "Dollars"})
    assert response.status_code == 200
    assert response.json["Currencies"] == [{"Code": "USD", "Description": "United States Dollar"}]
    assert codes(xero) == before


def test_an_unknown_code_is_refused_naming_the_field(xero):
    response = xero.put("/Currencies", {"Code": "XYZ", "Description": "Nothing"})
    assert response.status_code == 400
    assert response.json["Type"] == "PostDataInvalidException"
    assert response.json["Message"] == (
        "JSON for post data was invalid, Currencies[0].Code: Error converting value \"XYZ\" to type 'CurrencyCode'"
    )
    assert "XYZ" not in codes(xero)


def test_a_missing_code_is_a_validation_error(xero):
    from tests.helpers import validation_messages

    response = xero.put("/Currencies", {"Description": "Nameless"})
    assert response.status_code == 400
    assert validation_messages(response) == ["Please enter a currency Code."]


def test_where_filters_currencies_as_in_the_spec_example(xero):
    assert xero.get('/Currencies?where=Code=="USD"').json["Currencies"] == [
        {"Code": "USD", "Description": "United States Dollar"}
    ]
