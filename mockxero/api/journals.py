"""/Journals: the ledger as Xero exposes it, read-only, paged by journal number."""

from __future__ import annotations

from flask import Blueprint, request

from ..exceptions import QueryParseException
from ..posting import CASH_SOURCES
from ..protocol import envelope, operation, query_flag, query_value
from ..query.modified import modified_since, parse_if_modified_since
from ..schemas.journals import JournalSchema

bp = Blueprint("journals", __name__)
SCOPE = "accounting.journals.read"
schema = JournalSchema()


def _offset() -> int:
    raw = (query_value("offset") or "").strip()
    if not raw:
        return 0
    try:
        return int(raw)
    except ValueError:
        raise QueryParseException(f"The offset parameter must be a whole number, not '{raw}'") from None


@bp.get("/Journals")
@operation(SCOPE)
def list_journals(backend):
    """Journals numbered above ``offset``, 100 per call; ``If-Modified-Since`` reads CreatedDateUTC."""
    since = parse_if_modified_since(request.headers.get("If-Modified-Since"))
    payments_only = query_flag("paymentsOnly")

    def keep(journal: dict) -> bool:
        if payments_only and journal["SourceType"] not in CASH_SOURCES:
            return False
        return since is None or modified_since(journal["CreatedDateUTC"], since)

    rows = backend.journals_after(_offset(), keep=keep)
    return envelope("Journals", [schema.dump(backend.present_journal(row)) for row in rows])


@bp.get("/Journals/<uuid:journal_id>")
@operation(SCOPE)
def get_journal(backend, journal_id):
    return envelope("Journals", [schema.dump(backend.present_journal(backend.journal(str(journal_id))))])


@bp.get("/Journals/<int:journal_number>")
@operation(SCOPE)
def get_journal_by_number(backend, journal_number: int):
    return envelope("Journals", [schema.dump(backend.present_journal(backend.journal_by_number(journal_number)))])
