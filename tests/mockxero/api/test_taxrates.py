"""/TaxRates over HTTP: custom rates with Xero's codes and arithmetic, updates, and the system rates."""

from __future__ import annotations

import pytest

from mockxero import create_app
from mockxero.config import MockConfig, TenantConfig
from tests.helpers import XeroTestClient, issue_token, validation_messages

STATE_TAX = {"Name": "CA State Tax", "ReportTaxType": "OUTPUT", "TaxComponents": [{"Name": "State Tax", "Rate": 2.25}]}


def create(xero, **rate):
    response = xero.put("/TaxRates", {"TaxRates": [rate]})
    assert response.status_code == 200, response.get_data(as_text=True)
    (created,) = response.json["TaxRates"]
    return created


def refused(response) -> list[str]:
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.json["ErrorNumber"] == 10
    return validation_messages(response)


def post(xero, **rate):
    return xero.post("/TaxRates", {"TaxRates": [rate]})


@pytest.fixture
def us_xero(clock):
    app = create_app(MockConfig(clock=clock, testing=True, tenants=(TenantConfig(country_code="US"),)))
    client = app.test_client()
    return XeroTestClient(client, issue_token(client))


def test_a_new_tenant_lists_its_countrys_rates(xero):
    response = xero.get("/TaxRates")
    assert response.status_code == 200
    rates = {r["TaxType"]: r for r in response.json["TaxRates"]}
    assert rates["OUTPUT2"]["Name"] == "15% GST on Income"
    assert str(rates["OUTPUT2"]["EffectiveRate"]) == "15.0000"
    assert rates["INPUT2"]["CanApplyToRevenue"] is False and rates["INPUT2"]["CanApplyToAssets"] is True
    assert "UpdatedDateUTC" not in rates["OUTPUT2"]  # not part of Xero's TaxRate


def test_get_one_by_tax_type_and_404_for_unknown(xero):
    response = xero.get("/TaxRates/INPUT2")
    assert response.status_code == 200
    assert response.json["TaxRates"][0]["Name"] == "15% GST on Expenses"
    assert xero.get("/TaxRates/NOPE").status_code == 404


def test_create_assigns_tax001_then_tax002(xero):
    first = create(xero, **STATE_TAX)
    second = create(xero, **{**STATE_TAX, "Name": "NY State Tax"})
    assert (first["TaxType"], second["TaxType"]) == ("TAX001", "TAX002")
    assert first["Status"] == "ACTIVE"
    assert str(first["DisplayTaxRate"]) == str(first["EffectiveRate"]) == "2.2500"


def test_a_tax_type_in_the_body_of_a_create_is_ignored(xero):
    assert create(xero, **STATE_TAX, TaxType="OUTPUT2")["TaxType"] == "TAX001"


def test_codes_continue_after_the_ones_a_us_tenant_already_has(us_xero):
    # A US tenant's default sales tax is TAX001, so its first custom rate is TAX002 (the spec's example).
    created = create(us_xero, Name="CA State Tax", TaxComponents=[{"Name": "State Tax", "Rate": 2.25}])
    assert created["TaxType"] == "TAX002"
    assert "ReportTaxType" not in created  # US organisations have none
    assert created["CanApplyToRevenue"] is True and created["CanApplyToExpenses"] is True


def test_effective_rate_applies_compound_components_on_top(xero):
    rate = create(
        xero,
        Name="GST+PST",
        ReportTaxType="OUTPUT",
        TaxComponents=[{"Name": "GST", "Rate": 5}, {"Name": "PST", "Rate": 7, "IsCompound": True}],
    )
    assert str(rate["DisplayTaxRate"]) == "12.0000"
    assert str(rate["EffectiveRate"]) == "12.3500"
    assert rate["TaxComponents"][1]["IsCompound"] is True


def test_report_tax_type_sets_where_a_rate_may_apply(xero):
    purchases = create(xero, Name="Import levy", ReportTaxType="INPUT", TaxComponents=[{"Name": "L", "Rate": 1}])
    assert (purchases["CanApplyToRevenue"], purchases["CanApplyToExpenses"]) == (False, True)
    sales = create(xero, **STATE_TAX)
    assert (sales["CanApplyToRevenue"], sales["CanApplyToExpenses"]) == (True, False)


def test_report_tax_type_is_required_in_nz(xero):
    response = xero.put("/TaxRates", {"TaxRates": [{"Name": "Levy", "TaxComponents": [{"Name": "L", "Rate": 1}]}]})
    assert refused(response) == ["A ReportTaxType is required for tax rates in AU, NZ and UK organisations."]


def test_name_is_required_and_unique(xero):
    response = xero.put("/TaxRates", {"TaxRates": [{**STATE_TAX, "Name": " "}]})
    assert refused(response) == ["Please enter a Name."]
    create(xero, **STATE_TAX)
    assert refused(xero.put("/TaxRates", {"TaxRates": [{**STATE_TAX, "Name": "ca state tax"}]})) == [
        "Please enter a unique Name."
    ]


def test_a_rate_needs_components_with_names_and_rates(xero):
    assert refused(xero.put("/TaxRates", {"TaxRates": [{**STATE_TAX, "TaxComponents": []}]})) == [
        "A tax rate must have at least one tax component."
    ]
    response = xero.put("/TaxRates", {"TaxRates": [{**STATE_TAX, "TaxComponents": [{"Rate": 1}, {"Name": "X"}]}]})
    assert refused(response) == ["Each tax component must have a Name.", "Each tax component must have a Rate."]


@pytest.mark.parametrize(
    "rate, accepted",
    [
        (0, True),
        (100, True),
        ("12.3456", True),
        (-1, False),
        ("100.0001", False),
    ],
)
def test_component_rates_lie_between_0_and_100(xero, rate, accepted):
    response = xero.put("/TaxRates", {"TaxRates": [{**STATE_TAX, "TaxComponents": [{"Name": "T", "Rate": rate}]}]})
    if accepted:
        assert response.status_code == 200
    else:
        assert refused(response) == ["Tax component rates must be between 0 and 100."]


def test_component_rates_have_at_most_four_places(xero):
    response = xero.put("/TaxRates", {"TaxRates": [{**STATE_TAX, "TaxComponents": [{"Name": "T", "Rate": 1.23456}]}]})
    assert refused(response) == ["Tax component rates can have at most 4 decimal places."]


def test_a_refused_rate_does_not_use_up_a_code(xero):
    xero.put("/TaxRates", {"TaxRates": [{**STATE_TAX, "TaxComponents": []}]})
    assert create(xero, **STATE_TAX)["TaxType"] == "TAX001"


def test_post_updates_by_tax_type(xero):
    created = create(xero, **STATE_TAX)
    response = post(xero, TaxType=created["TaxType"], Name="California", TaxComponents=[{"Name": "S", "Rate": 3}])
    assert response.status_code == 200
    changed = response.json["TaxRates"][0]
    assert (changed["Name"], str(changed["EffectiveRate"])) == ("California", "3.0000")


def test_post_updates_by_name_like_the_spec_example(xero):
    create(xero, **STATE_TAX)
    response = post(
        xero,
        Name="CA State Tax",
        Status="DELETED",
        ReportTaxType="INPUT",
        TaxComponents=[{"Name": "State Tax", "Rate": 2.25}],
    )
    assert response.status_code == 200
    deleted = response.json["TaxRates"][0]
    assert (deleted["TaxType"], deleted["Status"], deleted["ReportTaxType"]) == ("TAX001", "DELETED", "INPUT")
    assert deleted["CanApplyToRevenue"] is False


def test_post_with_a_new_name_creates(xero):
    response = post(xero, **STATE_TAX)
    assert response.status_code == 200 and response.json["TaxRates"][0]["TaxType"] == "TAX001"


def test_post_with_an_unknown_tax_type_is_refused(xero):
    assert refused(post(xero, TaxType="TAX999", Name="X")) == ["No tax rate with TaxType 'TAX999' exists."]


def test_archive_and_reactivate_a_custom_rate(xero):
    created = create(xero, **STATE_TAX)
    assert post(xero, TaxType="TAX001", Status="ARCHIVED").json["TaxRates"][0]["Status"] == "ARCHIVED"
    assert post(xero, TaxType="TAX001", Status="ACTIVE").json["TaxRates"][0]["Status"] == "ACTIVE"
    assert created["TaxType"] == "TAX001"


def test_pending_cannot_be_set(xero):
    create(xero, **STATE_TAX)
    assert refused(post(xero, TaxType="TAX001", Status="PENDING")) == [
        "A tax rate's Status can only be set to ACTIVE, ARCHIVED or DELETED."
    ]


def test_deleted_rates_stay_listed_and_cannot_change(xero):
    create(xero, **STATE_TAX)
    post(xero, TaxType="TAX001", Status="DELETED")
    assert xero.get("/TaxRates/TAX001").json["TaxRates"][0]["Status"] == "DELETED"
    assert refused(post(xero, TaxType="TAX001", Status="ACTIVE")) == [
        "This tax rate has been deleted and cannot be changed."
    ]
    assert create(xero, **STATE_TAX)["TaxType"] == "TAX002"  # the name is free again, the code is not


def test_system_rates_cannot_be_deleted_or_changed(xero):
    assert refused(post(xero, TaxType="OUTPUT2", Status="DELETED")) == [
        "System tax rates cannot be changed, archived or deleted."
    ]
    assert refused(post(xero, TaxType="NONE", TaxComponents=[{"Name": "GST", "Rate": 1}])) == [
        "System tax rates cannot be changed, archived or deleted."
    ]


def test_echoing_a_system_rate_unchanged_is_accepted(xero):
    rate = xero.get("/TaxRates/OUTPUT2").json["TaxRates"][0]
    response = post(xero, **{k: rate[k] for k in ("Name", "TaxType", "ReportTaxType", "Status", "TaxComponents")})
    assert response.status_code == 200
    assert response.json["TaxRates"][0] == rate


def test_a_deleted_rate_cannot_be_used_on_an_account(xero):
    create(xero, **STATE_TAX)
    post(xero, TaxType="TAX001", Status="DELETED")
    response = xero.put("/Accounts", {"Code": "201", "Name": "Other", "Type": "REVENUE", "TaxType": "TAX001"})
    assert validation_messages(response) == [
        "The TaxType code 'TAX001' does not exist or cannot be used for this type of transaction."
    ]


def test_batch_with_summarize_errors_false_reports_each_rate(xero):
    response = xero.put("/TaxRates?summarizeErrors=false", {"TaxRates": [STATE_TAX, {**STATE_TAX, "Name": ""}]})
    assert response.status_code == 200
    good, bad = response.json["TaxRates"]
    assert good["TaxType"] == "TAX001" and good["StatusAttributeString"] == "OK"
    assert bad["StatusAttributeString"] == "ERROR" and "TaxType" not in bad
    assert bad["ValidationErrors"] == [{"Message": "Please enter a Name."}]


def test_where_filters_the_list(xero):
    create(xero, **STATE_TAX)
    post(xero, TaxType="TAX001", Status="DELETED")
    active = xero.get('/TaxRates?where=Status=="ACTIVE"').json["TaxRates"]
    assert "TAX001" not in [r["TaxType"] for r in active] and "OUTPUT2" in [r["TaxType"] for r in active]
