"""The official Node SDK, xero-node from the npm registry, against a served mock: skipped without node/npm or
without the network to install it.

The package is installed once into a cache directory (``MOCKXERO_NODE_CACHE``, default
``~/.cache/mockxero-tests/xero-node``) and reused by later runs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

import mockxero
from tests.helpers import node_unavailable

SCRIPT = Path(__file__).parent / "node" / "contact_and_invoice.js"
XERO_NODE = "xero-node@13"  # the major the script was written against


@pytest.fixture(scope="module")
def node_modules() -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        node_unavailable("node and npm are not installed")
    cache = Path(os.environ.get("MOCKXERO_NODE_CACHE", Path.home() / ".cache" / "mockxero-tests" / "xero-node"))
    installed = cache / "node_modules" / "xero-node"
    if not installed.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        try:
            subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(cache), XERO_NODE],
                capture_output=True,
                text=True,
                timeout=300,
                check=True,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            node_unavailable(f"cannot install {XERO_NODE} from the npm registry (no network?): {exc}")
    return cache / "node_modules"


def test_xero_node_creates_a_contact_and_an_invoice_and_reads_them_back(node_modules):
    with mockxero.running() as xero:
        run = subprocess.run(
            ["node", str(SCRIPT), xero.api_url, xero.access_token, xero.tenant_id],
            env={**os.environ, "NODE_PATH": str(node_modules)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        result = json.loads(run.stdout)
        assert result["contact"] == "Node Customer" and result["invoiceContact"] is True
        assert (Decimal(result["total"]), result["status"]) == (Decimal("115"), "AUTHORISED")  # 2 x 50 + 15 % GST
        written = [(call["method"], call["path"], call["status"]) for call in xero.requests(method="PUT")]
        assert written == [("PUT", "/api.xro/2.0/Contacts", 200), ("PUT", "/api.xro/2.0/Invoices", 200)]
        xero.check_ledger()


def test_missing_node_skips_for_a_developer_and_fails_where_ci_requires_it(monkeypatch):
    monkeypatch.delenv("MOCKXERO_REQUIRE_NODE", raising=False)
    with pytest.raises(pytest.skip.Exception, match="node and npm are not installed"):
        node_unavailable("node and npm are not installed")
    monkeypatch.setenv("MOCKXERO_REQUIRE_NODE", "1")
    with pytest.raises(pytest.fail.Exception, match="MOCKXERO_REQUIRE_NODE is set"):
        node_unavailable("node and npm are not installed")
