"""The exchange-rate table: Xero's rate convention, the default table, set rates by date, and configuration."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from mockxero import create_app, wire
from mockxero.config import ConfigError, MockConfig, TenantConfig
from mockxero.exchange import SetRate, day_rate, default_rate, parse_rates, to_base
from tests.helpers import XeroTestClient, issue_token


def test_the_default_rate_is_foreign_units_per_base_unit_and_the_same_on_every_date():
    assert default_rate("NZD", "USD") == D("0.625000")
    assert default_rate("USD", "NZD") == D("1.600000")
    assert day_rate([], "NZD", "USD", date(2020, 1, 1)) == day_rate([], "NZD", "USD", date(2030, 1, 1))


def test_a_set_rate_holds_from_its_date_until_the_next_and_the_default_before_it():
    entries = [SetRate("USD", date(2026, 1, 10), D("0.6")), SetRate("USD", date(2026, 2, 1), D("0.55"))]
    assert day_rate(entries, "NZD", "USD", date(2026, 1, 9)) == D("0.625000")
    assert day_rate(entries, "NZD", "USD", date(2026, 1, 31)) == D("0.6")
    assert day_rate(entries, "NZD", "USD", date(2026, 2, 1)) == D("0.55")
    assert day_rate([SetRate("USD", None, D("0.7"))], "NZD", "USD", date(1999, 1, 1)) == D("0.7")
    assert day_rate(entries, "NZD", "NZD", date(2026, 1, 31)) == D("1.000000")


def test_conversion_divides_by_the_rate_and_rounds_half_up_to_cents():
    assert to_base(D("100.00"), D("0.61")) == D("163.93")
    assert to_base(D("10.00"), D("0.625")) == D("16.00")


def test_a_tenant_configures_rates_per_currency_and_date():
    tenant = TenantConfig(exchange_rates={"USD": 0.61, "EUR": {"2026-01-01": "0.55", date(2026, 2, 1): 0.56}})
    assert tenant.exchange_rates == (
        SetRate("USD", None, D("0.61")),
        SetRate("EUR", date(2026, 1, 1), D("0.55")),
        SetRate("EUR", date(2026, 2, 1), D("0.56")),
    )


def test_bad_configured_rates_are_refused_all_at_once_naming_each_entry():
    with pytest.raises(ConfigError) as caught:
        TenantConfig(exchange_rates={"usd": 0.61, "EUR": {"2026-13-01": 0.5}, "GBP": -1, "AUD": "0.1234567"})
    assert str(caught.value) == (
        "tenant '6c1b4c07-5f0a-4c2e-9d3e-0d5e3f1a7b01': exchange_rates.usd.currency must be a three-letter "
        "currency code such as USD, got 'usd'; "
        "tenant '6c1b4c07-5f0a-4c2e-9d3e-0d5e3f1a7b01': exchange_rates.EUR.2026-13-01.date must be a date written "
        "YYYY-MM-DD, such as 2026-03-31, or null, got '2026-13-01'; "
        "tenant '6c1b4c07-5f0a-4c2e-9d3e-0d5e3f1a7b01': exchange_rates.GBP.rate must be greater than zero.; "
        "tenant '6c1b4c07-5f0a-4c2e-9d3e-0d5e3f1a7b01': exchange_rates.AUD.rate '0.1234567' has more than 6 "
        "decimal places."
    )


def test_the_control_form_may_remove_an_entry_with_a_null_rate():
    entries, problems = parse_rates(
        "rates", [{"currency": "USD", "date": "2026-01-01", "rate": None}], allow_removal=True
    )
    assert (entries, problems) == ([("USD", date(2026, 1, 1), None)], [])
    _, problems = parse_rates("rates", [{"currency": "USD", "rate": None}])
    assert problems == ["rates[0].rate must be a number, got None"]


def test_an_invoice_without_a_rate_takes_the_configured_days_rate():
    app = create_app(MockConfig(testing=True, tenants=(TenantConfig(exchange_rates={"USD": {"2026-01-01": "0.6"}}),)))
    client = app.test_client()
    xero = XeroTestClient(client, issue_token(client))
    body = {
        "Type": "ACCREC",
        "Contact": {"Name": "Acme"},
        "Date": "2026-01-15",
        "CurrencyCode": "USD",
        "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": D("10.00"), "AccountCode": "200"}],
    }
    answer = xero._call("PUT", "/Invoices", json={"Invoices": [body]})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert wire.loads(answer.get_data(as_text=True))["Invoices"][0]["CurrencyRate"] == D("0.6")
