from __future__ import annotations

import pytest

from syncer.refs import Kind
from syncer.xero.keys import MAX_KEY_LENGTH, batch_key, idempotency_key

TENANT = "6E9F2C1A-0000-4000-8000-000000000001"


def test_the_key_is_stable_and_readable():
    key = idempotency_key(TENANT, Kind.INVOICE, "in_123", 3, "create")
    assert key == idempotency_key(TENANT.lower(), "invoice", "in_123", "3", "create")
    assert key.startswith("sync1.create.invoice.")
    assert len(key.rsplit(".", 1)[1]) == 64


@pytest.mark.parametrize(
    "changed",
    [
        ("7e9f2c1a-0000-4000-8000-000000000001", Kind.INVOICE, "in_123", 3, "create"),
        (TENANT, Kind.CREDIT_NOTE, "in_123", 3, "create"),
        (TENANT, Kind.INVOICE, "in_124", 3, "create"),
        (TENANT, Kind.INVOICE, "in_123", 4, "create"),
        (TENANT, Kind.INVOICE, "in_123", 3, "update"),
    ],
)
def test_any_part_changing_changes_the_key(changed):
    assert idempotency_key(*changed) != idempotency_key(TENANT, Kind.INVOICE, "in_123", 3, "create")


def test_separators_in_ids_cannot_make_two_tuples_collide():
    assert idempotency_key(TENANT, "invoice", "a.b", "c", "create") != idempotency_key(
        TENANT, "invoice", "a", "b.c", "create"
    )


def test_the_longest_kind_fits_xeros_limit():
    key = idempotency_key(TENANT, Kind.DISPUTE_REINSTATEMENT, "x" * 500, "v" * 300, "reinstate_after_dispute")
    assert len(key) <= MAX_KEY_LENGTH


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((TENANT, "Invoice", "a", 1, "create"), "kind must be 1-24 lower-case letters"),
        ((TENANT, "invoice", "a", 1, "create everything"), "operation must be 1-24 lower-case letters"),
        ((TENANT, "invoice", "", 1, "create"), "source_id must not be empty"),
        ((TENANT, "invoice", "a", True, "create"), "version must be text or a whole number"),
    ],
)
def test_bad_parts_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        idempotency_key(*args)


def test_a_batch_key_depends_on_its_elements_and_their_order():
    one, two = (idempotency_key(TENANT, "contact", s, 1, "create") for s in ("a", "b"))
    assert batch_key("Contacts", [one, two]) == batch_key("Contacts", [one, two])
    assert batch_key("Contacts", [one, two]) != batch_key("Contacts", [two, one])
    assert batch_key("Contacts", [one, two]) != batch_key("Contacts", [one])
    assert batch_key("Contacts", [one]).startswith("sync1.batch.contacts.")
    with pytest.raises(ValueError, match="at least one element key"):
        batch_key("Contacts", [])
