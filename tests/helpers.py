"""Plain helpers the tests share: an authorised accounting-API client, token issuing, error extraction.

Fixtures stay in the conftest files; anything a test imports by name lives here.
"""

from __future__ import annotations

import base64
import os
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID
from mockxero.emulator import Emulator
from mockxero.ledger import validate_emulator

API = "/api.xro/2.0"


def ledger_breaks(created: list[tuple[Emulator, int]]) -> str | None:
    """Every ledger error of the written-to emulators in ``created``, as one message; None when sound."""
    lines = []
    for emulator, writes_at_start in created:
        if emulator.store.write_count == writes_at_start:
            continue
        for tenant, errors in validate_emulator(emulator).items():
            lines.extend(f"  [{tenant}] {e.source} {e.entry}: {e.message}" for e in errors)
    return "the ledger check failed after this test:\n" + "\n".join(lines) if lines else None


def issue_token(
    client, client_id: str = DEFAULT_CLIENT_ID, secret: str = DEFAULT_CLIENT_SECRET, scope: str | None = None
) -> str:
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    if scope:
        form["scope"] = scope
    response = client.post("/connect/token", data=form)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["access_token"]


class XeroTestClient:
    """Calls the accounting API as an authorised app would: bearer token, tenant header, JSON."""

    def __init__(self, client, token: str, tenant_id: str = DEFAULT_TENANT_ID):
        self.client = client
        self.headers = {
            "Authorization": f"Bearer {token}",
            "xero-tenant-id": tenant_id,
            "Accept": "application/json",
        }

    def _call(self, method: str, path: str, **kwargs: Any):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.open(API + path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any):
        return self._call("GET", path, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any):
        return self._call("PUT", path, json=json, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any):
        return self._call("POST", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any):
        return self._call("DELETE", path, **kwargs)


def validation_messages(response) -> list[str]:
    """Every ``ValidationErrors[].Message`` in a 400 ValidationException body, in order."""
    body = response.json
    assert body["Type"] == "ValidationException", body
    return [e["Message"] for element in body["Elements"] for e in element.get("ValidationErrors", [])]


def node_unavailable(reason: str) -> None:
    """Skip a test that needs node and npm, where a developer may lack them; fail it where
    ``MOCKXERO_REQUIRE_NODE`` is set, as ``.ci/run`` sets it after installing them, so CI never passes a
    Node SDK test by skipping it."""
    if os.environ.get("MOCKXERO_REQUIRE_NODE"):
        pytest.fail(f"{reason} (MOCKXERO_REQUIRE_NODE is set)")
    pytest.skip(reason)


# -- the authorization-code grant, as a web app goes through it (identity tests, credential tests) --

REDIRECT = "https://app.example.test/callback"
USER_SCOPES = "openid profile email offline_access accounting.contacts accounting.transactions"


def basic(client_id: str = DEFAULT_CLIENT_ID, secret: str = DEFAULT_CLIENT_SECRET) -> dict:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def post_token(client, headers: dict | None = None, **form):
    return client.post("/connect/token", data=form, headers=headers if headers is not None else basic())


def authorize(
    client,
    *,
    scope: str = USER_SCOPES,
    redirect_uri: str = REDIRECT,
    state: str = "xyz",
    client_id: str = DEFAULT_CLIENT_ID,
):
    return client.get(
        "/connect/authorize",
        query_string={
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": scope,
            "state": state,
        },
    )


def code_from(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return parse_qs(urlsplit(response.headers["Location"]).query)["code"][0]


def user_tokens(client, scope: str = USER_SCOPES) -> dict:
    """The whole authorization-code dance, as a web app does it."""
    code = code_from(authorize(client, scope=scope))
    response = post_token(client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def sdk_configuration(client_id: str = DEFAULT_CLIENT_ID, client_secret: str = DEFAULT_CLIENT_SECRET) -> Any:
    """A xero-python ``Configuration`` for this app. ``Configuration(oauth2_token=...)`` would hand back a copy
    of the first configuration the process made, whatever it is given (the SDK keeps a process-wide
    default), so a test run after another app's test would send that app's client id; the token is set on
    the copy instead."""
    from xero_python.api_client import Configuration
    from xero_python.api_client.oauth2 import OAuth2Token

    configuration = Configuration()
    configuration.oauth2_token = OAuth2Token(client_id=client_id, client_secret=client_secret)
    return configuration
