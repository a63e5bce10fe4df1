"""Two tenants and two app clients, for the gateway's scoping rules."""

from __future__ import annotations

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, ClientConfig, MockConfig, TenantConfig

TENANT_A = DEFAULT_TENANT_ID
TENANT_B = "0b7d2e44-7a61-4c1f-8f0e-4a2d9c6b1e02"
CLIENT_A = DEFAULT_CLIENT_ID
CLIENT_B = "MOCKXERO0SECOND0CLIENT0000000002"
SECRET_B = "second-client-secret"


def two_tenant_config(clock, **settings) -> MockConfig:
    return MockConfig(
        clock=clock,
        testing=True,
        tenants=(TenantConfig(tenant_id=TENANT_A), TenantConfig(tenant_id=TENANT_B, name="Second Org")),
        clients=(
            ClientConfig(tenant_ids=(TENANT_A, TENANT_B)),
            ClientConfig(
                client_id=CLIENT_B, client_secret=SECRET_B, name="second app", tenant_ids=(TENANT_A, TENANT_B)
            ),
        ),
        **settings,
    )
