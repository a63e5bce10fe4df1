import io

from scenarios.reports.terminal import Progress, print_run
from scenarios.results import RunResult
from tests.scenarios.reports.runs import FEE_TRAP, FIRST_INVOICE, RUN


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_output_lists_every_case_each_failure_in_full_and_the_rerun_command():
    out = io.StringIO()
    print_run(RUN, out)
    text = out.getvalue()
    assert "first-paid-invoice  passed\n" in text
    assert (
        "fee-from-deposit  FAILED (3)  at scenarios/cases/fee-from-deposit.yaml:31:18, "
        "scenarios/cases/fee-from-deposit.yaml:36:9, scenarios/cases/fee-from-deposit.yaml:40:7\n"
    ) in text
    for failure in FEE_TRAP.failures:
        assert str(failure) in text
    assert "rerun: python -m scenarios run scenarios/cases/fee-from-deposit.yaml\n" in text
    assert "\x1b[" not in text  # no colour codes in a log
    assert text.endswith("\n1 passed, 2 failed\n")


def test_a_passing_run_prints_no_failure_section():
    out = io.StringIO()
    print_run(RunResult((FIRST_INVOICE,)), out)
    assert "failed:" not in out.getvalue()
    assert out.getvalue().endswith("1 passed, 0 failed\n")


def test_on_a_terminal_the_table_is_drawn():
    out = Tty()
    print_run(RUN, out)
    text = out.getvalue()
    assert "failures at" in text and "┃" in text
    assert "discounts[currency=USD,tax=inclusive]" in text
    assert text.endswith("1 passed, 2 failed\n")


def test_progress_without_a_terminal_writes_one_line_per_finished_scenario():
    out = io.StringIO()
    with Progress(total=2, stream=out) as progress:
        progress.finished(FIRST_INVOICE)
        progress.finished(FEE_TRAP)
    assert out.getvalue() == "[1/2] first-paid-invoice: passed\n[2/2] fee-from-deposit: FAILED (3)\n"
    assert progress.done == 2


def test_progress_on_a_terminal_draws_a_bar_and_leaves_no_plain_lines():
    out = Tty()
    with Progress(total=2, stream=out) as progress:
        progress.finished(FIRST_INVOICE)
    assert "[1/2]" not in out.getvalue()
    assert progress.done == 1
