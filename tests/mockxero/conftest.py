"""Fixtures for the emulator's own tests: two tenants, two apps, each app connected to one tenant."""

from __future__ import annotations

import pytest

from mockxero import create_app
from mockxero.config import MockConfig, TenantConfig
from tests.helpers import XeroTestClient, issue_token
from tests.mockxero.helpers import CLIENT_A, CLIENT_B, TENANT_A, TENANT_B


@pytest.fixture
def two_tenant_app(clock):
    return create_app(
        MockConfig(
            clock=clock,
            testing=True,
            tenants=(TenantConfig(TENANT_A, "Alpha Ltd", "NZ"), TenantConfig(TENANT_B, "Beta Ltd", "GB")),
            clients=(CLIENT_A, CLIENT_B),
        )
    )


@pytest.fixture
def two_tenant_client(two_tenant_app):
    return two_tenant_app.test_client()


@pytest.fixture
def xero_a(two_tenant_client) -> XeroTestClient:
    """App A, calling tenant A."""
    token = issue_token(two_tenant_client, CLIENT_A.client_id, CLIENT_A.client_secret)
    return XeroTestClient(two_tenant_client, token, TENANT_A)


@pytest.fixture
def xero_b(two_tenant_client) -> XeroTestClient:
    """App B, calling tenant B."""
    token = issue_token(two_tenant_client, CLIENT_B.client_id, CLIENT_B.client_secret)
    return XeroTestClient(two_tenant_client, token, TENANT_B)
