from syncer.mapping.context import Held
from syncer.mapping.outcomes import NaturalKey, Operation, Priority, Problem, Rejected
from syncer.mapping.rules.common import Problems, planned, reference
from syncer.refs import Kind, Ref
from tests.syncer.mapping.helpers import context

KEY = NaturalKey("Invoices", "InvoiceNumber", "INV-0001")


def test_problems_name_their_record_and_the_field_inside_it():
    problems = Problems(Kind.INVOICE, "inv_1")
    assert not problems
    problems.add("is wrong", "currency")
    problems.at("lines.l2").add("has no description", "description")
    problems.at("lines.l3").add("is odd")
    assert problems.rejected() == Rejected(
        Kind.INVOICE,
        "inv_1",
        (
            Problem("is wrong", Kind.INVOICE, "inv_1", "currency"),
            Problem("has no description", Kind.INVOICE, "inv_1", "lines.l2.description"),
            Problem("is odd", Kind.INVOICE, "inv_1", "lines.l3"),
        ),
    )
    assert str(problems.found[1]) == "invoice.inv_1.lines.l2.description: has no description"


def test_a_record_xero_does_not_hold_yet_is_created_with_put():
    write = planned(Kind.INVOICE, "inv_1", "Invoices", {}, KEY, context(), reason="new", priority=Priority.DOCUMENT)
    assert (write.operation, write.method, write.xero_id, write.natural_key) == (Operation.CREATE, "PUT", None, KEY)


def test_a_record_xero_holds_is_posted_to_its_id():
    held = {Ref(Kind.INVOICE, "inv_1"): Held("guid-1", "DRAFT")}
    ctx = context(held=held)
    write = planned(Kind.INVOICE, "inv_1", "Invoices", {}, KEY, ctx, reason="changed", priority=Priority.DOCUMENT)
    assert (write.operation, write.method, write.xero_id) == (Operation.UPDATE, "POST", "guid-1")
    voided = planned(
        Kind.INVOICE,
        "inv_1",
        "Invoices",
        {},
        KEY,
        ctx,
        reason="v",
        priority=Priority.DOCUMENT,
        operation=Operation.VOID,
    )
    assert (voided.operation, voided.method, voided.xero_id) == (Operation.VOID, "POST", "guid-1")


def test_references_are_built_from_the_billing_ids():
    assert reference("fee", "pay_1") == "fee:pay_1"
    assert reference("dispute", "dp_1", "po_2") == "dispute:dp_1:po_2"
