from datetime import date
from decimal import Decimal

from scenarios.results import Failure, Layer, Location, RunningBalance, RunResult, ScenarioResult


def test_a_location_prints_as_editors_read_it():
    assert str(Location("cases/a.yaml", 12, 5)) == "cases/a.yaml:12:5"
    assert str(Location("cases/a.yaml", 12)) == "cases/a.yaml:12"
    assert str(Location("cases/a.yaml")) == "cases/a.yaml"


def test_a_failure_names_place_layer_step_path_and_both_values():
    failure = Failure(
        Layer.OBJECTS,
        "value differs",
        Location("cases/a.yaml", 30, 9),
        step="steps[2] expect",
        path="objects.invoices.inv_1.AmountDue",
        expected='"0.00"',
        actual='"15.00"',
    )
    assert str(failure) == (
        "cases/a.yaml:30:9: [objects] steps[2] expect objects.invoices.inv_1.AmountDue: value differs\n"
        '  expected: "0.00"\n'
        '  actual:   "15.00"'
    )


def test_a_run_counts_passes_and_failures():
    ok = ScenarioResult("a", "A", Location("a.yaml", 1))
    bad = ScenarioResult("b", "B", Location("b.yaml", 1), failures=(Failure(Layer.RUN, "x", Location("b.yaml")),))
    run = RunResult((ok, bad, ok))
    assert (run.passed, run.failed, run.summary()) == (2, 1, "2 passed, 1 failed")
    assert ok.passed and not bad.passed


def test_a_running_balance_closes_at_its_last_point_or_zero():
    points = ((date(2026, 1, 1), Decimal("100.00")), (date(2026, 1, 2), Decimal("0.00")))
    assert RunningBalance("610", "Clearing", "NZD", points).closing == Decimal("0.00")
    assert RunningBalance("610", "Clearing", "NZD", ()).closing == Decimal("0")
