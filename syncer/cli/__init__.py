"""``xero-sync``, the sync engine's command line: ``main`` holds the sync commands (plan, apply, status, runs,
check), ``integrations`` the integration, credential and external-mapping commands, ``output`` what they
share (exit codes, JSON output)."""

from syncer.cli.main import cli

__all__ = ["cli"]
