"""``mockxero.running``: the emulator started inside a test, served or socket-free, driven by its handle."""

from __future__ import annotations

import inspect
from datetime import date, timedelta

import pytest
import requests

import mockxero
from mockxero.clock import ManualClock
from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID
from mockxero.embedding import NO_SOCKET_URL, ControlAPIError, LedgerBroken
from tests.mockxero.helpers import break_first_journal


def contacts(http: requests.Session, tenant) -> list[str]:
    response = http.get(tenant.mock.api_url + "/Contacts", headers=tenant.headers, timeout=10)
    assert response.status_code == 200, response.text
    return [c["Name"] for c in response.json()["Contacts"]]


def add_contact(http: requests.Session, tenant, name: str) -> requests.Response:
    return http.put(
        tenant.mock.api_url + "/Contacts", json={"Contacts": [{"Name": name}]}, headers=tenant.headers, timeout=10
    )


def test_a_served_mock_answers_on_a_loopback_port_with_the_default_app_and_tenant():
    with mockxero.running() as xero:
        assert xero.base_url.startswith("http://127.0.0.1:") and xero.server is not None
        assert (xero.client_id, xero.client_secret, xero.tenant_id) == (
            DEFAULT_CLIENT_ID,
            DEFAULT_CLIENT_SECRET,
            DEFAULT_TENANT_ID,
        )
        assert xero.api_url == xero.base_url + "/api.xro/2.0"
        connections = requests.get(
            xero.base_url + "/connections", headers={"Authorization": "Bearer " + xero.access_token}, timeout=10
        )
        assert [c["tenantId"] for c in connections.json()] == [DEFAULT_TENANT_ID]
        with xero.session() as http:
            assert add_contact(http, xero.tenant, "Over The Wire").status_code == 200
            assert contacts(http, xero.tenant) == ["Over The Wire"]
        url = xero.base_url
    with pytest.raises(requests.ConnectionError):  # stopped: nothing listens there any more
        requests.get(url + "/openapi.yaml", timeout=5)


def test_without_a_socket_the_session_calls_the_app_in_process():
    with mockxero.running(serve=False) as xero:
        assert xero.base_url == NO_SOCKET_URL and xero.server is None
        with xero.session() as http:
            created = add_contact(http, xero.tenant, "No Socket Ltd")
            assert created.status_code == 200 and created.headers["Content-Type"].startswith("application/json")
            assert contacts(http, xero.tenant) == ["No Socket Ltd"]
            unauthorised = http.get(xero.api_url + "/Contacts", timeout=10)
            assert unauthorised.status_code == 401
        with pytest.raises(requests.ConnectionError):  # a plain session does not know the .invalid host
            requests.get(xero.api_url + "/Contacts", timeout=5)


def test_tenants_added_while_running_keep_their_books_apart():
    with mockxero.running(serve=False) as xero, xero.session() as http:
        first, second = xero.add_tenant("First Ltd"), xero.add_tenant("Second Ltd", country_code="GB")
        assert add_contact(http, first, "Only In First").status_code == 200
        assert contacts(http, first) == ["Only In First"] and contacts(http, second) == []
        assert first.client_id != second.client_id != xero.client_id
        by_id = {t["tenant_id"]: t for t in xero.tenants()}
        assert by_id[second.tenant_id]["base_currency"] == "GBP"
        assert by_id[first.tenant_id]["client_ids"] == [first.client_id]


def test_snapshot_and_restore_put_a_tenants_books_back():
    with mockxero.running(serve=False) as xero, xero.session() as http:
        tenant = xero.add_tenant("Snap Ltd")
        add_contact(http, tenant, "Before")
        taken = tenant.snapshot()
        add_contact(http, tenant, "After")
        assert tenant.restore(taken)["tenant_id"] == tenant.tenant_id
        assert contacts(http, tenant) == ["Before"]
        tenant.reset()
        assert contacts(http, tenant) == []  # the token survives a tenant's reset


def test_an_injected_429_reaches_the_client_and_is_logged():
    with mockxero.running(serve=False) as xero, xero.session() as http:
        rule = xero.tenant.add_fault(
            method="GET", path="/api.xro/2.0/Contacts", effect="status", status=429, headers={"Retry-After": "7"}
        )
        assert rule["tenant"] == DEFAULT_TENANT_ID
        refused = http.get(xero.api_url + "/Contacts", headers=xero.tenant.headers, timeout=10)
        assert (refused.status_code, refused.headers["Retry-After"]) == (429, "7")
        assert [f["id"] for f in xero.faults()] == [rule["id"]]
        logged = xero.tenant.requests(method="GET")
        assert [(r["path"], r["status"], r["fault"] is not None) for r in logged] == [
            ("/api.xro/2.0/Contacts", 429, True)
        ]
        xero.clear_faults()
        assert http.get(xero.api_url + "/Contacts", headers=xero.tenant.headers, timeout=10).status_code == 200
        xero.clear_requests()
        assert xero.requests() == []


def test_the_clock_moves_and_an_expired_token_is_replaced():
    clock = ManualClock()
    with mockxero.running({"token_ttl": 60}, clock=clock, serve=False) as xero, xero.session() as http:
        first = xero.access_token
        assert xero.access_token == first  # still valid: not issued again
        moved = xero.advance_clock(61)
        assert moved == clock.now() and xero.now() == clock.now()
        stale = http.get(
            xero.api_url + "/Contacts", headers={**xero.tenant.headers, "Authorization": "Bearer " + first}
        )
        assert stale.status_code == 401
        assert xero.access_token != first
        assert http.get(xero.api_url + "/Contacts", headers=xero.tenant.headers).status_code == 200


def test_a_seed_gives_the_same_ids_every_run():
    def added_id() -> str:
        with mockxero.running(seed=3, serve=False) as xero:
            return xero.add_tenant("Seeded").tenant_id

    assert added_id() == added_id()


def test_answers_and_errors_between_writes_do_not_move_a_seeded_books_ids():
    # an answer's envelope Id and an error's Instance are GUIDs too: they must not come from the book's seed
    def contact_id(answers_between: int) -> str:
        with mockxero.running(seed=3, serve=False) as xero, xero.session() as http:
            for _ in range(answers_between):
                assert http.get(xero.api_url + "/Contacts", headers=xero.tenant.headers).json()["Id"]
                refused = http.get(xero.api_url + "/Contacts/not-a-guid", headers=xero.tenant.headers)
                assert refused.status_code >= 400
            answer = http.put(
                xero.api_url + "/Contacts", json={"Contacts": [{"Name": "Seeded"}]}, headers=xero.tenant.headers
            )
            return answer.json()["Contacts"][0]["ContactID"]

    assert contact_id(0) == contact_id(3)


def test_rate_limits_can_be_seen_and_changed():
    with mockxero.running(serve=False) as xero:
        assert xero.rate_limits()["enabled"] is True
        assert xero.rate_limits(enabled=False, minute=10)["enabled"] is False
        assert xero.rate_limits()["limits"]["minute"] == 10


def test_a_refused_control_call_raises_with_the_status_code_and_detail():
    with mockxero.running(serve=False) as xero:
        with pytest.raises(ControlAPIError) as refused:
            xero.advance_clock(-1)
        assert (refused.value.status, refused.value.error) == (400, "invalid_request")
        assert (
            str(refused.value)
            == "400 invalid_request: advance_seconds must be zero or more: the clock only moves forward"
        )
        with pytest.raises(ControlAPIError, match="400 invalid_tenant: name must be a non-empty string"):
            xero.add_tenant(" ")


def test_a_balanced_book_passes_the_ledger_check():
    with mockxero.running(serve=False) as xero:
        assert xero.ledger()["balanced"] is True
        xero.check_ledger(xero.tenant_id)


@pytest.mark.ledger_unchecked
def test_a_broken_ledger_is_reported_tenant_by_tenant():
    with mockxero.running(serve=False) as xero, xero.session() as http:
        spend = {
            "Type": "SPEND",
            "Contact": {"Name": "Acme"},
            "BankAccount": {"Code": "090"},
            "LineItems": [{"UnitAmount": "100.00", "AccountCode": "429"}],
        }
        written = http.put(
            xero.api_url + "/BankTransactions", json={"BankTransactions": [spend]}, headers=xero.tenant.headers
        )
        assert written.status_code == 200, written.text
        break_first_journal(xero.emulator)
        with pytest.raises(LedgerBroken) as broken:
            xero.tenant.check_ledger()
        assert broken.value.report["balanced"] is False
        assert str(broken.value).startswith(f"the ledger check failed:\n  [{DEFAULT_TENANT_ID} Demo Company (NZ)] ")


def test_the_decorator_hands_each_call_a_fresh_mock_and_hides_the_argument():
    seen = []

    @mockxero.running(serve=False)
    def write_one(name, mock):
        with mock.session() as http:
            add_contact(http, mock.tenant, name)
            seen.append(contacts(http, mock.tenant))

    assert list(inspect.signature(write_one).parameters) == ["name"]
    write_one("First")
    write_one("Second")
    assert seen == [["First"], ["Second"]]


def test_the_decorator_refuses_a_function_without_a_mock_argument():
    with pytest.raises(TypeError, match="must take a 'mock' argument to receive the running emulator"):

        @mockxero.running()
        def forgot():
            pass


def test_a_token_is_issued_for_the_time_the_emulator_says():
    clock = ManualClock()
    with mockxero.running(clock=clock, serve=False) as xero:
        token, expires = xero.issue_token(xero.client_id, xero.client_secret)
        assert token and expires == clock.now() + timedelta(seconds=1800)
        with pytest.raises(ControlAPIError) as refused:
            xero.issue_token(xero.client_id, "wrong")
        assert refused.value.status == 400 and refused.value.error == "invalid_client"


def test_lock_dates_are_set_cleared_and_refused_through_the_handle():
    with mockxero.running(serve=False) as xero:
        tenant = xero.add_tenant("Locked Ltd")
        state = xero.set_lock_dates(tenant.tenant_id, period_lock_date=date(2026, 3, 31))
        assert state == {"tenant_id": tenant.tenant_id, "period_lock_date": "2026-03-31", "end_of_year_lock_date": None}
        assert xero.lock_dates(tenant.tenant_id)["period_lock_date"] == "2026-03-31"
        assert xero.lock_dates()["period_lock_date"] is None  # the default tenant is untouched
        assert xero.set_lock_dates(tenant.tenant_id, period_lock_date=None)["period_lock_date"] is None
        with pytest.raises(ControlAPIError) as refused:
            xero.set_lock_dates(tenant.tenant_id, lock_everything=date(2026, 1, 1))
        assert refused.value.status == 400
        assert refused.value.detail.startswith("'lock_everything' is not a lock date (known: period_lock_date")


# --- connect(): a server running elsewhere -------------------------------------------------------------


def test_connect_drives_a_running_server_over_http_as_running_does_in_process():
    clock = ManualClock()
    with mockxero.running({"token_ttl": 60}, clock=clock) as served:
        remote = mockxero.connect(served.base_url + "/")
        assert remote.app is None and remote.base_url == served.base_url
        assert (remote.tenant_id, remote.client_id, remote.client_secret) == (
            DEFAULT_TENANT_ID,
            DEFAULT_CLIENT_ID,
            DEFAULT_CLIENT_SECRET,
        )
        tenant = remote.add_tenant("Remote Ltd")
        with remote.session() as http:
            assert add_contact(http, tenant, "Made Over HTTP").status_code == 200
            assert contacts(http, tenant) == ["Made Over HTTP"]
            assert [row["path"] for row in tenant.requests()] == ["/api.xro/2.0/Contacts"] * 2
            saved = tenant.snapshot()
            assert add_contact(http, tenant, "Undone").status_code == 200
            tenant.restore(saved)
            assert contacts(http, tenant) == ["Made Over HTTP"]
            tenant.check_ledger()
            assert remote.advance_clock(61) == clock.now() == remote.now()  # the server's clock, read over HTTP
            first = tenant.access_token
            assert remote.advance_clock(61) and tenant.access_token != first  # expired there, so issued again
            assert contacts(http, tenant) == ["Made Over HTTP"]
        with pytest.raises(ControlAPIError, match="400 invalid_tenant: name must be a non-empty string"):
            remote.add_tenant(" ")
        with pytest.raises(RuntimeError) as elsewhere:
            remote.emulator  # noqa: B018 - the property is what is tested
        assert str(elsewhere.value) == (
            f"the emulator at {served.base_url} runs in another process: use this handle's control API "
            "methods (its /mock-api), which work the same there"
        )


def test_connect_keeps_its_timeout_for_every_control_call(monkeypatch):
    asked: list[float] = []
    original = requests.Session.request

    def recording(session, method, url, **kwargs):
        asked.append(kwargs.get("timeout"))
        return original(session, method, url, **kwargs)

    with mockxero.running() as served:
        monkeypatch.setattr(requests.Session, "request", recording)
        remote = mockxero.connect(served.base_url, timeout=7.5)
        remote.add_tenant("Patient Ltd")
    assert len(asked) == 4 and set(asked) == {7.5}  # health, tenants, clients, then the tenant added


def test_connect_says_plainly_when_nothing_or_something_else_answers():
    with mockxero.running() as served:
        url = served.base_url
    with pytest.raises(ConnectionError, match=f"^no mockxero server answers at {url}: "):
        mockxero.connect(url, timeout=5)
    with mockxero.running() as served:
        elsewhere = served.base_url + "/api.xro/2.0"  # a server, but /mock-api is not under this path
        with pytest.raises(ConnectionError) as refused:
            mockxero.connect(elsewhere)
    assert str(refused.value) == (
        f"{elsewhere} does not answer like a mockxero server (GET /mock-api/health: HTTP 404)"
    )
