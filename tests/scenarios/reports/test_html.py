"""The finance report, read back from a real run of two bundled stories: the page parses strictly, each
scenario's tables hold the books' exact figures, the charts are well-formed SVG, nothing loads from outside
and no secret reaches the page."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import replace
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree

from scenarios.cli import cli
from scenarios.format.loader import load_scenarios
from scenarios.reports.html import INDEX, clearing_chart, money, render_report, write_report
from scenarios.results import Failure, Layer, Location, RunningBalance, RunResult
from scenarios.runner import run_all
from tests.scenarios.reports.runs import DISCOUNT_USD, FEE_TRAP, FIRST_INVOICE

CASES = Path(__file__).resolve().parents[3] / "scenarios" / "cases"
SVG = "{http://www.w3.org/2000/svg}"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class StrictChecker(HTMLParser):
    """Every element closed, in order; only HTML's void elements (and SVG's self-closed ones) stand alone."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, int]] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append((tag, self.getpos()[0]))

    def handle_startendtag(self, tag, attrs):
        pass  # <path .../> in SVG: opened and closed at once

    def handle_endtag(self, tag):
        if not self.open or self.open[-1][0] != tag:
            inner = f"<{self.open[-1][0]}> from line {self.open[-1][1]}" if self.open else "nothing"
            self.problems.append(f"line {self.getpos()[0]}: </{tag}> while {inner} is open")
            return
        self.open.pop()

    def close(self):
        super().close()
        self.problems.extend(f"<{tag}> opened at line {line} is never closed" for tag, line in self.open)


def strict_problems(text: str) -> list[str]:
    checker = StrictChecker()
    checker.feed(text)
    checker.close()
    return checker.problems


@pytest.fixture(scope="module")
def real_run(tmp_path_factory) -> RunResult:
    """The first paid invoice (passes) and the fee trap with its ``allow:`` taken away, so it fails."""
    (first,) = load_scenarios(CASES / "first-paid-invoice.yaml")
    (trap,) = load_scenarios(CASES / "fee-from-deposit-trap.yaml")
    return run_all([first, replace(trap, allow=())])


@pytest.fixture(scope="module")
def page(real_run, tmp_path_factory):
    directory = tmp_path_factory.mktemp("report") / "finance"
    path = write_report(real_run, directory)
    assert path == directory / INDEX
    text = path.read_text(encoding="utf-8")
    return text, lxml.html.fromstring(text)


def section(tree, case_id):
    (found,) = [s for s in tree.xpath("//section") if s.xpath(f".//code[text()='{case_id}']")]
    return found


def rows(table, part="tbody"):
    return [tuple(cell.text_content().strip() for cell in row.xpath("./td")) for row in table.xpath(f"./{part}/tr")]


def test_the_checker_itself_refuses_unclosed_and_misnested_tags():
    # HTML lets </p> and </td> be left out; this report never does, so the check does not either
    assert strict_problems("<div><p>a</div>") == [
        "line 1: </div> while <p> from line 1 is open",
        "<div> opened at line 1 is never closed",
        "<p> opened at line 1 is never closed",
    ]
    assert strict_problems("<table><tr><td>1</tr></table>") == [
        "line 1: </tr> while <td> from line 1 is open",
        "line 1: </table> while <td> from line 1 is open",
        "<table> opened at line 1 is never closed",
        "<tr> opened at line 1 is never closed",
        "<td> opened at line 1 is never closed",
    ]
    assert strict_problems("<p>a<br>b</p><svg><path d='M 0 0'/></svg>") == []


def test_the_page_parses_strictly_and_is_one_self_contained_file(page):
    text, tree = page
    assert text.startswith("<!DOCTYPE html>\n")
    assert strict_problems(text) == []
    assert tree.tag == "html" and tree.get("lang") == "en"
    assert tree.xpath("//script") == [] and tree.xpath("//link") == [] and tree.xpath("//img") == []
    assert tree.xpath("//*[@src]") == [] and "url(" not in text and "@import" not in text
    # the only address in the page is the SVG namespace, which is a name, never fetched
    assert set(re.findall(r"https?://[^\s\"'<>]+", text)) == {"http://www.w3.org/2000/svg"}


def test_the_index_says_for_each_scenario_whether_clearing_and_the_statement_square(page):
    _, tree = page
    (index,) = tree.xpath("//table[@class='index']")
    assert rows(index) == [
        ("first-paid-invoice", "passed", "all net to zero", "1 matched", "0"),
        ("fee-from-deposit-trap", "failed", "not zero: 091: 3.20 NZD", "1 matched, 1 unmatched", "2"),
    ]
    links = index.xpath(".//a/@href")
    assert links == ["#s1-first-paid-invoice", "#s2-fee-from-deposit-trap"]
    assert [tree.get_element_by_id(link[1:]).tag for link in links] == ["section", "section"]
    assert tree.findtext(".//title") == "Reconciliation report: 1 passed, 1 failed"


def test_the_trial_balance_shows_debits_and_credits_with_totals_that_agree(page):
    _, tree = page
    (table,) = section(tree, "first-paid-invoice").xpath(".//table[@class='trial-balance']")
    assert rows(table) == [
        ("090", "Business Bank Account", "BANK", "111.80", ""),
        ("200", "Sales", "REVENUE", "", "100.00"),
        ("404", "Bank Fees", "EXPENSE", "3.20", ""),
        ("820", "GST", "CURRLIAB", "", "15.00"),
    ]
    assert rows(table, "tfoot") == [("Totals", "115.00", "115.00")]
    (trap,) = section(tree, "fee-from-deposit-trap").xpath(".//table[@class='trial-balance']")
    assert ("091", "Business Savings Account", "BANK", "3.20", "") in rows(trap)
    assert rows(trap, "tfoot") == [("Totals", "115.00", "115.00")]


def test_the_bank_summary_shows_what_each_account_received_and_spent(page):
    _, tree = page
    (table,) = section(tree, "fee-from-deposit-trap").xpath(".//table[@class='bank-summary']")
    assert rows(table) == [
        ("090", "Business Bank Account", "NZD", "0.00", "111.80", "3.20", "108.60"),
        ("091", "Business Savings Account", "NZD", "0.00", "115.00", "111.80", "3.20"),
    ]


def test_each_clearing_account_has_its_running_balance_as_a_chart_and_a_table(page):
    _, tree = page
    (good,) = section(tree, "first-paid-invoice").xpath(".//figure[@class='clearing']")
    caption = " ".join(good.xpath("string(.//figcaption/p)").split())
    assert caption == "091 Business Savings Account (NZD): nets to zero"
    assert rows(good.xpath(".//table[@class='running-balance']")[0]) == [
        ("2026-01-06", "115.00"),
        ("2026-01-06", "111.80"),
        ("2026-01-08", "0.00"),
    ]
    (bad,) = section(tree, "fee-from-deposit-trap").xpath(".//figure[@class='clearing']")
    assert "ends at 3.20, not zero" in bad.xpath("string(.//figcaption/p)")
    assert rows(bad.xpath(".//table[@class='running-balance']")[0]) == [
        ("2026-01-06", "115.00"),
        ("2026-01-08", "3.20"),
    ]


def test_the_charts_are_well_formed_svg_that_step_through_every_balance(page):
    text, _ = page
    charts = [etree.fromstring(chunk) for chunk in re.findall(r"<svg\b.*?</svg>", text, flags=re.DOTALL)]
    assert len(charts) == 2
    good, bad = charts
    for chart in charts:
        assert chart.tag == f"{SVG}svg" and chart.get("viewBox") == "0 0 420 140"
        (path,) = chart.findall(f"{SVG}path")
        assert path.get("d").startswith("M 64.0 ")
    assert good.findtext(f"{SVG}title") == (
        "Clearing account 091 Business Savings Account, running balance in NZD: start: 0.00; "
        "2026-01-06: 115.00; 2026-01-06: 111.80; 2026-01-08: 0.00. It nets to zero."
    )
    # one dot for the empty start and one per movement; the last is green when it nets to zero, red otherwise
    assert [c.findtext(f"{SVG}title") for c in good.findall(f"{SVG}circle")] == [
        "start: 0.00",
        "2026-01-06: 115.00",
        "2026-01-06: 111.80",
        "2026-01-08: 0.00",
    ]
    assert good.findall(f"{SVG}circle")[-1].get("fill") == "#1a7f37"
    assert bad.findall(f"{SVG}circle")[-1].get("fill") == "#cf222e"
    assert bad.findtext(f"{SVG}title").endswith("2026-01-08: 3.20. It ends at 3.20, not zero.")


def test_the_statement_is_matched_line_by_line(page):
    _, tree = page
    (good,) = section(tree, "first-paid-invoice").xpath(".//table[@class='statement']")
    assert rows(good) == [("matched", "090", "2026-01-08", "111.80 NZD", "payout po_1", "payout:po_1")]
    (bad,) = section(tree, "fee-from-deposit-trap").xpath(".//table[@class='statement']")
    assert rows(bad) == [
        ("matched", "090", "2026-01-08", "111.80 NZD", "payout po_1", "payout:po_1"),
        ("in Xero, not on the statement", "090", "2026-01-06", "-3.20 NZD", "—", "fee:pay_1"),
    ]
    assert [row.get("class") for row in bad.xpath("./tbody/tr")] == ["matched", "unmatched"]


def test_what_failed_is_said_in_plain_words_with_the_place_and_the_rerun_command(page, real_run):
    _, tree = page
    trap = section(tree, "fee-from-deposit-trap")
    items = trap.xpath(".//ol[@class='failures']/li")
    assert len(items) == 2
    located = " ".join(items[0].xpath("string(./p[1])").split())
    where = str(real_run.results[1].failures[0].location)
    assert located == f"A standing check (invariant), in {where}:"
    assert items[0].xpath("string(./p[2])") == "clearing-nets-to-zero: a clearing account does not net to zero"
    assert rows(items[0].xpath(".//table[@class='compared']")[0], ".") == [
        ("(name it under allow: to expect this)",),
        ("091: 3.20",),
    ]
    assert "not on statement: 090 2026-01-06 -3.20 fee:pay_1" in items[1].text_content()
    assert f"To run this scenario again: {real_run.results[1].rerun}" in trap.text_content()
    assert section(tree, "first-paid-invoice").xpath(".//ol[@class='failures']") == []


def test_an_expectation_failure_names_its_layer_step_file_line_and_path():
    tree = lxml.html.fromstring(render_report(RunResult((FEE_TRAP,))))
    first = tree.xpath("//ol[@class='failures']/li")[0]
    assert " ".join(first.xpath("string(./p[1])").split()) == (
        "Objects in Xero (objects), at step steps[1] expect, in scenarios/cases/fee-from-deposit.yaml:31:18, "
        "objects.invoices.inv_1.AmountDue:"
    )
    assert rows(first.xpath(".//table[@class='compared']")[0], ".") == [('"0.00"',), ('"15.00"',)]


def test_a_story_allowed_to_break_a_standing_check_says_which():
    (trap,) = load_scenarios(CASES / "fee-from-deposit-trap.yaml")
    tree = lxml.html.fromstring(render_report(run_all([trap])))
    (allowed,) = tree.xpath("//p[@class='allowed']")
    assert allowed.text_content() == (
        "This story expects these standing checks to break and names them under allow: "
        "clearing-nets-to-zero, statement-matches."
    )
    assert tree.xpath("//ol[@class='failures']") == []
    # in the index too, so a residue on a passing story reads as the exception it is
    assert rows(tree.xpath("//table[@class='index']")[0]) == [
        (
            "fee-from-deposit-trap",
            "passed allows clearing-nets-to-zero, statement-matches",
            "not zero: 091: 3.20 NZD",
            "1 matched, 1 unmatched",
            "0",
        )
    ]


def test_a_story_that_stopped_before_its_books_says_so():
    tree = lxml.html.fromstring(render_report(RunResult((DISCOUNT_USD,))))
    (index,) = tree.xpath("//table[@class='index']")
    assert rows(index) == [("discounts[currency=USD,tax=inclusive]", "failed", "not read", "not read", "1")]
    assert tree.xpath("//section/@id") == ["s1-discounts-currency-USD-tax-inclusive"]
    assert "The story stopped before its books could be read." in tree.text_content()
    assert tree.xpath("//table[@class='trial-balance']") == []


def test_text_from_the_run_is_escaped_never_markup():
    hostile = replace(FIRST_INVOICE, name='<script>alert("x")</script> & <b>Co</b>')
    text = render_report(RunResult((hostile,)))
    assert strict_problems(text) == []
    tree = lxml.html.fromstring(text)
    assert tree.xpath("//script") == [] and tree.xpath("//section//h2/b") == []
    assert tree.xpath("string(//section/h2)").startswith('<script>alert("x")</script> & <b>Co</b>')


JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjbGllbnQifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"
REFRESH = "9f" * 32
SECRET = "s3cr3t-client-value"


def test_no_token_or_secret_in_a_failure_or_the_request_excerpt_reaches_the_page():
    leaky = replace(
        FEE_TRAP,
        name=f"story with access_token={JWT}",
        failures=(
            Failure(
                Layer.RUN,
                "the scenario could not go on: HTTPError 401 for POST /connect/token; "
                f"sent Authorization: Bearer {JWT}",
                Location("scenarios/cases/fee-from-deposit.yaml", 12, 5),
                step="steps[0] sync",
                expected=f'{{"client_secret": "{SECRET}"}}',
                actual=f"grant_type=refresh_token&refresh_token={REFRESH}&client_id=ABC",
            ),
        ),
        requests=(
            f"   1 POST /connect/token → 401 Authorization: Basic {SECRET}",
            f"   2 GET /x?token {REFRESH} → 200",
        ),
        rerun=f"xero-scenarios run x.yaml -k 'bearer {JWT}'",
    )
    text = render_report(RunResult((leaky,)))
    for secret in (JWT, REFRESH, SECRET, JWT.split(".")[0]):
        assert secret not in text
    tree = lxml.html.fromstring(text)
    assert "sent Authorization: [redacted]" in tree.text_content()
    assert "refresh_token=[redacted]&client_id=ABC" in tree.text_content()
    assert tree.xpath("string(//details/pre)") == (
        "   1 POST /connect/token → 401 Authorization: [redacted]\n   2 GET /x?token [redacted] → 200\n"
    )
    assert tree.findtext(".//section/h2").startswith("story with access_token=[redacted]")


def test_redaction_leaves_ids_codes_and_amounts_alone():
    tree = lxml.html.fromstring(render_report(RunResult((FIRST_INVOICE,))))
    text = tree.xpath("string(//section)")
    assert "[redacted]" not in text
    assert "Stripe Clearing NZD" in text and "96.80" in text and "-86.96" not in text  # credits show unsigned
    assert "86.96" in text


def test_money_is_shown_exactly_as_the_decimal_holds_it():
    assert money(Decimal("1234567.505")) == "1,234,567.505"
    assert money(Decimal("-86.96")) == "-86.96"
    assert money(Decimal("-0.00")) == "0.00"
    assert money(Decimal("1E+3")) == "1,000"
    assert money(None) == ""


def test_a_chart_of_a_balance_below_zero_marks_the_lowest_zero_and_highest_figures():
    chart = clearing_chart(
        RunningBalance(
            "091", "Clearing", "NZD", ((date(2026, 1, 5), Decimal("-20.00")), (date(2026, 1, 6), Decimal("50.00")))
        )
    )
    assert chart is not None
    assert [figure for _, figure in chart.ticks] == ["-20.00", "0.00", "50.00"]
    ys = [y for y, _ in chart.ticks]
    assert ys == sorted(ys, reverse=True) and ys[0] == 116.0 and ys[-1] == 12.0  # lowest at the bottom
    # zero sits 50/70 of the way down the 104 pixels from the top (12): 12 + 74.3
    assert chart.path == "M 64.0 86.3 H 236.0 V 116.0 H 408.0 V 12.0"
    assert not chart.nets_to_zero


def test_an_account_that_never_moved_has_no_chart_and_a_flat_one_has_a_scale():
    assert clearing_chart(RunningBalance("091", "Clearing", "NZD", ())) is None
    flat = clearing_chart(RunningBalance("091", "Clearing", "NZD", ((date(2026, 1, 5), Decimal("0.00")),)))
    assert flat is not None and flat.nets_to_zero and [f for _, f in flat.ticks] == ["0.00"]
    still = replace(
        FIRST_INVOICE, books=replace(FIRST_INVOICE.books, clearing=(RunningBalance("091", "C", "NZD", ()),))
    )
    tree = lxml.html.fromstring(render_report(RunResult((still,))))
    assert tree.xpath("//svg") == [] and "No movements." in tree.text_content()


def test_the_page_is_readable_by_others_as_the_umask_allows(tmp_path):
    previous = os.umask(0o022)
    try:
        path = write_report(RunResult((FIRST_INVOICE,)), tmp_path / "out")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in path.parent.iterdir()] == [INDEX]


def test_a_write_that_fails_leaves_neither_a_page_nor_a_temporary(tmp_path, monkeypatch):
    import scenarios.reports.html as html

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(html.os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_report(RunResult((FIRST_INVOICE,)), tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_the_command_writes_the_report_and_keeps_its_exit_codes(tmp_path):
    runner = CliRunner()
    passing = runner.invoke(cli, ["run", str(CASES / "first-paid-invoice.yaml"), "--report", str(tmp_path / "ok")])
    assert passing.exit_code == 0, passing.output
    assert f"reconciliation report: {tmp_path / 'ok' / INDEX}" in passing.output
    assert strict_problems((tmp_path / "ok" / INDEX).read_text(encoding="utf-8")) == []
    trap = (CASES / "fee-from-deposit-trap.yaml").read_text(encoding="utf-8")
    trap = trap.replace("../fixtures/", f"{CASES.parent / 'fixtures'}/").replace(
        "allow: [clearing-nets-to-zero, statement-matches]\n", ""
    )
    (tmp_path / "trap.yaml").write_text(trap, encoding="utf-8")
    failing = runner.invoke(cli, ["run", str(tmp_path / "trap.yaml"), "--report", str(tmp_path / "bad")])
    assert failing.exit_code == 1 and "0 passed, 1 failed" in failing.output
    tree = lxml.html.fromstring((tmp_path / "bad" / INDEX).read_text(encoding="utf-8"))
    assert rows(tree.xpath("//table[@class='index']")[0])[0][:3] == ("trap", "failed", "not zero: 091: 3.20 NZD")
    (tmp_path / "broken.yaml").write_text("name: Bad\nsteps: []\n", encoding="utf-8")
    refused = runner.invoke(cli, ["run", str(tmp_path / "broken.yaml"), "--report", str(tmp_path / "none")])
    assert refused.exit_code == 2 and not (tmp_path / "none").exists()  # nothing ran, so no report
