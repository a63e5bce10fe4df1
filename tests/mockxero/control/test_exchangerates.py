"""``/mock-api/tenants/{tenant_id}/exchange-rates``: the rate table a foreign document without a rate uses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from mockxero.config import DEFAULT_TENANT_ID
from mockxero.embedding import running
from tests.mockxero.control.test_admin import UNKNOWN_TENANT, control_error

PATH = f"/mock-api/tenants/{DEFAULT_TENANT_ID}/exchange-rates"


def test_a_new_organisation_has_no_rates_set(client):
    response = client.get(PATH)
    assert response.status_code == 200
    assert response.json == {"tenant_id": DEFAULT_TENANT_ID, "rates": []}


def test_rates_are_set_per_date_and_removed_with_null(client, emulator):
    rates = [
        {"currency": "USD", "date": "2026-01-15", "rate": "0.61"},
        {"currency": "USD", "rate": "0.6"},
        {"currency": "EUR", "date": None, "rate": "0.55"},
    ]
    response = client.put(PATH, json={"rates": rates})
    assert response.status_code == 200
    assert response.json["rates"] == [
        {"currency": "EUR", "date": None, "rate": "0.55"},
        {"currency": "USD", "date": None, "rate": "0.6"},
        {"currency": "USD", "date": "2026-01-15", "rate": "0.61"},
    ]
    books = emulator.backend(DEFAULT_TENANT_ID)
    assert books.day_rate("USD", date(2026, 1, 14)) == Decimal("0.6")
    assert books.day_rate("USD", date(2026, 2, 1)) == Decimal("0.61")
    response = client.put(PATH, json={"rates": [{"currency": "EUR", "rate": None}]})
    assert [entry["currency"] for entry in response.json["rates"]] == ["USD", "USD"]


def test_a_bad_body_is_refused_naming_every_problem_and_changes_nothing(client):
    client.put(PATH, json={"rates": [{"currency": "USD", "rate": "0.6"}]})
    response = client.put(
        PATH, json={"rates": [{"currency": "usd", "rate": "-1"}, {"currency": "EUR", "date": "x", "rate": "1"}], "x": 1}
    )
    detail = control_error(response, 400, "invalid_request")
    assert detail == (
        "'x' is not a field (the body is {'rates': [...]}); "
        "rates[0].currency must be a three-letter currency code such as USD, got 'usd'; "
        "rates[0].rate must be greater than zero.; "
        "rates[1].date must be a date written YYYY-MM-DD, such as 2026-03-31, or null, got 'x'"
    )
    assert client.get(PATH).json["rates"] == [{"currency": "USD", "date": None, "rate": "0.6"}]
    assert control_error(client.put(PATH, json={}), 400, "invalid_request") == (
        "rates is required: a list of {currency, date, rate}"
    )


def test_an_unknown_tenant_is_404(client):
    path = f"/mock-api/tenants/{UNKNOWN_TENANT}/exchange-rates"
    control_error(client.get(path), 404, "unknown_tenant")
    control_error(client.put(path, json={"rates": []}), 404, "unknown_tenant")


def test_the_embedding_sets_and_reads_the_table():
    with running(serve=False) as xero:
        assert xero.exchange_rates() == []
        table = xero.set_exchange_rates({"USD": Decimal("0.6125")}, on=date(2026, 1, 1))
        assert table == [{"currency": "USD", "date": "2026-01-01", "rate": "0.6125"}]
        assert xero.emulator.backend(xero.tenant_id).day_rate("USD", date(2026, 1, 2)) == Decimal("0.6125")
