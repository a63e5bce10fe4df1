"""The accounting API's protocol, shared by every resource view.

* ``operation(scope)`` wraps a view: bearer token → tenant → scope → gateway (rate limits, Idempotency-Key)
  → one store transaction → backend.
* ``read_elements`` reads a wrapped (``{"Contacts": [...]}``), bare (``{...}``) or array body.
* ``envelope`` builds Xero's response envelope; ``list_response`` answers every ``GET /<Collection>``.
* ``run_batch`` / ``batch_response`` give batch writes Xero's ``summarizeErrors`` semantics: each element
  is saved or refused on its own; refused elements come back either in one 400 (the default) or, with
  ``summarizeErrors=false``, in a 200 where every element carries its ``StatusAttributeString``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache, wraps
from typing import Any

from flask import Response, g, request
from marshmallow import Schema

from . import money, wire, xmlwire
from .emulator import get_emulator
from .exceptions import PostDataInvalidException, Unauthorized, ValidationException
from .http import json_response, render_error
from .ids import ZERO_GUID, answer_id
from .query.listing import Listing, ListQuery, RecordSource, select
from .schemas.base import load_elements

XML_TYPES = ("application/xml", "text/xml")
TRUE_WORDS = {"true", "1", "yes"}
FALSE_WORDS = {"false", "0", "no"}


def operation(scope: str) -> Callable:
    """Guard an accounting view and hand it the tenant's backend: ``view(backend, **path_args)``."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            emulator = get_emulator()
            context = emulator.identity.authenticate_bearer(request.headers.get("Authorization"))
            tenant_id = emulator.identity.authorize_tenant(context, request.headers.get("xero-tenant-id"))
            if not context.has_scope(scope, read_only=request.method in ("GET", "HEAD")):
                raise Unauthorized("AuthorizationUnsuccessful")
            g.access = context
            g.tenant_id = tenant_id
            backend = emulator.backend(tenant_id, context.client_id)
            # The gateway (mockxero.traffic) applies rate limits and Idempotency-Key, then runs the view
            # in one store transaction.
            return emulator.traffic.accounting_call(
                context.client_id, tenant_id, lambda: view(backend, *args, **kwargs)
            )

        wrapper.required_scope = scope  # type: ignore[attr-defined]
        return wrapper

    return decorate


# --- reading requests ----------------------------------------------------------------------------------


def read_body() -> Any:
    """The request body as JSON values, whether it was sent as JSON or as Xero's XML."""
    raw = request.get_data(cache=True)  # Flask enforces MAX_CONTENT_LENGTH here (413)
    if not raw.strip():
        raise PostDataInvalidException("JSON for post data was invalid, the request body is empty")
    if request.mimetype in XML_TYPES or raw.lstrip().startswith(b"<"):
        try:
            return xmlwire.parse_body(raw)
        except xmlwire.XmlBodyError as exc:
            raise PostDataInvalidException(f"XML for post data was invalid, {exc}") from None
    try:
        return wire.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PostDataInvalidException(f"JSON for post data was invalid,{exc}") from None


def read_elements(collection: str, body: Any = None) -> list[Any]:
    """The elements of a write, whichever of Xero's accepted body shapes they came in."""
    body = read_body() if body is None else body
    if isinstance(body, dict) and collection in body:
        elements = body[collection]
        if isinstance(elements, dict):
            elements = [elements]
        if not isinstance(elements, list):
            raise PostDataInvalidException(f"JSON for post data was invalid, '{collection}' must be an array")
    elif isinstance(body, list):
        elements = body
    elif isinstance(body, dict):
        elements = [body]
    else:
        raise PostDataInvalidException(
            f"JSON for post data was invalid, expected an object with a '{collection}' array"
        )
    if not elements:
        raise PostDataInvalidException(f"JSON for post data was invalid, no {collection} were found in the request")
    return elements


def load_body(schema: Schema, collection: str) -> tuple[list[Any], list[dict]]:
    """Read and type-check a write body: (raw elements for echoing, loaded values for the backend)."""
    raw = read_elements(collection)
    reject = get_emulator().config.unknown_fields == "reject"
    return raw, load_elements(schema, raw, collection, reject_unknown=reject)


def unit_places() -> int:
    """``unitdp=4`` keeps unit amounts and prices to four places; anything else means Xero's default of two."""
    return 4 if (query_value("unitdp") or "").strip() == "4" else 2


def query_flag(name: str, default: bool = False) -> bool:
    """Boolean query parameters; xero-python sends ``True``/``False``, others ``true``/``false``."""
    raw = _query_value(name)
    if raw is None or raw == "":
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return default


def _query_value(name: str) -> str | None:
    """Query parameter names are case-insensitive in Xero (``summarizeErrors`` / ``SummarizeErrors``)."""
    args = request.args
    if name in args:
        return args.get(name)
    lowered = name.lower()
    for key, value in args.items():
        if key.lower() == lowered:
            return value
    return None


def query_value(name: str) -> str | None:
    return _query_value(name)


# --- responses -----------------------------------------------------------------------------------------


def envelope_body(
    collection: str, items: list[Any], *, pagination: dict | None = None, warnings: list[str] | None = None
) -> dict:
    emulator = get_emulator()
    access = getattr(g, "access", None)
    body: dict[str, Any] = {
        "Id": answer_id(),
        "Status": "OK",
        "ProviderName": access.client_name if access else "mockxero",
        "DateTimeUTC": wire.ms_envelope_datetime(emulator.clock.now()),
    }
    if pagination is not None:
        body["pagination"] = pagination
    if warnings:
        body["Warnings"] = [{"Message": w} for w in warnings]
    body[collection] = items
    return body


def envelope(collection: str, items: list[Any], *, status: int = 200, **kwargs: Any) -> Response:
    return json_response(envelope_body(collection, items, **kwargs), status)


def list_response(
    backend: Any, listing: Listing, rows: Iterable[dict] | None = None, dump: Callable[[dict], dict] | None = None
) -> Response:
    """Answer a list GET: explicit parameters, ``where``, ``order``, ``If-Modified-Since``, paging.

    How a resource opts in: describe its endpoint once as a module-level ``Listing`` in its api module
    (collection, schema, store ``kind``, ``paged``, and the explicit parameters it accepts), then make
    the view ``return list_response(backend, LISTING)``. With ``kind`` set the records are read from the
    tenant's table, and ``IDs``-style lookups go through the store's indexes; a view that must pre-filter
    may pass ``rows`` instead (stored records, read-only). Only the returned page is dumped, by ``dump``
    when given (a dump that needs this request's backend), else ``listing.dump``, else the schema.
    """
    source = (
        RecordSource(rows=rows)
        if rows is not None or listing.kind is None
        else RecordSource(backend.store, backend.table(listing.kind))
    )
    flags = {hidden.param: query_flag(hidden.param) for hidden in listing.hidden}
    if listing.created_by_my_app:
        flags["createdByMyApp"] = query_flag("createdByMyApp")
    query = ListQuery(
        where=_query_value("where"),
        order=_query_value("order"),
        page=_query_value("page"),
        page_size=_query_value("pageSize"),
        if_modified_since=request.headers.get("If-Modified-Since"),
        search_term=_query_value("searchTerm"),
        values={lookup.param: _query_value(lookup.param) for lookup in listing.lookups},
        flags=flags,
    )
    result = select(source, listing, query, client_id=getattr(backend, "client_id", None), backend=backend)
    dump = dump or listing.dump or listing.schema.dump
    return envelope(listing.collection, [dump(record) for record in result.rows], pagination=result.pagination)


# --- batch writes --------------------------------------------------------------------------------------


@dataclass
class ElementOutcome:
    raw: Any
    record: dict | None = None
    errors: list[str] = field(default_factory=list)
    values: dict | None = None  # the element as the resource's schema read it

    @property
    def ok(self) -> bool:
        return not self.errors


def run_batch(
    backend: Any, elements: list[dict], raw: list[Any], action: Callable[[dict], dict]
) -> list[ElementOutcome]:
    """Apply ``action`` to each element in its own savepoint: a refused element leaves no trace."""
    outcomes = []
    for raw_element, values in zip(raw, elements, strict=True):
        try:
            with backend.savepoint():
                record = action(values)
        except ValidationException as exc:
            outcomes.append(ElementOutcome(raw_element, errors=exc.messages, values=values))
        else:
            outcomes.append(ElementOutcome(raw_element, record=record))
    return outcomes


@dataclass(frozen=True)
class BatchShape:
    """How one resource's elements look in batch answers."""

    collection: str  # "Contacts"
    id_field: str | None  # "ContactID"; None for resources keyed by a code (TaxRates' TaxType)
    error_flag: str  # "HasValidationErrors" (contacts, payments) or "HasErrors" (invoices, credit notes)
    # Fields Xero's response schema requires of an element, with what a refused element that lacked them
    # carries instead (docs/summarize-errors.md): the empty value of each, an enum's first member.
    required: tuple[tuple[str, Any], ...] = ()


Echo = Callable[[dict, Any], dict]


# One echo per schema: the api modules' schemas live as long as the process, and building the echo was part
# of every batch write. Bounded all the same, so a schema made per call could not grow it.
@lru_cache(maxsize=64)
def schema_echo(schema: Schema) -> Echo:
    """A refused element as parsed into the resource's own fields, as Xero echoes its object (not the
    request's text): keys the schema does not know are gone, values are written as the schema writes them,
    and fields only ever read (a payment's ``InvoiceNumber``) are given back too."""
    read_only = [(name, fld) for name, fld in schema.load_fields.items() if fld.load_only]

    known = {fld.data_key or name for name, fld in schema.fields.items()}

    def echo(values: dict, raw: Any = None) -> dict:
        try:
            out = schema.dump(values)
        except ArithmeticError:
            out = None
        if out is None or _beyond_limit(out):
            # An amount the rules refused as past the limit (which rounding for display may also push over
            # it): echo the element's own fields as sent rather than fail or misstate the answer.
            return {key: value for key, value in (raw or {}).items() if key in known}
        for name, fld in read_only:
            attribute = fld.attribute or name
            if values.get(attribute) is not None:
                out[fld.data_key or name] = fld.serialize(attribute, values)
        return out

    return echo


def _beyond_limit(value: Any) -> bool:
    if isinstance(value, Decimal):
        return money.out_of_range(value)
    if isinstance(value, dict):
        return any(_beyond_limit(item) for item in value.values())
    if isinstance(value, list):
        return any(_beyond_limit(item) for item in value)
    return False


def batch_response(
    shape: BatchShape, outcomes: list[ElementOutcome], dump: Callable[[dict], dict], echo: Echo | None = None
) -> Response:
    summarize = query_flag("summarizeErrors", default=True)
    failures = [o for o in outcomes if not o.ok]
    if failures and summarize:
        # The valid elements are already saved (as in Xero); the answer lists only the refused ones.
        return render_error(
            ValidationException(
                [m for o in failures for m in o.errors],
                elements=[_refused(shape, o, echo, summarized=True) for o in failures],
            )
        )
    items = []
    for outcome in outcomes:
        if outcome.ok and outcome.record is not None:
            item = dump(outcome.record)
            if not summarize:
                item["StatusAttributeString"] = "OK"
            items.append(item)
        else:
            items.append(_refused(shape, outcome, echo, summarized=False))
    return envelope(shape.collection, items)


def batch_write(
    backend: Any,
    schema: Schema,
    shape: BatchShape,
    action: Callable[[dict], dict],
    dump: Callable[[dict], dict],
    *,
    first_only: bool = False,
) -> Response:
    """A write of one or many elements, the way every resource takes them: read and type-check the body,
    apply ``action`` to each element in its own savepoint, answer as ``summarizeErrors`` asks.

    ``first_only`` is for resources where Xero processes just the first element of a request (Accounts).
    """
    raw, elements = load_body(schema, shape.collection)
    if first_only:
        raw, elements = raw[:1], elements[:1]
    return batch_response(shape, run_batch(backend, elements, raw, action), dump, schema_echo(schema))


def _refused(shape: BatchShape, outcome: ElementOutcome, echo_element: Echo | None, *, summarized: bool) -> dict:
    if echo_element is not None and outcome.values is not None:
        echo = echo_element(outcome.values, outcome.raw)
    else:
        echo = dict(outcome.raw) if isinstance(outcome.raw, dict) else {}
    for name, placeholder in shape.required:
        if echo.get(name) is None:
            echo[name] = placeholder
    if not summarized and shape.id_field:
        echo[shape.id_field] = ZERO_GUID
    echo[shape.error_flag] = True
    echo["StatusAttributeString"] = "ERROR"
    echo["ValidationErrors"] = [{"Message": m} for m in outcome.errors]
    return echo
