"""The ledger check: the book's invariants (docs/ledger.md), proven from the journals, every break at once.

Built the way beancount checks a ledger:

* the data are immutable values: a ``Book`` (one tenant's records, read-only) goes in, a list of
  ``LedgerError(source, message, entry)`` comes out;
* balances are derived from the journals here and never stored anywhere;
* ``validate(book)`` runs every check and reports every break instead of stopping at the first.

The work is linear in the size of the book: one pass over the journals (``realize``) collects balances per
account and currency, the net each source document posted, and the cash that crossed bank accounts; the
checks then walk the documents once, looking everything up by id.

Invariants (listed with the posting rules in docs/ledger.md):

1. every journal balances, per currency, and the trial balance sums to zero;
2. every line hits an existing account that was active when it was posted; cash moves only through the
   bank account its source names, and that account is a BANK account (a payment may also use an account
   with payments enabled);
3. Accounts Receivable = Σ AmountDue of authorised sales invoices − Σ RemainingCredit of authorised sales
   credit notes and customers' overpayments (Accounts Payable likewise), per currency;
4. documents agree with themselves and with the journals: AmountDue = Total − AmountPaid − AmountCredited ≥ 0,
   PAID exactly when settled, RemainingCredit ≥ 0, payments and allocations add up to AmountPaid /
   AmountCredited; every live document posted its amount, every voided, deleted or draft one nets to zero;
   overpayments and prepayments follow the credit-note rules, and what a prepayment's own lines still hold
   (its creation less its live allocations and refunds) is its RemainingCredit;
5. every bank account's balance equals the sum of its bank-side lines.

``validate_emulator(emulator)`` runs the check on a live emulator without HTTP (tests, benchmarks).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import partial
from typing import Any, NamedTuple

from .exchange import to_base
from .posting import (
    BANK_TRANSACTION_SOURCE,
    CREDIT_SETTLED_BASE,
    CREDIT_SOURCE,
    CREDIT_TYPE,
    DOCUMENT_CONTROL,
    GAINS_ACCOUNT,
    HOLDING_ACCOUNTS,
    INVOICE_SETTLED_BASE,
    LINE_AMOUNT,
    LINE_CURRENCY,
    OVERPAYMENT_CONTROL,
    PAYMENT_SIDE,
    POSTED,
    RETIRED,
    TRANSFER_SOURCE,
    bank_sign,
    document_base_total,
    payment_bank_base,
    payment_bank_sign,
    payment_settled_base,
)
from .statuses import AccountStatus, BankTransactionStatus, BankTransferStatus, DocumentStatus, PaymentStatus
from .store import Store, table_name

ZERO = Decimal("0.00")

# What each source should leave on its control or bank account comes from the posting rules themselves
# (mockxero.posting): the check proves the stored journals and documents agree with those rules and with
# each other, not that the rules are right (their own tests do that).
INVOICE_SOURCES = tuple(CREDIT_TYPE)
CREDIT_NOTE_SOURCES = tuple(CREDIT_TYPE.values())
PAYMENT_SOURCES = tuple(PAYMENT_SIDE)
BANK_TRANSACTION_SOURCES = tuple(BANK_TRANSACTION_SOURCE.values())
TRANSFER_SOURCES = (TRANSFER_SOURCE,)
CREDIT_SOURCES = tuple(CREDIT_SOURCE.values())  # an overpayment's or prepayment's, its refunds' and allocations'
# How a payment or an allocation names the credit it refunds or applies.
CREDIT_REFS = (("CreditNote", "CreditNoteID"), ("Overpayment", "OverpaymentID"), ("Prepayment", "PrepaymentID"))

AccountKey = tuple[str, str]  # (AccountID, currency)


class LedgerError(NamedTuple):
    """One broken invariant.

    source: the kind of record at fault ("Journal", "Account", "Invoice", "CreditNote", "Payment",
        "BankTransaction", "BankTransfer", "Ledger");
    message: what is wrong, in words a finance engineer reads;
    entry: the id of the record at fault (the currency for ledger-wide breaks).
    """

    source: str
    message: str
    entry: str


class Book(NamedTuple):
    """One tenant's books as the check reads them. Records are the store's own: read, never change."""

    tenant_id: str
    name: str
    base_currency: str
    accounts: Mapping[str, dict]  # by AccountID
    journals: Sequence[dict]  # in posting order
    invoices: Mapping[str, dict]  # by InvoiceID
    credit_notes: Mapping[str, dict]  # by CreditNoteID
    payments: Mapping[str, dict]  # by PaymentID
    allocations: Sequence[dict]
    bank_transactions: Mapping[str, dict]  # by BankTransactionID
    bank_transfers: Mapping[str, dict]  # by BankTransferID
    overpayments: Mapping[str, dict] = {}  # by OverpaymentID
    prepayments: Mapping[str, dict] = {}  # by PrepaymentID


class Realization(NamedTuple):
    """What one pass over the journals derives.

    Like a beancount posting, every journal line has a weight in base currency (``NetAmount``) and units in
    its own currency (a foreign line's hidden currency amount; a base line's units are its weight). Amounts
    keyed by ``(AccountID, currency)`` are units, those under ``base_*`` the base weight of the same lines.
    """

    balances: Mapping[AccountKey, Decimal]  # units
    source_nets: Mapping[str, Mapping[AccountKey, Decimal]]  # SourceID → units it left on each account
    bank_side: Mapping[AccountKey, Decimal]  # units of cash lines on the bank account their source names
    errors: list[LedgerError]
    base_balances: Mapping[AccountKey, Decimal]  # base weight, by account and the lines' currency
    source_base_nets: Mapping[str, Mapping[str, Decimal]]  # SourceID → base it left on each AccountID
    bank_side_base: Mapping[str, Decimal]  # base weight of cash lines, by bank AccountID


class CheckResult(NamedTuple):
    errors: list[LedgerError]
    realization: Realization


# --- reading a book ------------------------------------------------------------------------------------


def book_from_store(store: Store, tenant_id: str) -> Book:
    def rows(kind: str) -> list[dict]:
        return list(store.scan(table_name(tenant_id, kind)))

    def by_id(kind: str, id_field: str) -> dict[str, dict]:
        return {row[id_field]: row for row in store.scan(table_name(tenant_id, kind)) if row.get(id_field)}

    organisation = store.get(table_name(tenant_id, "Organisation"), "organisation") or {}
    journals = rows("Journals")
    journals.sort(key=lambda j: j.get("JournalNumber", 0))
    return Book(
        tenant_id=tenant_id,
        name=organisation.get("Name", tenant_id),
        base_currency=organisation.get("BaseCurrency", ""),
        accounts=by_id("Accounts", "AccountID"),
        journals=journals,
        invoices=by_id("Invoices", "InvoiceID"),
        credit_notes=by_id("CreditNotes", "CreditNoteID"),
        payments=by_id("Payments", "PaymentID"),
        allocations=rows("Allocations"),
        bank_transactions=by_id("BankTransactions", "BankTransactionID"),
        bank_transfers=by_id("BankTransfers", "BankTransferID"),
        overpayments=by_id("Overpayments", "OverpaymentID"),
        prepayments=by_id("Prepayments", "PrepaymentID"),
    )


def tenants_in_store(store: Store) -> list[str]:
    """Every tenant that has books in ``store`` (used when reading a data file without its config)."""
    return [name.rpartition(":")[0] for name in store.table_names() if name.endswith(":Organisation")]


def validate_emulator(emulator: Any, tenant_id: str | None = None) -> dict[str, list[LedgerError]]:
    """Check a running emulator's books (every tenant, or one) without going through HTTP."""
    tenant_ids = [tenant_id] if tenant_id else list(emulator.identity.tenants)
    with emulator.store.transaction():  # hold the store so a concurrent writer cannot tear the read
        return {tid: validate(book_from_store(emulator.store, tid)) for tid in tenant_ids}


# --- the check -----------------------------------------------------------------------------------------


def validate(book: Book) -> list[LedgerError]:
    """Every broken invariant of ``book``; an empty list means the books are sound."""
    return check(book).errors


def check(book: Book) -> CheckResult:
    realization = realize(book)
    errors = list(realization.errors)
    for rule in CHECKS:
        errors.extend(rule(book, realization))
    return CheckResult(errors, realization)


def realize(book: Book) -> Realization:
    """One pass over the journals: balances, per-source nets, bank-side sums and line-level errors."""
    balances: dict[AccountKey, Decimal] = defaultdict(Decimal)
    source_nets: dict[str, dict[AccountKey, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    bank_side: dict[AccountKey, Decimal] = defaultdict(Decimal)
    base_balances: dict[AccountKey, Decimal] = defaultdict(Decimal)
    source_base_nets: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    bank_side_base: dict[str, Decimal] = defaultdict(Decimal)
    errors: list[LedgerError] = []
    allocation_ids = {allocation.get("AllocationID") for allocation in book.allocations}
    for journal in book.journals:
        errors.extend(_journal_balances(journal))
        source_known = _source_exists(book, journal, allocation_ids)
        if not source_known:
            errors.append(
                _journal_error(
                    journal, f"its source {journal.get('SourceType')} {journal.get('SourceID')} does not exist"
                )
            )
        cash_accounts = _bank_side_accounts(book, journal)
        errors.extend(_cash_account_errors(book, journal, cash_accounts))
        journal_currency = journal.get("CurrencyCode", book.base_currency)
        nets = source_nets[journal.get("SourceID", "")]
        base_nets = source_base_nets[journal.get("SourceID", "")]
        for line in journal.get("JournalLines", []):
            account_id = line.get("AccountID", "")
            weight = line.get("NetAmount", ZERO)
            currency = line.get(LINE_CURRENCY) or journal_currency
            amount = line.get(LINE_AMOUNT, ZERO) if LINE_CURRENCY in line else weight
            key = (account_id, currency)
            balances[key] += amount
            nets[key] += amount
            base_balances[key] += weight
            base_nets[account_id] += weight
            errors.extend(_line_account_errors(book, journal, line))
            account = book.accounts.get(account_id)
            if account_id in cash_accounts:
                bank_side[key] += amount
                bank_side_base[account_id] += weight
            elif account is not None and account.get("Type") == "BANK":
                errors.append(
                    _journal_error(journal, f"posts to bank account {_account_name(account)} outside a cash movement")
                )
    return Realization(balances, source_nets, bank_side, errors, base_balances, source_base_nets, bank_side_base)


def _journal_error(journal: dict, what: str) -> LedgerError:
    return LedgerError(
        "Journal",
        f"Journal {journal.get('JournalNumber')} ({journal.get('SourceType')} {journal.get('SourceID')}) {what}",
        journal.get("JournalID", ""),
    )


def _journal_balances(journal: dict) -> list[LedgerError]:
    total = sum((line.get("NetAmount", ZERO) for line in journal.get("JournalLines", [])), ZERO)
    if total != 0:
        return [
            _journal_error(
                journal,
                f"does not balance: debits exceed credits by {total} {journal.get('CurrencyCode', '')}".rstrip(),
            )
        ]
    return []


def _line_account_errors(book: Book, journal: dict, line: dict) -> list[LedgerError]:
    account = book.accounts.get(line.get("AccountID", ""))
    if account is None:
        return [
            _journal_error(
                journal, f"posts to account {line.get('AccountCode') or line.get('AccountID')} that does not exist"
            )
        ]
    status = account.get("Status", AccountStatus.ACTIVE)
    if status == AccountStatus.DELETED:
        return [_journal_error(journal, f"posts to deleted account {_account_name(account)}")]
    if status != AccountStatus.ACTIVE and not journal.get("ReversesJournalID"):
        changed = account.get("UpdatedDateUTC")
        created = journal.get("CreatedDateUTC")
        if changed is not None and created is not None and created > changed:
            return [_journal_error(journal, f"posts to account {_account_name(account)} after it was {status.lower()}")]
    return []


def _bank_side_accounts(book: Book, journal: dict) -> set[str]:
    """The accounts a cash journal's source says the money moved through (empty for non-cash journals)."""
    source_type = journal.get("SourceType")
    source_id = journal.get("SourceID", "")
    if source_type in BANK_TRANSACTION_SOURCES:
        transaction = book.bank_transactions.get(source_id) or {}
        return {transaction.get("BankAccount", {}).get("AccountID", "")} - {""}
    if source_type in TRANSFER_SOURCES:
        transfer = book.bank_transfers.get(source_id) or {}
        return {transfer.get(side, {}).get("AccountID", "") for side in ("FromBankAccount", "ToBankAccount")} - {""}
    if source_type in PAYMENT_SOURCES or (source_type in CREDIT_SOURCES and source_id in book.payments):
        payment = book.payments.get(source_id) or {}
        return {payment.get("Account", {}).get("AccountID", "")} - {""}
    if source_type in CREDIT_SOURCES:  # a credit's own journal (its allocations move no cash)
        credit = book.overpayments.get(source_id) or book.prepayments.get(source_id) or {}
        return {credit.get("BankAccount", {}).get("AccountID", "")} - {""}
    return set()


def _cash_account_errors(book: Book, journal: dict, cash_accounts: set[str]) -> list[LedgerError]:
    errors = []
    lines_by_account = {line.get("AccountID") for line in journal.get("JournalLines", [])}
    for account_id in cash_accounts:
        account = book.accounts.get(account_id)
        if account is None:
            continue  # reported as a line error, or the source names an account it never posted to
        by_payment = journal.get("SourceType") in PAYMENT_SOURCES or journal.get("SourceID") in book.payments
        payments_allowed = by_payment and account.get("EnablePaymentsToAccount")
        if account.get("Type") != "BANK" and not payments_allowed:
            errors.append(
                _journal_error(journal, f"moves cash through {_account_name(account)}, which is not a bank account")
            )
        if account_id not in lines_by_account:
            errors.append(
                _journal_error(journal, f"does not post to {_account_name(account)}, the bank account its source names")
            )
    return errors


def _source_exists(book: Book, journal: dict, allocation_ids: set) -> bool:
    source_type = journal.get("SourceType")
    source_id = journal.get("SourceID", "")
    if source_type in INVOICE_SOURCES:
        return source_id in book.invoices
    if source_type in CREDIT_NOTE_SOURCES:  # a credit note's own, or one of its allocations' (currency gains)
        return source_id in book.credit_notes or source_id in allocation_ids
    if source_type in PAYMENT_SOURCES:
        return source_id in book.payments
    if source_type in BANK_TRANSACTION_SOURCES:
        return source_id in book.bank_transactions
    if source_type in TRANSFER_SOURCES:
        return source_id in book.bank_transfers
    if source_type in CREDIT_SOURCES:  # the credit's own, a refund's or an allocation's
        credits = (book.overpayments, book.prepayments, book.payments)
        return any(source_id in records for records in credits) or source_id in allocation_ids
    return False


def _account_name(account: dict) -> str:
    code = account.get("Code")
    return f"{account.get('Name', account.get('AccountID'))} ({code})" if code else str(account.get("Name"))


# --- checks over the realized book ---------------------------------------------------------------------


def check_trial_balance(book: Book, realized: Realization) -> list[LedgerError]:
    """Invariant 1 (ledger-wide): debits equal credits in base currency (journals are base-currency)."""
    total = sum(realized.base_balances.values(), ZERO)
    if total == 0:
        return []
    currency = book.base_currency
    return [LedgerError("Ledger", f"The trial balance in {currency} does not sum to zero: off by {total}", currency)]


def base_outstanding(book: Book) -> dict[str, Decimal]:
    """What each posted document still holds on its control account in base currency, from the records: its
    Total at its rate less the base amount each live payment and allocation recorded clearing from it."""
    base = book.base_currency
    left: dict[str, Decimal] = {}
    for documents in (book.invoices, book.credit_notes, book.overpayments, book.prepayments):
        for document_id, document in documents.items():
            if document.get("Status") in POSTED:
                left[document_id] = document_base_total(document, base)
    for payment in book.payments.values():
        document_id = _ref(payment, "Invoice", "InvoiceID") or _credit_ref(payment)
        if payment.get("Status") == PaymentStatus.AUTHORISED and document_id in left:
            left[document_id] -= payment_settled_base(payment)
    for allocation in book.allocations:
        if allocation.get("IsDeleted"):
            continue
        amount = allocation.get("Amount", ZERO)
        for document_id, settled in (
            (_ref(allocation, "Invoice", "InvoiceID"), INVOICE_SETTLED_BASE),
            (_credit_ref(allocation), CREDIT_SETTLED_BASE),
        ):
            if document_id in left:
                left[document_id] -= allocation.get(settled, amount)
    return left


def check_control_accounts(book: Book, realized: Realization) -> list[LedgerError]:
    """Invariant 3: receivables and payables equal what the authorised documents leave outstanding: in each
    document currency (the documents' own figures) and in base currency (each document at its own rate,
    less what its settlements cleared at that rate; what they banked beyond that is the realised gain)."""
    errors = []
    left = base_outstanding(book)
    for invoice_type, credit_type in CREDIT_TYPE.items():
        system, sign = DOCUMENT_CONTROL[invoice_type]
        label = _CONTROL_LABEL[system]
        control_ids = [a["AccountID"] for a in book.accounts.values() if a.get("SystemAccount") == system]
        expected: dict[str, Decimal] = defaultdict(Decimal)
        for invoice in book.invoices.values():
            if invoice.get("Type") == invoice_type and invoice.get("Status") in POSTED:
                expected[_currency(book, invoice)] += invoice.get("AmountDue", ZERO)
        for note in book.credit_notes.values():
            if note.get("Type") == credit_type and note.get("Status") in POSTED:
                expected[_currency(book, note)] -= note.get("RemainingCredit", ZERO)
        overpayments = _overpayments_on(book, system)
        for overpayment in overpayments.values():
            if overpayment.get("Status") in POSTED:
                expected[_currency(book, overpayment)] -= overpayment.get("RemainingCredit", ZERO)
        actual: dict[str, Decimal] = defaultdict(Decimal)
        for (account_id, currency), amount in realized.balances.items():
            if account_id in control_ids:
                actual[currency] += sign * amount
        for currency in dict.fromkeys([*expected, *actual]):
            if expected[currency] != actual[currency]:
                errors.append(
                    LedgerError(
                        "Account",
                        f"{label} in {currency} is {actual[currency]} but the authorised documents leave "
                        f"{expected[currency]} outstanding",
                        control_ids[0] if control_ids else system,
                    )
                )
        # In base currency only the foreign documents remain to prove: a base-currency line's weight is its
        # units, which the check above has compared already.
        base = book.base_currency
        expected_base = sum(
            (
                left.get(i, ZERO)
                for i, d in book.invoices.items()
                if d.get("Type") == invoice_type and _currency(book, d) != base
            ),
            ZERO,
        ) - sum(
            (
                left.get(i, ZERO)
                for i, d in [*book.credit_notes.items(), *overpayments.items()]
                if d.get("Type") in (credit_type, *overpayments_types(system)) and _currency(book, d) != base
            ),
            ZERO,
        )
        actual_base = sign * sum(
            (
                amount
                for (account_id, currency), amount in realized.base_balances.items()
                if account_id in control_ids and currency != base
            ),
            ZERO,
        )
        if expected_base != actual_base:
            errors.append(
                LedgerError(
                    "Account",
                    f"{label} holds {actual_base} {base} for foreign-currency documents but they leave "
                    f"{expected_base} {base} outstanding at their rates",
                    control_ids[0] if control_ids else system,
                )
            )
    return errors


def check_documents(book: Book, realized: Realization) -> list[LedgerError]:
    """Invariant 4 (documents): amounts add up, statuses agree, payments and allocations are accounted for."""
    paid: dict[str, Decimal] = defaultdict(Decimal)  # by InvoiceID / CreditNoteID
    credited: dict[str, Decimal] = defaultdict(Decimal)  # by InvoiceID
    allocated: dict[str, Decimal] = defaultdict(Decimal)  # by CreditNoteID
    for payment in book.payments.values():
        if payment.get("Status") == PaymentStatus.AUTHORISED:
            document_id = _ref(payment, "Invoice", "InvoiceID") or _credit_ref(payment)
            paid[document_id] += payment.get("Amount", ZERO)
    for allocation in book.allocations:
        if not allocation.get("IsDeleted"):
            credited[_ref(allocation, "Invoice", "InvoiceID")] += allocation.get("Amount", ZERO)
            allocated[_credit_ref(allocation)] += allocation.get("Amount", ZERO)

    errors: list[LedgerError] = []
    left = base_outstanding(book)
    for invoice_id, invoice in book.invoices.items():
        problem = partial(
            _report, errors, "Invoice", f"Invoice {invoice.get('InvoiceNumber') or invoice_id}", invoice_id
        )
        if invoice.get("Status") in POSTED and invoice.get("AmountDue") == 0 and left.get(invoice_id):
            problem(f"is settled but still holds {left[invoice_id]} {book.base_currency} at its rate")

        status = invoice.get("Status")
        total, due = invoice.get("Total", ZERO), invoice.get("AmountDue", ZERO)
        amount_paid, amount_credited = invoice.get("AmountPaid", ZERO), invoice.get("AmountCredited", ZERO)
        if status in POSTED:
            if due != total - amount_paid - amount_credited:
                problem(
                    f"has AmountDue {due} but Total {total} − AmountPaid {amount_paid} − "
                    f"AmountCredited {amount_credited} = {total - amount_paid - amount_credited}"
                )
            if due < 0:
                problem(f"has a negative AmountDue {due}")
            if (status == DocumentStatus.PAID) != (due == 0):
                problem(f"is {status} with AmountDue {due}")
            if amount_paid != paid[invoice_id]:
                problem(f"has AmountPaid {amount_paid} but its payments sum to {paid[invoice_id]}")
            if amount_credited != credited[invoice_id]:
                problem(f"has AmountCredited {amount_credited} but its allocations sum to {credited[invoice_id]}")
        elif status in RETIRED and due != 0:
            problem(f"is {status} but still has AmountDue {due}")

    credits = [
        *(("CreditNote", f"Credit note {n.get('CreditNoteNumber') or i}", i, n) for i, n in book.credit_notes.items()),
        *(("Overpayment", f"Overpayment {i}", i, o) for i, o in book.overpayments.items()),
        *(("Prepayment", f"Prepayment {i}", i, p) for i, p in book.prepayments.items()),
    ]
    for source, name, note_id, note in credits:
        problem = partial(_report, errors, source, name, note_id)

        status = note.get("Status")
        total, remaining = note.get("Total", ZERO), note.get("RemainingCredit", ZERO)
        if status in POSTED and remaining == 0 and left.get(note_id):
            problem(f"is used up but still holds {left[note_id]} {book.base_currency} at its rate")
        if status in POSTED:
            used = allocated[note_id] + paid[note_id]
            if remaining != total - used:
                problem(
                    f"has RemainingCredit {remaining} but Total {total} − allocations and refunds {used} = "
                    f"{total - used}"
                )
            if remaining < 0:
                problem(f"has a negative RemainingCredit {remaining}")
            if (status == DocumentStatus.PAID) != (remaining == 0):
                problem(f"is {status} with RemainingCredit {remaining}")
        elif status in RETIRED and remaining != 0:
            problem(f"is {status} but still has RemainingCredit {remaining}")
    return errors


def check_sources_posted(book: Book, realized: Realization) -> list[LedgerError]:
    """Invariant 4 (journals): each live document posted its amount; each dead one nets to zero."""
    errors = []
    nets = realized.source_nets

    def on(source_id: str, account_ids: Iterable[str]) -> Decimal:
        wanted = set(account_ids)
        return sum(
            (amount for (account_id, _), amount in nets.get(source_id, {}).items() if account_id in wanted), ZERO
        )

    base = book.base_currency

    def posted_base(kind: str, source_id: str, label: str, account_ids: list[str], expected: Decimal) -> None:
        """What a foreign record left in base currency (a base-currency one's units are its base weight)."""
        wanted = set(account_ids)
        actual = sum(
            (
                amount
                for account_id, amount in realized.source_base_nets.get(source_id, {}).items()
                if account_id in wanted
            ),
            ZERO,
        )
        if actual != expected:
            names = "/".join(_account_label(book, a) for a in account_ids) or "its account"
            errors.append(
                LedgerError(
                    kind,
                    f"{label} should leave {expected} {base} on {names} but its journals leave {actual} {base}",
                    source_id,
                )
            )

    def nets_to_zero(kind: str, source_id: str, label: str) -> None:
        left = {key: amount for key, amount in nets.get(source_id, {}).items() if amount != 0}
        left.update(
            {
                (account_id, base): amount
                for account_id, amount in realized.source_base_nets.get(source_id, {}).items()
                if amount != 0 and not left.get((account_id, base))
            }
        )
        if left:
            shown = ", ".join(
                f"{_account_label(book, account_id)} {amount} {currency}"
                for (account_id, currency), amount in left.items()
            )
            errors.append(LedgerError(kind, f"{label} is not fully reversed: {shown}", source_id))

    def posted(kind: str, source_id: str, label: str, account_ids: list[str], expected: Decimal) -> None:
        actual = on(source_id, account_ids)
        if actual != expected:
            names = "/".join(_account_label(book, a) for a in account_ids) or "its account"
            errors.append(
                LedgerError(
                    kind, f"{label} should leave {expected} on {names} but its journals leave {actual}", source_id
                )
            )

    control = {
        system: [a["AccountID"] for a in book.accounts.values() if a.get("SystemAccount") == system]
        for system in ("DEBTORS", "CREDITORS")
    }
    for kind, documents, number_field in (
        ("Invoice", book.invoices, "InvoiceNumber"),
        ("CreditNote", book.credit_notes, "CreditNoteNumber"),
    ):
        for document_id, document in documents.items():
            label = f"{kind} {document.get(number_field) or document_id} ({document.get('Status')})"
            rule = DOCUMENT_CONTROL.get(document.get("Type", ""))
            if document.get("Status") in POSTED and rule:
                posted(kind, document_id, label, control[rule.system_account], rule.sign * document.get("Total", ZERO))
                if _currency(book, document) != base:
                    expected = rule.sign * document_base_total(document, base)
                    posted_base(kind, document_id, label, control[rule.system_account], expected)
            else:
                nets_to_zero(kind, document_id, label)

    for payment_id, payment in book.payments.items():
        label = f"Payment {payment_id} ({payment.get('Status')})"
        side = PAYMENT_SIDE.get(payment.get("PaymentType", ""))
        sign = payment_bank_sign(payment.get("PaymentType", ""))
        account_id = payment.get("Account", {}).get("AccountID", "")
        if payment.get("Status") == PaymentStatus.AUTHORISED and sign:
            # The bank account moves the payment in its own currency: BankAmount, which is the Amount unless
            # a base-currency account paid a foreign document; in base, the Amount at the payment's rate.
            bank_units = payment.get("BankAmount", payment.get("Amount", ZERO))
            posted("Payment", payment_id, label, [account_id], sign * bank_units)
            document_id = _ref(payment, "Invoice", "InvoiceID") or _credit_ref(payment)
            document = next((d[document_id] for d in _documents(book) if document_id in d), {})
            currency = _currency(book, document)
            if currency != base and side:  # a prepayment (never foreign) is proven with its holding lines
                bank_base = payment_bank_base(payment, currency, base)
                settled = payment_settled_base(payment)
                posted_base("Payment", payment_id, label, [account_id], sign * bank_base)
                posted_base("Payment", payment_id, label, control[side.system_account], -sign * settled)
        else:
            nets_to_zero("Payment", payment_id, label)

    for transaction_id, transaction in book.bank_transactions.items():
        label = f"Bank transaction {transaction_id} ({transaction.get('Type')}, {transaction.get('Status')})"
        kind = transaction.get("Type", "")
        if transaction.get("Status") == BankTransactionStatus.AUTHORISED and kind in ("SPEND", "RECEIVE"):
            sign = bank_sign(kind)
            bank = [transaction.get("BankAccount", {}).get("AccountID", "")]
            total = transaction.get("Total", ZERO)
            posted("BankTransaction", transaction_id, label, bank, sign * total)
            if _currency(book, transaction) != base:
                posted_base("BankTransaction", transaction_id, label, bank, sign * _in_base(book, transaction, total))
        else:
            # deleted ones are reversed; a transfer's two transactions post nothing of their own
            nets_to_zero("BankTransaction", transaction_id, label)

    for transfer_id, transfer in book.bank_transfers.items():
        label = f"Bank transfer {transfer_id} ({transfer.get('Status')})"
        if transfer.get("Status") == BankTransferStatus.AUTHORISED:
            # Restated on purpose rather than read from posting.transfer_lines: To gains what From loses
            # is the definition of a transfer, and proving it from the journals checks that function.
            amount = transfer.get("Amount", ZERO)
            to_account = [transfer.get("ToBankAccount", {}).get("AccountID", "")]
            from_account = [transfer.get("FromBankAccount", {}).get("AccountID", "")]
            posted("BankTransfer", transfer_id, label, to_account, amount)
            posted("BankTransfer", transfer_id, label, from_account, -amount)
            if _currency(book, transfer) != base:
                moved = _in_base(book, transfer, amount)
                posted_base("BankTransfer", transfer_id, label, to_account, moved)
                posted_base("BankTransfer", transfer_id, label, from_account, -moved)
        else:
            nets_to_zero("BankTransfer", transfer_id, label)

    # An overpayment or prepayment moved its Total through its bank account; an overpayment's waits on the
    # control account, a prepayment's on its own lines, which hold exactly its RemainingCredit.
    for kind, credits in (("Overpayment", book.overpayments), ("Prepayment", book.prepayments)):
        for credit_id, credit in credits.items():
            label = f"{kind} {credit_id} ({credit.get('Type')}, {credit.get('Status')})"
            if credit.get("Status") not in POSTED:
                nets_to_zero(kind, credit_id, label)
                continue
            sign = bank_sign(credit.get("Type", ""))
            total = credit.get("Total", ZERO)
            bank = [credit.get("BankAccount", {}).get("AccountID", "")]
            posted(kind, credit_id, label, bank, sign * total)
            if _currency(book, credit) != base:
                posted_base(kind, credit_id, label, bank, sign * _in_base(book, credit, total))
            waits = OVERPAYMENT_CONTROL.get(credit.get("Type", ""))
            if waits is not None:
                posted(kind, credit_id, label, control[waits.system_account], waits.sign * total)
                continue
            holding = set(credit.get(HOLDING_ACCOUNTS, []))
            sources = [
                credit_id,
                *(a.get("AllocationID", "") for a in book.allocations if _credit_ref(a) == credit_id),
                *(p_id for p_id, p in book.payments.items() if _credit_ref(p) == credit_id),
            ]
            held = sum(
                (
                    amount
                    for source_id in sources
                    for account_id, amount in realized.source_base_nets.get(source_id, {}).items()
                    if account_id in holding
                ),
                ZERO,
            )
            expected_held = -sign * credit.get("RemainingCredit", ZERO)
            if held != expected_held:
                errors.append(
                    LedgerError(
                        kind,
                        f"{label} has RemainingCredit {credit.get('RemainingCredit')} but its lines hold "
                        f"{-sign * held} {base} of it",
                        credit_id,
                    )
                )

    # An allocation posts only a currency gain: the base difference between what it cleared from each side;
    # a prepayment's moves the part of the prepayment's lines it used onto the control account.
    for allocation in book.allocations:
        allocation_id = allocation.get("AllocationID", "")
        label = f"Allocation {allocation_id}"
        invoice = book.invoices.get(_ref(allocation, "Invoice", "InvoiceID"), {})
        rule = DOCUMENT_CONTROL.get(invoice.get("Type", ""))
        if allocation.get("IsDeleted") or rule is None:
            nets_to_zero("Allocation", allocation_id, label)
            continue
        amount = allocation.get("Amount", ZERO)
        if _ref(allocation, "Prepayment", "PrepaymentID"):
            posted_base("Allocation", allocation_id, label, control[rule.system_account], -rule.sign * amount)
            continue
        difference = allocation.get(CREDIT_SETTLED_BASE, amount) - allocation.get(INVOICE_SETTLED_BASE, amount)
        posted_base("Allocation", allocation_id, label, control[rule.system_account], rule.sign * difference)
        gains = [a["AccountID"] for a in book.accounts.values() if a.get("SystemAccount") == GAINS_ACCOUNT]
        posted_base("Allocation", allocation_id, label, gains, -rule.sign * difference)
    return errors


def _in_base(book: Book, record: dict, amount: Decimal) -> Decimal:
    """A bank record's amount in base currency at its own CurrencyRate (as its journal posted it)."""
    if _currency(book, record) == book.base_currency:
        return amount
    return to_base(amount, record.get("CurrencyRate") or Decimal(1))


def check_bank_accounts(book: Book, realized: Realization) -> list[LedgerError]:
    """Invariant 5: a bank account's balance is exactly the cash its sources moved through it, in base
    currency and in its own currency; its balance in its own currency is the sum of the movements its
    records state (payments' BankAmount, bank transactions' Total, transfers' Amount), and it holds no other."""
    errors = []
    base_totals: dict[str, Decimal] = defaultdict(Decimal)
    for (account_id, currency), balance in realized.balances.items():
        account = book.accounts.get(account_id)
        if account is None or account.get("Type") != "BANK":
            continue
        base_totals[account_id] += realized.base_balances.get((account_id, currency), ZERO)
        cash = realized.bank_side.get((account_id, currency), ZERO)
        if balance != cash:
            errors.append(
                LedgerError(
                    "Account",
                    f"Bank account {_account_name(account)} has a balance of "
                    f"{balance} {currency} but its bank-side lines sum to {cash}",
                    account_id,
                )
            )
        own = account.get("CurrencyCode") or book.base_currency
        if currency != own and balance != 0:
            errors.append(
                LedgerError(
                    "Account",
                    f"Bank account {_account_name(account)} is in {own} but holds {balance} {currency}",
                    account_id,
                )
            )
    # For a base-currency account units are base, so the checks above said it all; a foreign one also
    # needs its base weight and its own-currency movements proven.
    foreign = {
        account_id
        for account_id, account in book.accounts.items()
        if account.get("Type") == "BANK" and (account.get("CurrencyCode") or book.base_currency) != book.base_currency
    }
    for account_id, total in base_totals.items():
        cash = realized.bank_side_base.get(account_id, ZERO)
        if account_id in foreign and total != cash:
            account = book.accounts[account_id]
            errors.append(
                LedgerError(
                    "Account",
                    f"Bank account {_account_name(account)} has a base balance of {total} {book.base_currency} "
                    f"but its bank-side lines sum to {cash}",
                    account_id,
                )
            )
    movements = _bank_movements(book)
    for account_id in sorted(foreign):
        account = book.accounts[account_id]
        own = account["CurrencyCode"]
        balance = realized.balances.get((account_id, own), ZERO)
        if balance != movements.get(account_id, ZERO):
            errors.append(
                LedgerError(
                    "Account",
                    f"Bank account {_account_name(account)} has a balance of {balance} {own} but its payments, "
                    f"bank transactions and transfers move {movements.get(account_id, ZERO)} {own}",
                    account_id,
                )
            )
    return errors


def _bank_movements(book: Book) -> dict[str, Decimal]:
    """Each bank account's movements in its own currency, as the live cash records state them."""
    moved: dict[str, Decimal] = defaultdict(Decimal)
    for payment in book.payments.values():
        sign = payment_bank_sign(payment.get("PaymentType", ""))
        if payment.get("Status") == PaymentStatus.AUTHORISED and sign:
            account_id = payment.get("Account", {}).get("AccountID", "")
            moved[account_id] += sign * payment.get("BankAmount", payment.get("Amount", ZERO))
    for credit in [*book.overpayments.values(), *book.prepayments.values()]:
        if credit.get("Status") in POSTED:
            account_id = credit.get("BankAccount", {}).get("AccountID", "")
            moved[account_id] += bank_sign(credit.get("Type", "")) * credit.get("Total", ZERO)
    for transaction in book.bank_transactions.values():
        kind = transaction.get("Type", "")
        if transaction.get("Status") == BankTransactionStatus.AUTHORISED and kind in ("SPEND", "RECEIVE"):
            account_id = transaction.get("BankAccount", {}).get("AccountID", "")
            moved[account_id] += bank_sign(kind) * transaction.get("Total", ZERO)
    for transfer in book.bank_transfers.values():
        if transfer.get("Status") == BankTransferStatus.AUTHORISED:
            amount = transfer.get("Amount", ZERO)
            moved[transfer.get("ToBankAccount", {}).get("AccountID", "")] += amount
            moved[transfer.get("FromBankAccount", {}).get("AccountID", "")] -= amount
    return moved


CHECKS = (check_trial_balance, check_control_accounts, check_documents, check_sources_posted, check_bank_accounts)


_CONTROL_LABEL = {"DEBTORS": "Accounts Receivable", "CREDITORS": "Accounts Payable"}


def _report(errors: list[LedgerError], source: str, label: str, entry: str, what: str) -> None:
    errors.append(LedgerError(source, f"{label} {what}", entry))


def _ref(record: dict, field: str, id_field: str) -> str:
    value = record.get(field)
    return (value or {}).get(id_field, "") if isinstance(value, dict) else ""


def _credit_ref(record: dict) -> str:
    """The credit note, overpayment or prepayment a payment refunds or an allocation applies."""
    return next((found for field, id_field in CREDIT_REFS if (found := _ref(record, field, id_field))), "")


def _documents(book: Book) -> tuple[Mapping[str, dict], ...]:
    return (book.invoices, book.credit_notes, book.overpayments, book.prepayments)


def _overpayments_on(book: Book, system: str) -> dict[str, dict]:
    """The overpayments waiting on the control account ``system`` (DEBTORS or CREDITORS)."""
    kinds = overpayments_types(system)
    return {i: o for i, o in book.overpayments.items() if o.get("Type") in kinds}


def overpayments_types(system: str) -> tuple[str, ...]:
    return tuple(t for t, side in OVERPAYMENT_CONTROL.items() if side.system_account == system)


def _currency(book: Book, document: dict) -> str:
    return document.get("CurrencyCode") or book.base_currency


def _account_label(book: Book, account_id: str) -> str:
    account = book.accounts.get(account_id)
    return _account_name(account) if account else account_id


# --- what the control API and the CLI show -------------------------------------------------------------


def ledger_report(book: Book) -> dict:
    """The check's answer as JSON-ready values: errors, the trial balance (in base currency, as journals
    are) and account balances: one row per account and currency, ``Balance`` in that currency and
    ``BaseBalance`` what those lines weigh in base currency."""
    errors, realized = check(book)
    debits = credits = ZERO
    base_by_account: dict[str, Decimal] = defaultdict(Decimal)
    for (account_id, _), weight in realized.base_balances.items():
        base_by_account[account_id] += weight
    for weight in base_by_account.values():
        if weight > 0:
            debits += weight
        else:
            credits -= weight
    accounts = []
    for key, balance in realized.balances.items():
        account_id, currency = key
        weight = realized.base_balances.get(key, ZERO)
        if balance == 0 and weight == 0:
            continue
        account = book.accounts.get(account_id, {})
        accounts.append(
            {
                "AccountID": account_id,
                "Code": account.get("Code"),
                "Name": account.get("Name"),
                "Type": account.get("Type"),
                "CurrencyCode": currency,
                "Balance": balance,
                "BaseBalance": weight,
            }
        )
    accounts.sort(key=lambda row: (row["CurrencyCode"], row["Code"] or "", row["AccountID"]))
    return {
        "tenant_id": book.tenant_id,
        "name": book.name,
        "base_currency": book.base_currency,
        "balanced": not errors,
        "errors": [error._asdict() for error in errors],
        "trial_balance": [
            {"CurrencyCode": book.base_currency, "Debits": debits, "Credits": credits, "Difference": debits - credits}
        ]
        if base_by_account
        else [],
        "accounts": accounts,
    }
