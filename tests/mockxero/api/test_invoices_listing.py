"""GET /Invoices explicit parameters the listing layer owns: createdByMyApp across two apps, ContactIDs by index."""

from __future__ import annotations

import pytest

from mockxero import create_app
from mockxero.config import ClientConfig, MockConfig
from mockxero.store import Store
from tests.helpers import XeroTestClient, issue_token
from tests.mockxero.documents_helpers import create_invoice

OTHER_ID, OTHER_SECRET = "MOCKXERO0OTHER0CLIENT00000000002", "other-secret"


@pytest.fixture
def two_apps(clock):
    app = create_app(
        MockConfig(
            clock=clock,
            testing=True,
            clients=(ClientConfig(), ClientConfig(client_id=OTHER_ID, client_secret=OTHER_SECRET, name="Other app")),
        )
    )
    client = app.test_client()
    return (
        XeroTestClient(client, issue_token(client)),
        XeroTestClient(client, issue_token(client, OTHER_ID, OTHER_SECRET)),
    )


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [i["InvoiceNumber"] for i in response.json["Invoices"]]


def test_created_by_my_app_lists_only_the_callers_invoices(two_apps):
    mine, theirs = two_apps
    first = create_invoice(mine)
    create_invoice(theirs, Contact={"Name": "Beta Ltd"})
    third = create_invoice(mine, Contact={"Name": "Gamma Ltd"})
    # The other app updating my invoice does not make it theirs.
    assert theirs.post(f"/Invoices/{first['InvoiceID']}", {"Reference": "checked"}).status_code == 200
    assert numbers(mine.get("/Invoices?createdByMyApp=true")) == [first["InvoiceNumber"], third["InvoiceNumber"]]
    assert numbers(theirs.get("/Invoices?createdByMyApp=True")) == ["INV-0002"]
    assert len(numbers(mine.get("/Invoices?createdByMyApp=false"))) == 3


def test_contact_ids_are_answered_by_the_index(xero, monkeypatch):
    acme = create_invoice(xero)
    create_invoice(xero, Contact={"Name": "Beta Ltd"})
    again = create_invoice(xero)
    real_scan = Store.scan

    def scan(store, table):
        if table.endswith(":Invoices"):
            pytest.fail("ContactIDs must not scan the invoices")
        return real_scan(store, table)

    wanted = acme["Contact"]["ContactID"].upper()
    with monkeypatch.context() as patch:  # scoped: the ledger check after the test may scan
        patch.setattr(Store, "scan", scan)
        listed = numbers(xero.get(f"/Invoices?ContactIDs={wanted}"))
    assert listed == [acme["InvoiceNumber"], again["InvoiceNumber"]]
