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
    return {operation["operationId"]: (method.upper(), path, operation)
            for path, item in document["paths"].items() for method, operation in item.items()}


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
        return [_merged(e, l) for e, l in zip(example, linked)] + example[len(linked):] + linked[len(example):]
    return linked


def _call(schema, method: str, path: str, headers, ledger, *, path_parameters=None, query=None, body=None):
    operation = schema[path][method]
    kwargs: dict[str, Any] = {"path_parameters": path_parameters or {}, "query": query or {}}
    if body is not None:
        kwargs.update(body=copy.deepcopy(body), media_type="application/json")
    case = operation.Case(**kwargs)
    response = case.call(headers=headers)
    case.validate_response(response, checks=checks_for(operation))
    ledger.record(operation.label, response.status_code, "links")
    assert 200 <= response.status_code < 300, (operation.label, kwargs, response.status_code, response.text)
    return response


def _populate(schema, operations, headers, ledger) -> None:
    """Give a list operation something to list: every creating example that needs no path."""
    for method, path, operation in operations.values():
        if method == "PUT" and path.startswith(API) and "{" not in path and _example(operation) is not None:
            _call(schema, method, path, headers, ledger, body=_example(operation))


def test_every_link_leads_from_a_success_to_a_success(contract_app, accounting_schema, auth_headers,
                                                      status_ledger):
    document = yaml.safe_load(read_contract(ACCOUNTING))
    operations = _operations(document)
    control = contract_app.test_client()
    followed = 0
    for method, path, operation in operations.values():
        for code, response in operation["responses"].items():
            for name, link in response.get("links", {}).items():
                # Each link starts from fresh books, so one link's writes cannot break another's example.
                assert control.post("/mock-api/reset", json={"tenant_id": DEFAULT_TENANT_ID}).status_code == 200
                source_body = _example(operation)
                if source_body is None and "requestBody" not in operation:
                    _populate(accounting_schema, operations, auth_headers, status_ledger)
                answer = _call(accounting_schema, method, path, auth_headers, status_ledger,
                               body=source_body).json()

                target_method, target_path, target = operations[link["operationId"]]
                values = _evaluate(link.get("parameters", {}), answer)
                in_path = {p["name"] for p in _parameters(document, target) if p["in"] == "path"}
                body = _example(target)
                if "requestBody" in link:
                    body = _merged(body, _evaluate(link["requestBody"], answer))
                _call(accounting_schema, target_method, target_path, auth_headers, status_ledger,
                      path_parameters={k: str(v) for k, v in values.items() if k in in_path},
                      query={k: v for k, v in values.items() if k not in in_path}, body=body)
                followed += 1
    assert followed, "the contract has no links left to drive the stateful tests"
