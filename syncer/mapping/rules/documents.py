"""Invoice → Invoice ACCREC and credit note → CreditNote ACCRECCREDIT.

Lines: the item of the mapped product (an accounting product mapped on the line wins over its product); the
account is that item's sales account in Xero, else the default revenue account; TaxType from the tax mapping
(else the item's, else the account's default, so every sent line names one and Xero's arithmetic can be
redone here); the billing period appended to the description when configured; a discount as a negative line
on the discount account when one is configured, else by reducing the pre-tax unit price. A credit note's
lines take the item, account and TaxType of the invoice lines they credit.

Before a document is sent its Xero total is computed (``syncer.mapping.arithmetic``); when it would differ
from the billing total the document is rejected with both numbers, never patched with a rounding line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from syncer.mapping.arithmetic import EXCLUSIVE, INCLUSIVE, body_totals, round_money, total_difference
from syncer.mapping.context import MappingContext
from syncer.mapping.outcomes import NaturalKey, Operation, Outcome, Priority, Skip
from syncer.mapping.rules.common import Problems, contact_link, iso, planned
from syncer.refs import Kind, Ref
from syncer.source.model import (
    CreditNote,
    CreditNoteLine,
    CreditNoteStatus,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Period,
    TaxMode,
)

INVOICES = "Invoices"
CREDIT_NOTES = "CreditNotes"
DESCRIPTION_MAX = 4000
# Statuses in which Xero deletes a document instead of voiding it.
_UNAPPROVED = ("DRAFT", "SUBMITTED")
_GONE = ("DELETED", "VOIDED")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_STATUS = {
    InvoiceStatus.DRAFT: "DRAFT",
    InvoiceStatus.ROLLUP_PENDING: "DRAFT",
    InvoiceStatus.PENDING: "AUTHORISED",
    InvoiceStatus.PAID: "AUTHORISED",  # the payment, sent separately, makes it PAID
}


def line_amount_types(mode: TaxMode) -> str:
    return INCLUSIVE if mode is TaxMode.INCLUSIVE else EXCLUSIVE


def period_text(period: Period) -> str:
    """``01 Jan 2024 - 31 Jan 2024``, spelled the same whatever the machine's locale."""
    return f"{_day(period.start)} - {_day(period.end)}"


def _day(day: date) -> str:
    return f"{day.day:02d} {_MONTHS[day.month - 1]} {day.year}"


def invoice_status(invoice: Invoice, held: str | None = None) -> str | None:
    """Xero status for a billing invoice; a voided one is DELETED while Xero still holds it unapproved,
    VOIDED otherwise, and None when it was never sent (there is nothing in Xero to void)."""
    if invoice.status is InvoiceStatus.VOIDED:
        if held is None:
            return None
        return held if held in _GONE else "DELETED" if held in _UNAPPROVED else "VOIDED"
    return _STATUS[invoice.status]


@dataclass(frozen=True)
class Placement:
    """Where a line's revenue goes in Xero."""

    item_code: str | None
    account_code: str
    tax_type: str | None


def place_line(
    product_id: str | None,
    accounting_product_id: str | None,
    tax_code: str | None,
    context: MappingContext,
    problems: Problems,
) -> Placement:
    """The item, account and TaxType of a line (see the module docstring for the order of fallbacks)."""
    config, org = context.config, context.org
    item_code = None
    for product in (accounting_product_id, product_id):
        if product is not None and product in config.items:
            item_code = config.items[product]
            break
    account = (org.item_sales_account(item_code) if item_code else None) or config.default_revenue_account
    tax_type = None
    if tax_code is not None:
        tax_type = config.tax.get(tax_code)
        if tax_type is None:
            problems.add(f"tax code {tax_code!r} has no Xero TaxType in the mapping", "tax_code")
    else:
        item_tax = ((org.items.get(item_code) or {}).get("SalesDetails") or {}).get("TaxType") if item_code else None
        tax_type = item_tax or org.account_tax_type(account)
    if tax_type is not None and org.tax_rates and tax_type not in org.tax_rates:
        problems.add(f"TaxType {tax_type!r} does not exist in the organisation", "tax_code")
    return Placement(item_code, account, tax_type)


def _description(text: str, period: Period | None, context: MappingContext, problems: Problems) -> str:
    description = text.strip()
    if context.config.append_billing_period and period is not None:
        description = f"{description} {period_text(period)}".strip()
    if not description:
        problems.add("has no description; Xero needs at least one character", "description")
    elif len(description) > DESCRIPTION_MAX:
        problems.add(f"description is longer than Xero's {DESCRIPTION_MAX} characters", "description")
    return description


def _xero_line(
    description: str, quantity: Decimal, unit_amount: Decimal, placement: Placement, account: str | None = None
) -> dict[str, Any]:
    # Xero refuses negative quantities; a credit line is a positive quantity at a negative price.
    if quantity < 0:
        quantity, unit_amount = -quantity, -unit_amount
    line: dict[str, Any] = {"Description": description, "Quantity": quantity, "UnitAmount": round_money(unit_amount)}
    if placement.item_code is not None and account is None:
        line["ItemCode"] = placement.item_code
    line["AccountCode"] = account or placement.account_code
    if placement.tax_type is not None:
        line["TaxType"] = placement.tax_type
    return line


def _lines_for(
    line: InvoiceLine, period: Period | None, context: MappingContext, problems: Problems
) -> list[dict[str, Any]]:
    placement = place_line(line.product_id, line.accounting_product_id, line.tax_code, context, problems)
    description = _description(line.description, line.service_period or period, context, problems)
    if not line.discount:
        return [_xero_line(description, line.quantity, line.unit_price, placement)]
    discount_account = context.config.discount_account
    if discount_account is not None:
        discount_text = f"Discount: {description}"[:DESCRIPTION_MAX]
        return [
            _xero_line(description, line.quantity, line.unit_price, placement),
            _xero_line(discount_text, Decimal(1), -line.discount, placement, discount_account),
        ]
    if not line.quantity:
        problems.add("has a discount but no quantity to spread it over", "discount")
        return []
    return [_xero_line(description, line.quantity, line.unit_price - line.discount / line.quantity, placement)]


def _billing_line_total(line: InvoiceLine, mode: TaxMode) -> Decimal:
    net = line.subtotal - line.discount
    return net if mode is TaxMode.INCLUSIVE else net + line.tax_amount


def billing_lines_total(lines: Iterable[InvoiceLine], mode: TaxMode) -> Decimal:
    """What the billing platform's figures for ``lines`` add up to (net of discount, plus tax when exclusive)."""
    return sum((_billing_line_total(line, mode) for line in lines), Decimal("0.00"))


def _total_checked(body: dict[str, Any], billing_total: Decimal, context: MappingContext, problems: Problems) -> None:
    if not body["LineItems"]:
        problems.add("has no lines; Xero needs at least one", "lines")
    if problems:
        return  # the body is incomplete; its total would only add noise
    totals = body_totals(body, lambda tax_type: context.org.tax_rate(tax_type) or Decimal(0))
    difference = total_difference(problems.kind, problems.source_id, totals.total, billing_total)
    if difference is not None:
        problems.found.append(difference)
    elif totals.total < 0:
        # Xero refuses a document whose total is below zero; money owed back is a credit note.
        document = "an invoice" if problems.kind is Kind.INVOICE else "a credit note"
        problems.add(f"totals {totals.total}; Xero refuses {document} with a total below zero", "total")


def _currency_checked(currency: str, context: MappingContext, problems: Problems) -> None:
    if context.org.currencies and currency not in context.org.currencies:
        problems.add(f"currency {currency} is not enabled in the organisation", "currency")


def _customer_checked(
    customer_id: str, context: MappingContext, problems: Problems, document: Ref | None = None
) -> str | None:
    """Reports what is wrong with the document's customer; returns the reason to skip it if it is excluded.

    A deleted customer's contact is archived, and Xero refuses new documents for it; a document Xero
    already holds stays as it is (its unchanged body is not sent again), so only a new one is a problem."""
    customer = context.book.customers.get(customer_id)
    if customer is None:
        problems.add(f"customer {customer_id!r} is not in the billing book", "customer_id")
        return None
    excluded = context.settings.customer_excluded(customer)
    if excluded is not None:
        return f"its customer {customer_id} is excluded: {excluded}"
    if customer.deleted and (document is None or document not in context.held):
        problems.add(
            f"customer {customer_id} is deleted: its contact is archived and Xero refuses documents for it",
            "customer_id",
        )
    return None


def _voiding(
    kind: Kind, source_id: str, number_field: str, number: str, key: NaturalKey, context: MappingContext
) -> Outcome:
    """A document voided in billing: DELETED while Xero holds it unapproved, VOIDED after; nothing to do if
    it was never sent."""
    held = context.held_status(Ref(kind, source_id))
    if held is None:
        return Skip(kind, source_id, "voided before it was ever sent to Xero: nothing to void")
    # once deleted or voided it stays so: the same write again, which the engine sees is already made
    status = held if held in _GONE else "DELETED" if held in _UNAPPROVED else "VOIDED"
    operation = Operation.DELETE if status == "DELETED" else Operation.VOID
    reason = f"{number} was voided in billing; Xero holds it as {held}, so it is {status.lower()}"
    collection = INVOICES if kind is Kind.INVOICE else CREDIT_NOTES
    body = {number_field: number, "Status": status}
    return planned(
        kind, source_id, collection, body, key, context, reason=reason, priority=Priority.DOCUMENT, operation=operation
    )


def map_invoice(invoice: Invoice, context: MappingContext) -> Outcome:
    key = NaturalKey(INVOICES, "InvoiceNumber", invoice.number)
    excluded = context.settings.invoice_excluded(invoice)
    if excluded is not None:
        return Skip(Kind.INVOICE, invoice.id, excluded)
    if invoice.status is InvoiceStatus.VOIDED:
        return _voiding(Kind.INVOICE, invoice.id, "InvoiceNumber", invoice.number, key, context)
    problems = Problems(Kind.INVOICE, invoice.id)
    skip_reason = _customer_checked(invoice.customer_id, context, problems, Ref(Kind.INVOICE, invoice.id))
    if skip_reason is not None:
        return Skip(Kind.INVOICE, invoice.id, skip_reason)
    _currency_checked(invoice.currency, context, problems)
    settings = context.settings
    left_out = {line.id: why for line in invoice.lines if (why := settings.line_excluded(line)) is not None}
    kept = [line for line in invoice.lines if line.id not in left_out]
    if invoice.lines and not kept:
        return Skip(Kind.INVOICE, invoice.id, f"every line is excluded: {_left_out_text(left_out)}")
    lines: list[dict[str, Any]] = []
    for line in settings.ordered_lines(kept):
        lines.extend(_lines_for(line, invoice.billing_period, context, problems.at(f"lines.{line.id}")))
    status = _STATUS[invoice.status]
    body: dict[str, Any] = {
        "Type": "ACCREC",
        "InvoiceNumber": invoice.number,
        "Contact": contact_link(invoice.customer_id),
        "Date": iso(invoice.issue_date),
        "DueDate": iso(invoice.due_date),
        "CurrencyCode": invoice.currency,
        "LineAmountTypes": line_amount_types(invoice.tax_mode),
        "Status": status,
        "LineItems": lines,
    }
    # With lines left out by the settings, the billing figure to match is what the kept lines add up to.
    billing_total = invoice.total if len(kept) == len(invoice.lines) else billing_lines_total(kept, invoice.tax_mode)
    _total_checked(body, billing_total, context, problems)
    if problems:
        return problems.rejected()
    reason = f"invoice {invoice.number} version {invoice.version} ({invoice.status.value} in billing)"
    if left_out:
        reason += f"; lines left out: {_left_out_text(left_out)}"
    return planned(
        Kind.INVOICE,
        invoice.id,
        INVOICES,
        body,
        key,
        context,
        reason=reason,
        priority=Priority.DOCUMENT,
        version=invoice.version,
    )


def _left_out_text(left_out: dict[str, str]) -> str:
    return "; ".join(f"{line_id} ({why})" for line_id, why in left_out.items())


def map_credit_note(credit_note: CreditNote, context: MappingContext) -> Outcome:
    key = NaturalKey(CREDIT_NOTES, "CreditNoteNumber", credit_note.number)
    if credit_note.status is CreditNoteStatus.VOIDED:
        return _voiding(Kind.CREDIT_NOTE, credit_note.id, "CreditNoteNumber", credit_note.number, key, context)
    problems = Problems(Kind.CREDIT_NOTE, credit_note.id)
    skip_reason = _customer_checked(credit_note.customer_id, context, problems, Ref(Kind.CREDIT_NOTE, credit_note.id))
    if skip_reason is not None:
        return Skip(Kind.CREDIT_NOTE, credit_note.id, skip_reason)
    _currency_checked(credit_note.currency, context, problems)
    invoice = None
    if credit_note.invoice_id is not None:
        invoice = context.book.invoices.get(credit_note.invoice_id)
        if invoice is None:
            problems.add(f"credits invoice {credit_note.invoice_id!r}, which is not in the billing book", "invoice_id")
        elif invoice.currency != credit_note.currency:
            problems.add(
                f"is in {credit_note.currency} but credits invoice {invoice.id} in {invoice.currency}", "currency"
            )
    credited = {line.id: line for line in invoice.lines} if invoice is not None else {}
    lines = [
        _credit_line(line, credited, invoice, context, problems.at(f"lines.{line.id}")) for line in credit_note.lines
    ]
    body: dict[str, Any] = {
        "Type": "ACCRECCREDIT",
        "CreditNoteNumber": credit_note.number,
        "Contact": contact_link(credit_note.customer_id),
        "Date": iso(credit_note.issue_date),
        "CurrencyCode": credit_note.currency,
        "LineAmountTypes": line_amount_types(credit_note.tax_mode),
        "Status": "AUTHORISED",
        "LineItems": lines,
    }
    if invoice is not None:
        body["Reference"] = invoice.number
    _total_checked(body, credit_note.total, context, problems)
    if problems:
        return problems.rejected()
    reason = f"credit note {credit_note.number} version {credit_note.version}"
    return planned(
        Kind.CREDIT_NOTE,
        credit_note.id,
        CREDIT_NOTES,
        body,
        key,
        context,
        reason=reason,
        priority=Priority.DOCUMENT,
        version=credit_note.version,
    )


def _credit_line(
    line: CreditNoteLine,
    credited: dict[str, InvoiceLine],
    invoice: Invoice | None,
    context: MappingContext,
    problems: Problems,
) -> dict[str, Any]:
    original = credited.get(line.invoice_line_id) if line.invoice_line_id is not None else None
    if line.invoice_line_id is not None and original is None:
        if invoice is not None:
            problems.add(
                f"credits line {line.invoice_line_id!r}, which invoice {invoice.id} does not have", "invoice_line_id"
            )
        else:
            problems.add(
                f"credits invoice line {line.invoice_line_id!r} but the credit note names no invoice", "invoice_line_id"
            )
    if original is not None:
        tax_code = line.tax_code or original.tax_code
        placement = place_line(original.product_id, original.accounting_product_id, tax_code, context, problems)
    else:
        placement = place_line(line.product_id, None, line.tax_code, context, problems)
    description = _description(line.description, None, context, problems)
    return _xero_line(description, line.quantity, line.unit_price, placement)


def invoice_excluded(invoice: Invoice, context: MappingContext) -> str | None:
    """Why an invoice is not sent at all (so nothing that hangs off it can be), or None."""
    excluded = context.settings.invoice_excluded(invoice)
    if excluded is not None:
        return f"invoice {invoice.id} is excluded: {excluded}"
    customer = context.book.customers.get(invoice.customer_id)
    if customer is not None and (reason := context.settings.customer_excluded(customer)) is not None:
        return f"customer {customer.id} is excluded: {reason}"
    if invoice.lines and all(context.settings.line_excluded(line) is not None for line in invoice.lines):
        return f"invoice {invoice.id} is not sent: every line is excluded by the integration settings"
    return None


def credit_note_excluded(credit_note: CreditNote, context: MappingContext) -> str | None:
    customer = context.book.customers.get(credit_note.customer_id)
    if customer is not None and (reason := context.settings.customer_excluded(customer)) is not None:
        return f"customer {customer.id} is excluded: {reason}"
    return None
