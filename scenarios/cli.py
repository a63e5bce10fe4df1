"""``xero-scenarios``: run the bundled stories (or your own) end to end against the embedded emulator,
or (``--url``) against one already running, such as ``mockxero serve``.

Exit status: 0 when every scenario passes, 1 when any fails, 2 when a scenario file is bad (every problem
is printed at file:line:column first, and nothing runs) or the emulator at ``--url`` cannot be used.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from scenarios.emulator import EmulatorSource, EmulatorUnavailable, ExternalEmulator
from scenarios.reports.github import report_to_github
from scenarios.reports.html import write_report
from scenarios.reports.json_report import write_json
from scenarios.reports.junit import write_junit
from scenarios.reports.terminal import Progress, print_run
from scenarios.runner import discover, load_all, run_all

BUNDLED = Path(__file__).resolve().parent / "cases"
TEMPLATE = """\
# A scenario: one business story, run end to end (docs/scenarios/format.md describes every key).
name: {name}
tags: []
# extends: ../fixtures/nz-demo.yaml   # a shared set-up; this file's keys merge over it
given:
  # organisation: {{name: Demo Ltd, country: NZ, currencies: [USD]}}
  mapping:
    version: 1
    default_revenue_account: "200"
    currencies:
      NZD: {{deposit_bank: "090", clearing: "091", fee_account: "404", dispute_account: "429"}}
    tax: {{gst: OUTPUT2}}
source:
  customers:
    - {{id: cus_1, name: Acme Ltd, currency: NZD}}
  invoices: []
steps:
  - sync: {{}}
  - expect:
      objects:
        contacts: {{cus_1: {{Name: Acme Ltd}}}}
"""


@click.group(help=__doc__)
def cli() -> None:
    pass


@cli.command("run")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("-k", "name_filter", help="Run only the cases whose id contains this text.")
@click.option(
    "-j",
    "--jobs",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Scenarios run at once; each has its own emulator, so results do not change.",
)
@click.option(
    "--url",
    help="Run against the emulator at this URL (e.g. a `mockxero serve`) instead of an embedded one; "
    "it needs the control API (/mock-api), and its cases run one at a time.",
)
@click.option(
    "--junit",
    "junit_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a JUnit XML file (one testcase per scenario).",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the results as JSON (contracts/scenario-report.schema.json).",
)
@click.option(
    "--report",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the reconciliation report for finance to DIR/index.html (one self-contained page).",
)
def run_command(
    paths: tuple[Path, ...],
    name_filter: str | None,
    jobs: int,
    url: str | None,
    junit_path: Path | None,
    json_path: Path | None,
    report_dir: Path | None,
) -> None:
    """Run scenario files (default: the bundled stories)."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the embedded server's access log is noise here
    files = discover(paths or (BUNDLED,))
    loaded = load_all(files, name_filter)
    if loaded.problems:
        for problem in loaded.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(loaded.problems)} problem(s) in the scenario files; nothing was run", err=True)
        sys.exit(2)
    if not loaded.scenarios:
        click.echo("no scenario matched", err=True)
        sys.exit(2)
    emulators: EmulatorSource | None = None
    if url:
        if jobs > 1:
            click.echo(
                f"-j {jobs} cannot be used with --url: the emulator at {url} has one clock and one set of rate "
                "limits for all its tenants, so its scenarios run one at a time",
                err=True,
            )
            sys.exit(2)
        external = ExternalEmulator(url)
        try:
            external.check()
        except EmulatorUnavailable as error:
            click.echo(f"cannot run against --url {url}: {error}", err=True)
            sys.exit(2)
        emulators = external
    with Progress(len(loaded.scenarios), sys.stderr) as progress:
        run = run_all(loaded.scenarios, jobs=jobs, on_result=progress.finished, emulators=emulators)
    print_run(run, sys.stdout)
    if junit_path:
        write_junit(run, junit_path)
    if json_path:
        write_json(run, json_path)
    if report_dir:
        click.echo(f"reconciliation report: {write_report(run, report_dir)}", err=True)
    report_to_github(run, sys.stdout)
    sys.exit(0 if run.failed == 0 else 1)


@cli.command("new")
@click.argument("name")
@click.option(
    "--dir",
    "directory",
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
    show_default=True,
    help="Where to write NAME.yaml.",
)
def new_command(name: str, directory: Path) -> None:
    """Write a commented scenario template to NAME.yaml."""
    target = directory / f"{name}.yaml"
    if target.exists():
        raise click.ClickException(f"{target} exists; choose another name")
    target.write_text(TEMPLATE.format(name=name.replace("-", " ").capitalize()), encoding="utf-8")
    click.echo(f"wrote {target}")


if __name__ == "__main__":
    cli()
