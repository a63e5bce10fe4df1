"""The settlement check on Xero-shaped answers (balanced, the fee trap, a missing and an unmatched deposit),
then over HTTP against the emulator holding what the mapping rules wrote. (tests/syncer/test_engine_against_
the_mock.py also runs it after the engine's own runs.)"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import requests

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID
from syncer.clock import FakeClock
from syncer.mapping.config import CurrencyAccounts, FeeFlow
from syncer.mapping.context import MappingContext
from syncer.mapping.rules.book import map_book
from syncer.settlement import check_settlement
from syncer.source.model import BillingBook, Payment, Payout
from syncer.xero.client import XeroClient
from syncer.xero.tokens import Authenticator, MemoryTokenStore
from tests.syncer.mapping.rules.test_book_against_the_mock import CONFIG, FULL_BOOK, send, setup_organisation

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


def test_a_payout_that_reaches_the_deposit_account_twice_is_reported_even_when_the_sum_matches():
    xero = Xero(transfer="48.40")
    xero.answers["BankTransfers"]["BankTransfers"].append(dict(xero.answers["BankTransfers"]["BankTransfers"][0]))
    assert messages(xero) == [
        "payout po_1 (GBP): deposit account 090 received 2 movements for this payout (48.40, 48.40), not one "
        "[billing records: po_1]",
    ]


def test_a_deposit_referenced_as_a_payout_the_book_does_not_have_is_reported():
    xero = Xero()
    stray = {
        "Reference": "payout:po_9",
        "FromBankAccount": {"Code": "091"},
        "ToBankAccount": {"Code": "090"},
        "Amount": D("50.00"),
    }
    xero.answers["BankTransfers"]["BankTransfers"].append(stray)
    assert messages(xero) == [
        "clearing GBP: deposit account 090 received 50.00 as payout:po_9, which no payout in the billing book "
        "explains [billing records: po_9]",
        "clearing GBP: clearing account 091 holds -50.00 over everything synced [billing records: payout:po_9]",
    ]


def test_payments_and_bank_transactions_are_read_page_by_page_and_account_ids_resolve_to_codes():
    class Paged(Xero):
        def __init__(self):
            super().__init__()
            self.answers["Accounts"] = {"Accounts": [{"AccountID": "acc-091", "Code": "091"}]}
            payment = self.answers["Payments"]["Payments"][0]
            # a full first page of other people's payments (no Reference), then ours on page 2
            filler = [{"Amount": D("1.00"), "Account": {"Code": "091"}, "Status": "AUTHORISED"}] * 100
            self.pages = {1: filler, 2: [payment | {"Account": {"AccountID": "acc-091"}}]}
            self.asked: list[tuple[str, dict | None]] = []

        def get(self, path, params=None):
            self.asked.append((path, params))
            if path == "Payments":
                return {"Payments": self.pages.get(int(params["page"]), [])}
            return super().get(path, params)

    xero = Paged()
    assert check_settlement(BOOK, ACCOUNTS, xero).ok
    assert [params for path, params in xero.asked if path == "Payments"] == [{"page": "1"}, {"page": "2"}]


def test_a_payout_in_a_currency_with_no_accounts_is_reported():
    report = check_settlement(BOOK, {}, Xero())
    assert [str(problem) for problem in report.problems] == [
        "payout po_1 (GBP): no accounts are mapped for its currency"
    ]


def http_reader(base: str) -> XeroClient:
    """The syncer's own Xero client, pointed at the served emulator: the reader the check gets in a real run."""
    clock = FakeClock()
    session = requests.Session()
    auth = Authenticator(base, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MemoryTokenStore(), clock, session)
    return XeroClient(
        base + "/api.xro/2.0", DEFAULT_TENANT_ID, auth, clock, session=session, jitter=lambda: 0.0, timeout=10
    )


def test_a_mapped_book_in_the_emulator_settles_when_read_back_over_http(xero, live_server, unlimited):
    send(xero, map_book(FULL_BOOK, MappingContext.build(CONFIG, setup_organisation(xero), FULL_BOOK)).writes)
    report = check_settlement(FULL_BOOK, CONFIG.currencies, http_reader(live_server))
    assert report.problems == ()
    assert report.clearing_balances == {"NZD": D("0.00")}
    assert [(p.payout_id, p.clearing_net, p.deposited, p.statement) for p in report.payouts] == [
        ("po_1", D("0.00"), D("111.80"), D("111.80")),
        ("po_2", D("0.00"), D("-130.00"), D("-130.00")),
        ("po_3", D("0.00"), D("115.00"), D("115.00")),
    ]


def test_the_fee_drawn_from_deposit_in_the_emulator_leaves_the_residue_named_by_the_payment(
    xero, live_server, unlimited
):
    book = BillingBook(
        customers=FULL_BOOK.customers,
        invoices=FULL_BOOK.invoices[:1],
        payments=FULL_BOOK.payments,
        payouts=FULL_BOOK.payouts[:1],
    )
    config = replace(CONFIG, fee_flow=FeeFlow.DEPOSIT)
    send(xero, map_book(book, MappingContext.build(config, setup_organisation(xero), book)).writes)
    report = check_settlement(book, config.currencies, http_reader(live_server))
    assert [(p.clearing_net, p.deposited, p.statement) for p in report.payouts] == [
        (D("3.20"), D("108.60"), D("111.80"))
    ]
    assert [str(problem) for problem in report.problems] == [
        "payout po_1 (NZD): clearing account 091 nets to 3.20 for this payout, not 0.00 [billing records: pay_1]",
        "payout po_1 (NZD): deposit account 090 received 108.60, but the bank statement shows 111.80 "
        "[billing records: pay_1]",
        "clearing NZD: clearing account 091 holds 3.20 over everything synced",
    ]
