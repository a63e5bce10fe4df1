"""The JUnit file: valid against the Jenkins xUnit plugin's JUnit schema (contracts/junit/junit-10.xsd) but
for the ``file`` and ``line`` attributes CI servers read, with counts that agree and failure text in the body."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lxml import etree

from scenarios.format.loader import load_scenarios
from scenarios.reports.junit import write_junit
from scenarios.results import RunResult
from scenarios.runner import run_all
from tests.scenarios.reports.runs import DISCOUNT_USD, FEE_TRAP, FIRST_INVOICE, RUN

SCHEMA = etree.XMLSchema(etree.parse(Path(__file__).resolve().parents[3] / "contracts" / "junit" / "junit-10.xsd"))
# what we write beyond this revision of the schema: GitLab and Jenkins read them to link a case to its file
EXTENSIONS = ("file", "line")


def schema_errors(document) -> list[str]:
    SCHEMA.validate(document)
    return sorted({error.message for error in SCHEMA.error_log})


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

    monkeypatch.setattr(junit.ET, "tostring", broken)
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


def test_the_file_validates_against_the_junit_xsd_once_the_file_and_line_attributes_are_taken_out(written):
    path, _ = written
    document = etree.parse(str(path))
    assert schema_errors(document) == [
        "Element 'testcase', attribute 'file': The attribute 'file' is not allowed.",
        "Element 'testcase', attribute 'line': The attribute 'line' is not allowed.",
    ]
    for case in document.iter("testcase"):
        for name in EXTENSIONS:
            case.attrib.pop(name, None)
    assert schema_errors(document) == []


def test_the_schema_check_catches_a_file_that_breaks_its_rules(written):
    path, _ = written
    document = etree.parse(str(path))
    for case in document.iter("testcase"):
        for name in EXTENSIONS:
            case.attrib.pop(name, None)
    suite = document.find("testsuite")
    del suite.attrib["failures"]
    etree.SubElement(suite, "testcase")  # no name
    suite.set("time", "1.5s")
    assert schema_errors(document) == [
        "Element 'testcase': The attribute 'name' is required but missing.",
        "Element 'testsuite', attribute 'time': [facet 'pattern'] The value '1.5s' is not accepted by the pattern "
        "'(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\\.[0-9]{0,3})?'.",
        "Element 'testsuite': The attribute 'failures' is required but missing.",
    ]


def test_a_real_run_of_a_bundled_story_validates_too(tmp_path):
    cases = Path(__file__).resolve().parents[3] / "scenarios" / "cases"
    run = run_all(load_scenarios(cases / "first-paid-invoice.yaml"))
    write_junit(run, tmp_path / "junit.xml")
    document = etree.parse(str(tmp_path / "junit.xml"))
    for case in document.iter("testcase"):
        for name in EXTENSIONS:
            case.attrib.pop(name, None)
    assert schema_errors(document) == []
    assert document.find("testsuite/testcase/system-out").text.count("PUT /api.xro/2.0/") == 5
