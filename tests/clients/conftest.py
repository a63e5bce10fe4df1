"""The official SDK, xero-python, wired to the served mock: the ``sdk`` fixture the SDK tests share.

Nothing in the SDK is changed: its base URLs point at the mock, and its client-credentials token request
goes to the mock's POST /connect/token instead of identity.xero.com.
"""

from __future__ import annotations

import pytest
from xero_python.accounting import AccountingApi
from xero_python.api_client import ApiClient
from xero_python.api_client.oauth2 import TokenApi
from xero_python.identity import IdentityApi

from mockxero.config import DEFAULT_TENANT_ID
from tests.helpers import sdk_configuration


class SDK:
    def __init__(self, api_client: ApiClient, base_url: str):
        self.accounting = AccountingApi(api_client, base_url=base_url + "/api.xro/2.0")
        self.identity = IdentityApi(api_client, base_url=base_url)
        self.tenant = DEFAULT_TENANT_ID


@pytest.fixture
def sdk(live_server, monkeypatch) -> SDK:
    monkeypatch.setattr(TokenApi, "client_credentials_token_url", live_server + "/connect/token")
    tokens: dict = {}
    api_client = ApiClient(
        sdk_configuration(),
        pool_threads=1,
        oauth2_token_getter=lambda: tokens,
        oauth2_token_saver=tokens.update,
    )
    api_client.get_client_credentials_token()
    assert tokens["access_token"]
    return SDK(api_client, live_server)
