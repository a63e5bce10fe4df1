"""/mock-api/rate-limits: see usage, switch limits off or change them, forget counted calls."""

from __future__ import annotations

import pytest

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID


def test_shows_limits_and_usage(client, xero):
    xero.get("/Contacts")
    body = client.get("/mock-api/rate-limits").json
    assert body["enabled"] is True
    assert body["limits"] == {"minute": 60, "day": 5000, "concurrent": 5, "app_minute": 10000}
    assert body["tenants"] == [
        {"client_id": DEFAULT_CLIENT_ID, "tenant_id": DEFAULT_TENANT_ID, "minute": 1, "day": 1, "in_flight": 0}
    ]
    assert body["apps"] == [{"client_id": DEFAULT_CLIENT_ID, "minute": 1}]


def test_switch_off_at_run_time(client, xero):
    assert client.post("/mock-api/rate-limits", json={"enabled": False}).json["enabled"] is False
    assert all(xero.get("/Contacts").status_code == 200 for _ in range(61))


def test_change_a_limit(client, xero):
    client.post("/mock-api/rate-limits", json={"minute": 2})
    assert [xero.get("/Contacts").status_code for _ in range(3)] == [200, 200, 429]


def test_delete_forgets_counted_calls(client, xero):
    for _ in range(60):
        xero.get("/Contacts")
    assert client.delete("/mock-api/rate-limits").status_code == 204
    assert xero.get("/Contacts").headers["X-MinLimit-Remaining"] == "59"


@pytest.mark.parametrize(
    "body, error, message",
    [
        ({"enabled": "no"}, "invalid_limits", "enabled must be true or false, got 'no'"),
        ({"minute": 0}, "invalid_limits", "minute must be a positive whole number, got 0"),
        ({"hourly": 5}, "invalid_limits", "unknown limit 'hourly'; the limits are minute, day, concurrent, app_minute"),
        ([1], "invalid_body", 'send an object such as {"enabled": false} or {"minute": 10}'),
    ],
)
def test_bad_changes_are_refused_and_change_nothing(client, body, error, message):
    response = client.post("/mock-api/rate-limits", json=body)
    assert response.status_code == 400
    assert response.json == {"error": error, "detail": message}
    assert client.get("/mock-api/rate-limits").json["limits"]["minute"] == 60
