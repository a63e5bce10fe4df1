"""The settlement check: after a run, does every payout leave clearing at zero and land in the bank as itself?

It reads what Xero holds, over HTTP, with documented endpoints only (``/Accounts``, ``/Payments``,
``/BankTransactions``, ``/BankTransfers``), so it judges a run against real Xero as well as against the
emulator. Each object the engine writes carries a Reference built from billing ids (``payment:pay_1``,
``fee:pay_1``, ``payout:po_1``, ``refund:re_1``, ``dispute:dp_1``, ``reinstatement:dp_1``); the check
finds a payout's objects by those, adds up what each did to the currency's clearing and deposit accounts,
and reports, as values:

* per payout, the clearing account's net movement for the payout's items, which must be zero;
* per payout, what reached the deposit account, which must equal the payout's net (the bank statement);
* an item of a payout with no object in Xero;
* a payout that reached the deposit account as more than one movement, and a movement into a deposit
  account referenced as a payout the billing book does not have;
* per currency, the clearing account's balance over every object the engine wrote.

The fee trap (the fee drawn from deposit: gross 100.00, fee 3.20, payout 96.80) shows as clearing 3.20 for
the payout and deposit 93.60 against a statement of 96.80, both naming the payment whose fee it is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from syncer.mapping.config import CurrencyAccounts
from syncer.mapping.rules.common import reference
from syncer.source.model import BillingBook, DisputeOutcome, Payment, Payout, Refund
from syncer.xero.wire import xero_day

ZERO = Decimal("0.00")
PAGE_SIZE = 100  # Xero's page size for Payments and BankTransactions
GONE = {"DELETED", "VOIDED"}


class XeroReader(Protocol):
    def get(self, path: str, params: Mapping[str, str] | None = None) -> dict[str, Any]: ...


@dataclass(frozen=True)
class SettlementProblem:
    message: str
    payout_id: str | None = None
    currency: str | None = None
    records: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = f"payout {self.payout_id} ({self.currency})" if self.payout_id else f"clearing {self.currency}"
        caused = f" [billing records: {', '.join(self.records)}]" if self.records else ""
        return f"{where}: {self.message}{caused}"


@dataclass(frozen=True)
class PayoutSettlement:
    payout_id: str
    currency: str
    clearing_net: Decimal
    deposited: Decimal
    statement: Decimal


@dataclass(frozen=True)
class SettlementReport:
    payouts: tuple[PayoutSettlement, ...] = ()
    clearing_balances: Mapping[str, Decimal] = field(default_factory=dict)
    problems: tuple[SettlementProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Movement:
    """What one Xero object did to one bank account (positive: money in)."""

    reference: str
    account: str
    amount: Decimal
    day: date | None = None  # the Date Xero holds, so a bank statement can be matched line by line


def check_settlement(
    book: BillingBook,
    accounts: Mapping[str, CurrencyAccounts],
    xero: XeroReader,
    *,
    only: Collection[str] | None = None,
) -> SettlementReport:
    """``only``: the ids of the payouts to judge (one integration's, when several send one book); the other
    payouts of the book still explain the deposits they made."""
    movements = bank_movements(xero)
    by_reference: dict[str, list[Movement]] = defaultdict(list)
    for movement in movements:
        by_reference[movement.reference].append(movement)
    problems: list[SettlementProblem] = []
    payouts: list[PayoutSettlement] = []
    index = _BookIndex.of(book)
    transfer = reference("payout", "")  # the prefix of every payout's transfer Reference
    for payout in book.payouts:
        if only is not None and payout.id not in only:
            continue
        currency_accounts = accounts.get(payout.currency)
        if currency_accounts is None:
            problems.append(SettlementProblem("no accounts are mapped for its currency", payout.id, payout.currency))
            continue
        items = list(_items(payout, index))
        clearing, deposit = currency_accounts.clearing, currency_accounts.deposit_bank
        clearing_net = ZERO
        deposited = ZERO
        clearing_by_record: dict[str, Decimal] = defaultdict(lambda: ZERO)
        deposit_by_record: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for written_as, record in items:
            found = by_reference.get(written_as)
            if not found:
                problems.append(
                    SettlementProblem(f"{written_as} is not in Xero", payout.id, payout.currency, (record,))
                )
                continue
            for movement in found:
                if movement.account == clearing:
                    clearing_net += movement.amount
                    clearing_by_record[record] += movement.amount
                elif movement.account == deposit:
                    deposited += movement.amount
                    if not written_as.startswith(transfer):
                        deposit_by_record[record] += movement.amount
        payouts.append(PayoutSettlement(payout.id, payout.currency, clearing_net, deposited, payout.net))
        transfers_in = [m for m in by_reference.get(reference("payout", payout.id), []) if m.account == deposit]
        if len(transfers_in) > 1:
            amounts = ", ".join(str(m.amount) for m in transfers_in)
            problems.append(
                SettlementProblem(
                    f"deposit account {deposit} received {len(transfers_in)} movements for this payout ({amounts}), "
                    "not one",
                    payout.id,
                    payout.currency,
                    (payout.id,),
                )
            )
        if clearing_net != ZERO:
            causes = _residue_causes(clearing_by_record, payout.id)
            problems.append(
                SettlementProblem(
                    f"clearing account {clearing} nets to {clearing_net} for this payout, not 0.00",
                    payout.id,
                    payout.currency,
                    causes,
                )
            )
        if deposited != payout.net:
            causes = tuple(sorted(deposit_by_record)) or (payout.id,)
            problems.append(
                SettlementProblem(
                    f"deposit account {deposit} received {deposited}, but the bank statement shows {payout.net}",
                    payout.id,
                    payout.currency,
                    causes,
                )
            )
    known_payouts = {reference("payout", payout.id) for payout in book.payouts}
    for currency, currency_accounts in accounts.items():
        for movement in movements:
            if (
                movement.account == currency_accounts.deposit_bank
                and movement.reference.startswith(transfer)
                and movement.reference not in known_payouts
            ):
                problems.append(
                    SettlementProblem(
                        f"deposit account {currency_accounts.deposit_bank} received {movement.amount} as "
                        f"{movement.reference}, which no payout in the billing book explains",
                        currency=currency,
                        records=(movement.reference.removeprefix(transfer),),
                    )
                )
    balances = _clearing_balances(movements, accounts)
    settled_references = {written for payout in book.payouts for written, _ in _items(payout, index)}
    for currency, balance in balances.items():
        if balance != ZERO:
            outside = sorted(
                {m.reference for m in movements if m.account == accounts[currency].clearing} - settled_references
            )
            problems.append(
                SettlementProblem(
                    f"clearing account {accounts[currency].clearing} holds {balance} over everything synced",
                    currency=currency,
                    records=tuple(outside),
                )
            )
    return SettlementReport(tuple(payouts), balances, tuple(problems))


@dataclass(frozen=True)
class _BookIndex:
    """The records a payout names, by id, built once so a large book is not scanned per payout."""

    payments: Mapping[str, Payment]
    refunds: Mapping[str, Refund]
    reinstated_in: Mapping[str, tuple[str, ...]]  # payout id -> the won disputes whose funds it returned

    @classmethod
    def of(cls, book: BillingBook) -> _BookIndex:
        reinstated: dict[str, list[str]] = defaultdict(list)
        for dispute in book.disputes:
            if dispute.outcome is DisputeOutcome.WON and dispute.reinstated_payout_id is not None:
                reinstated[dispute.reinstated_payout_id].append(dispute.id)
        return cls(
            {payment.id: payment for payment in book.payments},
            {refund.id: refund for refund in book.refunds},
            {payout_id: tuple(ids) for payout_id, ids in reinstated.items()},
        )


def _items(payout: Payout, index: _BookIndex) -> Iterable[tuple[str, str]]:
    """(Reference in Xero, billing record) of everything the payout settles, the transfer included. The
    References are the ones the mapping writes (``syncer.mapping.rules.common.reference``)."""
    for payment_id in payout.payment_ids:
        yield reference("payment", payment_id), payment_id
        payment = index.payments.get(payment_id)
        if payment is not None and payment.fee:
            yield reference("fee", payment_id), payment_id
    for refund_id in payout.refund_ids:
        refund = index.refunds.get(refund_id)
        if refund is not None and refund.credit_note_id is not None:
            yield reference("refund", refund_id), refund_id
    for dispute_id in payout.dispute_ids:
        yield reference("dispute", dispute_id), dispute_id
    for dispute_id in index.reinstated_in.get(payout.id, ()):
        yield reference("reinstatement", dispute_id), dispute_id
    yield reference("payout", payout.id), payout.id


def _residue_causes(by_record: Mapping[str, Decimal], payout_id: str) -> tuple[str, ...]:
    """The records whose movements leave the residue: those moving clearing other than the payout itself,
    when the transfer alone cannot explain it."""
    return tuple(sorted(record for record, amount in by_record.items() if record != payout_id and amount)) or (
        payout_id,
    )


def _clearing_balances(movements: Iterable[Movement], accounts: Mapping[str, CurrencyAccounts]) -> dict[str, Decimal]:
    balances: dict[str, Decimal] = {}
    for currency, currency_accounts in accounts.items():
        balances[currency] = sum((m.amount for m in movements if m.account == currency_accounts.clearing), ZERO)
    return balances


def bank_movements(xero: XeroReader) -> list[Movement]:
    """Every movement of money the engine's objects made (those with a Reference), one per bank account."""
    codes = {
        account["AccountID"]: account.get("Code", "")
        for account in xero.get("Accounts").get("Accounts") or []
        if account.get("AccountID")
    }

    def code(account: Mapping[str, Any] | None) -> str:
        account = account or {}
        return str(account.get("Code") or codes.get(account.get("AccountID", ""), ""))

    found: list[Movement] = []
    for payment in _paged(xero, "Payments"):
        if payment.get("Status") in GONE or not payment.get("Reference"):
            continue
        amount = Decimal(str(payment["Amount"]))
        out = payment.get("PaymentType") in (
            "ARCREDITPAYMENT",
            "APPAYMENT",
            "AROVERPAYMENTPAYMENT",
            "ARPREPAYMENTPAYMENT",
        )
        day = xero_day(payment.get("Date"))
        found.append(Movement(payment["Reference"], code(payment.get("Account")), -amount if out else amount, day))
    for transaction in _paged(xero, "BankTransactions"):
        if transaction.get("Status") in GONE or not transaction.get("Reference"):
            continue
        if str(transaction.get("Type", "")).endswith("-TRANSFER"):
            continue  # Xero lists each bank transfer's two legs here too; they are counted from BankTransfers
        total = Decimal(str(transaction["Total"]))
        inflow = str(transaction.get("Type", "")).startswith("RECEIVE")
        found.append(
            Movement(
                transaction["Reference"],
                code(transaction.get("BankAccount")),
                total if inflow else -total,
                xero_day(transaction.get("Date")),
            )
        )
    for transfer in xero.get("BankTransfers").get("BankTransfers") or []:
        written = transfer.get("Reference")
        if not written:
            continue
        amount = Decimal(str(transfer["Amount"]))
        day = xero_day(transfer.get("Date"))
        found.append(Movement(written, code(transfer.get("FromBankAccount")), -amount, day))
        found.append(Movement(written, code(transfer.get("ToBankAccount")), amount, day))
    return found


def _paged(xero: XeroReader, collection: str) -> Iterable[dict[str, Any]]:
    page = 1
    while True:
        rows = xero.get(collection, {"page": str(page)}).get(collection) or []
        yield from rows
        if len(rows) < PAGE_SIZE:
            return
        page += 1
