"""GET /mock-api/ledger: the ledger check on demand, sound books and broken ones."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from mockxero.config import DEFAULT_TENANT_ID
from tests.mockxero.helpers import TENANT_A, TENANT_B, break_first_journal
from tests.mockxero.helpers import add_spend as spend


def test_sound_books_are_balanced_with_balances_and_trial_balance(client, xero):
    spend(xero)
    response = client.get("/mock-api/ledger")
    assert response.status_code == 200
    body = response.json
    assert body["balanced"] is True
    (tenant,) = body["tenants"]
    assert (tenant["tenant_id"], tenant["name"], tenant["balanced"], tenant["errors"]) == (
        DEFAULT_TENANT_ID,
        "Demo Company (NZ)",
        True,
        [],
    )
    assert tenant["trial_balance"] == [
        {"CurrencyCode": "NZD", "Debits": D("115.00"), "Credits": D("115.00"), "Difference": D("0.00")}
    ]
    assert [(a["Code"], a["Balance"]) for a in tenant["accounts"]] == [
        ("090", D("-115.00")),
        ("429", D("100.00")),
        ("820", D("15.00")),
    ]


@pytest.mark.ledger_unchecked
def test_broken_books_list_every_error(client, xero, emulator):
    spend(xero)
    break_first_journal(emulator)
    body = client.get("/mock-api/ledger").json
    assert body["balanced"] is False
    errors = body["tenants"][0]["errors"]
    assert [e["source"] for e in errors] == ["Journal", "Ledger"]
    assert errors[0]["message"].endswith("does not balance: debits exceed credits by 0.01 NZD")


def test_every_tenant_by_default_or_one_by_id(two_tenant_client, xero_a):
    spend(xero_a)
    everyone = two_tenant_client.get("/mock-api/ledger").json
    assert [t["tenant_id"] for t in everyone["tenants"]] == [TENANT_A, TENANT_B]
    one = two_tenant_client.get(f"/mock-api/ledger?tenant_id={TENANT_B}").json
    assert [t["tenant_id"] for t in one["tenants"]] == [TENANT_B]
    assert one["tenants"][0]["accounts"] == []


@pytest.mark.parametrize("tenant_id", ["99999999-9999-4999-8999-999999999999", "not-a-guid"])
def test_an_unknown_tenant_is_404(client, tenant_id):
    response = client.get(f"/mock-api/ledger?tenant_id={tenant_id}")
    assert response.status_code == 404
    assert response.json["error"] == "unknown_tenant"
