"""No body makes a settings write answer 500: random values under the fields each resource reads."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.mockxero.api.fuzz_values import nested_json

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "200",
            "090",
            "OUTPUT2",
            "NONE",
            "BANK",
            "EXPENSE",
            "ACTIVE",
            "DELETED",
            "ARCHIVED",
            "CREDITCARD",
            "USD",
            "JPY",
            "TAX001",
            "12.345",
            "-1",
            "1e3",
            "NaN",
            "/Date(0)/",
        ]
    ),
)
values = nested_json(
    scalars,
    ["Name", "Rate", "IsCompound", "UnitPrice", "AccountCode", "COGSAccountCode", "TaxType"],
    max_leaves=8,
)

FIELDS = {
    "/Accounts": [
        "AccountID",
        "Code",
        "Name",
        "Type",
        "Status",
        "Description",
        "TaxType",
        "BankAccountNumber",
        "BankAccountType",
        "CurrencyCode",
        "EnablePaymentsToAccount",
        "ReportingCode",
    ],
    "/TaxRates": ["Name", "TaxType", "TaxComponents", "Status", "ReportTaxType"],
    "/Items": [
        "ItemID",
        "Code",
        "Name",
        "Description",
        "PurchaseDescription",
        "IsSold",
        "IsPurchased",
        "SalesDetails",
        "PurchaseDetails",
        "InventoryAssetAccountCode",
    ],
    "/Currencies": ["Code", "Description"],
}
COLLECTION = {"/Accounts": "Accounts", "/TaxRates": "TaxRates", "/Items": "Items", "/Currencies": "Currencies"}


@st.composite
def writes(draw):
    path = draw(st.sampled_from(sorted(FIELDS)))
    element = draw(st.dictionaries(st.sampled_from(FIELDS[path]), values, max_size=6))
    method = "PUT" if path in ("/Accounts", "/Currencies") else draw(st.sampled_from(["PUT", "POST"]))
    wrapped = draw(st.booleans())
    return method, path, {COLLECTION[path]: [element]} if wrapped else element


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(write=writes())
def test_no_settings_write_answers_500(xero, unlimited, write):
    method, path, body = write
    response = xero._call(method, path, json=body)
    assert response.status_code < 500, response.get_data(as_text=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(element=st.dictionaries(st.sampled_from(FIELDS["/Accounts"]), values, max_size=6))
def test_no_account_update_answers_500(xero, unlimited, element):
    sales = next(a for a in xero.get("/Accounts").json["Accounts"] if a["Code"] == "200")
    response = xero.post(f"/Accounts/{sales['AccountID']}", {"Accounts": [element]})
    assert response.status_code < 500, response.get_data(as_text=True)
