"""``/mock-api/tenants/{tenant_id}/lock-dates``: reading, setting and clearing the organisation's lock dates."""

from __future__ import annotations

from datetime import date

from mockxero import create_app
from mockxero.config import DEFAULT_TENANT_ID, MockConfig, TenantConfig
from tests.mockxero.control.test_admin import UNKNOWN_TENANT, control_error

PATH = f"/mock-api/tenants/{DEFAULT_TENANT_ID}/lock-dates"


def test_a_new_organisation_has_no_lock_dates(client):
    response = client.get(PATH)
    assert response.status_code == 200
    assert response.json == {"tenant_id": DEFAULT_TENANT_ID, "period_lock_date": None, "end_of_year_lock_date": None}


def test_setting_both_then_clearing_one_keeps_the_other(client, emulator):
    response = client.put(PATH, json={"period_lock_date": "2026-03-31", "end_of_year_lock_date": "2025-12-31"})
    assert response.status_code == 200
    assert response.json["period_lock_date"] == "2026-03-31"
    response = client.put(PATH, json={"period_lock_date": None})
    assert response.json == {
        "tenant_id": DEFAULT_TENANT_ID,
        "period_lock_date": None,
        "end_of_year_lock_date": "2025-12-31",
    }
    assert emulator.backend(DEFAULT_TENANT_ID).lock_dates() == (None, date(2025, 12, 31))


def test_a_bad_body_is_refused_naming_every_problem_and_changes_nothing(client):
    client.put(PATH, json={"period_lock_date": "2026-03-31"})
    response = client.put(PATH, json={"period_lock_date": "31/03/2026", "end_of_year_lock_date": 5, "lock": "x"})
    detail = control_error(response, 400, "invalid_request")
    assert detail == (
        "'lock' is not a lock date (known: period_lock_date, end_of_year_lock_date); "
        "period_lock_date must be a date written YYYY-MM-DD, such as 2026-03-31, got '31/03/2026'; "
        "end_of_year_lock_date must be a date written YYYY-MM-DD, such as 2026-03-31, or null, got 5"
    )
    assert client.get(PATH).json["period_lock_date"] == "2026-03-31"


def test_an_unknown_tenant_is_404(client):
    path = f"/mock-api/tenants/{UNKNOWN_TENANT}/lock-dates"
    control_error(client.get(path), 404, "unknown_tenant")
    control_error(client.put(path, json={"period_lock_date": None}), 404, "unknown_tenant")


def test_configured_lock_dates_are_the_organisation_s_at_start_and_after_a_reset(clock):
    tenant = TenantConfig(period_lock_date="2026-01-31", end_of_year_lock_date="2025-03-31")
    client = create_app(MockConfig(clock=clock, testing=True, tenants=(tenant,))).test_client()
    assert client.get(PATH).json["period_lock_date"] == "2026-01-31"
    client.put(PATH, json={"period_lock_date": None})
    assert client.post("/mock-api/reset").status_code == 200
    assert client.get(PATH).json == {
        "tenant_id": DEFAULT_TENANT_ID,
        "period_lock_date": "2026-01-31",
        "end_of_year_lock_date": "2025-03-31",
    }


def test_a_lock_date_configured_later_applies_to_books_kept_in_a_data_file(clock, tmp_path):
    book = str(tmp_path / "book.json")
    first = create_app(MockConfig(clock=clock, testing=True, data_file=book)).test_client()
    first.put(PATH, json={"end_of_year_lock_date": "2025-03-31"})
    tenant = TenantConfig(period_lock_date="2026-01-31")
    again = create_app(MockConfig(clock=clock, testing=True, data_file=book, tenants=(tenant,))).test_client()
    assert again.get(PATH).json["period_lock_date"] == "2026-01-31"
    assert again.get(PATH).json["end_of_year_lock_date"] == "2025-03-31"  # set while running, not configured
