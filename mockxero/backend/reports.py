"""Reports: Trial Balance, Bank Summary and Aged Receivables by Contact, derived from the journals.

Each report is built in Xero's report shape (``Rows`` of ``Header`` / ``Section`` / ``Row`` / ``SummaryRow``
with ``Cells``) holding Python values: ``Decimal`` amounts, ``date`` dates, ``None`` for an empty cell.
``schemas/reports.py`` turns them into Xero's strings. Journals are in base currency, so the Trial Balance
counts every journal; Bank Summary shows each bank account in its own currency (a foreign account's lines
keep their amount in it) and totals the base-currency accounts.
"""

from __future__ import annotations

from calendar import monthrange
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..exceptions import NotFound
from ..posting import LINE_AMOUNT, LINE_CURRENCY, POSTED
from ..statuses import AccountStatus, PaymentStatus
from .base import BackendBase

ZERO = Decimal("0.00")
PROFIT_AND_LOSS = ("REVENUE", "EXPENSE")
# Trial balance sections, in Xero's order.
SECTIONS = (
    ("REVENUE", "Revenue"),
    ("EXPENSE", "Expenses"),
    ("ASSET", "Assets"),
    ("LIABILITY", "Liabilities"),
    ("EQUITY", "Equity"),
)


def financial_year_start(day: date, end_month: int, end_day: int) -> date:
    """The first day of the financial year ``day`` falls in, for a year ending on ``end_day``/``end_month``."""

    def year_end(year: int) -> date:
        return date(year, end_month, min(end_day, monthrange(year, end_month)[1]))

    this_end = year_end(day.year)
    previous_end = this_end if day > this_end else year_end(day.year - 1)
    return previous_end + timedelta(days=1)


def month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def cell(value: Any, *attributes: tuple[str, str]) -> dict:
    found = {"Value": value}
    if attributes:
        found["Attributes"] = [{"Value": value_, "Id": id_} for id_, value_ in attributes]
    return found


def header(*titles: str) -> dict:
    return {"RowType": "Header", "Cells": [cell(title) for title in titles]}


def section(title: str, rows: list[dict]) -> dict:
    return {"RowType": "Section", "Title": title, "Rows": rows}


def row(cells: list[dict], row_type: str = "Row") -> dict:
    return {"RowType": row_type, "Cells": cells}


def debit_credit(amount: Decimal, side_hint: Decimal) -> tuple[Decimal | str, Decimal | str]:
    """A net amount as (debit, credit) cells; a zero sits on the side ``side_hint`` is on, as Xero shows it."""
    if amount > 0 or (amount == 0 and side_hint >= 0):
        return amount, ""
    return "", -amount


# How a payment or allocation names what it settles on Accounts Receivable.
RECEIVABLE_REFS = (("Invoice", "InvoiceID"), ("CreditNote", "CreditNoteID"), ("Overpayment", "OverpaymentID"))


class ReportsBackend(BackendBase):
    def _build_report(
        self, name: str, report_type: str, titles: list[str], report_date: date, rows: list[dict]
    ) -> dict:
        return {
            "ReportName": name,
            "ReportType": report_type,
            "ReportTitles": titles,
            "ReportDate": report_date,
            "UpdatedDateUTC": self.now(),
            "Fields": [],
            "Rows": rows,
        }

    def _report_journals(self, until: date):
        base = self.base_currency
        for journal in self.all_journals():
            if journal.get("CurrencyCode", base) == base and journal["JournalDate"] <= until:
                yield journal

    # -- Trial Balance --

    def trial_balance(self, as_at: date | None = None) -> dict:
        """Month-to-date movement and year-to-date balance of every account with any, as at ``as_at``.

        Profit-and-loss accounts start each financial year at zero; what they held before it is carried
        in Retained Earnings, so both column pairs balance.
        """
        as_at = as_at or self.today()
        organisation = self.organisation()
        year_start = financial_year_start(
            as_at, organisation["FinancialYearEndMonth"], organisation["FinancialYearEndDay"]
        )
        month_start = as_at.replace(day=1)
        accounts = {account["AccountID"]: account for account in self.list_accounts()}
        year: dict[str, Decimal] = defaultdict(Decimal)
        month: dict[str, Decimal] = defaultdict(Decimal)
        earlier_profit = ZERO
        for journal in self._report_journals(as_at):
            when = journal["JournalDate"]
            for line in journal["JournalLines"]:
                account_class = accounts.get(line["AccountID"], {}).get("Class")
                if account_class in PROFIT_AND_LOSS and when < year_start:
                    earlier_profit += line["NetAmount"]
                    continue
                year[line["AccountID"]] += line["NetAmount"]
                if when >= month_start:
                    month[line["AccountID"]] += line["NetAmount"]
        if earlier_profit:
            year[self.system_account("RETAINEDEARNINGS")["AccountID"]] += earlier_profit

        totals = [ZERO, ZERO, ZERO, ZERO]
        rows = [header("Account", "Debit", "Credit", "YTD Debit", "YTD Credit")]
        for account_class, title in SECTIONS:
            section_rows = []
            members = [
                a
                for a in accounts.values()
                if a.get("Class") == account_class and (year[a["AccountID"]] or month[a["AccountID"]])
            ]
            for account in sorted(members, key=lambda a: (a["Name"].casefold(), a.get("Code") or "")):
                account_id = account["AccountID"]
                values = [
                    *debit_credit(month[account_id], year[account_id]),
                    *debit_credit(year[account_id], year[account_id]),
                ]
                for index, value in enumerate(values):
                    if isinstance(value, Decimal):
                        totals[index] += value
                label = f"{account['Name']} ({account['Code']})" if account.get("Code") else account["Name"]
                section_rows.append(row([cell(value, ("account", account_id)) for value in (label, *values)]))
            if section_rows:
                rows.append(section(title, section_rows))
        rows.append(section("", [row([cell("Total"), *(cell(total) for total in totals)], "SummaryRow")]))
        titles = ["Trial Balance", organisation["Name"], f"As at {as_at.day} {as_at:%B %Y}"]
        return self._build_report("Trial Balance", "TrialBalance", titles, as_at, rows)

    # -- Bank Summary --

    def bank_summary(self, from_date: date | None = None, to_date: date | None = None) -> dict:
        """Opening balance, cash received, cash spent and closing balance of every bank account.

        Received and spent are judged per source document over the period, so a transaction deleted in
        the same period (posted and reversed) shows in neither column.
        """
        today = self.today()
        from_date = from_date or today.replace(day=1)
        to_date = to_date or month_end(today)
        banks = {a["AccountID"]: a for a in self.list_accounts() if a.get("Type") == "BANK"}
        opening: dict[str, Decimal] = defaultdict(Decimal)
        moved: dict[tuple[str, str], Decimal] = defaultdict(Decimal)  # (AccountID, SourceID) → net
        for journal in self.all_journals():
            when = journal["JournalDate"]
            if when > to_date:
                continue
            for line in journal["JournalLines"]:
                account = banks.get(line["AccountID"])
                if account is None:
                    continue
                # Each account in its own currency: a foreign account's lines keep their amount in it.
                own = self.bank_account_currency(account)
                if line.get(LINE_CURRENCY, journal.get("CurrencyCode")) != own:
                    continue
                amount = line.get(LINE_AMOUNT, line["NetAmount"])
                if when < from_date:
                    opening[line["AccountID"]] += amount
                else:
                    moved[(line["AccountID"], journal["SourceID"])] += amount
        received: dict[str, Decimal] = defaultdict(Decimal)
        spent: dict[str, Decimal] = defaultdict(Decimal)
        for (account_id, _), amount in moved.items():
            if amount > 0:
                received[account_id] += amount
            else:
                spent[account_id] -= amount

        base = self.base_currency
        totals = [ZERO, ZERO, ZERO, ZERO]
        rows = []
        for account in sorted(banks.values(), key=lambda a: a["Name"].casefold()):
            account_id = account["AccountID"]
            active = account.get("Status", AccountStatus.ACTIVE) == AccountStatus.ACTIVE
            values = [opening[account_id], received[account_id], spent[account_id]]
            values.append(values[0] + values[1] - values[2])
            if not active and not any(values):
                continue
            if self.bank_account_currency(account) == base:
                totals = [total + value for total, value in zip(totals, values, strict=True)]
            rows.append(
                row(
                    [
                        cell(account["Name"], ("accountID", account_id)),
                        cell(values[0]),
                        cell(values[1], ("account", account_id)),
                        cell(values[2], ("account", account_id)),
                        cell(values[3]),
                    ]
                )
            )
        rows.append(row([cell("Total"), *(cell(total) for total in totals)], "SummaryRow"))
        titles = [
            "Bank Summary",
            self.organisation()["Name"],
            f"From {from_date.day} {from_date:%B %Y} to {to_date.day} {to_date:%B %Y}",
        ]
        return self._build_report(
            "Bank Summary",
            "BankSummary",
            titles,
            today,
            [
                header("Bank Accounts", "Opening Balance", "Cash Received", "Cash Spent", "Closing Balance"),
                section("", rows),
            ],
        )

    # -- Aged Receivables by Contact --

    def aged_receivables_by_contact(
        self, contact_id: str, as_at: date | None = None, from_date: date | None = None, to_date: date | None = None
    ) -> dict:
        """A contact's outstanding sales invoices (and unused sales credit notes and overpayments, which
        wait on Accounts Receivable too) as at ``as_at``.

        Payments and allocations count only when dated on or before ``as_at``; documents dated before
        ``from_date`` are summed into the opening balance.
        """
        contact = self._get("Contacts", contact_id)
        if contact is None:
            raise NotFound()
        as_at = as_at or self.today()
        to_date = to_date or as_at
        documents = self._report_receivables(contact_id, as_at)
        if from_date is None:
            from_date = min((document["date"] for document in documents), default=as_at)

        opening = ZERO
        body = []
        totals = [ZERO, ZERO, ZERO, ZERO]
        for document in sorted(documents, key=lambda d: (d["date"], d["number"])):
            if document["date"] < from_date:
                opening += document["due"]
                continue
            if document["date"] > to_date:
                continue
            amounts = [document["total"], document["paid"], document["credited"], document["due"]]
            totals = [total + amount for total, amount in zip(totals, amounts, strict=True)]
            overdue = ""
            if document["due_date"] and as_at > document["due_date"]:
                overdue = f"{(as_at - document['due_date']).days} days overdue"
            attribute = (document["id_name"], document["id"])
            body.append(
                row(
                    [
                        cell(value, attribute)
                        for value in (document["date"], document["number"], document["due_date"], overdue, *amounts)
                    ]
                )
            )
        body.append(row([cell("Total"), cell(""), cell(""), cell(""), *(cell(t) for t in totals)], "SummaryRow"))
        closing = opening + totals[3]
        rows = [
            header("Date", "Number", "Due Date", "", "Total", "Paid", "Credited", "Due"),
            section(
                "", [row([cell(from_date), cell("Opening Balance"), *(cell("") for _ in range(5)), cell(opening)])]
            ),
            section("", body),
            section(
                "",
                [
                    row(
                        [
                            cell("Closing Balance"),
                            cell(""),
                            cell(""),
                            cell(""),
                            cell(totals[0] + opening),
                            cell(totals[1]),
                            cell(totals[2]),
                            cell(closing),
                        ],
                        "SummaryRow",
                    )
                ],
            ),
        ]
        titles = [
            "Invoices",
            contact["Name"],
            f"From {from_date.day} {from_date:%B %Y} to {to_date.day} {to_date:%B %Y}",
            f"Showing payments to {as_at.day} {as_at:%B %Y}",
        ]
        return self._build_report("Aged Receivables By Contact", "AgedReceivablesByContact", titles, as_at, rows)

    def _report_receivables(self, contact_id: str, as_at: date) -> list[dict]:
        """The contact's live sales invoices, credit notes and overpayments with what was still open on
        ``as_at``."""
        base = self.base_currency
        paid: dict[str, Decimal] = defaultdict(Decimal)
        credited: dict[str, Decimal] = defaultdict(Decimal)
        for payment in self.store.scan(self.table("Payments")):
            if payment.get("Status") == PaymentStatus.AUTHORISED and payment.get("Date") and payment["Date"] <= as_at:
                for field, id_field in RECEIVABLE_REFS:
                    if (payment.get(field) or {}).get(id_field):
                        paid[payment[field][id_field]] += payment.get("Amount", ZERO)
        for allocation in self.store.scan(self.table("Allocations")):
            if not allocation.get("IsDeleted") and allocation.get("Date") and allocation["Date"] <= as_at:
                for field, id_field in RECEIVABLE_REFS:
                    if (allocation.get(field) or {}).get(id_field):
                        credited[allocation[field][id_field]] += allocation.get("Amount", ZERO)

        documents = []
        for kind, id_field, number_field, wanted_type, sign in (
            ("Invoices", "InvoiceID", "InvoiceNumber", "ACCREC", 1),
            ("CreditNotes", "CreditNoteID", "CreditNoteNumber", "ACCRECCREDIT", -1),
            ("Overpayments", "OverpaymentID", "Reference", "RECEIVE-OVERPAYMENT", -1),
        ):
            for document in self.store.scan(self.table(kind)):
                if (
                    document.get("Type") != wanted_type
                    or document.get("Status") not in POSTED
                    or (document.get("Contact") or {}).get("ContactID") != contact_id
                    or (document.get("CurrencyCode") or base) != base
                    or document.get("Date") is None
                    or document["Date"] > as_at
                ):
                    continue
                document_id = document[id_field]
                total = document.get("Total", ZERO)
                due = total - paid[document_id] - credited[document_id]
                if due == 0:
                    continue
                documents.append(
                    {
                        "id": document_id,
                        "id_name": id_field[0].lower() + id_field[1:],
                        "number": document.get(number_field) or "",
                        "date": document["Date"],
                        "due_date": document.get("DueDate"),
                        # ``or ZERO``: a credit's nothing is 0.00, not Decimal's -0.00
                        "total": sign * total or ZERO,
                        "paid": sign * paid[document_id] or ZERO,
                        "credited": sign * credited[document_id] or ZERO,
                        "due": sign * due or ZERO,
                    }
                )
        return documents
