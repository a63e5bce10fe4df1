"""The ``mockxero`` command. Each subcommand lives in its own module and is added here."""
from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mockxero")
def cli() -> None:
    """mockxero: an offline emulation of the Xero Accounting API with a checked ledger."""


def main() -> None:  # pragma: no cover - console entry point
    cli()
