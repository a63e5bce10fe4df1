"""The official SDK, xero-python, against the served mock over real HTTP.

Nothing in the SDK is changed: its base URLs point at the mock, and its client-credentials token request
goes to the mock's POST /connect/token instead of identity.xero.com. Every answer passes through the SDK's
own deserializer, so a missing required field, an ISO date where it expects ``/Date(ms)/`` or an enum value
it does not know fails here.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from xero_python.accounting import (
    Account,
    AccountType,
    Contact,
    Contacts,
    Item,
    Items,
    Purchase,
    TaxComponent,
    TaxRate,
    TaxRates,
)
from xero_python.exceptions import AccountingBadRequestException, NotFoundException

from mockxero.config import DEFAULT_TENANT_ID


def test_connections_name_the_mock_tenant(sdk):
    (connection,) = sdk.identity.get_connections()
    assert connection.tenant_id == DEFAULT_TENANT_ID
    assert connection.tenant_type == "ORGANISATION"
    assert isinstance(connection.created_date_utc, datetime)


def test_organisation_and_currencies(sdk):
    (org,) = sdk.accounting.get_organisations(sdk.tenant).organisations
    assert org.organisation_id == DEFAULT_TENANT_ID and org.base_currency.value == "NZD"
    assert isinstance(org.created_date_utc, datetime)
    actions = sdk.accounting.get_organisation_actions(sdk.tenant).actions
    assert {a.status for a in actions} == {"ALLOWED"}
    codes = [c.code.value for c in sdk.accounting.get_currencies(sdk.tenant).currencies]
    assert codes[0] == "NZD"


def test_accounts_read_filter_and_create(sdk):
    accounts = sdk.accounting.get_accounts(sdk.tenant).accounts
    sales = next(a for a in accounts if a.code == "200")
    assert sales.type == AccountType.REVENUE and sales._class == "REVENUE"
    assert isinstance(sales.updated_date_utc, datetime)
    banks = sdk.accounting.get_accounts(sdk.tenant, where='Type=="BANK"').accounts
    assert {a.code for a in banks} == {"090", "091"}
    (one,) = sdk.accounting.get_account(sdk.tenant, sales.account_id).accounts
    assert one.name == "Sales"

    created = sdk.accounting.create_account(
        sdk.tenant, Account(code="123456", name="Foobar", type=AccountType.EXPENSE, description="Hello World")
    ).accounts[0]
    assert (created.status, created._class, created.tax_type) == ("ACTIVE", "EXPENSE", "INPUT2")
    (deleted,) = sdk.accounting.delete_account(sdk.tenant, created.account_id).accounts
    assert deleted.status == "DELETED"


def test_tax_rates_read_and_create(sdk):
    rates = {r.tax_type: r for r in sdk.accounting.get_tax_rates(sdk.tenant).tax_rates}
    assert rates["OUTPUT2"].effective_rate == Decimal("15.0000")
    created = sdk.accounting.create_tax_rates(
        sdk.tenant,
        TaxRates(
            tax_rates=[
                TaxRate(
                    name="Levy",
                    report_tax_type="OUTPUT",
                    tax_components=[TaxComponent(name="Levy", rate=Decimal("2.25"))],
                )
            ]
        ),
    ).tax_rates[0]
    assert (created.tax_type, created.status, created.display_tax_rate) == ("TAX001", "ACTIVE", Decimal("2.25"))


def test_items_create_and_read(sdk):
    item = Item(
        code="GTR",
        name="Guitar",
        description="Fender Strat",
        sales_details=Purchase(unit_price=Decimal("5000.00"), account_code="200", tax_type="OUTPUT2"),
    )
    created = sdk.accounting.create_items(sdk.tenant, Items(items=[item])).items[0]
    assert created.item_id and created.is_sold is True and created.is_tracked_as_inventory is False
    (fetched,) = sdk.accounting.get_item(sdk.tenant, created.item_id).items
    assert fetched.code == "GTR"
    assert fetched.sales_details.unit_price == Decimal("5000.00")
    assert fetched.purchase_details.unit_price is None  # {} for unset details
    assert isinstance(fetched.updated_date_utc, datetime)
    assert [i.code for i in sdk.accounting.get_items(sdk.tenant).items] == ["GTR"]


def test_contacts_create_read_update_archive(sdk):
    created = sdk.accounting.create_contacts(
        sdk.tenant, Contacts(contacts=[Contact(name="Acme Ltd", email_address="ap@acme.test")])
    ).contacts[0]
    assert created.contact_status == "ACTIVE"
    contact_id = created.contact_id

    (fetched,) = sdk.accounting.get_contact(sdk.tenant, contact_id).contacts
    assert fetched.name == "Acme Ltd"
    assert [a.address_type for a in fetched.addresses] == ["POBOX", "STREET"]

    updated = sdk.accounting.update_contact(
        sdk.tenant, contact_id, Contacts(contacts=[Contact(contact_id=contact_id, email_address="billing@acme.test")])
    ).contacts[0]
    assert updated.email_address == "billing@acme.test"

    archived = sdk.accounting.update_contact(
        sdk.tenant, contact_id, Contacts(contacts=[Contact(contact_id=contact_id, contact_status="ARCHIVED")])
    ).contacts[0]
    assert archived.contact_status == "ARCHIVED"
    assert sdk.accounting.get_contacts(sdk.tenant).contacts == []
    listed = sdk.accounting.get_contacts(sdk.tenant, include_archived=True).contacts
    assert [c.contact_id for c in listed] == [contact_id]


def test_a_bad_contact_surfaces_as_the_sdks_400_with_the_validation_message(sdk):
    sdk.accounting.create_contacts(sdk.tenant, Contacts(contacts=[Contact(name="Buzz Lightyear")]))
    with pytest.raises(AccountingBadRequestException) as refused:
        sdk.accounting.create_contacts(sdk.tenant, Contacts(contacts=[Contact(name="Buzz Lightyear")]))
    error = refused.value
    assert error.status == 400
    assert error.reason == (
        "The contact name Buzz Lightyear is already assigned to another contact. "
        "The contact name must be unique across all active contacts."
    )
    assert error.error_data["Type"] == "ValidationException"


def test_an_unknown_contact_surfaces_as_the_sdks_404(sdk):
    with pytest.raises(NotFoundException):
        sdk.accounting.get_contact(sdk.tenant, "00000000-0000-0000-0000-00000000abcd")


@pytest.mark.parametrize("country", ["NZ", "AU", "GB", "US"])
def test_every_countrys_settings_deserialize_in_the_sdk(clock, country):
    """Each country's organisation, chart and tax rates use only values the SDK's enums and dates accept."""
    from xero_python.accounting import models
    from xero_python.api_client import ModelFinder
    from xero_python.api_client.deserializer import deserialize

    from mockxero import create_app
    from mockxero.config import MockConfig, TenantConfig
    from tests.helpers import XeroTestClient, issue_token

    app = create_app(MockConfig(clock=clock, testing=True, tenants=(TenantConfig(country_code=country),)))
    client = app.test_client()
    xero = XeroTestClient(client, issue_token(client))
    finder = ModelFinder(models)
    for path, model in (
        ("/Organisation", "Organisations"),
        ("/Accounts", "Accounts"),
        ("/TaxRates", "TaxRates"),
        ("/Currencies", "Currencies"),
        ("/Organisation/Actions", "Actions"),
    ):
        body = xero.get(path).json
        assert deserialize(model, body, finder) is not None, path
