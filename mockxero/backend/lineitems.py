"""Line items: Xero's per-line arithmetic and the rules every line of a document must pass.

Arithmetic (Xero's "rounding in Xero" guide): a line's amount is Quantity × UnitAmount less its discount,
rounded half-up to 2 dp; its tax is computed from that amount and rounded to 2 dp; document totals are
sums of the rounded line figures. Unit amounts are rounded to 2 dp first unless the request says
``unitdp=4``. A client's LineAmount is used only to derive a missing Quantity/UnitAmount, and a client's
TaxAmount overrides the computed tax (the workaround Xero documents for rounding differences).

Used by invoices and credit notes; any other document with ``LineItems`` can price its lines here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .. import money
from ..money import HUNDRED, ZERO, line_tax, round_money
from ..statuses import AccountStatus, TaxRateStatus
from .base import BackendBase

QUANTITY_PLACES = 4  # Xero keeps quantities to 4 dp
ONE = Decimal("1.0000")

# The tax rate flag that lets a rate be used on an account of each class.
_CAN_APPLY = {
    "REVENUE": "CanApplyToRevenue",
    "EXPENSE": "CanApplyToExpenses",
    "ASSET": "CanApplyToAssets",
    "LIABILITY": "CanApplyToLiabilities",
    "EQUITY": "CanApplyToEquity",
}
# Control accounts are posted by the document itself; a line may not be coded to them.
_CONTROL_ACCOUNTS = ("DEBTORS", "CREDITORS")


@dataclass(frozen=True)
class LinePricing:
    """What pricing a document's lines depends on."""

    line_amount_types: str = "Exclusive"
    unit_places: int = 2  # 4 with ``unitdp=4``
    sales: bool = True  # item defaults come from SalesDetails (else PurchaseDetails)
    allow_discounts: bool = False  # only sales invoices carry discounts
    approving: bool = False  # SUBMITTED/AUTHORISED: every priced line needs an account


def line_totals(lines: list[dict], line_amount_types: str) -> dict:
    """SubTotal, TotalTax, Total, TotalDiscount and IsDiscounted of already-priced lines."""
    totals = money.document_totals(
        ((line.get("LineAmount", ZERO), line.get("TaxAmount", ZERO)) for line in lines), line_amount_types
    )
    return {
        "SubTotal": totals.sub_total,
        "TotalTax": totals.total_tax,
        "Total": totals.total,
        "TotalDiscount": round_money(sum((_line_discount(line) for line in lines), ZERO)),
        "IsDiscounted": any(line.get("DiscountRate") or line.get("DiscountAmount") for line in lines),
    }


def _line_discount(line: dict) -> Decimal:
    quantity, unit = line.get("Quantity"), line.get("UnitAmount")
    if quantity is None or unit is None or not (line.get("DiscountRate") or line.get("DiscountAmount")):
        return ZERO
    return round_money(quantity * unit) - line["LineAmount"]


class LineItemsBackend(BackendBase):
    def price_lines(
        self, lines: list[dict], pricing: LinePricing, known_ids: frozenset[str] = frozenset()
    ) -> tuple[list[dict], list[str]]:
        """Validate and price every line; returns the stored lines and every message, in line order.

        ``known_ids`` are the document's current LineItemIDs: a line that names one keeps it, any other
        line gets a fresh id (Xero deletes and recreates lines sent without their ids).
        """
        priced: list[dict] = []
        errors: list[str] = []
        for line in lines:
            record, line_errors = self._price_document_line(line, pricing, known_ids)
            priced.append(record)
            errors.extend(line_errors)
        return priced, list(dict.fromkeys(errors))

    def _price_document_line(
        self, line: dict, pricing: LinePricing, known_ids: frozenset[str]
    ) -> tuple[dict, list[str]]:
        errors: list[str] = []
        line_id = line.get("LineItemID")
        record: dict = {"LineItemID": line_id if line_id in known_ids else self.ids.guid()}

        item: dict | None = None
        details: dict = {}
        code = line.get("ItemCode")
        if code:
            item = self.item_by_code(code)
            if item is None:
                errors.append(f"The Item with code '{code}' could not be found.")
            else:
                details = (item.get("SalesDetails") if pricing.sales else item.get("PurchaseDetails")) or {}
                record["ItemCode"] = item["Code"]
                record["Item"] = {key: item[key] for key in ("ItemID", "Code", "Name") if item.get(key)}

        description = line.get("Description")
        if description is None and item is not None:
            description = item.get("Description") if pricing.sales else item.get("PurchaseDescription")
        if description is not None:
            record["Description"] = description

        account, account_errors = self._document_line_account(line, details)
        errors.extend(account_errors)
        if account is not None:
            record["AccountCode"] = account.get("Code")
            record["AccountID"] = account["AccountID"]

        tax_type = line.get("TaxType") or details.get("TaxType") or (account or {}).get("TaxType")
        rate = None
        if tax_type:
            record["TaxType"] = tax_type
            rate, tax_errors = self._document_line_tax_rate(tax_type, account)
            errors.extend(tax_errors)

        amounts, amount_errors = _line_amounts(line, details.get("UnitPrice") if item else None, pricing)
        record.update(amounts)
        errors.extend(amount_errors)

        line_amount = record["LineAmount"]
        override = line.get("TaxAmount")
        if pricing.line_amount_types == "NoTax" or rate is None:
            record["TaxAmount"] = ZERO
        elif override is not None and not amount_errors:
            record["TaxAmount"] = round_money(override)
            if abs(record["TaxAmount"]) > abs(line_amount):
                errors.append("The tax amount cannot be greater than the line amount!")
        else:
            record["TaxAmount"] = line_tax(line_amount, self.effective_rate(rate), pricing.line_amount_types)

        if pricing.approving and account is None and not account_errors and line_amount != 0:
            errors.append("Account code must be specified")
        if line.get("Tracking"):
            record["Tracking"] = line["Tracking"]
        return record, errors

    def _document_line_account(self, line: dict, details: dict) -> tuple[dict | None, list[str]]:
        account_id = line.get("AccountID")
        code = line.get("AccountCode") or (None if account_id else details.get("AccountCode"))
        # the lookups below only read the account (the line copies its code and id)
        if account_id:
            account = self._peek("Accounts", account_id)
            if account is None:
                return None, [f"AccountID '{account_id}' does not match a recognised account."]
        elif code:
            account = self.account_by_code(code, copy=False)
            if account is None:
                return None, [f"Account code '{code}' has been removed as it does not match a recognised account."]
        else:
            return None, []
        shown = account.get("Code") or account["AccountID"]
        if account.get("Status") != AccountStatus.ACTIVE:
            return None, [
                f"Account code '{shown}' has been archived, or has been deleted. "
                "Each line item must reference a valid account."
            ]
        if account.get("Type") == "BANK" or account.get("SystemAccount") in _CONTROL_ACCOUNTS:
            return None, [f"Account code '{shown}' is not a valid code for this document"]
        return account, []

    def _document_line_tax_rate(self, tax_type: str, account: dict | None) -> tuple[dict | None, list[str]]:
        rate = self._peek("TaxRates", tax_type)  # only read: its status, flags and components price the line
        if rate is None or rate.get("Status", TaxRateStatus.ACTIVE) != TaxRateStatus.ACTIVE:
            return None, [
                f"The TaxType code '{tax_type}' does not exist or cannot be used for this type of transaction."
            ]
        flag = _CAN_APPLY.get(account.get("Class", "")) if account else None
        if account and flag and rate.get(flag) is False:
            return None, [f"The TaxType code '{tax_type}' cannot be used with account code '{account.get('Code')}'."]
        return rate, []


def _line_amounts(line: dict, item_price: Decimal | None, pricing: LinePricing) -> tuple[dict, list[str]]:
    """Quantity, UnitAmount, LineAmount and discount of one line (tax is priced separately)."""
    errors: list[str] = []
    for name in ("Quantity", "UnitAmount", "LineAmount", "DiscountRate", "DiscountAmount", "TaxAmount"):
        value = line.get(name)
        if value is not None and money.out_of_range(value):
            # Refused before any arithmetic, so no product can overflow Decimal's precision.
            return {"LineAmount": ZERO}, [money.out_of_range_message(name, value)]
    quantity = line.get("Quantity")
    unit = line.get("UnitAmount") if line.get("UnitAmount") is not None else item_price
    given_amount = line.get("LineAmount")
    rate = line.get("DiscountRate") or None
    discount_amount = line.get("DiscountAmount") or None

    if (rate or discount_amount) and not pricing.allow_discounts:
        errors.append("Discounts are only supported on ACCREC invoices.")
        rate = discount_amount = None
    if rate is not None and not (0 <= rate <= HUNDRED):
        errors.append("DiscountRate must be between 0 and 100.")
        rate = None
    if rate is not None and discount_amount is not None:
        errors.append("A line item cannot have both a DiscountRate and a DiscountAmount.")
        discount_amount = None

    out: dict = {}
    if quantity is not None:
        quantity = round_money(quantity, QUANTITY_PLACES)
    elif unit is not None or given_amount is not None:
        quantity = ONE  # an omitted quantity means one unit when the line is priced at all
    if unit is not None:
        unit = round_money(unit, pricing.unit_places)

    if unit is not None and quantity is not None:
        gross = quantity * unit
        if rate is not None:
            amount = round_money(gross * (HUNDRED - rate) / HUNDRED)
        elif discount_amount is not None:
            amount = round_money(gross - discount_amount)
        else:
            amount = round_money(gross)
    elif given_amount is not None:
        # Xero derives the missing unit amount from the line amount the client sent.
        amount = round_money(given_amount)
        undiscounted = amount
        if rate is not None and rate < HUNDRED:
            undiscounted = amount * HUNDRED / (HUNDRED - rate)
        elif discount_amount is not None:
            undiscounted = amount + discount_amount
        unit = round_money(undiscounted / quantity if quantity else ZERO, pricing.unit_places)
    else:
        amount = ZERO  # a description-only line

    if quantity is not None:
        out["Quantity"] = quantity
    if unit is not None:
        out["UnitAmount"] = unit
    out["LineAmount"] = amount
    if rate is not None:
        out["DiscountRate"] = rate
    if discount_amount is not None:
        out["DiscountAmount"] = round_money(discount_amount)
    return out, errors
