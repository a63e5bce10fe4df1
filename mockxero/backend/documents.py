"""What invoices and credit notes share: contact, currency, numbering, the status machine, edit locks,
settlement bookkeeping (payments and allocations) and their journals.

The two resources differ only in the data of a ``DocumentKind`` (table, field names, number prefix and
message wording) and in a few rules their own modules add (DueDate for invoices, inline allocations for
credit notes). Every rule here applies to both.

Money fields on both kinds of record: ``SubTotal, TotalTax, Total, TotalDiscount, AmountPaid,
AmountCredited, AmountDue``. On a credit note AmountPaid is the cash refunded, AmountCredited what was
allocated to invoices, and ``RemainingCredit`` equals AmountDue, so one identity (AmountDue = Total −
AmountPaid − AmountCredited) holds for every document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .. import money
from ..exceptions import NotFound, ValidationException
from ..exchange import to_base
from ..money import ZERO, round_money
from ..posting import POSTED, RETIRED, Line, document_base_total, document_lines
from ..statuses import ContactStatus, DocumentStatus
from ..store import clone
from .base import BackendBase, fail
from .lineitems import LinePricing, line_totals

CREATE_STATUSES = (DocumentStatus.DRAFT, DocumentStatus.SUBMITTED, DocumentStatus.AUTHORISED)
# Where a POST may move a document. PAID is reached only by settling it; VOIDED and DELETED are final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    DocumentStatus.DRAFT: (
        DocumentStatus.DRAFT,
        DocumentStatus.SUBMITTED,
        DocumentStatus.AUTHORISED,
        DocumentStatus.DELETED,
    ),
    DocumentStatus.SUBMITTED: (
        DocumentStatus.SUBMITTED,
        DocumentStatus.DRAFT,
        DocumentStatus.AUTHORISED,
        DocumentStatus.DELETED,
    ),
    DocumentStatus.AUTHORISED: (DocumentStatus.AUTHORISED, DocumentStatus.VOIDED),
    DocumentStatus.PAID: (),
    DocumentStatus.VOIDED: (),
    DocumentStatus.DELETED: (),
}
APPROVED = (DocumentStatus.SUBMITTED, DocumentStatus.AUTHORISED)  # statuses whose lines must be complete

LOCKED = "This document cannot be edited as it has a payment or credit note allocated to it."
UNIDENTIFIED_CONTACT = (
    "The Contact must contain at least 1 of the following elements to identify the contact: "
    "Name, ContactID, ContactNumber"
)
ARCHIVED_CONTACT = (
    "The contact with the specified contact details has been archived. "
    "The contact must be un-archived before creating new invoices or credit notes."
)
NO_LINES = "One or more line items must be specified"
DATE_REQUIRED = "The Date field must be specified."
DEFAULT_RATE = Decimal("1.000000")
# Hidden (the schemas dump declared fields only): what a posted document still holds on its control account
# in base currency; settlements lower it by the base amount each cleared.
BASE_DUE = "_AmountDueBase"
# Rates are kept within what converting an amount by them can represent exactly.
MIN_RATE = Decimal("0.000001")


@dataclass(frozen=True)
class DocumentKind:
    """The data that makes the shared document rules speak about invoices or about credit notes."""

    table: str
    id_field: str
    number_field: str
    sales_type: str
    purchase_type: str
    number_prefix: str
    counter: str
    missing_type: str
    wrong_type: str
    bad_creation_status: str
    bad_status: str
    duplicate_number: str
    unknown_id: str
    negative_total: str

    @property
    def types(self) -> tuple[str, str]:
        return (self.sales_type, self.purchase_type)

    @property
    def is_credit(self) -> bool:
        return self.table == "CreditNotes"


INVOICE = DocumentKind(
    table="Invoices",
    id_field="InvoiceID",
    number_field="InvoiceNumber",
    sales_type="ACCREC",
    purchase_type="ACCPAY",
    number_prefix="INV-",
    counter="invoice_number",
    missing_type="Invoice Type must be specified",
    wrong_type="Invoice Type must be ACCREC or ACCPAY",
    bad_creation_status="Invoice not of valid status for creation",
    bad_status="Invoice not of valid status for modification",
    duplicate_number="Invoice # must be unique.",
    unknown_id="An existing invoice with the specified ID could not be found",
    negative_total="The invoice total cannot be negative.",
)
CREDIT_NOTE = DocumentKind(
    table="CreditNotes",
    id_field="CreditNoteID",
    number_field="CreditNoteNumber",
    sales_type="ACCRECCREDIT",
    purchase_type="ACCPAYCREDIT",
    number_prefix="CN-",
    counter="credit_note_number",
    missing_type="Credit Note Type must be specified",
    wrong_type="Credit Note Type must be ACCRECCREDIT or ACCPAYCREDIT",
    bad_creation_status="Credit Note not of valid status for creation",
    bad_status="Credit Note or Invoice not of valid status for modification",
    duplicate_number="Credit Note # must be unique.",
    unknown_id="An existing Credit Note with the specified CreditNoteID could not be found",
    negative_total="The credit note total cannot be negative.",
)


def number_key(record: dict, field: str):
    number = record.get(field)
    return number.strip().casefold() if number and number.strip() else None


def given(values: dict, key: str) -> bool:
    """A field the request set: present and not null (Xero reads null as absent)."""
    return values.get(key) is not None


class DocumentsBackend(BackendBase):
    # -- reads --

    def document(self, kind: DocumentKind, doc_id: str) -> dict:
        return self._require(kind.table, doc_id)

    def document_by_number(self, kind: DocumentKind, number: str, doc_type: str | None = None) -> dict | None:
        """The live document with this number (the sales one first; bills may share numbers)."""
        matches = [
            doc
            for doc in self.store.find(self.table(kind.table), "number", number.strip().casefold())
            if doc["Status"] != DocumentStatus.DELETED and (doc_type is None or doc["Type"] == doc_type)
        ]
        matches.sort(key=lambda doc: doc["Type"] != kind.sales_type)
        return matches[0] if matches else None

    def document_by_id_or_number(self, kind: DocumentKind, identifier: str) -> dict:
        """``GET /Invoices/{InvoiceID}`` also answers ``GET /Invoices/INV-0001``."""
        found = self._get(kind.table, identifier.lower()) or self.document_by_number(kind, identifier)
        if found is None:
            raise NotFound()
        return found

    def document_contact(self, contact_id: str) -> dict:
        """The contact as a document embeds it: its id with its current number and name."""
        contact = self._peek("Contacts", contact_id) or {"ContactID": contact_id}
        return {key: contact[key] for key in ("ContactID", "ContactNumber", "Name") if contact.get(key)}

    # -- the write shared by PUT and POST --

    def write_document(
        self, kind: DocumentKind, values: dict, existing: dict | None = None, *, unit_places: int = 2, extra_rules=None
    ) -> dict:
        """Create (``existing is None``) or update a document and keep its journal in step.

        ``extra_rules(record, values) -> [messages]`` lets a resource add its own checks on the priced
        record before anything is stored.
        """
        if existing is not None:
            self._check_editable(kind, existing)
        old_status = existing["Status"] if existing else None
        status = values.get("Status") or old_status or DocumentStatus.DRAFT
        self._check_status_move(kind, old_status, status)
        if existing is not None and status in RETIRED:
            return self._retire(kind, existing, status)

        record = clone(existing) if existing else self._blank_document(kind)
        errors: list[str] = []
        doc_type = existing["Type"] if existing else values.get("Type")
        if existing is None:
            if not doc_type:
                raise fail(kind.missing_type)
            if doc_type not in kind.types:
                raise fail(kind.wrong_type)
        elif values.get("Type") and values["Type"] != doc_type:
            errors.append(f"The Type of an existing document cannot be changed from {doc_type}.")
        record["Type"] = doc_type
        record["Status"] = status

        if existing is None or "Contact" in values:
            contact, contact_errors = self._document_contact(values.get("Contact"))
            errors.extend(contact_errors)
            if contact is not None:
                record["Contact"] = {"ContactID": contact["ContactID"]}

        record["Date"] = values.get("Date") or record.get("Date") or self.today()
        for field_name in (
            "DueDate",
            "ExpectedPaymentDate",
            "PlannedPaymentDate",
            "Reference",
            "BrandingThemeID",
            "Url",
            "SentToContact",
        ):
            if given(values, field_name):
                record[field_name] = values[field_name]

        errors.extend(self._apply_currency(record, values))
        errors.extend(self._apply_lines(kind, record, values, existing, unit_places))
        errors.extend(self._apply_number(kind, record, values))
        if extra_rules is not None:
            errors.extend(extra_rules(record, values))
        # A posted document in a locked period cannot change, and nothing may be approved into one.
        errors.extend(
            self.lock_date_errors(
                existing["Date"] if existing is not None and existing["Status"] in POSTED else None,
                record["Date"] if record["Status"] in POSTED else None,
            )
        )
        if errors:
            raise fail(*dict.fromkeys(errors))

        self._refresh_balance(record)
        if record["Status"] in POSTED:  # nothing is settled yet: an edit is refused once something is
            record[BASE_DUE] = document_base_total(record, self.base_currency)
        if record["Status"] == DocumentStatus.AUTHORISED and record["AmountDue"] == 0:
            # Nothing to settle (a zero total): Xero marks the approved document paid at once, which also
            # keeps "PAID exactly when settled" true for it.
            record["Status"] = DocumentStatus.PAID
            record["FullyPaidOnDate"] = record["Date"]
        record["UpdatedDateUTC"] = self.now()
        self._save(kind.table, record[kind.id_field], record)
        self._sync_journal(kind, existing, record)
        sales = doc_type in ("ACCREC", "ACCRECCREDIT")
        self.mark_contact_role(record["Contact"]["ContactID"], customer=sales, supplier=not sales)
        return record

    def _blank_document(self, kind: DocumentKind) -> dict:
        record = {
            kind.id_field: self.ids.guid(),
            "AmountPaid": ZERO,
            "AmountCredited": ZERO,
            "Payments": [],
            "HasAttachments": False,
            "HasErrors": False,
            "SentToContact": False,
        }
        if kind.is_credit:
            record["Allocations"] = []
        else:
            record.update({"CreditNotes": [], "Prepayments": [], "Overpayments": []})
        return record

    # -- rules --

    def _check_editable(self, kind: DocumentKind, existing: dict) -> None:
        if existing["Status"] in RETIRED:
            raise fail(kind.bad_status)
        if existing["AmountPaid"] or existing["AmountCredited"]:
            raise fail(LOCKED)

    def _check_status_move(self, kind: DocumentKind, old: str | None, new: str) -> None:
        if old is None:
            if new not in CREATE_STATUSES:
                raise fail(kind.bad_creation_status)
        elif new not in TRANSITIONS[old]:
            raise fail(kind.bad_status)

    def _document_contact(self, reference: dict | None) -> tuple[dict | None, list[str]]:
        """The contact a document names; a Name that matches nobody creates the contact, as Xero does."""
        if not reference or not any(reference.get(k) for k in ("ContactID", "ContactNumber", "Name")):
            return None, [UNIDENTIFIED_CONTACT]
        contact = self.resolve_contact(reference)
        if contact is None:
            if reference.get("ContactID"):
                return None, [f"The contact with ContactID '{reference['ContactID']}' could not be found."]
            try:
                contact = self.create_contact({k: v for k, v in reference.items() if k != "ContactID"})
            except ValidationException as exc:
                return None, exc.messages
        if contact.get("ContactStatus") == ContactStatus.ARCHIVED:
            return None, [ARCHIVED_CONTACT]
        return contact, []

    def _apply_currency(self, record: dict, values: dict) -> list[str]:
        base = self.base_currency
        currency = (values.get("CurrencyCode") or record.get("CurrencyCode") or base).upper()
        if not self.currency_enabled(currency):
            return [f"The currency code '{currency}' is not enabled for this organisation."]
        if currency == base:
            rate = DEFAULT_RATE
        elif given(values, "CurrencyRate"):
            rate = values["CurrencyRate"]
        elif record.get("CurrencyCode") == currency and record.get("CurrencyRate"):
            rate = record["CurrencyRate"]
        else:
            # Xero takes the XE.com rate of the document's date; the emulator's own table stands in for it.
            rate = self.day_rate(currency, record["Date"])
        if rate <= 0:
            return ["The currency rate must be greater than zero."]
        if rate < MIN_RATE or money.out_of_range(rate):
            return [
                f"The currency rate '{rate}' is out of range: it must be between {MIN_RATE} and {money.MAX_AMOUNT:,}."
            ]
        record["CurrencyCode"], record["CurrencyRate"] = currency, rate
        return []

    def _apply_lines(
        self, kind: DocumentKind, record: dict, values: dict, existing: dict | None, unit_places: int
    ) -> list[str]:
        old_mode = record.get("LineAmountTypes")
        mode = values.get("LineAmountTypes") or old_mode or "Exclusive"
        record["LineAmountTypes"] = mode
        if given(values, "LineItems") or existing is None:
            lines = values.get("LineItems") or []
        else:
            # A POST without LineItems keeps the lines; their stored tax is kept unless the mode changed.
            lines = [
                {k: v for k, v in line.items() if k != "TaxAmount" or mode == old_mode}
                for line in existing.get("LineItems", [])
            ]
            unit_places = 4  # stored unit amounts are already at the precision they were sent with
        if not lines:
            return [NO_LINES]
        pricing = LinePricing(
            line_amount_types=mode,
            unit_places=unit_places,
            sales=record["Type"] in ("ACCREC", "ACCRECCREDIT"),
            allow_discounts=record["Type"] == "ACCREC",
            approving=record["Status"] in APPROVED,
        )
        known = frozenset(line["LineItemID"] for line in (existing or {}).get("LineItems", []))
        priced, errors = self.price_lines(lines, pricing, known)
        record["LineItems"] = priced
        record.update(line_totals(priced, mode))
        if record["Total"] < 0:
            errors.append(kind.negative_total)
        return errors

    def _apply_number(self, kind: DocumentKind, record: dict, values: dict) -> list[str]:
        number = values.get(kind.number_field)
        if number is not None and number.strip():
            record[kind.number_field] = number.strip()
        if record["Type"] != kind.sales_type:
            return []  # bill and supplier-credit numbers are the supplier's: neither generated nor unique
        if not record.get(kind.number_field):
            record[kind.number_field] = self._next_number(kind)
            return []
        if self._number_taken(kind, record[kind.number_field], record[kind.id_field]):
            return [kind.duplicate_number]
        return []

    def _number_taken(self, kind: DocumentKind, number: str, except_id: str | None) -> bool:
        key = number.strip().casefold()
        return any(
            doc[kind.id_field] != except_id
            and doc["Type"] == kind.sales_type
            and doc["Status"] != DocumentStatus.DELETED
            for doc in self.store.peek_find(self.table(kind.table), "number", key)  # only read
        )

    def _next_number(self, kind: DocumentKind) -> str:
        """INV-0001, INV-0002, ... per tenant, skipping numbers a client already used."""
        counter = self._peek("Counters", kind.counter) or {"Next": 1}  # read, then replaced by a new record
        sequence = counter["Next"]
        while True:
            candidate = f"{kind.number_prefix}{sequence:04d}"
            sequence += 1
            if not self._number_taken(kind, candidate, None):
                break
        self._save("Counters", kind.counter, {"Next": sequence}, copy=False)
        return candidate

    def _refresh_balance(self, record: dict) -> None:
        if record["Status"] in RETIRED:
            due = ZERO
        else:
            due = record["Total"] - record["AmountPaid"] - record["AmountCredited"]
        record["AmountDue"] = due
        if "Allocations" in record:  # a credit note
            record["RemainingCredit"] = due

    def _retire(self, kind: DocumentKind, existing: dict, status: str) -> dict:
        """Void an authorised document or delete a draft one: it owes nothing and its journal is undone."""
        if existing["Status"] in POSTED:
            locked = self.lock_date_errors(existing["Date"])
            if locked:
                raise fail(*locked)
        record = clone(existing)
        record["Status"] = status
        self._refresh_balance(record)
        record[BASE_DUE] = ZERO
        record["UpdatedDateUTC"] = self.now()
        self._save(kind.table, record[kind.id_field], record)
        if existing["Status"] in POSTED:
            self.reverse_journals(record[kind.id_field], record["Date"])
        return record

    # -- settlement: payments, refunds and allocations move these figures --

    def base_due(self, record: dict) -> Decimal:
        """What the document still holds on its control account in base currency (its AmountDue for a
        base-currency document; books from before multi-currency hold no record of it, so it is derived)."""
        if record.get("CurrencyCode", self.base_currency) == self.base_currency:
            return record["AmountDue"]
        if BASE_DUE in record:
            return record[BASE_DUE]
        return to_base(record["AmountDue"], record["CurrencyRate"])

    def settlement_base(self, record: dict, amount: Decimal) -> Decimal:
        """The base amount settling ``amount`` of the document clears: the amount at the document's rate,
        except that the settlement that leaves nothing due clears whatever base amount is left, so a paid
        document never keeps a cent of rounding on its control account."""
        if record.get("CurrencyCode", self.base_currency) == self.base_currency:
            return amount
        if round_money(amount) == record["AmountDue"]:
            return self.base_due(record)
        return to_base(amount, record["CurrencyRate"])

    def settle(
        self, kind: DocumentKind, record: dict, field_name: str, amount: Decimal, base: Decimal | None = None
    ) -> dict:
        """Add ``amount`` (negative to undo) to AmountPaid or AmountCredited and restate the status.

        ``base`` is the base amount that settles (negative to undo; by default ``settlement_base``, or the
        amount at the document's rate when undoing). The caller has already updated the document's
        Payments / CreditNotes / Allocations summaries.
        """
        if base is None:
            base = self.settlement_base(record, amount) if amount > 0 else self._at_rate(record, amount)
        record[BASE_DUE] = self.base_due(record) - base
        record[field_name] = round_money(record[field_name] + amount)
        self._refresh_balance(record)
        if record["Status"] == DocumentStatus.AUTHORISED and record["AmountDue"] == 0:
            record["Status"] = DocumentStatus.PAID
            record["FullyPaidOnDate"] = max(_settlement_dates(record))
        elif record["Status"] == DocumentStatus.PAID and record["AmountDue"] != 0:
            record["Status"] = DocumentStatus.AUTHORISED
            record.pop("FullyPaidOnDate", None)
        record["UpdatedDateUTC"] = self.now()
        return self._save(kind.table, record[kind.id_field], record)

    # -- journals --

    def _sync_journal(self, kind: DocumentKind, existing: dict | None, record: dict) -> None:
        """Reverse the old posting and post the new one, unless the posting did not change."""
        was_posted = existing is not None and existing["Status"] in POSTED
        now_posted = record["Status"] in POSTED
        if existing is not None and was_posted:
            if now_posted and _posting_key(self, existing) == _posting_key(self, record):
                return
            self.reverse_journals(existing[kind.id_field], existing["Date"])
        if now_posted:
            self.post_journal(
                source_type=record["Type"],
                source_id=record[kind.id_field],
                journal_date=record["Date"],
                currency=self.base_currency,
                lines=self.document_journal_lines(record),
                reference=record.get(kind.number_field) or record.get("Reference"),
            )

    def document_journal_lines(self, record: dict) -> list[Line]:
        base = self.base_currency
        return document_lines(record, self._account_to_read, self.system_account, base)

    def _account_to_read(self, account_id: str) -> dict:
        return self.account(account_id, copy=False)  # a journal line only reads its account

    def _at_rate(self, record: dict, amount: Decimal) -> Decimal:
        if record.get("CurrencyCode", self.base_currency) == self.base_currency:
            return amount
        return to_base(amount, record["CurrencyRate"])


def _settlement_dates(record: dict) -> list[date]:
    dates = [p["Date"] for p in record.get("Payments", [])]
    for applied in ("CreditNotes", "Overpayments", "Prepayments"):
        dates += [c["Date"] for c in record.get(applied, [])]
    dates += [a["Date"] for a in record.get("Allocations", [])]
    return dates or [record["Date"]]


def _posting_key(backend: DocumentsBackend, record: dict) -> tuple:
    lines = backend.document_journal_lines(record)
    return (
        record["Date"],
        record["CurrencyCode"],
        tuple((line.account["AccountID"], line.net, line.tax_amount, line.tax_type, line.amount) for line in lines),
    )
