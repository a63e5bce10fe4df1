from scenarios.cli import cli

cli()
