"""Bank statements inline, as CSV and as OFX; every bad row named."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from scenarios.format.model import StatementEntry
from scenarios.format.statement import StatementError, parse_statement_rows, read_statement_file

OFX = """OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20260121<LANGUAGE>ENG</SONRS>
</SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>NZD
<BANKACCTFROM><BANKID>12<ACCTID>3456<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST><DTSTART>20260101
<DTEND>20260131<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260120<TRNAMT>111.80<FITID>1<NAME>STRIPE PAYOUT
</STMTTRN></BANKTRANLIST><LEDGERBAL><BALAMT>111.80<DTASOF>20260131</LEDGERBAL></STMTRS></STMTTRNRS>
</BANKMSGSRSV1></OFX>
"""


def test_inline_rows_become_entries_with_exact_amounts():
    rows = [{"account": "090", "date": date(2026, 1, 20), "amount": "111.80", "description": "payout"}]
    assert parse_statement_rows(rows) == (StatementEntry("090", date(2026, 1, 20), Decimal("111.80"), "payout"),)


def test_every_bad_row_is_named_at_once():
    rows = [{"account": "090", "date": "soon", "amount": "1.5"}, {"date": "2026-01-02", "amount": 1.5, "memo": "x"}]
    with pytest.raises(StatementError) as caught:
        parse_statement_rows(rows)
    assert caught.value.messages == (
        "row 1: date 'soon' is not a date such as 2026-01-20",
        "row 2: unknown column 'memo'; a row has account, date, amount, description, currency",
        "row 2: account is required: the Xero account code the money arrived in",
        'row 2: amount 1.5 is not an exact amount such as "111.80"',
    )


def test_a_csv_export_is_read_with_the_account_given_beside_it(tmp_path):
    path = tmp_path / "bank.csv"
    path.write_text("Date,Amount,Description\n2026-01-20,111.80,Stripe payout\n2026-01-27,-5.00,Fee\n")
    entries = read_statement_file(path, {"account": "090", "currency": "NZD"})
    assert [(e.date, e.amount, e.currency) for e in entries] == [
        (date(2026, 1, 20), Decimal("111.80"), "NZD"),
        (date(2026, 1, 27), Decimal("-5.00"), "NZD"),
    ]


def test_a_csv_without_date_and_amount_columns_is_refused(tmp_path):
    path = tmp_path / "bank.csv"
    path.write_text("When,How much\n2026-01-20,111.80\n")
    with pytest.raises(StatementError, match="must name date and amount"):
        read_statement_file(path, {"account": "090"})


def test_an_ofx_statement_is_read_with_its_currency(tmp_path):
    path = tmp_path / "bank.ofx"
    path.write_text(OFX)
    (entry,) = read_statement_file(path, {"account": "090"})
    assert (entry.date, entry.amount, entry.currency, entry.description) == (
        date(2026, 1, 20),
        Decimal("111.80"),
        "NZD",
        "STRIPE PAYOUT",
    )


def test_a_file_that_is_not_ofx_is_refused(tmp_path):
    path = tmp_path / "bank.ofx"
    path.write_text("not ofx")
    with pytest.raises(StatementError, match="not a readable OFX file"):
        read_statement_file(path, {"account": "090"})
