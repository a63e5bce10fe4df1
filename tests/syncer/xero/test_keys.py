import pytest

from syncer.xero.keys import MAX_KEY_LENGTH, batch_key, idempotency_key

TENANT = "6c1b4c07-5f0a-4c2e-9d3e-0d5e3f1a7b01"


def test_the_same_write_always_gets_the_same_key_and_the_tenants_case_does_not_matter():
    key = idempotency_key(TENANT, "invoice", "inv_1", 2, "create")
    assert key == idempotency_key(TENANT.upper(), "invoice", "inv_1", "2", "create")
    assert key.startswith("sync1.create.invoice.") and len(key) <= MAX_KEY_LENGTH


@pytest.mark.parametrize(
    "other",
    [
        ("11111111-5f0a-4c2e-9d3e-0d5e3f1a7b01", "invoice", "inv_1", 2, "create"),
        (TENANT, "credit_note", "inv_1", 2, "create"),
        (TENANT, "invoice", "inv_2", 2, "create"),
        (TENANT, "invoice", "inv_1", 3, "create"),
        (TENANT, "invoice", "inv_1", 2, "update"),
    ],
)
def test_any_other_tenant_object_version_or_operation_gets_another_key(other):
    assert idempotency_key(*other) != idempotency_key(TENANT, "invoice", "inv_1", 2, "create")


def test_ids_that_would_collide_when_joined_do_not():
    assert idempotency_key(TENANT, "invoice", "a.b", 1, "create") != idempotency_key(
        TENANT, "invoice", "a", "b.1", "create"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((TENANT, "Invoice", "inv_1", 1, "create"), "kind must be 1-24 lower-case letters"),
        ((TENANT, "invoice", "", 1, "create"), "source_id must not be empty"),
        ((TENANT, "invoice", "inv_1", True, "create"), "version must be text or a whole number"),
    ],
)
def test_bad_parts_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        idempotency_key(*args)


def test_a_batch_key_follows_its_elements_in_order():
    one, two = (
        idempotency_key(TENANT, "invoice", "a", 1, "create"),
        idempotency_key(TENANT, "invoice", "b", 1, "create"),
    )
    assert batch_key("Invoices", [one, two]) == batch_key("Invoices", [one, two])
    assert batch_key("Invoices", [one, two]) != batch_key("Invoices", [two, one])
