"""The ``mockxero`` command. Each subcommand lives in its own module and is added here."""

from __future__ import annotations

import click

from . import ledger, serve


@click.group(context_settings={"help_option_names": ["-h", "--help"], "show_default": True})
@click.version_option(package_name="mockxero")
def cli() -> None:
    """mockxero: an offline emulation of the Xero Accounting API with a checked ledger."""


cli.add_command(serve.serve)
cli.add_command(ledger.ledger)
