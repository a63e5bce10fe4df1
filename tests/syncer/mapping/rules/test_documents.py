from datetime import date
from decimal import Decimal

import pytest

from syncer.mapping.config import SyncSettings
from syncer.mapping.context import Held
from syncer.mapping.outcomes import NaturalKey, Operation, Priority, Problem, Rejected, Skip, Write
from syncer.mapping.rules.documents import invoice_status, map_credit_note, map_invoice, period_text
from syncer.refs import Kind, Ref
from syncer.source.model import (
    BillingBook,
    CreditNote,
    CreditNoteLine,
    CreditNoteStatus,
    Invoice,
    InvoiceStatus,
    Period,
    TaxMode,
)
from tests.syncer.mapping.helpers import ORG, config, context, customer, invoice, line

D = Decimal
JANUARY = Period(date(2024, 1, 1), date(2024, 1, 31))


def mapped(record: Invoice, customers=None, **options):
    book = BillingBook(customers=tuple(customers or [customer()]), invoices=(record,))
    return map_invoice(record, context(book, **options))


def body_of(outcome):
    assert isinstance(outcome, Write), outcome
    return outcome.body


def test_an_open_invoice_becomes_an_authorised_accrec_invoice():
    outcome = mapped(invoice())
    assert outcome == Write(
        Kind.INVOICE,
        "inv_1",
        Operation.CREATE,
        "PUT",
        "Invoices",
        {
            "Type": "ACCREC",
            "InvoiceNumber": "INV-0001",
            "Contact": {"ContactID": Ref(Kind.CONTACT, "cus_1")},
            "Date": "2024-01-31",
            "DueDate": "2024-02-14",
            "CurrencyCode": "GBP",
            "LineAmountTypes": "Exclusive",
            "Status": "AUTHORISED",
            "LineItems": [
                {
                    "Description": "Pro plan",
                    "Quantity": D("1"),
                    "UnitAmount": D("100.00"),
                    "ItemCode": "PRO",
                    "AccountCode": "260",
                    "TaxType": "OUTPUT2",
                }
            ],
        },
        "invoice INV-0001 version 1 (pending in billing)",
        natural_key=NaturalKey("Invoices", "InvoiceNumber", "INV-0001"),
        priority=Priority.DOCUMENT,
    )
    assert outcome.depends_on == (Ref(Kind.CONTACT, "cus_1"),)


@pytest.mark.parametrize(
    ("status", "xero"),
    [
        (InvoiceStatus.DRAFT, "DRAFT"),
        (InvoiceStatus.ROLLUP_PENDING, "DRAFT"),
        (InvoiceStatus.PENDING, "AUTHORISED"),
        (InvoiceStatus.PAID, "AUTHORISED"),
    ],
)
def test_the_status_map(status, xero):
    assert body_of(mapped(invoice(status=status)))["Status"] == xero
    assert invoice_status(invoice(status=status), held=None) == xero


@pytest.mark.parametrize(("held", "xero"), [("DRAFT", "DELETED"), ("SUBMITTED", "DELETED"), ("AUTHORISED", "VOIDED")])
def test_a_voided_invoice_is_deleted_while_xero_holds_it_unapproved_and_voided_after(held, xero):
    outcome = mapped(invoice(status=InvoiceStatus.VOIDED), held={Ref(Kind.INVOICE, "inv_1"): Held("guid-i", held)})
    assert outcome == Write(
        Kind.INVOICE,
        "inv_1",
        Operation.DELETE if xero == "DELETED" else Operation.VOID,
        "POST",
        "Invoices",
        {"InvoiceNumber": "INV-0001", "Status": xero},
        f"INV-0001 was voided in billing; Xero holds it as {held}, so it is {xero.lower()}",
        natural_key=NaturalKey("Invoices", "InvoiceNumber", "INV-0001"),
        priority=Priority.DOCUMENT,
        xero_id="guid-i",
    )


def test_an_invoice_voided_before_it_was_ever_sent_is_skipped():
    assert mapped(invoice(status=InvoiceStatus.VOIDED)) == Skip(
        Kind.INVOICE, "inv_1", "voided before it was ever sent to Xero: nothing to void"
    )


def test_a_synced_invoice_is_updated_through_its_id_with_its_version():
    outcome = mapped(invoice(version=3), held={Ref(Kind.INVOICE, "inv_1"): Held("guid-i", "DRAFT")})
    assert isinstance(outcome, Write)
    assert (outcome.operation, outcome.method, outcome.xero_id, outcome.version) == (
        Operation.UPDATE,
        "POST",
        "guid-i",
        3,
    )
    assert "InvoiceID" not in outcome.body


def test_an_item_without_a_sales_account_falls_back_to_the_default_revenue_account():
    [sent] = body_of(mapped(invoice(lines=[line(product_id="prod_seat")])))["LineItems"]
    assert (sent["ItemCode"], sent["AccountCode"]) == ("SEAT", "200")


def test_an_unmapped_product_sends_no_item_and_books_to_the_default_revenue_account():
    [sent] = body_of(mapped(invoice(lines=[line(product_id="prod_other")])))["LineItems"]
    assert "ItemCode" not in sent
    assert sent["AccountCode"] == "200"


def test_the_accounting_product_mapped_on_a_line_wins_over_its_product():
    record = invoice(lines=[line(product_id="prod_seat", accounting_product_id="prod_pro")])
    [sent] = body_of(mapped(record))["LineItems"]
    assert (sent["ItemCode"], sent["AccountCode"]) == ("PRO", "260")


def test_each_line_takes_the_taxtype_its_tax_code_maps_to():
    record = invoice(lines=[line("l1"), line("l2", tax_code="zero", tax_amount=D("0"))], total="220.00")
    assert [sent["TaxType"] for sent in body_of(mapped(record))["LineItems"]] == ["OUTPUT2", "ZERORATEDOUTPUT"]


def test_a_line_without_a_tax_code_takes_the_items_taxtype_else_the_accounts():
    record = invoice(lines=[line("l1", tax_code=None), line("l2", tax_code=None, product_id=None)], total="240.00")
    assert [sent["TaxType"] for sent in body_of(mapped(record))["LineItems"]] == ["OUTPUT2", "OUTPUT2"]


def test_an_unmapped_tax_code_is_rejected():
    outcome = mapped(invoice(lines=[line(tax_code="reduced")]))
    assert outcome == Rejected(
        Kind.INVOICE,
        "inv_1",
        (Problem("tax code 'reduced' has no Xero TaxType in the mapping", Kind.INVOICE, "inv_1", "lines.l1.tax_code"),),
    )


def test_a_taxtype_the_organisation_lacks_is_rejected():
    outcome = mapped(invoice(), mapping=config(tax={"vat": "OUTPUT9"}))
    assert outcome == Rejected(
        Kind.INVOICE,
        "inv_1",
        (Problem("TaxType 'OUTPUT9' does not exist in the organisation", Kind.INVOICE, "inv_1", "lines.l1.tax_code"),),
    )


def test_the_billing_period_is_appended_to_descriptions_when_configured():
    record = invoice(billing_period=JANUARY)
    [sent] = body_of(mapped(record, mapping=config(append_billing_period=True)))["LineItems"]
    assert sent["Description"] == "Pro plan 01 Jan 2024 - 31 Jan 2024"
    [plain] = body_of(mapped(record))["LineItems"]
    assert plain["Description"] == "Pro plan"


def test_a_lines_service_period_is_appended_in_place_of_the_billing_period():
    record = invoice(lines=[line(service_period=Period(date(2024, 1, 15), date(2024, 2, 14)))], billing_period=JANUARY)
    [sent] = body_of(mapped(record, mapping=config(append_billing_period=True)))["LineItems"]
    assert sent["Description"] == "Pro plan 15 Jan 2024 - 14 Feb 2024"
    assert period_text(JANUARY) == "01 Jan 2024 - 31 Jan 2024"


def test_a_discount_is_a_negative_line_on_the_discount_account_when_one_is_configured():
    record = invoice(lines=[line(discount=D("10.00"), tax_amount=D("18.00"))], total="108.00")
    sent = body_of(mapped(record, mapping=config(discount_account="270")))["LineItems"]
    assert sent == [
        {
            "Description": "Pro plan",
            "Quantity": D("1"),
            "UnitAmount": D("100.00"),
            "ItemCode": "PRO",
            "AccountCode": "260",
            "TaxType": "OUTPUT2",
        },
        {
            "Description": "Discount: Pro plan",
            "Quantity": D("1"),
            "UnitAmount": D("-10.00"),
            "AccountCode": "270",
            "TaxType": "OUTPUT2",
        },
    ]


def test_without_a_discount_account_the_discount_reduces_the_pre_tax_unit_price():
    record = invoice(lines=[line(quantity="4", unit_price="25.00", discount=D("10.00"))], total="108.00")
    [sent] = body_of(mapped(record))["LineItems"]
    assert (sent["Quantity"], sent["UnitAmount"], sent["AccountCode"]) == (D("4"), D("22.50"), "260")


def test_a_discount_that_does_not_divide_into_cents_is_reported_not_plugged():
    # 3 × (10.00 − 1.00/3) = 29.00 in billing; Xero would get 3 × 9.67 = 29.01 (+ tax 5.80)
    record = invoice(lines=[line(quantity="3", unit_price="10.00", discount=D("1.00"))], total="34.80")
    outcome = mapped(record)
    assert outcome == Rejected(
        Kind.INVOICE,
        "inv_1",
        (
            Problem(
                "Xero would total 34.81 but the billing total is 34.80 (difference 0.01); not sent, and no "
                "rounding line is added to hide it",
                Kind.INVOICE,
                "inv_1",
                "total",
            ),
        ),
    )


def test_inclusive_invoices_send_inclusive_lines_and_check_the_inclusive_total():
    record = invoice(tax_mode=TaxMode.INCLUSIVE, total="100.00")
    assert body_of(mapped(record))["LineAmountTypes"] == "Inclusive"
    outcome = mapped(invoice(tax_mode=TaxMode.INCLUSIVE, total="120.00"))
    assert isinstance(outcome, Rejected)
    assert outcome.problems[0].message.startswith("Xero would total 100.00 but the billing total is 120.00")


def test_a_credit_line_is_a_positive_quantity_at_a_negative_price():
    record = invoice(lines=[line("l1"), line("l2", quantity="-1", unit_price="20.00")], total="96.00")
    sent = body_of(mapped(record))["LineItems"]
    assert (sent[1]["Quantity"], sent[1]["UnitAmount"]) == (D("1"), D("-20.00"))


def test_an_invoice_totalling_below_zero_is_rejected():
    record = invoice(lines=[line(quantity="-1")], total="-120.00")
    outcome = mapped(record)
    assert isinstance(outcome, Rejected)
    assert [str(problem) for problem in outcome.problems] == [
        "invoice.inv_1.total: totals -120.00; Xero refuses an invoice with a total below zero"
    ]


def test_an_invoice_without_lines_is_rejected():
    outcome = mapped(invoice(lines=[], total="0.00"))
    assert isinstance(outcome, Rejected)
    assert [str(problem) for problem in outcome.problems] == [
        "invoice.inv_1.lines: has no lines; Xero needs at least one"
    ]


def test_an_invoice_for_an_unknown_customer_is_rejected():
    outcome = mapped(invoice(customer_id="cus_9"))
    assert outcome == Rejected(
        Kind.INVOICE,
        "inv_1",
        (Problem("customer 'cus_9' is not in the billing book", Kind.INVOICE, "inv_1", "customer_id"),),
    )


def test_an_invoice_for_a_deleted_customer_is_rejected():
    outcome = mapped(invoice(), customers=[customer(deleted=True)])
    assert isinstance(outcome, Rejected)
    assert outcome.problems[0].message == (
        "customer cus_1 is deleted: its contact is archived and Xero refuses documents for it"
    )


def test_an_invoice_xero_already_holds_stays_as_it_is_when_its_customer_is_deleted():
    held = {
        Ref(Kind.INVOICE, "inv_1"): Held("inv-xero-id", "AUTHORISED"),
        Ref(Kind.CONTACT, "cus_1"): Held("c", "ACTIVE"),
    }
    outcome = mapped(invoice(), customers=[customer(deleted=True)], held=held)
    assert isinstance(outcome, Write) and outcome.xero_id == "inv-xero-id"


def test_an_invoice_in_a_currency_the_organisation_has_not_enabled_is_rejected():
    outcome = mapped(invoice(currency="EUR"))
    assert isinstance(outcome, Rejected)
    assert [str(problem) for problem in outcome.problems] == [
        "invoice.inv_1.currency: currency EUR is not enabled in the organisation"
    ]


def test_a_line_with_no_description_is_rejected():
    outcome = mapped(invoice(lines=[line(description="  ")]))
    assert isinstance(outcome, Rejected)
    assert [str(problem) for problem in outcome.problems] == [
        "invoice.inv_1.lines.l1.description: has no description; Xero needs at least one character"
    ]


class Settings(SyncSettings):
    def customer_excluded(self, customer):
        return "outside the UK" if customer.custom_fields.get("country") != "UK" else None

    def invoice_excluded(self, invoice):
        return "not approved" if not invoice.approved else None

    def line_excluded(self, line):
        return "usage is billed elsewhere" if line.product_id == "prod_usage" else None

    def ordered_lines(self, lines):
        return tuple(sorted(lines, key=lambda line: line.subtotal))


UK = customer(custom_fields={"country": "UK"})


def test_settings_exclude_whole_invoices_with_their_reason():
    assert mapped(invoice(approved=False), customers=[UK], settings=Settings()) == Skip(
        Kind.INVOICE, "inv_1", "not approved"
    )
    assert mapped(invoice(approved=True), settings=Settings()) == Skip(
        Kind.INVOICE, "inv_1", "its customer cus_1 is excluded: outside the UK"
    )


def test_settings_exclude_and_order_lines_and_the_kept_lines_are_what_must_add_up():
    lines = [line("l1"), line("l2", unit_price="50.00"), line("l3", product_id="prod_usage", unit_price="7.00")]
    record = invoice(lines=lines, approved=True, total="188.40")
    sent = body_of(mapped(record, customers=[UK], settings=Settings()))["LineItems"]
    assert [item["UnitAmount"] for item in sent] == [D("50.00"), D("100.00")]


def test_an_invoice_whose_every_line_is_excluded_is_skipped():
    record = invoice(lines=[line(product_id="prod_usage")], approved=True)
    assert mapped(record, customers=[UK], settings=Settings()) == Skip(
        Kind.INVOICE, "inv_1", "every line is excluded: l1 (usage is billed elsewhere)"
    )


# ---- credit notes


def credit_note(lines=None, **fields) -> CreditNote:
    values = {
        "customer_id": "cus_1",
        "number": "CN-0001",
        "currency": "GBP",
        "issue_date": date(2024, 2, 10),
        "tax_mode": TaxMode.EXCLUSIVE,
        "invoice_id": "inv_1",
        "total": D("24.00"),
    }
    values.update(fields)
    default = [CreditNoteLine("c1", "Pro plan refund", D(1), D("20.00"), D("20.00"), invoice_line_id="l1")]
    return CreditNote(id="cn_1", lines=tuple(default if lines is None else lines), **values)


def mapped_note(record, invoices=None, **options):
    book = BillingBook(customers=(customer(),), invoices=tuple(invoices or [invoice()]), credit_notes=(record,))
    return map_credit_note(record, context(book, **options))


def test_a_credit_note_takes_the_items_accounts_and_taxtypes_of_the_lines_it_credits():
    outcome = mapped_note(credit_note())
    assert outcome == Write(
        Kind.CREDIT_NOTE,
        "cn_1",
        Operation.CREATE,
        "PUT",
        "CreditNotes",
        {
            "Type": "ACCRECCREDIT",
            "CreditNoteNumber": "CN-0001",
            "Contact": {"ContactID": Ref(Kind.CONTACT, "cus_1")},
            "Date": "2024-02-10",
            "CurrencyCode": "GBP",
            "LineAmountTypes": "Exclusive",
            "Status": "AUTHORISED",
            "LineItems": [
                {
                    "Description": "Pro plan refund",
                    "Quantity": D("1"),
                    "UnitAmount": D("20.00"),
                    "ItemCode": "PRO",
                    "AccountCode": "260",
                    "TaxType": "OUTPUT2",
                }
            ],
            "Reference": "INV-0001",
        },
        "credit note CN-0001 version 1",
        natural_key=NaturalKey("CreditNotes", "CreditNoteNumber", "CN-0001"),
        priority=Priority.DOCUMENT,
    )


def test_a_credit_note_for_no_invoice_maps_its_own_products():
    note_line = CreditNoteLine("c1", "Goodwill", D(1), D("20.00"), D("20.00"), tax_code="vat", product_id="prod_seat")
    sent = body_of(mapped_note(credit_note(lines=[note_line], invoice_id=None)))
    assert (sent["LineItems"][0]["ItemCode"], sent["LineItems"][0]["AccountCode"]) == ("SEAT", "200")
    assert "Reference" not in sent


def test_a_credit_note_crediting_a_line_the_invoice_lacks_is_rejected():
    note_line = CreditNoteLine("c1", "Refund", D(1), D("20.00"), D("20.00"), tax_code="vat", invoice_line_id="l9")
    outcome = mapped_note(credit_note(lines=[note_line]))
    assert isinstance(outcome, Rejected)
    assert [str(problem) for problem in outcome.problems] == [
        "credit_note.cn_1.lines.c1.invoice_line_id: credits line 'l9', which invoice inv_1 does not have"
    ]


def test_a_credit_note_in_another_currency_than_its_invoice_is_rejected():
    outcome = mapped_note(credit_note(currency="USD"))
    assert isinstance(outcome, Rejected)
    assert [str(problem) for problem in outcome.problems] == [
        "credit_note.cn_1.currency: is in USD but credits invoice inv_1 in GBP"
    ]


def test_a_credit_note_whose_total_xero_would_compute_differently_is_rejected():
    outcome = mapped_note(credit_note(total=D("24.01")))
    assert isinstance(outcome, Rejected)
    assert outcome.problems[0].message.startswith("Xero would total 24.00 but the billing total is 24.01")


def test_a_voided_credit_note_is_voided_in_xero_or_skipped_if_never_sent():
    voided = credit_note(status=CreditNoteStatus.VOIDED)
    outcome = mapped_note(voided, held={Ref(Kind.CREDIT_NOTE, "cn_1"): Held("guid-n", "AUTHORISED")})
    assert isinstance(outcome, Write)
    assert (outcome.operation, outcome.xero_id) == (Operation.VOID, "guid-n")
    assert outcome.body == {"CreditNoteNumber": "CN-0001", "Status": "VOIDED"}
    assert mapped_note(voided) == Skip(
        Kind.CREDIT_NOTE, "cn_1", "voided before it was ever sent to Xero: nothing to void"
    )


def test_the_org_json_drives_the_item_account():
    org = {**ORG, "Items": [{"Code": "PRO", "SalesDetails": {"AccountCode": "200"}}]}
    [sent] = body_of(mapped(invoice(), org=org))["LineItems"]
    assert sent["AccountCode"] == "200"


def test_a_credit_note_for_an_excluded_customer_is_skipped():
    outcome = mapped_note(credit_note(), settings=Settings())
    assert outcome == Skip(Kind.CREDIT_NOTE, "cn_1", "its customer cus_1 is excluded: outside the UK")
