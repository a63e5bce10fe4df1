"""The posting rules: which accounts each kind of record debits and credits, as pure functions and tables.

The backend posts journals with these functions; the ledger check reads the same tables to know what each
source should have left on its accounts. Nothing here touches the store: account records and lookups come
in as arguments, ``Line`` values come out. Amounts are signed, debit > 0 and credit < 0 (accrual basis):

=============================================  =============================================================
record                                          journal
=============================================  =============================================================
sales invoice (ACCREC) AUTHORISED               Dr Accounts Receivable total; Cr each line's account net,
                                                Cr the tax account the tax
bill (ACCPAY) AUTHORISED                        Dr each line's account net and the tax; Cr Accounts Payable
sales credit note (ACCRECCREDIT) AUTHORISED     Dr lines and tax; Cr Accounts Receivable total
supplier credit note (ACCPAYCREDIT) AUTHORISED  Dr Accounts Payable total; Cr lines and tax
payment on a sales invoice (ACCRECPAYMENT)      Dr the payment's bank account; Cr Accounts Receivable
payment on a bill (ACCPAYPAYMENT)               Dr Accounts Payable; Cr the bank account
refund of a sales credit note (ARCREDITPAYMENT) Dr Accounts Receivable; Cr the bank account
refund of a supplier credit (APCREDITPAYMENT)   Dr the bank account; Cr Accounts Payable
bank transaction RECEIVE / SPEND                Dr / Cr its bank account total; the other side on its lines
bank transfer                                   Dr the To account; Cr the From account
overpayment (RECEIVE-/SPEND-OVERPAYMENT)        Dr / Cr its bank account total; the other side on the control
                                                account (Accounts Receivable / Payable), where it waits
prepayment (RECEIVE-/SPEND-PREPAYMENT)          as RECEIVE / SPEND: the lines (and tax) hold the credit
refund of an overpayment (AR/APOVERPAYMENT...)  as a credit-note refund: the control account against the bank
allocation of an overpayment                    as a credit note's (no journal in base currency)
allocation or refund of a prepayment            the part of each holding line it uses, taken back, against
                                                the control account (allocation) or the bank (refund)
allocation of a credit note                     no journal: both sides sit in the same control account
                                                (foreign documents at different rates: the base difference,
                                                control account against realised currency gains)
void or delete of any of the above              the exact reversal of its journal
=============================================  =============================================================

Journals are in the organisation's base currency, as Xero's ``/Journals`` are. A record in a foreign currency
posts each line at its rate (``exchange.to_base``: rounded to cents per line, so each line is what Xero
shows), keeps the line's own currency and amount beside it (``Line.currency`` / ``Line.amount``), and any
residue the per-line rounding leaves goes to the ROUNDING system account, so every journal balances exactly.
A foreign payment clears its document at the document's rate and moves the bank account at the payment's
rate; the difference goes to the REALISEDCURRENCYGAIN system account.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from .exchange import to_base
from .money import ZERO, line_net
from .statuses import DocumentStatus

# A document's journal is live in these statuses (it counts in the books) ...
POSTED = frozenset({DocumentStatus.AUTHORISED, DocumentStatus.PAID})
# ... and in these it owes nothing and its journal has been reversed.
RETIRED = frozenset({DocumentStatus.VOIDED, DocumentStatus.DELETED})

SALES_TYPES = frozenset({"ACCREC", "ACCRECCREDIT"})


class ControlSide(NamedTuple):
    """Where a document meets its control account, and the sign (debit > 0) its Total takes there."""

    system_account: str  # DEBTORS or CREDITORS
    sign: int


class PaymentSide(NamedTuple):
    """The control account a payment clears, and the sign (debit > 0) its Amount takes on the bank account;
    the control account takes the opposite."""

    system_account: str
    bank_sign: int


DOCUMENT_CONTROL = {
    "ACCREC": ControlSide("DEBTORS", 1),
    "ACCPAY": ControlSide("CREDITORS", -1),
    "ACCRECCREDIT": ControlSide("DEBTORS", -1),
    "ACCPAYCREDIT": ControlSide("CREDITORS", 1),
}
# The payment type that settles each document type.
PAYMENT_TYPE = {
    "ACCREC": "ACCRECPAYMENT",
    "ACCPAY": "ACCPAYPAYMENT",
    "ACCRECCREDIT": "ARCREDITPAYMENT",
    "ACCPAYCREDIT": "APCREDITPAYMENT",
}
# A payment undoes on the control account what its document put there, so the bank side takes the
# document's sign: cash in for a sales invoice or a supplier credit, out for a bill or a customer refund.
PAYMENT_SIDE = {
    payment_type: PaymentSide(*DOCUMENT_CONTROL[doc_type]) for doc_type, payment_type in PAYMENT_TYPE.items()
}
# Overpayments and prepayments: the BankTransaction Type that creates each, and the journal SourceType of
# everything it posts (its creation, its refunds and its allocations; Xero's Journal SourceType enum has
# these four and no refund types of their own).
CREDIT_SOURCE = {
    "RECEIVE-OVERPAYMENT": "AROVERPAYMENT",
    "SPEND-OVERPAYMENT": "APOVERPAYMENT",
    "RECEIVE-PREPAYMENT": "ARPREPAYMENT",
    "SPEND-PREPAYMENT": "APPREPAYMENT",
}
OVERPAYMENT_TYPES = ("RECEIVE-OVERPAYMENT", "SPEND-OVERPAYMENT")
PREPAYMENT_TYPES = ("RECEIVE-PREPAYMENT", "SPEND-PREPAYMENT")
# Where an overpayment waits: a customer's credits Accounts Receivable, a supplier's debits Accounts Payable.
OVERPAYMENT_CONTROL = {
    "RECEIVE-OVERPAYMENT": ControlSide("DEBTORS", -1),
    "SPEND-OVERPAYMENT": ControlSide("CREDITORS", 1),
}
# The invoice type each kind of credit pays down, and the payment type that refunds it.
CREDITED_INVOICE_TYPE = {
    "RECEIVE-OVERPAYMENT": "ACCREC",
    "SPEND-OVERPAYMENT": "ACCPAY",
    "RECEIVE-PREPAYMENT": "ACCREC",
    "SPEND-PREPAYMENT": "ACCPAY",
}
REFUND_TYPE = {
    "RECEIVE-OVERPAYMENT": "AROVERPAYMENTPAYMENT",
    "SPEND-OVERPAYMENT": "APOVERPAYMENTPAYMENT",
    "RECEIVE-PREPAYMENT": "ARPREPAYMENTPAYMENT",
    "SPEND-PREPAYMENT": "APPREPAYMENTPAYMENT",
}
# A refund gives the money back: out of the bank for a customer's credit, into it for a supplier's. An
# overpayment's refund clears the control account (as a credit note's does); a prepayment's clears its
# holding lines instead (``consumption_lines``), so only its bank side is a table entry.
PAYMENT_SIDE.update(
    {REFUND_TYPE[credit_type]: PaymentSide(*control) for credit_type, control in OVERPAYMENT_CONTROL.items()}
)
# Hidden field of a prepayment: the accounts its creation's lines (and tax) hold its credit on.
HOLDING_ACCOUNTS = "_HoldingAccountIDs"
PREPAYMENT_REFUND_BANK_SIGN = {"ARPREPAYMENTPAYMENT": -1, "APPREPAYMENTPAYMENT": 1}


def payment_bank_sign(payment_type: str) -> int | None:
    """The sign a payment's Amount takes on its bank account (debit > 0); None for an unknown type."""
    side = PAYMENT_SIDE.get(payment_type)
    return side.bank_sign if side else PREPAYMENT_REFUND_BANK_SIGN.get(payment_type)


# The journal SourceType of a bank transaction of each type, and of a bank transfer.
BANK_TRANSACTION_SOURCE = {"SPEND": "CASHPAID", "RECEIVE": "CASHREC"}
TRANSFER_SOURCE = "TRANSFER"
# Every Journal SourceType the mock posts, and those of money that actually moved (``paymentsOnly``).
SOURCE_TYPES = frozenset(
    {*DOCUMENT_CONTROL, *PAYMENT_TYPE.values(), *BANK_TRANSACTION_SOURCE.values(), TRANSFER_SOURCE}
    | set(CREDIT_SOURCE.values())
)
# An overpayment's or prepayment's own journals are cash (it is money received or spent, and its refunds);
# a prepayment's allocations share the SourceType and so count here too (our choice, docs/fidelity).
CASH_SOURCES = frozenset(
    {*PAYMENT_TYPE.values(), *BANK_TRANSACTION_SOURCE.values(), TRANSFER_SOURCE} | set(CREDIT_SOURCE.values())
)
# The two invoice types and the credit-note type that offsets each on the same control account.
CREDIT_TYPE = {"ACCREC": "ACCRECCREDIT", "ACCPAY": "ACCPAYCREDIT"}


class Line(NamedTuple):
    """One side of a posting, before it is stored. (A named tuple: built half a dozen times a create, at
    half a frozen dataclass's cost.)"""

    account: dict  # the account record
    net: Decimal  # debit > 0, credit < 0
    description: str | None = None
    tax_amount: Decimal = ZERO
    tax_type: str | None = None
    # A line converted from a foreign currency: that currency and the line's amount in it (``net`` is base).
    currency: str | None = None
    amount: Decimal | None = None


AccountById = Callable[[str], dict]
SystemAccount = Callable[[str], dict]  # DEBTORS, CREDITORS, GST, ROUNDING → the account record


def is_posted(status: str | None) -> bool:
    return status in POSTED


def bank_sign(transaction_type: str) -> int:
    """+1 when money comes into the bank account (a debit to it), -1 when it goes out."""
    return 1 if transaction_type.startswith("RECEIVE") else -1


def net_of_tax(line: dict, line_amount_types: str) -> Decimal:
    """The amount a line posts to its account: inclusive lines carry their tax inside LineAmount."""
    return line_net(line.get("LineAmount", ZERO), line.get("TaxAmount", ZERO), line_amount_types)


def in_base(lines: list[Line], currency: str, rate: Decimal, base: str, system_account: SystemAccount) -> list[Line]:
    """Lines balanced in ``currency`` restated in base currency at ``rate``, each rounded to cents; the
    residue of that rounding goes to the ROUNDING account, so the journal balances in base too."""
    if currency == base:
        return lines
    converted = [
        Line(
            line.account,
            to_base(line.net, rate),
            line.description,
            to_base(line.tax_amount, rate),
            line.tax_type,
            currency,
            line.net,
        )
        for line in lines
    ]
    residue = -sum((line.net for line in converted), ZERO)
    if residue:
        converted.append(Line(system_account("ROUNDING"), residue, "Currency rounding"))
    return converted


def document_base_total(record: dict, base: str) -> Decimal:
    """What a document's journal puts on its control account in base currency: its Total at its rate."""
    if record.get("CurrencyCode", base) == base:
        return record["Total"]
    return to_base(record["Total"], record.get("CurrencyRate") or Decimal(1))


def document_lines(
    record: dict, account: AccountById, system_account: SystemAccount, base: str | None = None
) -> list[Line]:
    """An invoice or credit note: the control account takes the total, each line its net, the tax account
    the tax; any rounding residue goes to the rounding account so the journal always balances. A foreign
    document (``base`` given and not its currency) is restated in base currency at its CurrencyRate."""
    control = DOCUMENT_CONTROL[record["Type"]]
    line_sign = -control.sign
    mode = record["LineAmountTypes"]
    lines = [Line(system_account(control.system_account), control.sign * record["Total"])]
    for item in record["LineItems"]:
        if not item.get("AccountID"):
            continue
        lines.append(
            Line(
                account(item["AccountID"]),
                line_sign * net_of_tax(item, mode),
                description=item.get("Description"),
                tax_amount=line_sign * item.get("TaxAmount", ZERO),
                tax_type=item.get("TaxType"),
            )
        )
    if record["TotalTax"]:
        lines.append(Line(system_account("GST"), line_sign * record["TotalTax"]))
    difference = -sum((line.net for line in lines), ZERO)
    if difference:  # per-line rounding leaves none; kept so a posting can never be unbalanced
        lines.append(Line(system_account("ROUNDING"), difference))
    if base is None:
        return lines
    return in_base(lines, record["CurrencyCode"], record["CurrencyRate"], base, system_account)


def payment_bank_base(payment: dict, document_currency: str, base: str) -> Decimal:
    """What a payment moves on its bank account in base currency: its Amount at the payment's rate."""
    if document_currency == base:
        return payment["Amount"]
    return to_base(payment["Amount"], payment["CurrencyRate"])


def payment_settled_base(payment: dict) -> Decimal:
    """What a payment cleared from its document's control account in base currency, at the document's rate
    (recorded when it was made: the last payment clears whatever base amount the document still had)."""
    return payment.get(SETTLED_BASE, payment["Amount"])


GAINS_ACCOUNT = "REALISEDCURRENCYGAIN"
# Hidden fields of a stored journal line converted from a foreign currency: that currency and its amount.
LINE_CURRENCY = "_CurrencyCode"
LINE_AMOUNT = "_CurrencyAmount"
# Hidden fields (the schemas dump declared fields only) of a settlement: the base amount it cleared from
# its document (payments), or from each of its two documents (allocations).
SETTLED_BASE = "_SettledBaseAmount"
INVOICE_SETTLED_BASE = "_InvoiceSettledBaseAmount"
CREDIT_SETTLED_BASE = "_CreditNoteSettledBaseAmount"


def payment_lines(
    payment: dict,
    bank_account: dict,
    system_account: SystemAccount,
    document_currency: str | None = None,
    base: str | None = None,
) -> list[Line]:
    """A payment or refund: cash through the bank account against the document's control account.

    For a foreign document the bank account moves the Amount at the payment's rate, the control account
    what the payment cleared at the document's rate, and the difference is a realised currency gain (or
    loss). A bank account in the document's currency keeps the foreign Amount beside its base line.
    """
    side = PAYMENT_SIDE[payment["PaymentType"]]
    if base is None or document_currency in (None, base):
        bank_net = side.bank_sign * payment["Amount"]
        return [Line(bank_account, bank_net), Line(system_account(side.system_account), -bank_net)]
    amount = side.bank_sign * payment["Amount"]
    bank_base = side.bank_sign * payment_bank_base(payment, document_currency, base)
    control_base = -side.bank_sign * payment_settled_base(payment)
    bank_currency = bank_account.get("CurrencyCode") or base
    if bank_currency == document_currency:
        bank_line = Line(bank_account, bank_base, currency=document_currency, amount=amount)
    else:  # a base-currency bank account: its line is its BankAmount, already base
        bank_line = Line(bank_account, bank_base)
    lines = [
        bank_line,
        Line(system_account(side.system_account), control_base, currency=document_currency, amount=-amount),
    ]
    gain = -(bank_base + control_base)
    if gain:
        lines.append(Line(system_account(GAINS_ACCOUNT), gain, "Realised currency gain"))
    return lines


def allocation_lines(
    invoice_type: str,
    currency: str,
    amount: Decimal,
    invoice_base: Decimal,
    credit_base: Decimal,
    system_account: SystemAccount,
) -> list[Line]:
    """An allocation between foreign documents that cleared different base amounts from each (their rates
    differ, or one was the last to settle): the control account takes the difference, realised currency
    gains the other side. Empty when the two base amounts agree (the usual case: no journal at all)."""
    if invoice_base == credit_base:
        return []
    control = DOCUMENT_CONTROL[invoice_type]
    account = system_account(control.system_account)
    invoice_line = Line(
        account, -control.sign * invoice_base, "Credit allocated", currency=currency, amount=-control.sign * amount
    )
    credit_line = Line(
        account, control.sign * credit_base, "Credit allocated", currency=currency, amount=control.sign * amount
    )
    gain = -(invoice_line.net + credit_line.net)
    return [invoice_line, credit_line, Line(system_account(GAINS_ACCOUNT), gain, "Realised currency gain")]


def bank_transaction_lines(
    record: dict, account: AccountById, system_account: SystemAccount, base: str | None = None
) -> list[Line]:
    """A RECEIVE or SPEND: the bank account takes the total, the lines the other side (net and tax); in a
    foreign-currency bank account, restated in base currency at the transaction's CurrencyRate."""
    sign = -bank_sign(record["Type"])  # SPEND debits its lines, RECEIVE credits them
    mode = record["LineAmountTypes"]
    lines = [
        Line(
            account(item["AccountID"]),
            sign * line_net(item["LineAmount"], item["TaxAmount"], mode),
            item.get("Description"),
            sign * item["TaxAmount"],
            item.get("TaxType"),
        )
        for item in record["LineItems"]
    ]
    if record["TotalTax"]:
        lines.append(Line(system_account("GST"), sign * record["TotalTax"]))
    lines.append(Line(account(record["BankAccount"]["AccountID"]), -sign * record["Total"]))
    if base is None:
        return lines
    return in_base(lines, record["CurrencyCode"], record["CurrencyRate"], base, system_account)


def transfer_lines(
    source: dict,
    target: dict,
    amount: Decimal,
    currency: str | None = None,
    rate: Decimal | None = None,
    base: str | None = None,
) -> list[Line]:
    """A bank transfer: the To account is debited, the From account credited (both in ``currency``; a
    foreign one at ``rate``, so both sides restate to the same base amount and nothing is left over)."""
    if base is None or currency in (None, base) or rate is None:
        return [Line(target, amount, "Bank Transfer"), Line(source, -amount, "Bank Transfer")]
    base_amount = to_base(amount, rate)
    return [
        Line(target, base_amount, "Bank Transfer", currency=currency, amount=amount),
        Line(source, -base_amount, "Bank Transfer", currency=currency, amount=-amount),
    ]


def holding_lines(record: dict, account: AccountById, system_account: SystemAccount, base: str) -> list[Line]:
    """What an overpayment or prepayment's creation put on the accounts that hold its credit: every line of
    its journal but the bank's (for an overpayment, the one control-account line)."""
    bank_id = record["BankAccount"]["AccountID"]
    lines = credit_lines(record, account, system_account, base)
    return [line for line in lines if line.account["AccountID"] != bank_id]


def credit_lines(record: dict, account: AccountById, system_account: SystemAccount, base: str) -> list[Line]:
    """An overpayment or prepayment as created: posted as the RECEIVE or SPEND it arrived as, its lines
    (the control account's, for an overpayment) holding the credit."""
    return bank_transaction_lines(record, account, system_account, base)


def take_share(holding: list[tuple[str, Decimal]], amount: Decimal, remaining: Decimal) -> list[tuple[str, Decimal]]:
    """The part of each holding line (account id, signed amount still held) that using ``amount`` of a
    ``remaining`` credit takes: in proportion, each to the cent, the residue on the largest line so the parts
    sum to exactly the amount; using all that remains takes every line whole."""
    if amount == remaining:
        return [(account_id, held) for account_id, held in holding if held]
    total = sum((held for _, held in holding), ZERO)
    sign = 1 if total > 0 else -1
    parts = [(account_id, (held * amount / remaining).quantize(Decimal("0.01"))) for account_id, held in holding]
    residue = sign * amount - sum((part for _, part in parts), ZERO)
    if residue and parts:
        largest = max(range(len(parts)), key=lambda i: abs(holding[i][1]))
        parts[largest] = (parts[largest][0], parts[largest][1] + residue)
    return [(account_id, part) for account_id, part in parts if part]


def consumption_lines(
    taken: list[tuple[str, Decimal]], counterpart: dict, account: AccountById, description: str
) -> list[Line]:
    """A prepayment's allocation or refund: each holding line gives back its part; the counterpart (the
    control account for an allocation, the bank for a refund) takes the sum."""
    lines = [Line(account(account_id), -part, description) for account_id, part in taken]
    lines.append(Line(counterpart, sum((part for _, part in taken), ZERO), description))
    return lines
