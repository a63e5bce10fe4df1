"""The JUnit file. No XSD is vendored yet: these checks state the Jenkins/Ant schema's rules by hand
(root testsuites > testsuite > testcase; required name/tests; counts that agree; failure text in the body)."""

import xml.etree.ElementTree as ET

import pytest

from scenarios.reports.junit import write_junit
from scenarios.results import RunResult
from tests.scenarios.reports.runs import DISCOUNT_USD, FEE_TRAP, FIRST_INVOICE, RUN


@pytest.fixture
def written(tmp_path):
    path = tmp_path / "out" / "junit.xml"
    write_junit(RUN, path)
    return path, ET.parse(path).getroot()


def test_the_file_has_the_schemas_shape_and_counts_that_agree(written):
    _, root = written
    assert root.tag == "testsuites"
    (suite,) = root
    assert suite.tag == "testsuite"
    assert (suite.get("name"), suite.get("tests"), suite.get("failures"), suite.get("errors")) == (
        "scenarios",
        "3",
        "2",
        "0",
    )
    assert {child.tag for child in suite} == {"testcase"}
    assert [case.get("name") for case in suite] == [r.case_id for r in RUN.results]
    assert sum(1 for case in suite if case.find("failure") is not None) == int(suite.get("failures"))
    for case in suite:
        assert float(case.get("time")) >= 0


def test_each_testcase_names_its_yaml_file_and_line(written):
    _, root = written
    cases = {case.get("name"): case for case in root.iter("testcase")}
    matrix = cases[DISCOUNT_USD.case_id]
    assert (matrix.get("file"), matrix.get("line"), matrix.get("classname")) == (
        "scenarios/cases/discounts.yaml",
        "4",
        "scenarios.discounts",
    )


def test_a_failed_case_carries_every_failure_located_and_its_rerun_command(written):
    _, root = written
    case = next(c for c in root.iter("testcase") if c.get("name") == FEE_TRAP.case_id)
    (failure,) = case.findall("failure")
    for each in FEE_TRAP.failures:
        assert str(each) in failure.text
    assert failure.text.endswith(f"rerun: {FEE_TRAP.rerun}")
    assert failure.get("type") == "objects, reconcile, requests"
    assert failure.get("message").startswith("3 failure(s); first: scenarios/cases/fee-from-deposit.yaml:31:18")


def test_the_request_log_excerpt_is_in_system_out_and_a_passing_case_has_no_failure(written):
    _, root = written
    case = next(c for c in root.iter("testcase") if c.get("name") == FIRST_INVOICE.case_id)
    assert case.find("failure") is None
    assert case.find("system-out").text == "\n".join(FIRST_INVOICE.requests) + "\n"
    matrix = next(c for c in root.iter("testcase") if c.get("name") == DISCOUNT_USD.case_id)
    assert matrix.find("system-out") is None  # no requests recorded, no empty element


def test_a_write_that_fails_leaves_neither_a_file_nor_a_temporary(tmp_path, monkeypatch):
    import scenarios.reports.junit as junit

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(junit.ET.ElementTree, "write", broken)
    with pytest.raises(OSError, match="disk full"):
        write_junit(RunResult((FIRST_INVOICE,)), tmp_path / "junit.xml")
    assert list(tmp_path.iterdir()) == []


def test_control_characters_xml_cannot_hold_are_written_visibly_and_the_file_still_parses(tmp_path):
    from dataclasses import replace

    noisy = replace(FEE_TRAP, requests=("PUT /api.xro/2.0/Payments 200 body=\x00\x1b[0m",))
    path = tmp_path / "junit.xml"
    write_junit(RunResult((noisy,)), path)
    case = ET.parse(path).getroot().find("testsuite/testcase")
    assert case.find("system-out").text == "PUT /api.xro/2.0/Payments 200 body=\\x00\\x1b[0m\n"
