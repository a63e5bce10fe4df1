"""The settlement check on Xero-shaped answers: balanced, the fee trap, a missing and an unmatched deposit.
(tests/syncer/test_engine_against_the_mock.py runs it against the emulator's own books.)"""

from datetime import date
from decimal import Decimal

from syncer.mapping.config import CurrencyAccounts
from syncer.settlement import check_settlement
from syncer.source.model import BillingBook, Payment, Payout

D = Decimal
ACCOUNTS = {"GBP": CurrencyAccounts(deposit_bank="090", clearing="091", fee_account="404", dispute_account="405")}
BOOK = BillingBook(
    payments=(Payment("pay_1", "inv_1", D("100.00"), "GBP", date(2024, 2, 1), fee=D("3.20"), payout_id="po_1"),),
    payouts=(Payout("po_1", "GBP", date(2024, 2, 3), D("96.80"), payment_ids=("pay_1",)),),
)


class Xero:
    def __init__(self, fee_from: str = "091", transfer: str | None = "96.80"):
        self.answers = {
            "Accounts": {"Accounts": []},
            "Payments": {
                "Payments": [
                    {
                        "Reference": "payment:pay_1",
                        "Account": {"Code": "091"},
                        "Amount": D("100.00"),
                        "PaymentType": "ACCRECPAYMENT",
                        "Status": "AUTHORISED",
                    },
                ]
            },
            "BankTransactions": {
                "BankTransactions": [
                    {
                        "Reference": "fee:pay_1",
                        "BankAccount": {"Code": fee_from},
                        "Total": D("3.20"),
                        "Type": "SPEND",
                        "Status": "AUTHORISED",
                    },
                    {
                        "Reference": "payout:po_1",
                        "BankAccount": {"Code": "091"},
                        "Total": D("96.80"),
                        "Type": "SPEND-TRANSFER",
                        "Status": "AUTHORISED",
                    },
                ]
            },
            "BankTransfers": {
                "BankTransfers": []
                if transfer is None
                else [
                    {
                        "Reference": "payout:po_1",
                        "FromBankAccount": {"Code": "091"},
                        "ToBankAccount": {"Code": "090"},
                        "Amount": D(transfer),
                    },
                ]
            },
        }

    def get(self, path, params=None):
        return self.answers[path]


def messages(xero) -> list[str]:
    return [str(problem) for problem in check_settlement(BOOK, ACCOUNTS, xero).problems]


def test_the_balanced_flow_settles():
    report = check_settlement(BOOK, ACCOUNTS, Xero())
    assert report.ok and report.clearing_balances == {"GBP": D("0.00")}
    assert [(p.clearing_net, p.deposited, p.statement) for p in report.payouts] == [(D("0.00"), D("96.80"), D("96.80"))]


def test_the_fee_drawn_from_deposit_is_caught_and_names_the_payment():
    assert messages(Xero(fee_from="090")) == [
        "payout po_1 (GBP): clearing account 091 nets to 3.20 for this payout, not 0.00 [billing records: pay_1]",
        "payout po_1 (GBP): deposit account 090 received 93.60, but the bank statement shows 96.80 "
        "[billing records: pay_1]",
        "clearing GBP: clearing account 091 holds 3.20 over everything synced",
    ]


def test_a_payout_with_no_transfer_in_xero_is_reported():
    assert messages(Xero(transfer=None)) == [
        "payout po_1 (GBP): payout:po_1 is not in Xero [billing records: po_1]",
        "payout po_1 (GBP): clearing account 091 nets to 96.80 for this payout, not 0.00 [billing records: pay_1]",
        "payout po_1 (GBP): deposit account 090 received 0.00, but the bank statement shows 96.80 "
        "[billing records: po_1]",
        "clearing GBP: clearing account 091 holds 96.80 over everything synced",
    ]


def test_a_deposit_that_differs_from_the_statement_is_reported():
    assert messages(Xero(transfer="90.00"))[1] == (
        "payout po_1 (GBP): deposit account 090 received 90.00, but the bank statement shows 96.80 "
        "[billing records: po_1]"
    )
