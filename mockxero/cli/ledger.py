"""``mockxero ledger``: run the ledger check on a running mock (``--url``) or on a data file (``--data-file``).

Exit status: 0 when every tenant's books pass, 1 when any invariant is broken, 2 when the books could not
be read (server unreachable, unreadable file, unknown tenant).
"""

from __future__ import annotations

from typing import Any

import click
import requests

from .. import wire
from ..ledger import book_from_store, ledger_report, tenants_in_store
from ..store import Store, StoreFileError
from .serve import GuidParam

DEFAULT_URL = "http://127.0.0.1:8765"


class CannotRead(click.ClickException):
    exit_code = 2


@click.command("ledger")
@click.option("--url", envvar="MOCKXERO_URL", help=f"Base URL of a running mock  [default: {DEFAULT_URL}]")
@click.option(
    "--data-file", type=click.Path(exists=True, dir_okay=False), help="Check this data file instead of a server."
)
@click.option("--tenant-id", type=GuidParam(), help="Check one tenant (default: every tenant).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def ledger(url: str | None, data_file: str | None, tenant_id: str | None, as_json: bool) -> None:
    """Check that the books balance: journals, trial balance, receivables, payables, documents, banks."""
    if url and data_file:
        raise click.UsageError("give either --url or --data-file, not both")
    answer = from_file(data_file, tenant_id) if data_file else from_server(url or DEFAULT_URL, tenant_id)
    if as_json:
        click.echo(wire.dumps(answer))
    else:
        for report in answer["tenants"]:
            click.echo(describe(report))
    if not answer["balanced"]:
        raise SystemExit(1)


def from_server(url: str, tenant_id: str | None) -> dict:
    params = {"tenant_id": tenant_id} if tenant_id else {}
    try:
        response = requests.get(url.rstrip("/") + "/mock-api/ledger", params=params, timeout=30)
    except requests.RequestException as exc:
        raise CannotRead(f"cannot reach the mock at {url}: {exc}") from None
    try:
        body = wire.loads(response.content)
    except ValueError:
        raise CannotRead(f"{url} did not answer like a mockxero server (HTTP {response.status_code})") from None
    if response.status_code != 200:
        detail = body.get("detail") if isinstance(body, dict) else None
        raise CannotRead(detail or f"{url} answered HTTP {response.status_code}")
    return body


def from_file(path: str, tenant_id: str | None) -> dict:
    try:
        store = Store(path, read_only=True)  # a check never changes the file, nor migrates an older one
    except (StoreFileError, OSError) as exc:
        raise CannotRead(str(exc)) from None
    tenants = tenants_in_store(store)
    if tenant_id:
        if tenant_id not in tenants:
            raise CannotRead(f"{path} holds no books for tenant {tenant_id}")
        tenants = [tenant_id]
    reports = [ledger_report(book_from_store(store, tenant)) for tenant in tenants]
    return {"balanced": all(report["balanced"] for report in reports), "tenants": reports}


def describe(report: dict[str, Any]) -> str:
    """One tenant's report for people: verdict, errors, trial balance, balances."""
    verdict = "balanced" if report["balanced"] else f"NOT BALANCED ({len(report['errors'])} errors)"
    lines = [f"{report['name']} ({report['tenant_id']}): {verdict}"]
    for error in report["errors"]:
        lines.append(f"  ! {error['source']} {error['entry']}: {error['message']}")
    for row in report["trial_balance"]:
        lines.append(f"  Trial balance {row['CurrencyCode']}: debits {row['Debits']}, credits {row['Credits']}")
    for account in report["accounts"]:
        lines.append(
            f"    {account['Code'] or '':<8} {account['Name'] or account['AccountID']:<36} "
            f"{account['Type'] or '':<10} {account['CurrencyCode']} {account['Balance']:>14}"
        )
    return "\n".join(lines)
