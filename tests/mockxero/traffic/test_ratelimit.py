"""Xero's rate limits: per tenant per app 60/minute, 5 000/day and 5 in flight; per app 10 000/minute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mockxero import create_app
from mockxero.clock import ManualClock, SystemClock
from mockxero.config import ConfigError, MockConfig
from mockxero.exceptions import RateLimitExceeded
from mockxero.traffic.ratelimit import Limits, RateLimiter
from tests.helpers import XeroTestClient, issue_token
from tests.mockxero.traffic.helpers import CLIENT_A, CLIENT_B, SECRET_B, TENANT_A, TENANT_B, two_tenant_config

LIMIT_HEADERS = ("X-DayLimit-Remaining", "X-MinLimit-Remaining", "X-AppMinLimit-Remaining")


def xero_for(config, tenant=TENANT_A, client_id=CLIENT_A, secret=None):
    client = create_app(config).test_client()
    return client, XeroTestClient(
        client, issue_token(client, client_id, secret or "mockxero-default-client-secret"), tenant
    )


def calls(xero, n):
    return [xero.get("/Contacts") for _ in range(n)]


def assert_refused(response, problem, retry_after):
    assert response.status_code == 429
    assert response.headers["X-Rate-Limit-Problem"] == problem
    assert response.headers["Retry-After"] == str(retry_after)
    assert response.json["Title"] == "Too Many Requests"
    assert response.json["Status"] == 429


# --- headers --------------------------------------------------------------------------------------------


def test_every_accounting_response_reports_what_is_left(xero):
    first, second = calls(xero, 2)
    assert [first.headers[h] for h in LIMIT_HEADERS] == ["4999", "59", "9999"]
    assert [second.headers[h] for h in LIMIT_HEADERS] == ["4998", "58", "9998"]


def test_error_answers_of_admitted_calls_carry_the_headers_too(xero):
    response = xero.get("/Contacts/00000000-0000-0000-0000-00000000abcd")
    assert response.status_code == 404
    assert response.headers["X-MinLimit-Remaining"] == "59"


def test_tenantless_connections_call_reports_only_the_app_limit(client, xero):
    response = client.get("/connections", headers={"Authorization": xero.headers["Authorization"]})
    assert response.status_code == 200
    assert response.headers["X-AppMinLimit-Remaining"] == "9999"
    assert "X-MinLimit-Remaining" not in response.headers
    assert "X-DayLimit-Remaining" not in response.headers


def test_unauthenticated_calls_are_not_counted(client, xero):
    assert client.get("/api.xro/2.0/Contacts").status_code == 401
    assert xero.get("/Contacts").headers["X-MinLimit-Remaining"] == "59"


# --- the minute ------------------------------------------------------------------------------------------


def test_sixty_calls_a_minute_pass_and_the_sixty_first_is_refused(xero, clock):
    assert all(r.status_code == 200 for r in calls(xero, 60))
    assert_refused(xero.get("/Contacts"), "minute", 60)
    clock.advance(59)
    assert_refused(xero.get("/Contacts"), "minute", 1)
    clock.advance(1)
    recovered = xero.get("/Contacts")
    assert recovered.status_code == 200
    assert recovered.headers["X-MinLimit-Remaining"] == "59"  # refused calls were not counted


def test_refusal_reports_the_remaining_counts(xero):
    calls(xero, 60)
    refused = xero.get("/Contacts")
    assert [refused.headers[h] for h in LIMIT_HEADERS] == ["4940", "0", "9940"]


def test_the_minute_rolls_rather_than_resetting_on_the_clock_minute(xero, clock):
    calls(xero, 30)
    clock.advance(30)
    calls(xero, 30)
    assert_refused(xero.get("/Contacts"), "minute", 30)
    clock.advance(30)  # the first thirty are now a minute old
    assert xero.get("/Contacts").headers["X-MinLimit-Remaining"] == "29"


def test_writes_count_like_reads_and_a_refused_write_writes_nothing(xero, clock):
    calls(xero, 59)
    assert xero.put("/Contacts", {"Contacts": [{"Name": "Last"}]}).status_code == 200
    assert_refused(xero.put("/Contacts", {"Contacts": [{"Name": "One too many"}]}), "minute", 60)
    clock.advance(60)
    assert [c["Name"] for c in xero.get("/Contacts").json["Contacts"]] == ["Last"]


# --- the day ---------------------------------------------------------------------------------------------


def test_day_limit_refuses_until_the_oldest_call_is_a_day_old(clock):
    _, xero = xero_for(MockConfig(clock=clock, testing=True, rate_limit_day=5, token_ttl=2 * 86_400))
    calls(xero, 3)
    clock.advance(3600)
    calls(xero, 2)
    assert_refused(xero.get("/Contacts"), "day", 86_400 - 3600)
    clock.advance(86_400 - 3600 - 1)
    assert_refused(xero.get("/Contacts"), "day", 1)
    clock.advance(1)
    recovered = xero.get("/Contacts")
    assert recovered.status_code == 200
    assert recovered.headers["X-DayLimit-Remaining"] == "2"  # the 3 oldest left; 2 + this one remain


def test_default_day_limit_is_5000_in_any_24_hours():
    clock = ManualClock()
    limiter = RateLimiter(clock, Limits())
    for _ in range(5000):
        limiter.admit(CLIENT_A, TENANT_A).release()
        clock.advance(1.5)  # 40 a minute: the minute limit never bites
    with pytest.raises(RateLimitExceeded) as refused:
        limiter.admit(CLIENT_A, TENANT_A)
    assert refused.value.problem == "day"
    assert refused.value.headers["X-DayLimit-Remaining"] == "0"


def test_when_several_limits_are_spent_the_longest_wait_is_reported(clock):
    _, xero = xero_for(MockConfig(clock=clock, testing=True, rate_limit_day=3, rate_limit_minute=3))
    calls(xero, 3)
    assert_refused(xero.get("/Contacts"), "day", 86_400)


# --- calls in flight --------------------------------------------------------------------------------------


def test_a_sixth_call_in_flight_is_refused_until_one_ends(xero, emulator):
    held = [emulator.traffic.limiter.admit(CLIENT_A, TENANT_A) for _ in range(5)]
    assert_refused(xero.get("/Contacts"), "concurrent", 1)
    held.pop().release()
    assert xero.get("/Contacts").status_code == 200
    for admission in held:
        admission.release()


def test_calls_in_flight_are_counted_per_tenant(clock):
    client, xero_a = xero_for(two_tenant_config(clock))
    emulator = client.application.extensions["mockxero"]
    held = [emulator.traffic.limiter.admit(CLIENT_A, TENANT_A) for _ in range(5)]
    xero_b = XeroTestClient(client, xero_a.headers["Authorization"][7:], TENANT_B)
    assert xero_b.get("/Contacts").status_code == 200
    assert xero_a.get("/Contacts").status_code == 429
    for admission in held:
        admission.release()


def test_a_slot_is_given_back_when_the_view_fails(xero):
    for _ in range(6):  # six failed calls in a row: each one's slot was returned
        assert xero.get("/Contacts/00000000-0000-0000-0000-00000000abcd").status_code == 404


# --- scoping and the app-wide minute ------------------------------------------------------------------


def test_minute_is_per_tenant_and_per_app(clock):
    client, xero_a = xero_for(two_tenant_config(clock))
    token_a = xero_a.headers["Authorization"][7:]
    calls(xero_a, 60)
    assert xero_a.get("/Contacts").status_code == 429
    other_tenant = XeroTestClient(client, token_a, TENANT_B)
    assert other_tenant.get("/Contacts").headers["X-MinLimit-Remaining"] == "59"
    other_app = XeroTestClient(client, issue_token(client, CLIENT_B, SECRET_B), TENANT_A)
    other_app_response = other_app.get("/Contacts")
    assert other_app_response.status_code == 200
    assert other_app_response.headers["X-AppMinLimit-Remaining"] == "9999"


def test_app_minute_counts_every_tenant_of_the_app(clock):
    client, xero_a = xero_for(two_tenant_config(clock, rate_limit_app_minute=3))
    xero_b = XeroTestClient(client, xero_a.headers["Authorization"][7:], TENANT_B)
    calls(xero_a, 2)
    assert xero_b.get("/Contacts").headers["X-AppMinLimit-Remaining"] == "0"
    assert_refused(xero_b.get("/Contacts"), "appminute", 60)
    other_app = XeroTestClient(client, issue_token(client, CLIENT_B, SECRET_B), TENANT_B)
    assert other_app.get("/Contacts").status_code == 200
    clock.advance(60)
    assert xero_b.get("/Contacts").status_code == 200


def test_connections_calls_count_towards_the_app_minute(clock):
    client, xero = xero_for(MockConfig(clock=clock, testing=True, rate_limit_app_minute=2))
    auth = {"Authorization": xero.headers["Authorization"]}
    assert client.get("/connections", headers=auth).headers["X-AppMinLimit-Remaining"] == "1"
    assert xero.get("/Contacts").status_code == 200
    refused = client.get("/connections", headers=auth)
    assert_refused(refused, "appminute", 60)
    assert refused.headers["X-AppMinLimit-Remaining"] == "0"
    clock.advance(60)
    assert client.get("/connections", headers=auth).status_code == 200


# --- switching off and compressing time -----------------------------------------------------------------


def test_limits_switched_off_in_config_send_no_headers_and_refuse_nothing(clock):
    _, xero = xero_for(MockConfig(clock=clock, testing=True, rate_limits=False))
    responses = calls(xero, 70)
    assert all(r.status_code == 200 for r in responses)
    assert not any(h in responses[-1].headers for h in LIMIT_HEADERS)


def test_the_unlimited_fixture_switches_limits_off(xero, unlimited):
    assert all(r.status_code == 200 for r in calls(xero, 61))


def test_compressed_clock_compresses_the_windows_and_the_wait():
    real = [datetime(2026, 3, 1, 12, 0, tzinfo=UTC)]
    clock = SystemClock(scale=60, _now=lambda: real[0])  # one real second is an emulator minute
    _, xero = xero_for(MockConfig(clock=clock, testing=True, rate_limit_minute=2))
    calls(xero, 2)
    assert_refused(xero.get("/Contacts"), "minute", 1)  # 60 emulator seconds = 1 real second
    real[0] += timedelta(seconds=1)
    assert xero.get("/Contacts").status_code == 200


def test_day_wait_is_compressed_too():
    real = [datetime(2026, 3, 1, 12, 0, tzinfo=UTC)]
    limiter = RateLimiter(SystemClock(scale=60, _now=lambda: real[0]), Limits(day=1))
    limiter.admit(CLIENT_A, TENANT_A).release()
    with pytest.raises(RateLimitExceeded) as refused:
        limiter.admit(CLIENT_A, TENANT_A)
    assert refused.value.retry_after == 86_400 // 60


@pytest.mark.parametrize(
    "raw, expected", [("off", False), ("false", False), ("0", False), ("on", True), ("TRUE", True)]
)
def test_rate_limits_switch_from_the_environment(raw, expected):
    assert MockConfig.from_env({"MOCKXERO_RATE_LIMITS": raw}).rate_limits is expected


def test_limit_values_from_the_environment():
    config = MockConfig.from_env(
        {
            "MOCKXERO_RATE_LIMIT_MINUTE": "10",
            "MOCKXERO_RATE_LIMIT_DAY": "100",
            "MOCKXERO_RATE_LIMIT_CONCURRENT": "2",
            "MOCKXERO_RATE_LIMIT_APP_MINUTE": "50",
        }
    )
    assert (
        config.rate_limit_minute,
        config.rate_limit_day,
        config.rate_limit_concurrent,
        config.rate_limit_app_minute,
    ) == (10, 100, 2, 50)


def test_a_bad_switch_value_names_the_variable():
    with pytest.raises(ConfigError, match="MOCKXERO_RATE_LIMITS must be on/off"):
        MockConfig.from_env({"MOCKXERO_RATE_LIMITS": "maybe"})


@pytest.mark.parametrize(
    "setting", ["rate_limit_minute", "rate_limit_day", "rate_limit_concurrent", "rate_limit_app_minute"]
)
def test_limits_must_be_positive(setting):
    with pytest.raises(ConfigError, match=f"{setting} must be at least 1, got 0"):
        MockConfig(**{setting: 0})
