"""No input makes the bank, journal or report endpoints answer 500: random values where each reads."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.mockxero.api.fuzz_values import nested_json

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "090",
            "091",
            "200",
            "429",
            "610",
            "999",
            "SPEND",
            "RECEIVE",
            "SPEND-TRANSFER",
            "DELETED",
            "VOIDED",
            "AUTHORISED",
            "Inclusive",
            "NoTax",
            "INPUT2",
            "OUTPUT2",
            "USD",
            "12.345",
            "-1",
            "0",
            "1e30",
            "1e-30",
            "NaN",
            "2026-02-30",
            "/Date(0)/",
            "00000000-0000-0000-0000-000000000000",
        ]
    ),
)
values = nested_json(
    scalars,
    [
        "Code",
        "AccountID",
        "Name",
        "ContactID",
        "ContactNumber",
        "Quantity",
        "UnitAmount",
        "LineAmount",
        "AccountCode",
        "TaxType",
        "ItemCode",
        "Tracking",
    ],
    max_leaves=10,
)

TRANSACTION_FIELDS = [
    "BankTransactionID",
    "Type",
    "Contact",
    "BankAccount",
    "LineItems",
    "LineAmountTypes",
    "Date",
    "Reference",
    "IsReconciled",
    "Status",
    "CurrencyCode",
    "CurrencyRate",
    "Total",
]
TRANSFER_FIELDS = [
    "BankTransferID",
    "FromBankAccount",
    "ToBankAccount",
    "Amount",
    "Date",
    "Reference",
    "Status",
    "FromIsReconciled",
    "ToIsReconciled",
    "FromTracking",
]
GOOD_LINE = {"Description": "x", "UnitAmount": "10.00", "AccountCode": "429"}


@st.composite
def writes(draw):
    path, fields, collection = draw(
        st.sampled_from(
            [
                ("/BankTransactions", TRANSACTION_FIELDS, "BankTransactions"),
                ("/BankTransfers", TRANSFER_FIELDS, "BankTransfers"),
            ]
        )
    )
    element = draw(st.dictionaries(st.sampled_from(fields), values, max_size=7))
    if path == "/BankTransactions" and draw(st.booleans()):
        element.setdefault(
            "LineItems",
            [
                {
                    **GOOD_LINE,
                    **draw(
                        st.dictionaries(
                            st.sampled_from(sorted(GOOD_LINE) + ["Quantity", "TaxType", "LineAmount", "ItemCode"]),
                            values,
                            max_size=3,
                        )
                    ),
                }
            ],
        )
    method = draw(st.sampled_from(["PUT", "POST"]))
    return method, path, {collection: [element]}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(write=writes(), query=st.sampled_from(["", "?summarizeErrors=false", "?unitdp=4"]))
def test_no_bank_write_answers_500(xero, unlimited, write, query):
    method, path, body = write
    response = xero._call(method, path + query, json=body)
    assert response.status_code < 500, response.get_data(as_text=True)


READS = [
    "/Journals?offset={0}",
    "/Journals?paymentsOnly={0}",
    "/Reports/TrialBalance?date={0}",
    "/Reports/BankSummary?fromDate={0}&toDate={0}",
    "/Reports/AgedReceivablesByContact?contactId={0}",
    "/Reports/AgedReceivablesByContact?contactId=00000000-0000-0000-0000-000000000000&date={0}",
    "/BankTransactions?where={0}",
    "/BankTransfers?order={0}&includeDeleted={0}",
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(READS),
    text=st.text(max_size=20)
    | st.sampled_from(["-1", "99999999999999999999", "2026-13-01", "0001-01-01", "9999-12-31", "Amount>", "true"]),
)
def test_no_ledger_read_answers_500(xero, unlimited, path, text):
    header = "".join(ch for ch in text if ch.isprintable())  # HTTP headers carry no control characters
    response = xero.get(path.format(quote(text, safe="")), headers={"If-Modified-Since": header})
    assert response.status_code < 500, response.get_data(as_text=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    element=st.dictionaries(st.sampled_from(TRANSACTION_FIELDS), values, max_size=6),
    reconciled=st.booleans(),
    via_transfer=st.booleans(),
)
def test_no_bank_transaction_update_answers_500(xero, unlimited, element, reconciled, via_transfer):
    if via_transfer:
        transfer = xero.put(
            "/BankTransfers",
            {
                "BankTransfers": [
                    {
                        "FromBankAccount": {"Code": "090"},
                        "ToBankAccount": {"Code": "091"},
                        "Amount": "5.00",
                        "FromIsReconciled": reconciled,
                    }
                ]
            },
        ).json["BankTransfers"][0]
        transaction_id = transfer["FromBankTransactionID"]
    else:
        transaction_id = xero.put(
            "/BankTransactions",
            {
                "BankTransactions": [
                    {
                        "Type": "SPEND",
                        "Contact": {"Name": "Acme"},
                        "BankAccount": {"Code": "090"},
                        "IsReconciled": reconciled,
                        "LineItems": [GOOD_LINE],
                    }
                ]
            },
        ).json["BankTransactions"][0]["BankTransactionID"]
    response = xero.post(f"/BankTransactions/{transaction_id}", {"BankTransactions": [element]})
    assert response.status_code < 500, response.get_data(as_text=True)
