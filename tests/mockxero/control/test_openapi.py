"""The contracts are served by the mock they describe, from the package data."""

from __future__ import annotations

import yaml

from contracts import ACCOUNTING, CONTROL, read_contract


def test_the_accounting_contract_is_served_at_the_root(client):
    response = client.get("/openapi.yaml")
    assert response.status_code == 200
    assert response.mimetype == "application/yaml"
    assert response.data == read_contract(ACCOUNTING)
    assert yaml.safe_load(response.data)["openapi"].startswith("3.0")


def test_the_control_contract_is_served_under_mock_api(client):
    response = client.get("/mock-api/openapi.yaml")
    assert response.status_code == 200
    assert response.mimetype == "application/yaml"
    assert response.data == read_contract(CONTROL)
    assert "/mock-api/openapi.yaml" in yaml.safe_load(response.data)["paths"]


def test_only_the_shipped_contracts_can_be_read():
    try:
        read_contract("../pyproject.toml")
    except ValueError as error:
        assert "no contract named" in str(error)
    else:
        raise AssertionError("read_contract must refuse names outside the package's contracts")
