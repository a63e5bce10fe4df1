"""Loading a billing source file: every problem at once, each naming the file, line, record and field.

Nothing partial comes out: either the whole book loads and passes the cross-record checks, or
``SourceError`` lists everything wrong with it and the engine sends nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from marshmallow import ValidationError

from syncer.source.locations import NodePath, locate
from syncer.source.model import FORMAT_VERSION, BillingBook, Dispute, DisputeOutcome, Payment, Refund
from syncer.source.schema import SECTIONS

Path_ = NodePath


@dataclass(frozen=True, kw_only=True)
class SourceProblem:
    """One thing wrong with a source file. ``line`` is 1-based; ``record`` is e.g. ``invoices[2] (inv_3)``,
    or ``invoices[2]`` when the id is missing; ``field`` a dotted path inside the record (``lines.0.type``)."""

    file: str
    line: int | None = None
    record: str | None = None
    field: str | None = None
    message: str

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
        raise SourceError([SourceProblem(file=str(path), message=f"cannot be read: {error}")]) from error
    return parse_book(text, source=str(path), as_json=path.suffix.lower() == ".json")


def parse_book(text: str, *, source: str = "<source>", as_json: bool = False) -> BillingBook:
    try:
        data = json.loads(text, parse_float=Decimal) if as_json else yaml.load(text, Loader=_BookLoader)
    except json.JSONDecodeError as error:
        raise SourceError(
            [SourceProblem(file=source, line=error.lineno, message=f"is not valid JSON: {error.msg}")]
        ) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SourceError(
            [
                SourceProblem(
                    file=source,
                    line=mark.line + 1 if mark else None,
                    message=f"is not valid YAML: {getattr(error, 'problem', error)}",
                )
            ]
        ) from error
    located = locate(text)
    lines = located.lines
    problems: list[SourceProblem] = []

    def problem(message: str, at: Path_ = (), field: str | None = None, record: str | None = None) -> None:
        line = lines.get((*at, field) if field else at) or lines.get(at)
        problems.append(SourceProblem(file=source, line=line, record=record, field=field, message=message))

    if not isinstance(data, dict):
        raise SourceError(
            [SourceProblem(file=source, line=1, message="must be a mapping with format_version and lists of records")]
        )
    for path, repeated_on in located.duplicates:
        # The parsers keep a repeated key's last value and drop the first without a word, so refuse it.
        record, field_path = None, path
        if len(path) > 2 and isinstance(path[1], int):
            written_id = located.ids.get(path[:2])
            record, field_path = _label(str(path[0]), path[1], {"id": written_id}), path[2:]
        problems.append(
            SourceProblem(
                file=source,
                line=repeated_on,
                record=record,
                field=".".join(map(str, field_path)),
                message="appears twice; keep one",
            )
        )
    version = data.get("format_version")
    if type(version) is not int or version != FORMAT_VERSION:  # YAML's `true` equals 1 in Python
        problem(
            f"format_version must be {FORMAT_VERSION} (this syncer reads version {FORMAT_VERSION}), got {version!r}",
            ("format_version",),
        )
    for key in sorted(set(data) - set(SECTIONS) - {"format_version"}):
        problem(f"unknown section; the sections are {', '.join(SECTIONS)}", (key,))
    loaded: dict[str, list[Any]] = {}
    # Where each loaded record sits in the file, and every id the file names per section (loaded or not):
    # the cross-record checks then run on whatever loaded, report at the file's own index, and do not call
    # a reference "unknown" when it names a record that is there but has its own field problems.
    positions: dict[str, list[int]] = {}
    present: dict[str, set[str]] = {}
    for section, schema_class in SECTIONS.items():
        rows = data.get(section, [])
        if rows is None:
            rows = []
        loaded[section], positions[section], present[section] = [], [], set()
        if not isinstance(rows, list):
            problem("must be a list of records", (section,))
            continue
        schema = schema_class()
        for index, row in enumerate(rows):
            label = _label(section, index, row)
            if not isinstance(row, dict):
                problem("must be a mapping of fields", (section, index), record=label)
                continue
            record_id = row.get("id")
            if isinstance(record_id, str):
                # checked on the rows, not the loaded records, so a twin with problems of its own still counts
                if record_id in present[section]:
                    problem(f"id {record_id!r} is used by another of the {section}", (section, index), "id", label)
                present[section].add(record_id)
            try:
                loaded[section].append(schema.load(row))
                positions[section].append(index)
            except ValidationError as error:
                for field_path, message in _flatten(error.messages):
                    at = (section, index, *field_path[:-1]) if field_path else (section, index)
                    name = ".".join(str(part) for part in field_path) or None
                    line = lines.get((section, index, *field_path)) or lines.get(at) or lines.get((section, index))
                    problems.append(SourceProblem(file=source, line=line, record=label, field=name, message=message))
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
    for section, loaded_index, record_id, field, message in _cross_checks(book, present):
        index = positions[section][loaded_index]
        line = lines.get((section, index, field)) or lines.get((section, index))
        label = _label(section, index, {"id": record_id})
        problems.append(SourceProblem(file=source, line=line, record=label, field=field, message=message))
    if problems:
        raise SourceError(sorted(problems, key=_file_order))
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


def _cross_checks(book: BillingBook, present: dict[str, set[str]]) -> Iterable[tuple[str, int, str, str, str]]:
    """(section, index among the loaded records, record id, field, message) for every reference or sum that
    does not hold. ``present`` holds the ids the file names per section, including records that failed to
    load, so a reference to one of those is not reported a second time as unknown."""
    invoices = {i.id: i for i in book.invoices}
    payments = {p.id: p for p in book.payments}
    refunds = {r.id: r for r in book.refunds}
    disputes = {d.id: d for d in book.disputes}

    def missing(section: str, wanted: str | None) -> bool:
        return wanted is not None and wanted not in present[section]

    for index, invoice in enumerate(book.invoices):
        if missing("customers", invoice.customer_id):
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
        if missing("invoices", payment.invoice_id):
            yield (
                "payments",
                index,
                payment.id,
                "invoice_id",
                f"pays invoice {payment.invoice_id!r}, which is not in the file",
            )
        elif paid is not None and paid.currency != payment.currency:
            yield (
                "payments",
                index,
                payment.id,
                "currency",
                f"is in {payment.currency}, but invoice {paid.id} is in {paid.currency}",
            )
        if missing("payouts", payment.payout_id):
            yield (
                "payments",
                index,
                payment.id,
                "payout_id",
                f"names payout {payment.payout_id!r}, which is not in the file",
            )
    for index, note in enumerate(book.credit_notes):
        if missing("customers", note.customer_id):
            yield (
                "credit_notes",
                index,
                note.id,
                "customer_id",
                f"names customer {note.customer_id!r}, which is not in the file",
            )
        if missing("invoices", note.invoice_id):
            yield (
                "credit_notes",
                index,
                note.id,
                "invoice_id",
                f"credits invoice {note.invoice_id!r}, which is not in the file",
            )
        credited = invoices.get(note.invoice_id) if note.invoice_id else None
        if credited is not None:
            invoice_lines = {line.id for line in credited.lines}
            for note_line in note.lines:
                if note_line.invoice_line_id is not None and note_line.invoice_line_id not in invoice_lines:
                    yield (
                        "credit_notes",
                        index,
                        note.id,
                        "lines",
                        (
                            f"line {note_line.id} credits line {note_line.invoice_line_id!r}, "
                            f"which invoice {credited.id} lacks"
                        ),
                    )
    for index, credit in enumerate(book.credits):
        if missing("customers", credit.customer_id):
            yield (
                "credits",
                index,
                credit.id,
                "customer_id",
                f"names customer {credit.customer_id!r}, which is not in the file",
            )
        if missing("credit_notes", credit.credit_note_id):
            yield (
                "credits",
                index,
                credit.id,
                "credit_note_id",
                f"names credit note {credit.credit_note_id!r}, which is not in the file",
            )
    for index, application in enumerate(book.credit_applications):
        if missing("credit_notes", application.credit_note_id):
            yield (
                "credit_applications",
                index,
                application.id,
                "credit_note_id",
                f"applies credit note {application.credit_note_id!r}, which is not in the file",
            )
        if missing("invoices", application.invoice_id):
            yield (
                "credit_applications",
                index,
                application.id,
                "invoice_id",
                f"applies credit to invoice {application.invoice_id!r}, which is not in the file",
            )
    for index, refund in enumerate(book.refunds):
        for field, section, wanted in (
            ("credit_note_id", "credit_notes", refund.credit_note_id),
            ("payment_id", "payments", refund.payment_id),
            ("payout_id", "payouts", refund.payout_id),
        ):
            if missing(section, wanted):
                yield "refunds", index, refund.id, field, f"names {section[:-1]} {wanted!r}, which is not in the file"
    for index, dispute in enumerate(book.disputes):
        if missing("payments", dispute.payment_id):
            yield (
                "disputes",
                index,
                dispute.id,
                "payment_id",
                f"disputes payment {dispute.payment_id!r}, which is not in the file",
            )
        for field, wanted in (("payout_id", dispute.payout_id), ("reinstated_payout_id", dispute.reinstated_payout_id)):
            if missing("payouts", wanted):
                yield "disputes", index, dispute.id, field, f"names payout {wanted!r}, which is not in the file"
        if dispute.outcome is DisputeOutcome.WON and dispute.reinstated_payout_id is None:
            yield (
                "disputes",
                index,
                dispute.id,
                "reinstated_payout_id",
                "is won, so it needs the payout that returned the funds",
            )
        if dispute.outcome is not DisputeOutcome.WON and dispute.reinstated_payout_id is not None:
            yield (
                "disputes",
                index,
                dispute.id,
                "reinstated_payout_id",
                f"is {dispute.outcome.value}, so no payout returned its funds",
            )
    yield from _payout_checks(book, present, payments, refunds, disputes)


def _payout_checks(
    book: BillingBook,
    present: dict[str, set[str]],
    payments: dict[str, Payment],
    refunds: dict[str, Refund],
    disputes: dict[str, Dispute],
) -> Iterable[tuple[str, int, str, str, str]]:
    """Each payout's items exist, are settled once, share its currency, and add up to its net."""
    settled_in: dict[str, str] = {}
    for index, payout in enumerate(book.payouts):
        expected = Decimal("0")
        complete = True  # an item that did not load leaves the sum unknown: no net check then
        items: list[tuple[str, str, Payment | Refund | Dispute | None]] = [
            *(("payment_ids", i, payments.get(i)) for i in payout.payment_ids),
            *(("refund_ids", i, refunds.get(i)) for i in payout.refund_ids),
            *(("dispute_ids", i, disputes.get(i)) for i in payout.dispute_ids),
        ]
        for field, item_id, item in items:
            section = field.removesuffix("_ids") + "s"
            if item is None:
                complete = False
                if item_id not in present[section]:
                    yield (
                        "payouts",
                        index,
                        payout.id,
                        field,
                        f"settles {section[:-1]} {item_id!r}, which is not in the file",
                    )
                continue
            if item.currency != payout.currency:
                yield (
                    "payouts",
                    index,
                    payout.id,
                    field,
                    f"settles {section[:-1]} {item_id} in {item.currency}, but the payout is in {payout.currency}",
                )
            if isinstance(item, Payment):
                if item_id in settled_in:
                    yield (
                        "payouts",
                        index,
                        payout.id,
                        field,
                        f"settles payment {item_id}, which payout {settled_in[item_id]} settles already",
                    )
                settled_in[item_id] = payout.id
                if item.payout_id is not None and item.payout_id != payout.id:
                    yield (
                        "payouts",
                        index,
                        payout.id,
                        field,
                        f"settles payment {item_id}, which names payout {item.payout_id} as its own",
                    )
                expected += item.amount - item.fee
            elif isinstance(item, Refund):
                expected -= item.amount
            else:
                expected -= item.amount + item.fee
        for dispute in book.disputes:
            if dispute.outcome is DisputeOutcome.WON and dispute.reinstated_payout_id == payout.id:
                expected += dispute.amount
        if complete and expected != payout.net:
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
