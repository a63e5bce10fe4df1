"""The pytest plugin, exercised the way a user would: small test suites run with ``pytester``."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import pytest

import mockxero

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parents[2]


def plugin_args() -> list[str]:
    """Load the plugin by name unless it is installed (then its entry point has loaded it already)."""
    installed = any(ep.name == "mockxero" for ep in entry_points(group="pytest11"))
    return [] if installed else ["-p", "mockxero.pytest_plugin"]


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # subprocess runs import this checkout's mockxero
    return pytester


def test_xero_python_writes_into_a_fresh_tenant_per_test(suite):
    suite.makepyfile(
        """
        from xero_python.accounting import Contact, Contacts

        def test_first(mockxero_accounting_api, mockxero_tenant):
            created = mockxero_accounting_api.create_contacts(
                mockxero_tenant.tenant_id, Contacts(contacts=[Contact(name="Only In First")])
            )
            assert created.contacts[0].name == "Only In First"

        def test_second_sees_none_of_it(mockxero_accounting_api, mockxero_tenant):
            found = mockxero_accounting_api.get_contacts(mockxero_tenant.tenant_id)
            assert found.contacts == []
        """
    )
    suite.runpytest(*plugin_args()).assert_outcomes(passed=2)


def test_pyxero_writes_into_the_tests_own_tenant(suite):
    suite.makepyfile(
        """
        def test_pyxero(mockxero_pyxero, mockxero_tenant):
            mockxero_pyxero.contacts.put({"Name": "Via Pyxero"})
            assert [c["Name"] for c in mockxero_pyxero.contacts.all()] == ["Via Pyxero"]
            assert [r["tenant_id"] for r in mockxero_tenant.requests()] == [mockxero_tenant.tenant_id] * 2
        """
    )
    suite.runpytest(*plugin_args()).assert_outcomes(passed=1)


def test_an_injected_429_makes_xero_python_wait_and_retry(suite):
    # xero-python sleeps for Retry-After and tries again; "0" keeps the suite from really waiting
    suite.makepyfile(
        """
        def test_rate_limited_once(mockxero_accounting_api, mockxero_tenant):
            mockxero_tenant.add_fault(
                path="/api.xro/2.0/Contacts", effect="status", status=429, nth=1, times=1,
                headers={"Retry-After": "0", "X-Rate-Limit-Problem": "minute"},
            )
            assert mockxero_accounting_api.get_contacts(mockxero_tenant.tenant_id).contacts == []
            assert [call["status"] for call in mockxero_tenant.requests()] == [429, 200]
        """
    )
    suite.runpytest(*plugin_args()).assert_outcomes(passed=1)


def test_a_failing_test_shows_its_tenants_request_log(suite):
    suite.makepyfile(
        """
        def test_fails(mockxero_accounting_api, mockxero_tenant):
            mockxero_accounting_api.get_contacts(mockxero_tenant.tenant_id)
            assert False, "the user's own assertion"
        """
    )
    result = suite.runpytest(*plugin_args())
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*mockxero requests of tenant *", '*"method": "GET", "path": "/api.xro/2.0/Contacts"*']
    )


BREAK_THE_BOOKS = """
    import pytest
    import requests
    from decimal import Decimal

    def break_books(tenant):
        # a real spend, then one journal line off by a cent: what a posting bug would leave
        spend = {"Type": "SPEND", "Contact": {"Name": "Acme"}, "BankAccount": {"Code": "090"},
                 "LineItems": [{"UnitAmount": "100.00", "AccountCode": "429"}]}
        requests.put(tenant.mock.api_url + "/BankTransactions", json={"BankTransactions": [spend]},
                     headers=tenant.headers, timeout=10).raise_for_status()
        store, table = tenant.mock.emulator.store, f"{tenant.tenant_id}:Journals"
        with store.transaction():
            key = store.keys(table)[0]
            journal = store.get(table, key)
            journal["JournalLines"][0]["NetAmount"] += Decimal("0.01")
            store.put(table, key, journal)
"""


@pytest.mark.ledger_unchecked  # the user suite's books are broken on purpose
def test_the_ledger_marker_fails_a_test_that_breaks_the_books_and_passes_one_that_does_not(suite):
    suite.makepyfile(
        BREAK_THE_BOOKS
        + """
    @pytest.mark.mockxero_ledger
    def test_breaks(mockxero_tenant):
        break_books(mockxero_tenant)

    @pytest.mark.mockxero_ledger
    def test_sound(mockxero_tenant):
        pass

    def test_unmarked_breaks(mockxero_tenant):
        break_books(mockxero_tenant)
    """
    )
    result = suite.runpytest(*plugin_args())
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*LedgerBroken: the ledger check failed:*", "FAILED *test_breaks*"])


@pytest.mark.ledger_unchecked
def test_the_ledger_option_checks_every_test(suite):
    suite.makepyfile(
        BREAK_THE_BOOKS + "\n    def test_breaks(mockxero_tenant):\n        break_books(mockxero_tenant)\n"
    )
    suite.runpytest(*plugin_args(), "--mockxero-ledger").assert_outcomes(failed=1)


def test_a_prebuilt_set_up_is_built_once_and_restored_for_each_test(suite):
    suite.makepyfile(
        """
        import requests

        BUILDS = []

        def build(tenant):
            BUILDS.append(tenant.tenant_id)
            requests.put(tenant.mock.api_url + "/Contacts", json={"Contacts": [{"Name": "Prebuilt"}]},
                         headers=tenant.headers, timeout=10).raise_for_status()

        def names(tenant):
            got = requests.get(tenant.mock.api_url + "/Contacts", headers=tenant.headers, timeout=10)
            return [c["Name"] for c in got.json()["Contacts"]]

        def test_one(mockxero_prebuilt):
            tenant = mockxero_prebuilt("one contact", build)
            requests.put(tenant.mock.api_url + "/Contacts", json={"Contacts": [{"Name": "Added"}]},
                         headers=tenant.headers, timeout=10).raise_for_status()
            assert sorted(names(tenant)) == ["Added", "Prebuilt"]

        def test_two(mockxero_prebuilt):
            assert names(mockxero_prebuilt("one contact", build)) == ["Prebuilt"]
            assert len(BUILDS) == 1
        """
    )
    suite.runpytest(*plugin_args()).assert_outcomes(passed=2)


def test_two_xdist_workers_write_to_their_own_tenants_and_neither_sees_the_other(suite):
    suite.makepyfile(
        """
        import os
        import pytest
        import requests

        @pytest.mark.parametrize("n", range(4))
        def test_write_then_read(mockxero_tenant, n):
            worker = os.environ["PYTEST_XDIST_WORKER"]
            url, headers = mockxero_tenant.mock.api_url + "/Contacts", mockxero_tenant.headers
            for i in range(3):
                requests.put(url, json={"Contacts": [{"Name": f"{worker}-{n}-{i}"}]}, headers=headers,
                             timeout=10).raise_for_status()
            names = [c["Name"] for c in requests.get(url, headers=headers, timeout=10).json()["Contacts"]]
            assert sorted(names) == [f"{worker}-{n}-{i}" for i in range(3)]
            print("SERVER", worker, mockxero_tenant.mock.base_url)
        """
    )
    result = suite.runpytest_subprocess(*plugin_args(), "-n", "2", "-s")
    result.assert_outcomes(passed=4)


REMOTE_SUITE = """
    from xero_python.accounting import Contact, Contacts

    def test_writes_on_the_server_it_was_pointed_at(mockxero_accounting_api, mockxero_tenant, mockxero_server):
        assert mockxero_server.app is None  # connected, not started
        mockxero_accounting_api.create_contacts(
            mockxero_tenant.tenant_id, Contacts(contacts=[Contact(name="On The Shared Server")])
        )
        assert [c.name for c in mockxero_accounting_api.get_contacts(mockxero_tenant.tenant_id).contacts] == [
            "On The Shared Server"
        ]
    """


def tenant_names(server) -> list[str]:
    return sorted(row["name"] for row in server.tenants())


def test_the_url_option_points_the_fixtures_at_a_running_server(suite):
    suite.makepyfile(REMOTE_SUITE)
    with mockxero.running() as server:
        suite.runpytest(*plugin_args(), "--mockxero-url", server.base_url).assert_outcomes(passed=1)
        assert "Test test_writes_on_the_server_it_was_pointed_at" in tenant_names(server)


def test_the_url_comes_from_mockxero_url_when_the_option_is_not_given(suite, monkeypatch):
    suite.makepyfile(REMOTE_SUITE)
    with mockxero.running() as server:
        monkeypatch.setenv("MOCKXERO_URL", server.base_url)
        suite.runpytest(*plugin_args()).assert_outcomes(passed=1)
        assert "Test test_writes_on_the_server_it_was_pointed_at" in tenant_names(server)


def test_a_url_where_no_server_answers_is_reported_as_such(suite):
    suite.makepyfile(REMOTE_SUITE)
    with mockxero.running() as stopped:
        url = stopped.base_url
    result = suite.runpytest(*plugin_args(), "--mockxero-url", url)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"*--mockxero-url: no mockxero server answers at {url}: *"])
