"""Every integration setting as the mapping rules meet it: the included case, the excluded case with the
reason the plan shows, and the error case where there is one."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from syncer.integrations.config import IntegrationConfig, LineSort, SplitUsage
from syncer.integrations.settings import IntegrationSettings
from syncer.mapping.outcomes import Rejected, Skip, Write
from syncer.mapping.rules.contacts import map_contact
from syncer.mapping.rules.documents import map_invoice
from syncer.mapping.rules.payments import map_payout
from syncer.refs import Kind
from syncer.source.model import BillingBook, LineItemType
from tests.syncer.mapping.helpers import CONFIG, context, customer, invoice, line, payment, payout

D = Decimal
NAME = "UK bills"


def settings(codes: dict[str, str] | None = None, **fields) -> IntegrationSettings:
    return IntegrationSettings.of(IntegrationConfig(name=NAME, mapping=CONFIG, **fields), codes)


def sent(record, customers=None, **fields):
    """The invoice's outcome under an integration with these settings."""
    chosen = settings(**fields)
    book = BillingBook(customers=tuple(customers or [customer()]), invoices=(record,))
    return map_invoice(record, context(book, mapping=chosen.mapping_for(CONFIG), settings=chosen))


def lines_of(outcome) -> list[dict]:
    assert isinstance(outcome, Write), outcome
    return outcome.body["LineItems"]


# -- account selection --


def test_the_allow_list_sends_the_accounts_on_it_and_leaves_out_the_rest():
    assert isinstance(sent(invoice(), account_ids=("cus_1",)), Write)
    assert sent(invoice(), account_ids=("cus_2",)) == Skip(
        Kind.INVOICE,
        "inv_1",
        "its customer cus_1 is excluded: account cus_1 is not on the account ids of integration 'UK bills'",
    )


def test_the_deny_list_wins_over_the_allow_list():
    assert isinstance(sent(invoice(), restricted_account_ids=("cus_2",)), Write)
    assert sent(invoice(), account_ids=("cus_1",), restricted_account_ids=("cus_1",)) == Skip(
        Kind.INVOICE,
        "inv_1",
        "its customer cus_1 is excluded: account cus_1 is on the restricted account ids of integration 'UK bills'",
    )


def test_the_account_filter_sends_matching_accounts_only():
    uk = customer(custom_fields={"country": "UK"})
    us = customer(custom_fields={"country": "US"})
    rule = "customFields != null AND customFields.country == UK"
    assert isinstance(sent(invoice(), [uk], account_filter=rule), Write)
    assert sent(invoice(), [us], account_filter=rule) == Skip(
        Kind.INVOICE,
        "inv_1",
        "its customer cus_1 is excluded: account cus_1 does not match the account filter of integration "
        f"'UK bills': {rule}",
    )
    chosen = settings(account_filter=rule)
    assert map_contact(us, context(BillingBook(customers=(us,)), settings=chosen)) == Skip(
        Kind.CONTACT, "cus_1", f"account cus_1 does not match the account filter of integration 'UK bills': {rule}"
    )


# -- approval --


def test_send_on_approval_off_sends_every_version_approved_or_not():
    assert isinstance(sent(invoice(approved=False, version=3)), Write)


def test_send_on_approval_on_sends_approved_bills_only():
    assert isinstance(sent(invoice(approved=True), only_send_on_approval=True), Write)
    assert sent(invoice(approved=False, version=2), only_send_on_approval=True) == Skip(
        Kind.INVOICE,
        "inv_1",
        "bill inv_1 version 2 is not approved, and integration 'UK bills' sends bills on approval only",
    )


# -- external mappings --


def test_with_external_mapping_codes_the_contact_number_is_the_accounts_code():
    chosen = settings({"cus_1": "ACME-001"}, use_external_mapping_account_code=True)
    book = BillingBook(customers=(customer(),))
    outcome = map_contact(customer(), context(book, mapping=chosen.mapping_for(CONFIG), settings=chosen))
    assert isinstance(outcome, Write) and outcome.body["ContactNumber"] == "ACME-001"
    plain = settings({"cus_1": "ACME-001"})  # the setting off: the billing id, whatever mappings exist
    outcome = map_contact(customer(), context(book, mapping=plain.mapping_for(CONFIG), settings=plain))
    assert isinstance(outcome, Write) and outcome.body["ContactNumber"] == "cus_1"


@pytest.mark.parametrize(("enforce", "linked"), [(False, ""), (True, " linked to this integration")])
def test_a_missing_external_mapping_is_an_error_naming_the_account(enforce, linked):
    chosen = settings({}, use_external_mapping_account_code=True, enforce_external_mappings=enforce)
    book = BillingBook(customers=(customer(),))
    outcome = map_contact(customer(), context(book, mapping=chosen.mapping_for(CONFIG), settings=chosen))
    assert isinstance(outcome, Rejected)
    assert [problem.message for problem in outcome.problems] == [
        "integration 'UK bills' uses external mapping account codes, and account cus_1 has no external "
        f"mapping{linked}; add one with `xero-sync mappings add`"
    ]


# -- line filtering --

USAGE_CREDIT = line("l2", unit_price="-10.00", type=LineItemType.USAGE_CREDIT)


def test_an_excluded_line_item_type_is_left_out_and_the_plan_says_so():
    record = invoice(lines=[line(), USAGE_CREDIT], total="108.00")
    assert len(lines_of(sent(record))) == 2
    outcome = sent(replace(record, total=D("120.00")), excluded_line_item_types=(LineItemType.USAGE_CREDIT,))
    assert [item["UnitAmount"] for item in lines_of(outcome)] == [D("100.00")]
    assert outcome.reason.endswith(
        "; lines left out: l2 (line item type USAGE_CREDIT is excluded by integration 'UK bills')"
    )


def test_an_excluded_product_is_matched_on_the_accounting_product_before_the_product():
    mapped_elsewhere = line("l2", product_id="prod_x", accounting_product_id="prod_seat")
    own = line("l3", product_id="prod_x")
    record = invoice(lines=[line(), mapped_elsewhere, own], total="360.00")
    outcome = sent(record, excluded_products=("prod_x",))
    assert [item["ItemCode"] for item in lines_of(outcome)] == ["PRO", "SEAT"]
    assert "l3 (product prod_x is excluded by integration 'UK bills')" in outcome.reason
    outcome = sent(record, excluded_products=("prod_seat",))
    assert "l2 (accounting product prod_seat is excluded by integration 'UK bills')" in outcome.reason


def test_an_excluded_aggregation_is_left_out():
    record = invoice(lines=[line(aggregation_id="agg_1"), line("l2", aggregation_id="agg_2")], total="240.00")
    assert len(lines_of(sent(record))) == 2
    assert (
        "l1 (aggregation agg_1 is excluded by integration 'UK bills')"
        in sent(record, excluded_aggregations=("agg_1",)).reason
    )


def test_a_bill_whose_every_line_is_excluded_is_not_sent_and_its_payout_is_not_either():
    record = invoice(lines=[USAGE_CREDIT])
    assert sent(record, excluded_line_item_types=(LineItemType.USAGE_CREDIT,)) == Skip(
        Kind.INVOICE,
        "inv_1",
        "every line is excluded: l2 (line item type USAGE_CREDIT is excluded by integration 'UK bills')",
    )
    chosen = settings(excluded_line_item_types=(LineItemType.USAGE_CREDIT,))
    book = BillingBook(customers=(customer(),), invoices=(record,), payments=(payment(),), payouts=(payout(),))
    outcome = map_payout(payout(), context(book, settings=chosen))
    assert isinstance(outcome, Skip) and outcome.reason.startswith("every payment it settles is left out: pay_1: ")


def test_a_payout_mixing_sent_and_left_out_payments_is_refused_whole():
    chosen = settings(account_ids=("cus_1",))
    book = BillingBook(
        customers=(customer(), customer("cus_2")),
        invoices=(invoice(), invoice("inv_2", customer_id="cus_2", number="INV-0002")),
        payments=(payment(), payment("pay_2", invoice_id="inv_2")),
        payouts=(payout(net="193.60", payment_ids=("pay_1", "pay_2")),),
    )
    outcome = map_payout(book.payouts[0], context(book, settings=chosen))
    assert isinstance(outcome, Rejected)
    assert outcome.problems[0].message.startswith(
        "settles payments this run leaves out (pay_2: customer cus_2 is excluded"
    )


# -- line shaping --

USAGE = {"type": LineItemType.USAGE, "product_id": "prod_api", "description": "API calls"}
BANDS = [
    line("u1", quantity="100", unit_price="0.10", pricing_band="0-100", **USAGE),
    line("u2", quantity="50", unit_price="0.08", pricing_band="101-150", **USAGE),
    line("s1", unit_price="20.00", description="Support"),
]
BANDED = invoice(lines=BANDS, total="40.80")


def test_split_none_sends_the_lines_as_billing_has_them():
    assert [(i["Description"], i["Quantity"], i["UnitAmount"]) for i in lines_of(sent(BANDED))] == [
        ("API calls", D("100"), D("0.10")),
        ("API calls", D("50"), D("0.08")),
        ("Support", D("1"), D("20.00")),
    ]


def test_split_by_band_names_each_band_with_its_quantity_and_price():
    outcome = sent(BANDED, split_usage_line_items=SplitUsage.BAND)
    assert [(i["Description"], i["Quantity"], i["UnitAmount"]) for i in lines_of(outcome)] == [
        ("API calls (usage band 0-100)", D("100"), D("0.10")),
        ("API calls (usage band 101-150)", D("50"), D("0.08")),
        ("Support", D("1"), D("20.00")),
    ]


def test_split_by_product_sums_the_bands_into_one_line_at_quantity_one_when_the_price_is_not_exact():
    # 14.00 over 150 calls is 0.09333...: not exact at cents, so quantity 1 at the amount keeps the total
    outcome = sent(BANDED, split_usage_line_items=SplitUsage.PRODUCT)
    assert [(i["Description"], i["Quantity"], i["UnitAmount"]) for i in lines_of(outcome)] == [
        ("API calls", D("1"), D("14.00")),
        ("Support", D("1"), D("20.00")),
    ]


def test_split_by_product_keeps_the_quantity_when_amount_over_quantity_is_exact():
    even = [
        replace(BANDS[0], quantity=D("100"), subtotal=D("10.00")),
        replace(BANDS[1], quantity=D("100"), unit_price=D("0.10"), subtotal=D("10.00")),
    ]
    outcome = sent(invoice(lines=even, total="24.00"), split_usage_line_items=SplitUsage.PRODUCT)
    assert [(i["Quantity"], i["UnitAmount"]) for i in lines_of(outcome)] == [(D("200"), D("0.10"))]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (LineSort.NONE, ["l1", "l2", "l3", "l4"]),
        (LineSort.SUBTOTAL, ["l3", "l2", "l4", "l1"]),  # l2 and l4 are equal: billing's order is kept
        (LineSort.AGGREGATION_ID, ["l2", "l3", "l1", "l4"]),  # lines without an aggregation go last
    ],
)
def test_sorting_lines_is_stable(order, expected):
    lines = [
        line("l1", unit_price="90.00", description="l1"),
        line("l2", unit_price="50.00", aggregation_id="agg_a", description="l2"),
        line("l3", unit_price="10.00", aggregation_id="agg_b", description="l3"),
        line("l4", unit_price="50.00", description="l4"),
    ]
    outcome = sent(invoice(lines=lines, total="240.00"), sort_line_items_by=order)
    assert [item["Description"] for item in lines_of(outcome)] == expected
