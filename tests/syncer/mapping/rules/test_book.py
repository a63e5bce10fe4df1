from datetime import date
from decimal import Decimal

from syncer.mapping.outcomes import Rejected, Skip, Write
from syncer.mapping.rules.book import map_book
from syncer.plan import ordered
from syncer.refs import Kind, Ref
from syncer.source.model import BillingBook, Credit, Dispute, DisputeOutcome, Refund
from tests.syncer.mapping.helpers import bank_balances, context, customer, invoice, payment, payout

D = Decimal


def test_a_book_maps_in_dependency_order_with_every_record_accounted_for():
    records = BillingBook(
        customers=(customer(), customer("cus_2", "Beta", deleted=True)),
        invoices=(invoice(), invoice("inv_2", number="INV-0002", total="999.00")),
        payments=(payment(),),
        payouts=(payout(),),
        refunds=(Refund("re_1", D("5.00"), "GBP", date(2024, 2, 5)),),
        credits=(Credit("cr_1", "cus_1", D("5.00"), "GBP", date(2024, 2, 1)),),
        disputes=(Dispute("dp_1", "pay_1", D("1.00"), "GBP", date(2024, 2, 9), DisputeOutcome.OPEN),),
    )
    mapped = map_book(records, context(records))
    assert [(outcome.kind, outcome.source_id, type(outcome).__name__) for outcome in mapped.outcomes] == [
        (Kind.CONTACT, "cus_1", "Write"),
        (Kind.CONTACT, "cus_2", "Skip"),
        (Kind.INVOICE, "inv_1", "Write"),
        (Kind.INVOICE, "inv_2", "Rejected"),
        (Kind.PAYMENT, "pay_1", "Write"),
        (Kind.FEE, "pay_1", "Write"),
        (Kind.REFUND, "re_1", "Skip"),
        (Kind.DISPUTE, "dp_1", "Skip"),
        (Kind.DISPUTE_REINSTATEMENT, "dp_1", "Skip"),
        (Kind.TRANSFER, "po_1", "Write"),
        ("credit", "cr_1", "Skip"),
    ]
    assert all(isinstance(outcome, Write) for outcome in mapped.writes)
    assert all(isinstance(outcome, Skip) for outcome in mapped.skips)
    assert [outcome.source_id for outcome in mapped.rejected] == ["inv_2"]
    assert isinstance(mapped.rejected[0], Rejected)
    assert [(problem.kind, problem.source_id, problem.field) for problem in mapped.problems()] == [
        (Kind.INVOICE, "inv_2", "total")
    ]
    assert bank_balances(mapped.writes) == {"091": D("0.00"), "090": D("96.80")}


def test_every_write_depends_only_on_writes_earlier_in_the_book():
    records = BillingBook(customers=(customer(),), invoices=(invoice(),), payments=(payment(),), payouts=(payout(),))
    made: set = set()
    for write in map_book(records, context(records)).writes:
        assert set(write.depends_on) <= made
        made.add(Ref(write.kind, write.source_id))


def test_the_books_writes_are_already_in_the_plans_order():
    records = BillingBook(customers=(customer(),), invoices=(invoice(),), payments=(payment(),), payouts=(payout(),))
    writes = list(map_book(records, context(records)).writes)
    assert writes == ordered(writes)
