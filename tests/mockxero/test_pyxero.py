"""The community client pyxero, unmodified, against the served mock: it speaks XML bodies."""
from __future__ import annotations

import pytest
import requests
from xero import Xero
from xero.auth import OAuth2Credentials
from xero.exceptions import XeroBadRequest

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID


@pytest.fixture
def credentials(live_server, monkeypatch) -> OAuth2Credentials:
    # requests-oauthlib refuses plain http unless told the transport is local and trusted.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    token = requests.post(live_server + "/connect/token", data={
        "grant_type": "client_credentials",
        "client_id": DEFAULT_CLIENT_ID,
        "client_secret": DEFAULT_CLIENT_SECRET,
    }, timeout=10).json()
    credentials = OAuth2Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, token=token,
                                    tenant_id=DEFAULT_TENANT_ID)
    credentials.base_url = live_server  # the only change: where the API lives
    return credentials


@pytest.fixture
def pyxero(credentials) -> Xero:
    return Xero(credentials)


def test_tenants_are_listed_through_connections(credentials):
    tenants = credentials.get_tenants()
    assert [t["tenantId"] for t in tenants] == [DEFAULT_TENANT_ID]


def test_create_and_read_a_contact_over_xml(pyxero):
    created = pyxero.contacts.put({"Name": "Acme Ltd", "ContactNumber": "cus_1", "EmailAddress": "ap@acme.test"})
    assert created[0]["Name"] == "Acme Ltd"
    fetched = pyxero.contacts.get(created[0]["ContactID"])
    assert fetched[0]["EmailAddress"] == "ap@acme.test"
    assert fetched[0]["UpdatedDateUTC"].year >= 2026  # pyxero parsed the /Date(ms)/ form


def test_contact_validation_error_reaches_pyxero_as_bad_request(pyxero):
    pyxero.contacts.put({"Name": "Acme Ltd"})
    with pytest.raises(XeroBadRequest) as caught:
        pyxero.contacts.put({"Name": "Acme Ltd"})
    assert "already assigned to another contact" in str(caught.value)
