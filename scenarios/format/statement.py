"""Bank statements: the deposits that really arrived, inline in a scenario or as a file banks export.

Three forms, one result (a tuple of ``StatementEntry``):

* inline rows: ``{account: "090", date: 2026-01-20, amount: "111.80", description: ..., currency: NZD}``;
* CSV with a header row naming at least ``date`` and ``amount`` (``description`` and ``currency`` optional),
  dates ISO (``2026-01-20``), amounts exact decimals; the account is given beside the file;
* OFX (1.x SGML or 2.x XML), read with ofxtools: each ``STMTTRN`` is a line, its ``TRNAMT`` the amount,
  ``DTPOSTED`` the date, ``NAME``/``MEMO`` the description, and the statement's ``CURDEF`` its currency.

Every problem is collected before anything is returned, each naming the row (CSV line) it is on.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .model import StatementEntry

ROW_KEYS = ("account", "date", "amount", "description", "currency")


class StatementError(ValueError):
    """What is wrong with a statement: ``located`` pairs a row index with its message."""

    def __init__(self, located: Iterable[tuple[int, str]]):
        self.located = tuple(located)
        self.messages = tuple(f"row {index + 1}: {message}" for index, message in self.located)
        super().__init__("\n".join(self.messages))


def _amount(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount == amount.quantize(Decimal("0.01")) else None


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def parse_statement_rows(
    rows: Any, account: str | None = None, currency: str | None = None
) -> tuple[StatementEntry, ...]:
    """Rows as plain values (inline YAML, or CSV dictionaries)."""
    if not isinstance(rows, list):
        raise StatementError([(0, "a statement is a list of rows")])
    problems: list[tuple[int, str]] = []
    entries: list[StatementEntry] = []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            problems.append((index, "a row is a mapping of account, date, amount, description, currency"))
            continue
        unknown = sorted(set(row) - set(ROW_KEYS))
        if unknown:
            problems.append((index, f"unknown column {unknown[0]!r}; a row has {', '.join(ROW_KEYS)}"))
        row_account = row.get("account") or account
        day = _day(row.get("date"))
        amount = _amount(row.get("amount"))
        if not row_account:
            problems.append((index, "account is required: the Xero account code the money arrived in"))
        if day is None:
            problems.append((index, f"date {row.get('date')!r} is not a date such as 2026-01-20"))
        if amount is None:
            problems.append((index, f'amount {row.get("amount")!r} is not an exact amount such as "111.80"'))
        if row_account and day is not None and amount is not None:
            entries.append(
                StatementEntry(
                    str(row_account), day, amount, str(row.get("description") or ""), row.get("currency") or currency
                )
            )
    if problems:
        raise StatementError(problems)
    return tuple(entries)


def read_statement_file(path: Path, options: Mapping[str, Any]) -> tuple[StatementEntry, ...]:
    """A CSV or OFX file (by its suffix); ``options`` gives ``account`` and optionally ``currency``."""
    account = options.get("account")
    if not isinstance(account, str) or not account:
        raise StatementError([(0, 'a statement file needs the account it is for: {file: ..., account: "090"}')])
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise StatementError([(0, f"cannot read {path.name}: {error.strerror or error}")]) from error
    if path.suffix.lower() == ".ofx":
        return _ofx(raw, account, options.get("currency"))
    text = raw.decode("utf-8-sig")
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or not {"date", "amount"} <= {name.strip().lower() for name in reader.fieldnames}:
        raise StatementError([(0, "the CSV's header row must name date and amount")])
    rows = [{key.strip().lower(): value for key, value in row.items() if key} for row in reader]
    return parse_statement_rows(rows, account, options.get("currency"))


def _ofx(raw: bytes, account: str, currency: str | None) -> tuple[StatementEntry, ...]:
    from io import BytesIO

    from ofxtools.Parser import OFXTree

    tree = OFXTree()
    try:
        tree.parse(BytesIO(raw))
        ofx = tree.convert()
    except Exception as error:  # ofxtools raises its own parse errors and ValueError for bad values
        raise StatementError([(0, f"not a readable OFX file: {error}")]) from error
    entries: list[StatementEntry] = []
    for statement in ofx.statements:
        code = currency or getattr(statement, "curdef", None)
        for transaction in statement.transactions:
            description = " ".join(part for part in (transaction.name, transaction.memo) if part)
            entries.append(
                StatementEntry(account, transaction.dtposted.date(), Decimal(transaction.trnamt), description, code)
            )
    return tuple(entries)
