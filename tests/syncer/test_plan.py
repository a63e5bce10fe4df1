from decimal import Decimal

from syncer.plan import KIND_ORDER, Operation, Plan, Problem, Write, canonical_json, fingerprint, ordered
from syncer.refs import Kind, Ref


def write(kind: Kind, source_id: str, body: dict) -> Write:
    return Write(kind, source_id, Operation.CREATE, "PUT", "Things", body, reason="new")


def test_writes_are_ordered_by_dependency_and_stable_inside_a_kind():
    writes = [
        write(Kind.TRANSFER, "po_1", {}),
        write(Kind.PAYMENT, "pay_2", {}),
        write(Kind.CONTACT, "cus_1", {}),
        write(Kind.PAYMENT, "pay_1", {}),
        write(Kind.INVOICE, "inv_1", {}),
    ]
    assert [(w.kind, w.source_id) for w in ordered(writes)] == [
        (Kind.CONTACT, "cus_1"),
        (Kind.INVOICE, "inv_1"),
        (Kind.PAYMENT, "pay_2"),
        (Kind.PAYMENT, "pay_1"),
        (Kind.TRANSFER, "po_1"),
    ]
    assert set(KIND_ORDER) == set(Kind)


def test_a_body_depends_on_every_ref_it_holds_once():
    body = {
        "Contact": {"ContactID": Ref(Kind.CONTACT, "cus_1")},
        "LineItems": [{"Tracking": [Ref(Kind.CONTACT, "cus_1")]}, {"X": Ref(Kind.INVOICE, "inv_0")}],
    }
    assert write(Kind.INVOICE, "inv_1", body).depends_on == (Ref(Kind.CONTACT, "cus_1"), Ref(Kind.INVOICE, "inv_0"))


def test_fingerprints_see_exact_amounts_and_ignore_key_order():
    assert fingerprint({"a": Decimal("1.50"), "b": 1}) == fingerprint({"b": 1, "a": Decimal("1.50")})
    assert fingerprint({"a": Decimal("1.50")}) != fingerprint({"a": Decimal("1.5")})
    assert canonical_json({"c": Ref(Kind.CONTACT, "x")}) == '{"c":"<contact:x>"}'


def test_a_problem_without_a_record_blocks_the_run_and_one_with_a_record_does_not():
    assert Plan(problems=(Problem("account 090 is not BANK"),)).blocked
    assert not Plan(problems=(Problem("total differs", Kind.INVOICE, "inv_1"),)).blocked
    assert str(Problem("total differs", Kind.INVOICE, "inv_1", "total")) == "invoice.inv_1.total: total differs"
