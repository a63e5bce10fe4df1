"""pyxero, unmodified, on the settings resources: XML bodies in, its own parsing of the answers."""

from __future__ import annotations

from decimal import Decimal

import pytest
import requests
from xero import Xero
from xero.auth import OAuth2Credentials
from xero.exceptions import XeroBadRequest

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID


@pytest.fixture
def pyxero(live_server, monkeypatch) -> Xero:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # requests-oauthlib: plain http on loopback
    token = requests.post(
        live_server + "/connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": DEFAULT_CLIENT_ID,
            "client_secret": DEFAULT_CLIENT_SECRET,
        },
        timeout=10,
    ).json()
    credentials = OAuth2Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, token=token, tenant_id=DEFAULT_TENANT_ID)
    credentials.base_url = live_server
    return Xero(credentials)


def test_organisation_accounts_tax_rates_and_items_through_pyxero(pyxero):
    assert pyxero.organisations.all()[0]["OrganisationID"] == DEFAULT_TENANT_ID
    assert any(a["Code"] == "200" for a in pyxero.accounts.all())

    account = pyxero.accounts.put({"Code": "480", "Name": "Travel", "Type": "EXPENSE"})[0]
    assert (account["Status"], account["TaxType"]) == ("ACTIVE", "INPUT2")

    rate = pyxero.taxrates.put(
        {"Name": "Levy", "ReportTaxType": "OUTPUT", "TaxComponents": [{"Name": "Levy", "Rate": "2.25"}]}
    )[0]
    assert rate["TaxType"] == "TAX001"

    item = pyxero.items.put(
        {"Code": "GTR", "Name": "Guitar", "SalesDetails": {"UnitPrice": "5000.00", "AccountCode": "200"}}
    )[0]
    fetched = pyxero.items.get(item["ItemID"])[0]
    assert Decimal(str(fetched["SalesDetails"]["UnitPrice"])) == Decimal("5000")


def test_a_duplicate_item_code_reaches_pyxero_as_bad_request(pyxero):
    pyxero.items.put({"Code": "GTR"})
    with pytest.raises(XeroBadRequest) as caught:
        pyxero.items.put({"Code": "GTR"})
    assert "Price List Item with Code ''GTR'' already exists" in str(caught.value)
