"""Overpayments and prepayments: money received or spent before (or beyond) an invoice, kept as a credit.

A bank transaction of Type ``RECEIVE-OVERPAYMENT``, ``SPEND-OVERPAYMENT``, ``RECEIVE-PREPAYMENT`` or
``SPEND-PREPAYMENT`` (``backend/banktransactions.py`` checks it) creates one here; the transaction then
carries its ``OverpaymentID`` / ``PrepaymentID``. The credit follows the credit-note arithmetic
(``RemainingCredit = Total − allocations − refunds``, AUTHORISED → PAID when used up, VOIDED when its bank
transaction is deleted while nothing is used) and the shared allocation and payment rules.

Where the credit waits (docs/fidelity/overpayments-prepayments.md):

* an overpayment's one line is coded to the control account (Accounts Receivable for a customer's,
  Accounts Payable for a supplier's) with no tax, so it waits there, as a credit note does; allocating it
  moves no money between accounts, refunding it is cash against the control account;
* a prepayment's lines keep the accounts and tax the client coded them to (a liability such as "revenue
  received in advance", or straight to income), which hold the credit; allocating or refunding part of it
  takes that part of each line back, in proportion, against the control account or the bank.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..posting import (
    CREDIT_SOURCE,
    CREDITED_INVOICE_TYPE,
    HOLDING_ACCOUNTS,
    OVERPAYMENT_TYPES,
    PREPAYMENT_TYPES,
    Line,
    consumption_lines,
    credit_lines,
    document_base_total,
    holding_lines,
    take_share,
)
from ..statuses import DocumentStatus
from .allocations import AllocationsBackend, CreditKind
from .base import fail
from .documents import BASE_DUE, INVOICE, LOCKED, DocumentKind

# Our wording where Xero's is not known (docs/fidelity/overpayments-prepayments.md says which).
ONE_LINE = "An overpayment must have exactly one line item."
NO_FOREIGN_PREPAYMENT = "Prepayments can only be made in a bank account in the organisation's base currency."
# Xero's help: a prepayment's lines may be negative "as long as the total is a positive amount".
NOT_POSITIVE_CREDIT = "The total of an overpayment or prepayment must be greater than zero."
NOT_A_CREDIT = "An existing bank transaction cannot become an overpayment or prepayment; create a new one."
NOT_EDITABLE = "An overpayment or prepayment cannot be changed once created; delete its bank transaction instead."


def _kind(name: str, table: str, id_field: str) -> DocumentKind:
    return DocumentKind(
        table=table,
        id_field=id_field,
        number_field="Reference",
        sales_type=f"RECEIVE-{name.upper()}",
        purchase_type=f"SPEND-{name.upper()}",
        number_prefix="",
        counter="",
        missing_type="",
        wrong_type="",
        bad_creation_status="",
        bad_status=f"{name} not of valid status for modification",
        duplicate_number="",
        unknown_id=f"An existing {name} with the specified {id_field} could not be found",
        negative_total="",
    )


OVERPAYMENT = _kind("Overpayment", "Overpayments", "OverpaymentID")
PREPAYMENT = _kind("Prepayment", "Prepayments", "PrepaymentID")


def _credit_kind(document: DocumentKind, name: str) -> CreditKind:
    return CreditKind(
        document,
        document.table[:-1],
        document.table,
        {credit_type: CREDITED_INVOICE_TYPE[credit_type] for credit_type in document.types},
        f"{name} cannot be allocated as amount is greater than amount outstanding",
        f"{name} cannot be allocated to an incorrect invoice type",
        f"{name} or Invoice not of valid status for modification",
        f"The {name.lower()} and the invoice must belong to the same contact.",
        f"The {name.lower()} and the invoice must be in the same currency.",
    )


OVERPAYMENT_CREDIT = _credit_kind(OVERPAYMENT, "Overpayment")
PREPAYMENT_CREDIT = _credit_kind(PREPAYMENT, "Prepayment")
CREDIT_KINDS = {credit_type: OVERPAYMENT_CREDIT for credit_type in OVERPAYMENT_TYPES} | {
    credit_type: PREPAYMENT_CREDIT for credit_type in PREPAYMENT_TYPES
}


class OverpaymentsBackend(AllocationsBackend):
    # -- reads --

    def overpayment(self, overpayment_id: str) -> dict:
        return self.document(OVERPAYMENT, overpayment_id)

    def prepayment(self, prepayment_id: str) -> dict:
        return self.document(PREPAYMENT, prepayment_id)

    def credit_of_transaction(self, transaction: dict) -> tuple[CreditKind, dict] | None:
        """The overpayment or prepayment a bank transaction created, if it created one."""
        credit_kind = CREDIT_KINDS.get(transaction.get("Type", ""))
        if credit_kind is None:
            return None
        kind = credit_kind.document
        return credit_kind, self.document(kind, transaction[kind.id_field])

    # -- creation, from its bank transaction --

    def create_credit(self, transaction: dict) -> dict:
        """Create the overpayment or prepayment of a just-saved bank transaction and post its journal."""
        credit_kind = CREDIT_KINDS[transaction["Type"]]
        kind = credit_kind.document
        credit: dict[str, Any] = {
            kind.id_field: self.ids.guid(),
            "Type": transaction["Type"],
            "Contact": dict(transaction["Contact"]),
            "Date": transaction["Date"],
            "Status": DocumentStatus.AUTHORISED,
            "LineAmountTypes": transaction["LineAmountTypes"],
            "LineItems": [dict(line) for line in transaction["LineItems"]],
            "SubTotal": transaction["SubTotal"],
            "TotalTax": transaction["TotalTax"],
            "Total": transaction["Total"],
            "CurrencyCode": transaction["CurrencyCode"],
            "CurrencyRate": transaction["CurrencyRate"],
            "AmountPaid": Decimal("0.00"),
            "AmountCredited": Decimal("0.00"),
            "AmountDue": transaction["Total"],
            "RemainingCredit": transaction["Total"],
            "Allocations": [],
            "Payments": [],
            "HasAttachments": False,
            "BankAccount": dict(transaction["BankAccount"]),
            "UpdatedDateUTC": self.now(),
        }
        if transaction.get("Reference"):
            credit["Reference"] = transaction["Reference"]
        if credit["Type"] == "RECEIVE-PREPAYMENT":
            # Xero numbers a customer's prepayment in line with sales invoices, and shows that number as
            # its Reference too (the spec: "Returns Invoice number field. Reference field isn't available").
            credit["InvoiceNumber"] = credit["Reference"] = self._next_number(INVOICE)
        credit[BASE_DUE] = document_base_total(credit, self.base_currency)
        lines = credit_lines(credit, self.account, self.system_account, self.base_currency)
        if credit_kind is PREPAYMENT_CREDIT:
            held = holding_lines(credit, self.account, self.system_account, self.base_currency)
            credit[HOLDING_ACCOUNTS] = list(dict.fromkeys(line.account["AccountID"] for line in held))
        self._save(kind.table, credit[kind.id_field], credit)
        self.post_journal(
            source_type=CREDIT_SOURCE[credit["Type"]],
            source_id=credit[kind.id_field],
            journal_date=credit["Date"],
            currency=self.base_currency,
            lines=lines,
            reference=credit.get("Reference"),
        )
        customer = credit["Type"].startswith("RECEIVE")
        self.mark_contact_role(credit["Contact"]["ContactID"], customer=customer, supplier=not customer)
        return credit

    def void_credit(self, transaction: dict) -> dict:
        """Deleting an overpayment's or prepayment's bank transaction voids the credit and reverses its
        journal; a credit already allocated or refunded cannot go (take those back first)."""
        found = self.credit_of_transaction(transaction)
        assert found is not None
        credit_kind, credit = found
        if credit["Status"] == DocumentStatus.VOIDED:
            return credit
        if credit["AmountPaid"] or credit["AmountCredited"]:
            raise fail(LOCKED)
        kind = credit_kind.document
        credit["Status"] = DocumentStatus.VOIDED
        credit["AmountDue"] = credit["RemainingCredit"] = Decimal("0.00")
        credit[BASE_DUE] = Decimal("0.00")
        credit["UpdatedDateUTC"] = self.now()
        self._save(kind.table, credit[kind.id_field], credit)
        self.reverse_journals(credit[kind.id_field], credit["Date"])
        return credit

    # -- allocation --

    def allocate_overpayment(self, overpayment_id: str, values: dict) -> dict:
        return self.allocate_credit(OVERPAYMENT_CREDIT, overpayment_id, values)

    def allocate_prepayment(self, prepayment_id: str, values: dict) -> dict:
        return self.allocate_credit(PREPAYMENT_CREDIT, prepayment_id, values)

    def delete_overpayment_allocation(self, overpayment_id: str, allocation_id: str) -> dict:
        return self.delete_credit_allocation(OVERPAYMENT_CREDIT, overpayment_id, allocation_id)

    def delete_prepayment_allocation(self, prepayment_id: str, allocation_id: str) -> dict:
        return self.delete_credit_allocation(PREPAYMENT_CREDIT, prepayment_id, allocation_id)

    def prepayment_use_lines(self, credit: dict, amount: Decimal, counterpart: dict, description: str) -> list[Line]:
        """The lines that use ``amount`` of a prepayment against ``counterpart``: each holding account gives
        back its share of what it still holds (read from the prepayment's live journals)."""
        taken = take_share(self.prepayment_holding(credit), amount, credit["RemainingCredit"])
        return consumption_lines(taken, counterpart, self.account, description)

    def prepayment_holding(self, credit: dict) -> list[tuple[str, Decimal]]:
        """What each of a prepayment's holding accounts still holds of it: its creation's lines less what
        its live allocations and refunds took (deleted ones are reversed, so they net to nothing)."""
        sources = [
            credit["PrepaymentID"],
            *(a["AllocationID"] for a in credit["Allocations"]),
            *(p["PaymentID"] for p in credit["Payments"]),
        ]
        held = dict.fromkeys(credit[HOLDING_ACCOUNTS], Decimal("0.00"))
        for source_id in sources:
            for journal in self.journals_for(source_id):
                for line in journal["JournalLines"]:
                    if line["AccountID"] in held:
                        held[line["AccountID"]] += line["NetAmount"]
        return list(held.items())

    def credit_by_ref(self, values: dict) -> tuple[CreditKind, dict] | None:
        """The overpayment or prepayment a payment names (``Overpayment{OverpaymentID}`` / ``Prepayment``)."""
        for credit_kind in (OVERPAYMENT_CREDIT, PREPAYMENT_CREDIT):
            kind = credit_kind.document
            reference = values.get(credit_kind.ref_field) or {}
            if reference.get(kind.id_field):
                credit = self._get(kind.table, reference[kind.id_field])
                if credit is None:
                    raise fail(kind.unknown_id)
                return credit_kind, credit
        return None
