"""Loading a billing source file: every problem at once, each naming the file, line, record and field.

Nothing partial comes out: either the whole book loads and passes the cross-record checks, or
``SourceError`` lists everything wrong with it and the engine sends nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from marshmallow import ValidationError

from syncer.source.locations import NodePath, locate
from syncer.source.model import FORMAT_VERSION, BillingBook, DisputeOutcome
from syncer.source.schema import SECTIONS

Path_ = NodePath


@dataclass(frozen=True)
class SourceProblem:
    file: str
    message: str
    line: int | None = None
    record: str | None = None  # "invoices[2] (inv_3)"
    field: str | None = None

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        where = ".".join(part for part in (self.record, self.field) if part)
        return f"{place}: {where}: {self.message}" if where else f"{place}: {self.message}"


class SourceError(ValueError):
    def __init__(self, problems: Iterable[SourceProblem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class _BookLoader(yaml.SafeLoader):
    """PyYAML's safe loader, except that timestamps stay strings.

    PyYAML builds dates itself and raises a bare ValueError for an impossible one such as 2024-02-30, which
    would escape as a crash with no line; as strings, the Day field refuses them with file, line and field.
    """


def _timestamp_as_text(loader: _BookLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node)) if isinstance(node, yaml.ScalarNode) else ""


_BookLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def load_book(path: str | Path) -> BillingBook:
    """A billing book from a ``.yaml``/``.yml`` or ``.json`` file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError([SourceProblem(str(path), f"cannot be read: {error}")]) from error
    return parse_book(text, source=str(path), as_json=path.suffix.lower() == ".json")


def parse_book(text: str, *, source: str = "<source>", as_json: bool = False) -> BillingBook:
    try:
        data = json.loads(text, parse_float=Decimal) if as_json else yaml.load(text, Loader=_BookLoader)
    except json.JSONDecodeError as error:
        raise SourceError([SourceProblem(source, f"is not valid JSON: {error.msg}", error.lineno)]) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SourceError(
            [
                SourceProblem(
                    source, f"is not valid YAML: {getattr(error, 'problem', error)}", mark.line + 1 if mark else None
                )
            ]
        ) from error
    located = locate(text)
    lines = located.lines
    problems: list[SourceProblem] = []

    def problem(message: str, at: Path_ = (), field: str | None = None, record: str | None = None) -> None:
        line = lines.get((*at, field) if field else at) or lines.get(at)
        problems.append(SourceProblem(source, message, line, record, field))

    if not isinstance(data, dict):
        raise SourceError([SourceProblem(source, "must be a mapping with format_version and lists of records", 1)])
    for path, repeated_on in located.duplicates:
        # The parsers keep a repeated key's last value and drop the first without a word, so refuse it.
        record, field_path = None, path
        if len(path) > 2 and isinstance(path[1], int):
            written_id = located.ids.get(path[:2])
            record, field_path = _label(str(path[0]), path[1], {"id": written_id}), path[2:]
        problems.append(
            SourceProblem(source, "appears twice; keep one", repeated_on, record, ".".join(map(str, field_path)))
        )
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        problem(
            f"format_version must be {FORMAT_VERSION} (this syncer reads version {FORMAT_VERSION}), got {version!r}",
            ("format_version",),
        )
    for key in sorted(set(data) - set(SECTIONS) - {"format_version"}):
        problem(f"unknown section; the sections are {', '.join(SECTIONS)}", (key,))
    loaded: dict[str, list[Any]] = {}
    for section, schema_class in SECTIONS.items():
        rows = data.get(section, [])
        if rows is None:
            rows = []
        if not isinstance(rows, list):
            problem("must be a list of records", (section,))
            continue
        schema = schema_class()
        records: list[Any] = []
        for index, row in enumerate(rows):
            label = _label(section, index, row)
            if not isinstance(row, dict):
                problem("must be a mapping of fields", (section, index), record=label)
                continue
            try:
                records.append(schema.load(row))
            except ValidationError as error:
                for field_path, message in _flatten(error.messages):
                    at = (section, index, *field_path[:-1]) if field_path else (section, index)
                    name = ".".join(str(part) for part in field_path) or None
                    line = lines.get((section, index, *field_path)) or lines.get(at) or lines.get((section, index))
                    problems.append(SourceProblem(source, message, line, label, name))
        loaded[section] = records
    if problems:
        raise SourceError(sorted(problems, key=_file_order))
    book = BillingBook(
        customers=tuple(loaded["customers"]),
        invoices=tuple(loaded["invoices"]),
        payments=tuple(loaded["payments"]),
        payouts=tuple(loaded["payouts"]),
        credit_notes=tuple(loaded["credit_notes"]),
        credits=tuple(loaded["credits"]),
        credit_applications=tuple(loaded["credit_applications"]),
        refunds=tuple(loaded["refunds"]),
        disputes=tuple(loaded["disputes"]),
    )
    cross = [
        SourceProblem(
            source,
            message,
            lines.get((section, index, field)) or lines.get((section, index)),
            _label(section, index, {"id": record_id}),
            field,
        )
        for section, index, record_id, field, message in _cross_checks(book)
    ]
    if cross:
        raise SourceError(sorted(cross, key=_file_order))
    return book


def _file_order(problem: SourceProblem) -> tuple[int, str, str]:
    return (problem.line or 0, problem.record or "", problem.field or "")


def _label(section: str, index: int, row: Any) -> str:
    record_id = row.get("id") if isinstance(row, dict) else None
    return f"{section}[{index}] ({record_id})" if record_id else f"{section}[{index}]"


def _flatten(messages: Any, prefix: tuple[str | int, ...] = ()) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """marshmallow's nested message dict as (field path, message) pairs; "_schema" errors name no field."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            step: tuple[str | int, ...] = prefix if key == "_schema" else (*prefix, key)
            yield from _flatten(value, step)
    elif isinstance(messages, list):
        for message in messages:
            if isinstance(message, str):
                yield prefix, _plain(message)
            else:
                yield from _flatten(message, prefix)
    else:
        yield prefix, _plain(str(messages))


def _plain(message: str) -> str:
    return {"Unknown field.": "is not a field of this record", "Missing data for required field.": "is required"}.get(
        message, message
    )


def _cross_checks(book: BillingBook) -> Iterable[tuple[str, int, str, str, str]]:
    """(section, index, record id, field, message) for every reference or sum that does not hold."""
    for section in SECTIONS:
        counts = Counter(record.id for record in getattr(book, section))
        seen: set[str] = set()
        for index, record in enumerate(getattr(book, section)):
            if counts[record.id] > 1 and record.id in seen:
                yield section, index, record.id, "id", f"id {record.id!r} is used by another of the {section}"
            seen.add(record.id)
    customers = {c.id for c in book.customers}
    invoices = {i.id: i for i in book.invoices}
    payments = {p.id: p for p in book.payments}
    refunds = {r.id: r for r in book.refunds}
    disputes = {d.id: d for d in book.disputes}
    notes = {n.id for n in book.credit_notes}
    payouts = {p.id for p in book.payouts}
    for index, invoice in enumerate(book.invoices):
        if invoice.customer_id not in customers:
            yield (
                "invoices",
                index,
                invoice.id,
                "customer_id",
                f"names customer {invoice.customer_id!r}, which is not in the file",
            )
        if invoice.due_date < invoice.issue_date:
            yield (
                "invoices",
                index,
                invoice.id,
                "due_date",
                f"is due {invoice.due_date}, before it is issued {invoice.issue_date}",
            )
        for line in invoice.lines:
            expected = line.quantity * line.unit_price
            if line.subtotal != expected:
                yield (
                    "invoices",
                    index,
                    invoice.id,
                    "lines",
                    (
                        f"line {line.id}: subtotal {line.subtotal} is not quantity {line.quantity} × unit price "
                        f"{line.unit_price} = {expected}"
                    ),
                )
    for index, payment in enumerate(book.payments):
        paid = invoices.get(payment.invoice_id)
        if paid is None:
            yield (
                "payments",
                index,
                payment.id,
                "invoice_id",
                f"pays invoice {payment.invoice_id!r}, which is not in the file",
            )
        elif invoice.currency != payment.currency:
            yield (
                "payments",
                index,
                payment.id,
                "currency",
                (f"is in {payment.currency}, but invoice {invoice.id} is in {invoice.currency}"),
            )
        if payment.payout_id is not None and payment.payout_id not in payouts:
            yield (
                "payments",
                index,
                payment.id,
                "payout_id",
                f"names payout {payment.payout_id!r}, which is not in the file",
            )
    for index, note in enumerate(book.credit_notes):
        if note.customer_id not in customers:
            yield (
                "credit_notes",
                index,
                note.id,
                "customer_id",
                f"names customer {note.customer_id!r}, which is not in the file",
            )
        if note.invoice_id is not None and note.invoice_id not in invoices:
            yield (
                "credit_notes",
                index,
                note.id,
                "invoice_id",
                f"credits invoice {note.invoice_id!r}, which is not in the file",
            )
    for index, application in enumerate(book.credit_applications):
        if application.credit_note_id not in notes:
            yield (
                "credit_applications",
                index,
                application.id,
                "credit_note_id",
                (f"applies credit note {application.credit_note_id!r}, which is not in the file"),
            )
        if application.invoice_id not in invoices:
            yield (
                "credit_applications",
                index,
                application.id,
                "invoice_id",
                (f"applies credit to invoice {application.invoice_id!r}, which is not in the file"),
            )
    for index, refund in enumerate(book.refunds):
        if refund.credit_note_id is not None and refund.credit_note_id not in notes:
            yield (
                "refunds",
                index,
                refund.id,
                "credit_note_id",
                f"refunds credit note {refund.credit_note_id!r}, which is not in the file",
            )
    for index, dispute in enumerate(book.disputes):
        if dispute.payment_id not in payments:
            yield (
                "disputes",
                index,
                dispute.id,
                "payment_id",
                f"disputes payment {dispute.payment_id!r}, which is not in the file",
            )
        if dispute.outcome is DisputeOutcome.WON and dispute.reinstated_payout_id is None:
            yield (
                "disputes",
                index,
                dispute.id,
                "reinstated_payout_id",
                "is won, so it needs the payout that returned the funds",
            )
    settled_in: dict[str, str] = {}
    for index, payout in enumerate(book.payouts):
        expected = Decimal("0")
        for payment_id in payout.payment_ids:
            settled = payments.get(payment_id)
            if settled is None:
                yield (
                    "payouts",
                    index,
                    payout.id,
                    "payment_ids",
                    f"settles payment {payment_id!r}, which is not in the file",
                )
                continue
            if payment_id in settled_in:
                yield (
                    "payouts",
                    index,
                    payout.id,
                    "payment_ids",
                    (f"settles payment {payment_id}, which payout {settled_in[payment_id]} settles already"),
                )
            settled_in[payment_id] = payout.id
            expected += settled.amount - settled.fee
        for refund_id in payout.refund_ids:
            netted = refunds.get(refund_id)
            if netted is None:
                yield "payouts", index, payout.id, "refund_ids", f"nets refund {refund_id!r}, which is not in the file"
                continue
            expected -= netted.amount
        for dispute_id in payout.dispute_ids:
            disputed = disputes.get(dispute_id)
            if disputed is None:
                yield (
                    "payouts",
                    index,
                    payout.id,
                    "dispute_ids",
                    f"nets dispute {dispute_id!r}, which is not in the file",
                )
                continue
            expected -= disputed.amount + disputed.fee
        for dispute in book.disputes:
            if dispute.outcome is DisputeOutcome.WON and dispute.reinstated_payout_id == payout.id:
                expected += dispute.amount
        if expected != payout.net:
            yield (
                "payouts",
                index,
                payout.id,
                "net",
                (
                    f"is {payout.net}, but its items add up to {expected} (gross − fees − refunds − disputes and their "
                    "fees + reinstated disputes)"
                ),
            )
