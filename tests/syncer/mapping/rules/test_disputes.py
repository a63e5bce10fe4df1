from datetime import date
from decimal import Decimal

from syncer.mapping.config import DisputeHandling
from syncer.mapping.outcomes import NaturalKey, Operation, Priority, Problem, Rejected, Skip, Write
from syncer.mapping.rules.disputes import map_dispute, map_dispute_reinstatement
from syncer.mapping.rules.payments import map_fee, map_payment, map_payout
from syncer.refs import Kind, Ref
from syncer.source.model import BillingBook, Dispute, DisputeOutcome
from tests.syncer.mapping.helpers import bank_balances, config, context, customer, invoice, payment, payout

D = Decimal


def dispute(**fields) -> Dispute:
    values = {
        "payment_id": "pay_1",
        "amount": D("100.00"),
        "currency": "GBP",
        "opened_on": date(2024, 2, 20),
        "outcome": DisputeOutcome.OPEN,
        "fee": D("15.00"),
        "payout_id": "po_2",
    }
    values.update(fields)
    return Dispute(id="dp_1", **values)


def book(*disputes: Dispute) -> BillingBook:
    return BillingBook(
        customers=(customer(),),
        invoices=(invoice(),),
        payments=(payment(),),
        payouts=(payout(), payout("po_2", net="-115.00"), payout("po_3", net="100.00")),
        disputes=disputes,
    )


def test_a_dispute_takes_the_amount_and_its_fee_out_of_clearing_in_one_spend():
    record = dispute()
    assert map_dispute(record, context(book(record))) == Write(
        Kind.DISPUTE,
        "dp_1",
        Operation.CREATE,
        "PUT",
        "BankTransactions",
        {
            "Type": "SPEND",
            "Contact": {"ContactID": Ref(Kind.CONTACT, "cus_1")},
            "BankAccount": {"Code": "091"},
            "Date": "2024-02-20",
            "Reference": "dispute:dp_1",
            "LineAmountTypes": "NoTax",
            "LineItems": [
                {
                    "Description": "Disputed payment pay_1 withdrawn in payout po_2",
                    "Quantity": D(1),
                    "UnitAmount": D("100.00"),
                    "AccountCode": "405",
                },
                {
                    "Description": "Dispute fee for dispute dp_1",
                    "Quantity": D(1),
                    "UnitAmount": D("15.00"),
                    "AccountCode": "405",
                },
            ],
        },
        "dispute dp_1 on payment pay_1: 100.00 and a 15.00 fee out of clearing",
        natural_key=NaturalKey("BankTransactions", "Reference", "dispute:dp_1"),
        priority=Priority.MONEY,
    )


def test_a_won_dispute_is_reinstated_into_clearing_by_a_receive():
    record = dispute(outcome=DisputeOutcome.WON, reinstated_payout_id="po_3")
    outcome = map_dispute_reinstatement(record, context(book(record)))
    assert outcome == Write(
        Kind.DISPUTE_REINSTATEMENT,
        "dp_1",
        Operation.CREATE,
        "PUT",
        "BankTransactions",
        {
            "Type": "RECEIVE",
            "Contact": {"ContactID": Ref(Kind.CONTACT, "cus_1")},
            "BankAccount": {"Code": "091"},
            "Date": "2024-02-03",  # no reinstated_on: the reinstating payout's arrival date
            "Reference": "reinstatement:dp_1",
            "LineAmountTypes": "NoTax",
            "LineItems": [
                {
                    "Description": "Dispute dp_1 won: funds reinstated in payout po_3",
                    "Quantity": D(1),
                    "UnitAmount": D("100.00"),
                    "AccountCode": "405",
                }
            ],
        },
        "dispute dp_1 won: 100.00 back into clearing",
        natural_key=NaturalKey("BankTransactions", "Reference", "reinstatement:dp_1"),
        priority=Priority.MONEY,
    )


def test_every_payout_still_nets_clearing_to_zero_through_a_dispute_that_is_won():
    record = dispute(outcome=DisputeOutcome.WON, reinstated_payout_id="po_3", reinstated_on=date(2024, 3, 5))
    ctx = context(book(record))
    writes = [
        map_payment(payment(), ctx),
        map_fee(payment(), ctx),
        map_payout(payout(), ctx),  # +96.80 to the bank
        map_dispute(record, ctx),
        map_payout(payout("po_2", net="-115.00"), ctx),  # the processor debits the bank for the dispute
        map_dispute_reinstatement(record, ctx),
        map_payout(payout("po_3", net="100.00"), ctx),
    ]
    assert all(isinstance(write, Write) for write in writes)
    assert bank_balances(writes) == {"091": D("0.00"), "090": D("81.80")}  # type: ignore[arg-type]


def test_a_dispute_not_yet_in_a_payout_waits_for_it():
    record = dispute(payout_id=None)
    assert map_dispute(record, context(book(record))) == Skip(
        Kind.DISPUTE, "dp_1", "not yet withdrawn in a payout: booked with the payout that withdraws it"
    )


def test_a_dispute_that_withdrew_nothing_is_skipped():
    record = dispute(amount=D("0"), fee=D("0"))
    assert map_dispute(record, context(book(record))) == Skip(
        Kind.DISPUTE, "dp_1", "nothing was withdrawn: amount and fee are both zero"
    )


def test_a_dispute_without_a_fee_has_one_line():
    record = dispute(fee=D("0"))
    outcome = map_dispute(record, context(book(record)))
    assert isinstance(outcome, Write)
    assert len(outcome.body["LineItems"]) == 1


def test_a_dispute_that_cannot_be_booked_is_rejected_with_every_reason():
    record = dispute(currency="USD", fee=D("-1"))
    outcome = map_dispute(record, context(book(record)))
    assert isinstance(outcome, Rejected)
    assert [str(problem) for problem in outcome.problems] == [
        "dispute.dp_1.currency: is in USD but payment pay_1 is in GBP",
        "dispute.dp_1.fee: fee must not be negative, got -1",
    ]
    unknown = dispute(payment_id="pay_9")
    assert map_dispute(unknown, context(book(unknown))) == Rejected(
        Kind.DISPUTE,
        "dp_1",
        (Problem("disputes payment 'pay_9', which is not in the billing book", Kind.DISPUTE, "dp_1", "payment_id"),),
    )


def test_open_and_lost_disputes_reinstate_nothing():
    for outcome in (DisputeOutcome.OPEN, DisputeOutcome.LOST):
        record = dispute(outcome=outcome)
        assert map_dispute_reinstatement(record, context(book(record))) == Skip(
            Kind.DISPUTE_REINSTATEMENT, "dp_1", f"the dispute is {outcome.value}: nothing is reinstated"
        )


def test_a_won_dispute_whose_funds_have_not_come_back_yet_waits():
    record = dispute(outcome=DisputeOutcome.WON)
    assert map_dispute_reinstatement(record, context(book(record))) == Skip(
        Kind.DISPUTE_REINSTATEMENT, "dp_1", "won, but the reinstated funds are not yet in a payout"
    )
    never_withdrawn = dispute(outcome=DisputeOutcome.WON, payout_id=None, reinstated_payout_id="po_3")
    assert map_dispute_reinstatement(never_withdrawn, context(book(never_withdrawn))) == Skip(
        Kind.DISPUTE_REINSTATEMENT,
        "dp_1",
        "the funds were never withdrawn in a payout, so there is nothing to reinstate",
    )


def test_a_reinstatement_with_no_date_to_book_it_on_is_rejected():
    record = dispute(outcome=DisputeOutcome.WON, reinstated_payout_id="po_9")
    outcome = map_dispute_reinstatement(record, context(book(record)))
    assert isinstance(outcome, Rejected)
    assert [str(problem) for problem in outcome.problems] == [
        "dispute_reinstatement.dp_1.reinstated_on: has no reinstated_on date and payout 'po_9' is not in the "
        "billing book"
    ]


def test_manual_dispute_handling_pushes_nothing_and_says_what_to_book():
    record = dispute(outcome=DisputeOutcome.WON, reinstated_payout_id="po_3")
    ctx = context(book(record), mapping=config(dispute_handling=DisputeHandling.MANUAL))
    reason = "dispute handling is manual: book the 100.00 GBP withdrawn and the 15.00 fee by hand"
    assert map_dispute(record, ctx) == Skip(Kind.DISPUTE, "dp_1", reason)
    assert map_dispute_reinstatement(record, ctx) == Skip(Kind.DISPUTE_REINSTATEMENT, "dp_1", reason)
