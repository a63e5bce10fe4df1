"""The terminal report: a progress bar while the run goes, a table per scenario, every failure in full.

The runner calls ``Progress.finished`` once per scenario; ``print_run`` prints the outcome. On a terminal
the output is drawn with rich; anywhere else (CI logs, pipes) it is plain lines, so a log stays readable.
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table

from scenarios.results import RunResult, ScenarioResult


def _result_word(result: ScenarioResult) -> str:
    return "passed" if result.passed else f"FAILED ({len(result.failures)})"


class Progress:
    """How far a run has got. A context manager: the bar is drawn between enter and exit."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self._console = Console(file=stream, highlight=False)
        self._stream = stream
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None
        self.total = total
        self.done = 0

    def __enter__(self) -> Progress:
        if self._console.is_terminal:
            self._bar = RichProgress(
                TextColumn("scenarios"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=self._console,
                transient=True,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task("", total=self.total)
        return self

    def finished(self, result: ScenarioResult) -> None:
        """One scenario is done; say so, drawn on the bar or as one plain line."""
        self.done += 1
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=1, description=f"{result.case_id}: {_result_word(result)}")
        else:
            self._stream.write(f"[{self.done}/{self.total}] {result.case_id}: {_result_word(result)}\n")

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


def print_run(run: RunResult, stream: TextIO) -> None:
    """A table of every scenario, then each failure in full with its rerun command, then the summary."""
    console = Console(file=stream, highlight=False, soft_wrap=True)
    if console.is_terminal:
        table = Table(title="scenarios")
        for column in ("case", "result", "failures at"):
            table.add_column(column)
        for result in run.results:
            places = ", ".join(str(f.location) for f in result.failures)
            style = "green" if result.passed else "red"
            table.add_row(result.case_id, f"[{style}]{_result_word(result)}[/]", places, style=None)
        console.print(table)
    else:
        for result in run.results:
            places = ", ".join(str(f.location) for f in result.failures)
            stream.write(f"{result.case_id}  {_result_word(result)}" + (f"  at {places}" if places else "") + "\n")
    for result in run.results:
        if result.passed:
            continue
        stream.write(f"\n--- {result.case_id} ({result.location}) failed:\n")
        for failure in result.failures:
            stream.write(f"{failure}\n")
        if result.rerun:
            stream.write(f"rerun: {result.rerun}\n")
    stream.write(f"\n{run.summary()}\n")
