"""The contract files themselves: current, complete, in our own words, and served by the mock."""

from __future__ import annotations

import importlib
import pkgutil
import re

import yaml

import mockxero.api
from contracts import ACCOUNTING, CONTROL, read_contract
from mockxero.api import API_PREFIX
from mockxero.control import CONTROL_PREFIX
from mockxero.openapi import build, catalogue
from mockxero.query import Listing

IDENTITY_PATHS = ("/connect/", "/connections")


def _contract(name: str) -> dict:
    return yaml.safe_load(read_contract(name))


HTTP_METHODS = {"get", "put", "post", "patch", "delete"}


def _operations(document: dict) -> set[tuple[str, str]]:
    """(METHOD, path) of every operation; a path item's other keys (``parameters``) are not operations."""
    return {
        (method.upper(), path) for path, item in document["paths"].items() for method in item if method in HTTP_METHODS
    }


def _template(rule: str) -> str:
    """``/api.xro/2.0/Contacts/<uuid:contact_id>`` → ``/api.xro/2.0/Contacts/{}``: names differ, shapes match."""
    return re.sub(r"<[^>]+>", "{}", rule)


def _served(app, keep) -> set[tuple[str, str]]:
    served = set()
    for rule in app.url_map.iter_rules():
        if keep(rule.rule):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                served.add((method, _template(rule.rule)))
    return served


def _documented(document: dict) -> set[tuple[str, str]]:
    return {(method, re.sub(r"\{[^}]+\}", "{}", path)) for method, path in _operations(document)}


def test_committed_contract_is_what_the_builder_makes():
    # Fails after a change to a resource's schema, rules or routes: run `python3 -m mockxero.openapi.build`.
    committed = read_contract(ACCOUNTING).decode("utf-8")
    assert committed == build.build_text(), (
        "contracts/accounting.yaml is stale: run `python3 -m mockxero.openapi.build`"
    )


def test_every_emulated_accounting_operation_is_in_the_contract(app):
    served = _served(app, lambda rule: rule.startswith(API_PREFIX) or rule.startswith(IDENTITY_PATHS))
    # Xero's paths are capitalised (/Connections); the mock also answers the lower-case form clients use.
    served = {(m, p) for m, p in served if not p.startswith("/Connections")}
    documented = {(m, p) for m, p in _documented(_contract(ACCOUNTING))}
    assert served - documented == set(), (
        "served but not in contracts/accounting.yaml: add the operation to contracts/catalogue.py, "
        "then run `python3 -m mockxero.openapi.build`"
    )
    assert documented - served == set(), "in contracts/accounting.yaml but not served"


def test_every_listing_of_the_mock_is_described():
    # A list endpoint's parameters are derived from its Listing: one the catalogue does not name would
    # leave its where/order/paging parameters out of the contract.
    used = {op.listing for op in catalogue.OPERATIONS if op.listing}
    defined = set()
    for module_info in pkgutil.iter_modules(mockxero.api.__path__):
        module = importlib.import_module(f"mockxero.api.{module_info.name}")
        for name, value in vars(module).items():
            if isinstance(value, Listing):
                defined.add(f"mockxero.api.{module_info.name}:{name}")
    assert defined - used == set()


def test_every_control_endpoint_is_in_the_control_contract(app):
    served = _served(app, lambda rule: rule.startswith(CONTROL_PREFIX + "/"))
    assert served == _documented(_contract(CONTROL))


def test_the_contract_carries_none_of_xeros_prose():
    accounting, identity = build.load_reference(build.default_reference_dir())
    theirs = {text.strip() for text in _texts(accounting) | _texts(identity) if len(text.strip()) > 12}
    ours = _texts(_contract(ACCOUNTING), keys=("description", "summary"))
    assert {text.strip() for text in ours} & theirs == set()


def _texts(node, keys=("description", "summary")) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in keys and isinstance(value, str):
                found.add(value)
            else:
                found |= _texts(value, keys)
    elif isinstance(node, list):
        for item in node:
            found |= _texts(item, keys)
    return found


def test_every_example_is_one_of_ours():
    ours = [op.example for op in catalogue.OPERATIONS if op.example is not None]
    found = _values(_contract(ACCOUNTING), "example")
    assert found and all(example in ours for example in found)


def _values(node, key: str) -> list:
    found = []
    if isinstance(node, dict):
        for name, value in node.items():
            if name == key:
                found.append(value)
            else:
                found.extend(_values(value, key))
    elif isinstance(node, list):
        for item in node:
            found.extend(_values(item, key))
    return found
