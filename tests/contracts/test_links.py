"""Every link in the contract, followed by hand from the example of its source to a success of its target.

Generated workflows follow the links too, but generated bodies mostly fail the mock's business rules, so
whether a given workflow ever succeeds is luck. Here the contract's own examples make each step valid: the
source operation is called with its example, the link's runtime expressions are read from the answer, and
the target is called with its example (the link's body merged in). Both answers must be successes that
conform, which also proves that each link points at the right fields.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from contracts import ACCOUNTING, read_contract
from mockxero.config import DEFAULT_TENANT_ID

from .conftest import checks_for

API = "/api.xro/2.0/"


def _operations(document: dict) -> dict[str, tuple[str, str, dict]]:
    return {
        operation["operationId"]: (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }


def _parameters(document: dict, operation: dict) -> list[dict]:
    resolved = []
    for param in operation.get("parameters", []):
        if "$ref" in param:
            param = document["components"]["parameters"][param["$ref"].rsplit("/", 1)[1]]
        resolved.append(param)
    return resolved


def _example(operation: dict) -> Any:
    return operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("example")


def _evaluate(expression: Any, answer: Any) -> Any:
    """``$response.body#/Contacts/0/ContactID`` (anywhere inside ``expression``) read from ``answer``."""
    if isinstance(expression, dict):
        return {key: _evaluate(value, answer) for key, value in expression.items()}
    if isinstance(expression, list):
        return [_evaluate(value, answer) for value in expression]
    if isinstance(expression, str) and expression.startswith("$response.body#/"):
        found = answer
        for step in expression.split("#/", 1)[1].split("/"):
            found = found[int(step)] if isinstance(found, list) else found[step]
        return found
    return expression


def _merged(example: Any, linked: Any) -> Any:
    """The link's values laid over the example: objects by key, arrays by position."""
    if isinstance(example, dict) and isinstance(linked, dict):
        merged = dict(example)
        for key, value in linked.items():
            merged[key] = _merged(example[key], value) if key in example else value
        return merged
    if isinstance(example, list) and isinstance(linked, list):
        return (
            [_merged(e, link) for e, link in zip(example, linked, strict=False)]
            + example[len(linked) :]
            + linked[len(example) :]
        )
    return linked


def _call(
    schema,
    method: str,
    path: str,
    headers,
    ledger,
    *,
    path_parameters=None,
    query=None,
    body=None,
    must_succeed: bool = True,
):
    operation = schema[path][method]
    kwargs: dict[str, Any] = {"path_parameters": path_parameters or {}, "query": query or {}}
    if body is not None:
        kwargs.update(body=copy.deepcopy(body), media_type="application/json")
    case = operation.Case(**kwargs)
    response = case.call(headers=headers)
    case.validate_response(response, checks=checks_for(operation))
    ledger.record(operation.label, response.status_code, "links")
    if must_succeed:
        assert 200 <= response.status_code < 300, (operation.label, kwargs, response.status_code, response.text)
    return response


def _populate(schema, operations, headers, ledger, *, but: str) -> None:
    """Fill the fresh books with every creating example that needs no path, except the source's own (which
    the link starts from, and which may hold names that must be unique). Some need what the excluded one
    makes (a payment needs its invoice), so failures here are allowed; conformance is still checked."""
    for operation_id, (method, path, operation) in operations.items():
        if operation_id != but and method == "PUT" and "{" not in path and _example(operation) is not None:
            _call(schema, method, path, headers, ledger, body=_example(operation), must_succeed=False)


def _links(operations) -> list[tuple[str, str, dict]]:
    """(source operationId, link name, link) for every link of the contract."""
    return [
        (operation_id, name, link)
        for operation_id, (_, _, operation) in operations.items()
        for response in operation["responses"].values()
        for name, link in response.get("links", {}).items()
    ]


def _routes(document, operations) -> dict[str, list[tuple[str, dict]]]:
    """How to reach each operation with real path parameters: the links to follow from an operation that
    needs none (its own route is empty)."""
    routes: dict[str, list[tuple[str, dict]]] = {
        operation_id: []
        for operation_id, (_, _, operation) in operations.items()
        if not any(p["in"] == "path" for p in _parameters(document, operation))
    }
    grown = True
    while grown:
        grown = False
        for source, _, link in _links(operations):
            target = link["operationId"]
            if source in routes and target not in routes:
                routes[target] = routes[source] + [(source, link)]
                grown = True
    return routes


def _follow(schema, document, operations, operation_id, headers, ledger, *, link=None, answer=None):
    """Call one operation with its example, the link's values (read from the previous answer) laid over it."""
    method, path, operation = operations[operation_id]
    body = _example(operation)
    path_values: dict[str, str] = {}
    query: dict[str, Any] = {}
    if link is not None:
        values = _evaluate(link.get("parameters", {}), answer)
        in_path = {p["name"] for p in _parameters(document, operation) if p["in"] == "path"}
        path_values = {k: str(v) for k, v in values.items() if k in in_path}
        query = {k: v for k, v in values.items() if k not in in_path}
        if "requestBody" in link:
            body = _merged(body, _evaluate(link["requestBody"], answer))
    response = _call(schema, method, path, headers, ledger, path_parameters=path_values, query=query, body=body)
    return response.json() if response.content else None


def test_every_link_leads_from_a_success_to_a_success(contract_app, accounting_schema, auth_headers, status_ledger):
    document = yaml.safe_load(read_contract(ACCOUNTING))
    operations = _operations(document)
    routes = _routes(document, operations)
    control = contract_app.test_client()
    links = _links(operations)
    unreachable = sorted({source for source, _, _ in links if source not in routes})
    assert not unreachable, f"no chain of links reaches {unreachable} from an operation without path parameters"
    for source, _name, link in links:
        # Each link starts from fresh books, so one link's writes cannot break another's example.
        assert control.post("/mock-api/reset", json={"tenant_id": DEFAULT_TENANT_ID}).status_code == 200
        route = routes[source]
        _populate(accounting_schema, operations, auth_headers, status_ledger, but=(route[0][0] if route else source))
        answer, previous = None, None
        for step_source, step_link in route:
            answer = _follow(
                accounting_schema,
                document,
                operations,
                step_source,
                auth_headers,
                status_ledger,
                link=previous,
                answer=answer,
            )
            previous = step_link
        answer = _follow(
            accounting_schema, document, operations, source, auth_headers, status_ledger, link=previous, answer=answer
        )
        _follow(
            accounting_schema,
            document,
            operations,
            link["operationId"],
            auth_headers,
            status_ledger,
            link=link,
            answer=answer,
        )
    assert links, "the contract has no links left to drive the stateful tests"
