import io

from scenarios.reports.github import annotation, escape_data, escape_property, report_to_github, step_summary
from scenarios.results import Failure, Layer, Location, RunResult
from tests.scenarios.reports.runs import DISCOUNT_USD, FEE_TRAP, FIRST_INVOICE, RUN


def test_percent_cr_and_lf_are_escaped_as_github_requires_and_properties_also_lose_colon_and_comma():
    assert escape_data("100% a\r\nb") == "100%25 a%0D%0Ab"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_an_annotation_pins_the_failure_to_file_line_and_column_with_its_text_and_rerun():
    failure = DISCOUNT_USD.failures[0]
    assert annotation(DISCOUNT_USD, failure) == (
        "::error file=scenarios/cases/discounts.yaml,line=52,col=11,"
        "title=discounts[currency=USD%2Ctax=inclusive] [ledger]::"
        "scenarios/cases/discounts.yaml:52:11: [ledger] steps[2] expect ledger.balances.200: balance differs"
        '%0A  expected: "-40.00"%0A  actual:   "-43.48"'
        # the message is data, not a property: its comma stays
        "%0Arerun: python -m scenarios run scenarios/cases/discounts.yaml -k 'discounts[currency=USD,tax=inclusive]'"
    )


def test_a_failure_without_a_line_gets_a_file_only_annotation():
    failure = Failure(Layer.LOAD, "no such file", Location("cases/gone.yaml"))
    bare = FIRST_INVOICE.__class__("gone", "Gone", Location("cases/gone.yaml"), failures=(failure,))
    assert (
        annotation(bare, failure)
        == "::error file=cases/gone.yaml,title=gone [load]::cases/gone.yaml: [load]: no such file"
    )


def test_under_github_actions_every_failure_is_annotated_and_the_summary_appended(tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    out = io.StringIO()
    assert report_to_github(RUN, out, {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert out.getvalue().count("::error ") == len(FEE_TRAP.failures) + len(DISCOUNT_USD.failures)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## Scenarios: 1 passed, 2 failed\n")
    assert "| discounts[currency=USD,tax=inclusive] | ❌ failed (1) | `scenarios/cases/discounts.yaml:52:11` |" in text
    assert "| first-paid-invoice | ✅ passed |  |" in text
    assert f"rerun: {FEE_TRAP.rerun}" in text


def test_outside_github_actions_nothing_is_written(tmp_path):
    out = io.StringIO()
    summary = tmp_path / "summary.md"
    assert not report_to_github(RUN, out, {"GITHUB_STEP_SUMMARY": str(summary)})
    assert out.getvalue() == "" and not summary.exists()


def test_a_pipe_in_a_case_id_does_not_break_the_summary_table():
    failure = Failure(Layer.RUN, "x", Location("a.yaml", 1))
    odd = FIRST_INVOICE.__class__("a|b", "A", Location("a.yaml", 1), failures=(failure,))
    assert "| a\\|b | ❌ failed (1) |" in step_summary(RunResult((odd,)))
