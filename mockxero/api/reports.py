"""/Reports: TrialBalance, BankSummary and AgedReceivablesByContact, in Xero's report shape."""

from __future__ import annotations

from datetime import date

from flask import Blueprint

from .. import wire
from ..exceptions import ValidationException
from ..ids import is_guid, normalise_guid
from ..protocol import envelope, operation, query_value
from ..schemas.reports import ReportSchema

bp = Blueprint("reports", __name__)
SCOPE = "accounting.reports.read"
schema = ReportSchema()
# Reports reach back a financial year from their date; before this there is nothing to report on.
EARLIEST_DATE = date(1900, 1, 1)


def date_param(name: str) -> date | None:
    raw = (query_value(name) or "").strip()
    if not raw:
        return None
    try:
        parsed = wire.parse_date(raw)
    except wire.WireFormatError:
        raise ValidationException(f"The {name} parameter '{raw}' is not a valid date (use YYYY-MM-DD).") from None
    if parsed < EARLIEST_DATE:
        raise ValidationException(f"The {name} parameter '{raw}' is before {EARLIEST_DATE:%Y-%m-%d}.")
    return parsed


@bp.get("/Reports/TrialBalance")
@operation(SCOPE)
def trial_balance(backend):
    return envelope("Reports", [schema.dump(backend.trial_balance(date_param("date")))])


@bp.get("/Reports/BankSummary")
@operation(SCOPE)
def bank_summary(backend):
    report = backend.bank_summary(date_param("fromDate"), date_param("toDate"))
    return envelope("Reports", [schema.dump(report)])


@bp.get("/Reports/AgedReceivablesByContact")
@operation(SCOPE)
def aged_receivables_by_contact(backend):
    contact_id = (query_value("contactId") or "").strip()
    if not contact_id:
        raise ValidationException("The contactId parameter is required.")
    if not is_guid(contact_id):
        raise ValidationException(f"The contactId parameter '{contact_id}' is not a valid GUID.")
    report = backend.aged_receivables_by_contact(
        normalise_guid(contact_id), date_param("date"), date_param("fromDate"), date_param("toDate")
    )
    return envelope("Reports", [schema.dump(report)])
