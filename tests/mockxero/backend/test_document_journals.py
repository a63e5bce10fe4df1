"""The journals invoices, credit notes and payments post (docs/ledger.md), read straight from the books."""

from __future__ import annotations

import pytest

from tests.mockxero.documents_helpers import (
    D,
    allocate,
    create_bill,
    create_credit_note,
    create_invoice,
    journals,
    line,
    net_postings,
    ok,
    pay,
    postings,
    update_invoice,
)

ZERO = D("0.00")


def test_authorised_sales_invoice_debits_receivables_and_credits_sales_and_tax(xero, emulator):
    invoice = create_invoice(xero, LineItems=[line(), line(AccountCode="260", UnitAmount=D("50.00"))])
    (journal,) = journals(emulator, invoice["InvoiceID"])
    assert postings(journal) == {"610": D("172.50"), "200": D("-100.00"), "260": D("-50.00"), "820": D("-22.50")}
    assert (journal["SourceType"], journal["CurrencyCode"], journal["Reference"]) == ("ACCREC", "NZD", "INV-0001")
    assert journal["JournalDate"].isoformat() == "2026-01-15"


def test_bill_debits_expense_and_tax_and_credits_payables(xero, emulator):
    bill = create_bill(xero)
    (journal,) = journals(emulator, bill["InvoiceID"])
    assert postings(journal) == {"429": D("100.00"), "820": D("15.00"), "800": D("-115.00")}


def test_sales_credit_note_debits_sales_and_tax_and_credits_receivables(xero, emulator):
    credit = create_credit_note(xero)
    (journal,) = journals(emulator, credit["CreditNoteID"])
    assert postings(journal) == {"200": D("40.00"), "820": D("6.00"), "610": D("-46.00")}
    assert journal["SourceType"] == "ACCRECCREDIT"


def test_supplier_credit_note_debits_payables(xero, emulator):
    credit = create_credit_note(xero, Type="ACCPAYCREDIT", LineItems=[line(AccountCode="429", UnitAmount=D("40.00"))])
    (journal,) = journals(emulator, credit["CreditNoteID"])
    assert postings(journal) == {"800": D("46.00"), "429": D("-40.00"), "820": D("-6.00")}


def test_inclusive_lines_post_their_net_and_tax_separately(xero, emulator):
    invoice = create_invoice(xero, LineAmountTypes="Inclusive", LineItems=[line(UnitAmount=D("20.00"))])
    (journal,) = journals(emulator, invoice["InvoiceID"])
    assert postings(journal) == {"610": D("20.00"), "200": D("-17.39"), "820": D("-2.61")}
    sales_line = next(li for li in journal["JournalLines"] if li["AccountCode"] == "200")
    assert (sales_line["TaxAmount"], sales_line["GrossAmount"], sales_line["TaxType"]) == (
        D("-2.61"),
        D("-20.00"),
        "OUTPUT2",
    )


def test_foreign_invoice_posts_in_base_currency_line_by_line_with_the_residue_to_rounding(xero, emulator):
    # 20.00 USD at 0.61 USD per NZD is 32.79 NZD, but each 10.00 line is 16.39: 0.01 is left to Rounding (860).
    lines = [line(UnitAmount=D("10.00")), line(UnitAmount=D("10.00"))]
    invoice = create_invoice(xero, CurrencyCode="USD", CurrencyRate=D("0.61"), LineAmountTypes="NoTax", LineItems=lines)
    (journal,) = journals(emulator, invoice["InvoiceID"])
    assert journal["CurrencyCode"] == "NZD"
    assert postings(journal) == {"610": D("32.79"), "200": D("-32.78"), "860": D("-0.01")}
    receivable = next(li for li in journal["JournalLines"] if li["AccountCode"] == "610")
    assert (receivable["_CurrencyCode"], receivable["_CurrencyAmount"]) == ("USD", D("20.00"))


def test_foreign_invoice_without_a_rate_takes_the_days_rate(xero, emulator):
    invoice = create_invoice(xero, CurrencyCode="USD")
    assert invoice["CurrencyRate"] == D("0.625000")  # the default table's NZD→USD rate
    (journal,) = journals(emulator, invoice["InvoiceID"])
    assert postings(journal)["610"] == D("184.00")  # 115.00 USD / 0.625


def test_a_foreign_payment_at_another_rate_posts_a_realised_gain(xero, emulator):
    invoice = create_invoice(xero, CurrencyCode="USD", CurrencyRate=D("0.5"), LineAmountTypes="NoTax")
    payment = pay(xero, invoice, "100.00", CurrencyRate=D("0.4"))  # the NZD weakened: 250.00 banked for 200.00
    (journal,) = journals(emulator, payment["PaymentID"])
    assert postings(journal) == {"090": D("250.00"), "610": D("-200.00"), "499": D("-50.00")}


@pytest.mark.parametrize("status", ["DRAFT", "SUBMITTED"])
def test_unapproved_invoices_post_nothing(xero, emulator, status):
    assert journals(emulator, create_invoice(xero, Status=status)["InvoiceID"]) == []


def test_approving_a_draft_posts_its_journal(xero, emulator):
    draft = create_invoice(xero, Status="DRAFT")
    ok(update_invoice(xero, draft, Status="AUTHORISED"), "Invoices")
    assert len(journals(emulator, draft["InvoiceID"])) == 1


def test_voiding_reverses_the_journal_exactly(xero, emulator):
    invoice = create_invoice(xero)
    ok(update_invoice(xero, invoice, Status="VOIDED"), "Invoices")
    original, reversal = journals(emulator, invoice["InvoiceID"])
    assert reversal["ReversesJournalID"] == original["JournalID"]
    assert set(net_postings(emulator, invoice["InvoiceID"]).values()) == {ZERO}


def test_voiding_a_credit_note_reverses_its_journal(xero, emulator):
    credit = create_credit_note(xero)
    ok(xero.post(f"/CreditNotes/{credit['CreditNoteID']}", {"CreditNotes": [{"Status": "VOIDED"}]}), "CreditNotes")
    assert set(net_postings(emulator, credit["CreditNoteID"]).values()) == {ZERO}


def test_editing_an_authorised_invoice_reverses_and_reposts(xero, emulator):
    invoice = create_invoice(xero)
    ok(update_invoice(xero, invoice, LineItems=[line(Quantity=2)]), "Invoices")
    assert len(journals(emulator, invoice["InvoiceID"])) == 3
    assert net_postings(emulator, invoice["InvoiceID"]) == {"610": D("230.00"), "200": D("-200.00"), "820": D("-30.00")}


def test_an_edit_that_changes_no_amount_posts_nothing_new(xero, emulator):
    invoice = create_invoice(xero)
    ok(update_invoice(xero, invoice, Reference="re-sent by the syncer"), "Invoices")
    assert len(journals(emulator, invoice["InvoiceID"])) == 1


def test_moving_the_date_of_an_authorised_invoice_reposts_on_the_new_date(xero, emulator):
    invoice = create_invoice(xero)
    ok(update_invoice(xero, invoice, Date="2026-01-31"), "Invoices")
    dates = [j["JournalDate"].isoformat() for j in journals(emulator, invoice["InvoiceID"])]
    assert dates == ["2026-01-15", "2026-01-15", "2026-01-31"]


@pytest.mark.parametrize(
    "make, amount, expected",
    [
        ("invoice", "50.00", {"090": D("50.00"), "610": D("-50.00")}),
        ("bill", "50.00", {"800": D("50.00"), "090": D("-50.00")}),
        ("credit", "10.00", {"610": D("10.00"), "090": D("-10.00")}),
        ("supplier_credit", "10.00", {"090": D("10.00"), "800": D("-10.00")}),
    ],
)
def test_payment_journals(xero, emulator, make, amount, expected):
    document = {
        "invoice": lambda: create_invoice(xero),
        "bill": lambda: create_bill(xero),
        "credit": lambda: create_credit_note(xero),
        "supplier_credit": lambda: create_credit_note(
            xero, Type="ACCPAYCREDIT", LineItems=[line(AccountCode="429", UnitAmount=D("40.00"))]
        ),
    }[make]()
    payment = pay(xero, document, amount)
    (journal,) = journals(emulator, payment["PaymentID"])
    assert postings(journal) == expected
    assert journal["SourceType"] == payment["PaymentType"]
    assert journal["JournalDate"].isoformat() == "2026-01-20"


def test_deleting_a_payment_reverses_its_journal(xero, emulator):
    payment = pay(xero, create_invoice(xero), "115.00")
    ok(xero.post(f"/Payments/{payment['PaymentID']}", {"Status": "DELETED"}), "Payments")
    assert len(journals(emulator, payment["PaymentID"])) == 2
    assert set(net_postings(emulator, payment["PaymentID"]).values()) == {ZERO}


def test_allocations_post_no_journal(xero, emulator):
    invoice, credit = create_invoice(xero), create_credit_note(xero)
    before = len(list(emulator.backend(emulator.config.default_tenant.tenant_id).all_journals()))
    assert allocate(xero, credit, invoice, "46.00").status_code == 200
    after = len(list(emulator.backend(emulator.config.default_tenant.tenant_id).all_journals()))
    assert before == after


def test_every_journal_balances(xero, emulator):
    invoice = create_invoice(
        xero,
        LineItems=[
            line(UnitAmount=D("25.06")),
            line(UnitAmount=D("25.61")),
            line(UnitAmount=D("25.63"), DiscountRate=D("12.5")),
        ],
    )
    pay(xero, invoice, "10.00")
    create_credit_note(xero, LineAmountTypes="Inclusive")
    for journal in emulator.backend(emulator.config.default_tenant.tenant_id).all_journals():
        assert sum(li["NetAmount"] for li in journal["JournalLines"]) == 0
