"""What every xero-sync command shares: the exit codes, the bad-input error, JSON on stdout."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import click

CLEAN, FAILED, BAD_INPUT = 0, 1, 2


class BadInput(click.ClickException):
    """Input the run cannot start from; exit 2 with every problem listed."""

    exit_code = BAD_INPUT


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def print_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, default=plain))
