"""``python -m syncer`` is ``xero-sync``."""

from syncer.cli import cli

if __name__ == "__main__":
    cli()
