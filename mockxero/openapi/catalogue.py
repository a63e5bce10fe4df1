"""What mockxero emulates, in our words: the table ``mockxero.openapi.build`` turns into ``accounting.yaml``.

Adding an endpoint to the mock? Add its operation here (Xero's operationId, a summary and description in our
own words, the marshmallow schema its body and answer use, the query parameters its view reads, and links
to the operations its answer feeds), then run ``python3 -m mockxero.openapi.build``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MS_DATE_PATTERN = r"^/Date\(-?\d{1,15}([+-]\d{4})?\)/$"  # how the mock writes dates (years 1-9999)
MS_ENVELOPE_PATTERN = r"^/Date\(-?\d+\)/$"  # the envelope's DateTimeUTC has no offset


@dataclass(frozen=True)
class Op:
    """One emulated operation, named by Xero's operationId (or ``custom`` when Xero's spec lacks it)."""

    operation_id: str
    summary: str
    description: str = ""
    # The marshmallow schema the body's elements and the answer's elements go through ("module:Class").
    schema: str | None = None
    # When the body's elements are read by a different schema than the answer's (delete bodies).
    request_schema: str | None = None
    # A ``mockxero.query.Listing`` ("module:NAME"): the list parameters it accepts are the ones documented.
    listing: str | None = None
    # Other query (or header) parameters the view reads, by Xero's parameter name.
    query: tuple[str, ...] = ()
    # Fields every element of the body must carry (creating needs more than updating does).
    require: tuple[str, ...] = ()
    # Other Xero operations the same route serves (``GET /Contacts/{ContactNumber}`` shares its template with
    # ``GET /Contacts/{ContactID}``; OpenAPI cannot hold both, so one entry describes both).
    also: tuple[str, ...] = ()
    # Path parameters whose schema differs from Xero's because of such a shared route.
    path_params: dict[str, dict] = field(default_factory=dict)
    # OpenAPI links from the success answer: name -> link object (they drive the stateful tests).
    links: dict[str, dict] = field(default_factory=dict)
    # An operation Xero's spec does not describe: (METHOD, path under /api.xro/2.0, scope, status, text).
    custom: tuple[str, str, str, str, str] | None = None
    # Other paths (under /api.xro/2.0) serving the same operation, each with its own operationId
    # (pyxero asks for /Organisations where Xero's spec says /Organisation; both answer alike).
    aliases: dict[str, str] = field(default_factory=dict)
    # Error statuses the operation answers beyond those its shape implies ("404" for an unknown id in a query).
    errors: tuple[str, ...] = ()
    # A request body that succeeds against a fresh demo organisation (our own example, not Xero's). The
    # contract tests send it, alone and along the links, so every documented success is really reached.
    example: Any = None


# ``request_schema=XERO``: the view reads the body without a marshmallow schema; Xero's component stands.
XERO = "xero"

# Fields a schema reads and writes through methods (``fields.Method``): "<SchemaClass>.<field>" → the schema
# that reads each element and the one that writes it.
METHOD_FIELDS = {
    "CreditNoteSchema.Allocations": (
        "mockxero.schemas.creditnotes:InlineAllocationSchema",
        "mockxero.schemas.documents:AllocationSummarySchema",
    ),
}


def link(operation_id: str, parameters: dict[str, str] | None = None, body: Any = None) -> dict:
    out: dict[str, Any] = {"operationId": operation_id}
    if parameters:
        out["parameters"] = parameters
    if body is not None:
        out["requestBody"] = body
    return out


def first(collection: str, field_name: str) -> str:
    """A runtime expression for a field of the first element of an answer's collection."""
    return f"$response.body#/{collection}/0/{field_name}"


S = "mockxero.schemas."
CONTACT_ID = first("Contacts", "ContactID")
ACCOUNT_ID = first("Accounts", "AccountID")
TRANSACTION_ID = first("BankTransactions", "BankTransactionID")
TRANSFER_ID = first("BankTransfers", "BankTransferID")
ITEM_ID = first("Items", "ItemID")
INVOICE_ID = first("Invoices", "InvoiceID")
CREDIT_NOTE_ID = first("CreditNotes", "CreditNoteID")
PAYMENT_ID = first("Payments", "PaymentID")
OVERPAYMENT_ID = first("Overpayments", "OverpaymentID")
PREPAYMENT_ID = first("Prepayments", "PrepaymentID")
UUID_OR_NUMBER = {"type": "string", "minLength": 1}

# The invoice and credit note of the examples below: both for the same customer, so the credit can be
# allocated to the invoice; the invoice (115.00) is the first one numbered, INV-0001.
SALE = {
    "Type": "ACCREC",
    "Contact": {"Name": "Kowhai Florist"},
    "Date": "2026-01-15",
    "DueDate": "2026-02-14",
    "Status": "AUTHORISED",
    "Reference": "Wedding flowers",
    "LineItems": [
        {
            "Description": "Table arrangements",
            "Quantity": 4,
            "UnitAmount": 25,
            "AccountCode": "200",
            "TaxType": "OUTPUT2",
        }
    ],
}
# A supplier's bill, numbered by the supplier: what the example supplier prepayment is allocated to.
BILL = {
    "Type": "ACCPAY",
    "Contact": {"Name": "Office Supplies Ltd"},
    "Date": "2026-01-15",
    "DueDate": "2026-02-14",
    "Status": "AUTHORISED",
    "InvoiceNumber": "OS-7731",
    "LineItems": [{"Description": "Toner", "Quantity": 1, "UnitAmount": 40, "AccountCode": "429", "TaxType": "INPUT2"}],
}
CREDIT = {
    "Type": "ACCRECCREDIT",
    "Contact": {"Name": "Kowhai Florist"},
    "Date": "2026-01-16",
    "Status": "AUTHORISED",
    "LineItems": [
        {
            "Description": "One arrangement returned",
            "Quantity": 1,
            "UnitAmount": 20,
            "AccountCode": "200",
            "TaxType": "OUTPUT2",
        }
    ],
}

OPERATIONS: tuple[Op, ...] = (
    # --- Contacts ---
    Op(
        "getContacts",
        "List contacts",
        "Active contacts (archived ones too with includeArchived=true), filtered, ordered and paged.",
        schema=S + "contacts:ContactSchema",
        listing="mockxero.api.contacts:LISTING",
    ),
    Op(
        "createContacts",
        "Create contacts",
        "Every element is a new contact. Refused elements come back in one 400, or with "
        "summarizeErrors=false in a 200 where each element carries its own StatusAttributeString.",
        schema=S + "contacts:ContactSchema",
        require=("Name",),
        example={
            "Contacts": [
                {
                    "Name": "Ridgeway Bakery",
                    "ContactNumber": "CUS-0001",
                    "EmailAddress": "accounts@ridgeway.example",
                    "FirstName": "Aroha",
                    "Addresses": [
                        {
                            "AddressType": "POBOX",
                            "AddressLine1": "PO Box 12",
                            "City": "Nelson",
                            "PostalCode": "7040",
                            "Country": "NZ",
                        }
                    ],
                }
            ]
        },
        links={
            "GetCreatedContact": link("getContact", {"ContactID": CONTACT_ID}),
            "UpdateCreatedContact": link("updateContact", {"ContactID": CONTACT_ID}),
            "AgeTheContactsReceivables": link("getReportAgedReceivablesByContact", {"contactId": CONTACT_ID}),
            "InvoiceTheContact": link("createInvoices", body={"Invoices": [{"Contact": {"ContactID": CONTACT_ID}}]}),
            "CreditTheContact": link(
                "createCreditNotes", body={"CreditNotes": [{"Contact": {"ContactID": CONTACT_ID}}]}
            ),
            "PayOrChargeTheContact": link(
                "createBankTransactions", body={"BankTransactions": [{"Contact": {"ContactID": CONTACT_ID}}]}
            ),
        },
    ),
    Op(
        "updateOrCreateContacts",
        "Create or update contacts",
        "An element naming an existing contact (by ContactID or ContactNumber) updates it; any other "
        "element creates a contact.",
        schema=S + "contacts:ContactSchema",
        example={"Contacts": [{"Name": "Harbour Cafe", "ContactNumber": "CUS-0002"}]},
        links={"GetSavedContact": link("getContact", {"ContactID": CONTACT_ID})},
    ),
    Op(
        "getContact",
        "Read one contact",
        "The path segment is a ContactID or, when it is not a GUID, a ContactNumber.",
        schema=S + "contacts:ContactSchema",
        also=("getContactByContactNumber",),
        path_params={"ContactID": {"type": "string", "minLength": 1}},
    ),
    Op(
        "updateContact",
        "Update one contact",
        "The contact named in the path is updated with the element of the body.",
        schema=S + "contacts:ContactSchema",
        example={"Contacts": [{"EmailAddress": "ap@ridgeway.example", "ContactStatus": "ACTIVE"}]},
    ),
    # --- Accounts ---
    Op(
        "getAccounts",
        "List the chart of accounts",
        "Deleted accounts appear only when the where filter asks about Status.",
        schema=S + "accounts:AccountSchema",
        listing="mockxero.api.accounts:LISTING",
    ),
    Op(
        "createAccount",
        "Create an account",
        "The body is one account (bare, or the first element of an Accounts array).",
        schema=S + "accounts:AccountSchema",
        require=("Code", "Name", "Type"),
        example={"Code": "4100", "Name": "Advertising", "Type": "EXPENSE", "Description": "Ads and promotion"},
        links={
            "GetCreatedAccount": link("getAccount", {"AccountID": ACCOUNT_ID}),
            "UpdateCreatedAccount": link("updateAccount", {"AccountID": ACCOUNT_ID}),
            "DeleteCreatedAccount": link("deleteAccount", {"AccountID": ACCOUNT_ID}),
        },
    ),
    Op("getAccount", "Read one account", schema=S + "accounts:AccountSchema"),
    Op(
        "updateAccount",
        "Update one account",
        "Changes the account named in the path (archiving it included).",
        schema=S + "accounts:AccountSchema",
        example={"Accounts": [{"Name": "Advertising and Promotion"}]},
    ),
    Op(
        "deleteAccount",
        "Delete one account",
        "Answers the account with Status DELETED; an account in use must be archived instead.",
        schema=S + "accounts:AccountSchema",
    ),
    # --- Tax rates ---
    Op(
        "getTaxRates",
        "List tax rates",
        schema=S + "taxrates:TaxRateSchema",
        listing="mockxero.api.taxrates:LISTING",
        links={"GetListedTaxRate": link("getTaxRateByTaxType", {"TaxType": first("TaxRates", "TaxType")})},
    ),
    Op(
        "createTaxRates",
        "Create tax rates",
        "Each element is a new custom rate made of its components; its TaxType code is assigned.",
        schema=S + "taxrates:TaxRateSchema",
        require=("Name", "TaxComponents"),
        example={
            "TaxRates": [
                {"Name": "Regional Levy", "ReportTaxType": "OUTPUT", "TaxComponents": [{"Name": "Levy", "Rate": 2.5}]}
            ]
        },
        links={
            "GetCreatedTaxRate": link("getTaxRateByTaxType", {"TaxType": first("TaxRates", "TaxType")}),
            "ArchiveCreatedTaxRate": link(
                "updateTaxRate", body={"TaxRates": [{"TaxType": first("TaxRates", "TaxType")}]}
            ),
        },
    ),
    Op(
        "updateTaxRate",
        "Update tax rates",
        "Each element names a rate by TaxType (or Name) and changes it; Status DELETED deletes it. An "
        "element naming no existing rate creates one.",
        schema=S + "taxrates:TaxRateSchema",
        example={
            "TaxRates": [
                {
                    "Name": "Visitor Levy",
                    "Status": "ACTIVE",
                    "ReportTaxType": "OUTPUT",
                    "TaxComponents": [{"Name": "Levy", "Rate": 1.5}],
                }
            ]
        },
    ),
    Op(
        "getTaxRateByTaxType",
        "Read one tax rate",
        "The path segment is the rate's TaxType code.",
        schema=S + "taxrates:TaxRateSchema",
    ),
    # --- Items ---
    Op(
        "getItems", "List items", schema=S + "items:ItemSchema", listing="mockxero.api.items:LISTING", query=("unitdp",)
    ),
    Op(
        "createItems",
        "Create items",
        "Each element is a new item with a unique Code.",
        schema=S + "items:ItemSchema",
        require=("Code",),
        query=("unitdp",),
        example={
            "Items": [
                {
                    "Code": "LOAF",
                    "Name": "Sourdough loaf",
                    "Description": "800 g sourdough",
                    "SalesDetails": {"UnitPrice": 8.5, "AccountCode": "200", "TaxType": "OUTPUT2"},
                }
            ]
        },
        links={
            "GetCreatedItem": link("getItem", {"ItemID": ITEM_ID}),
            "UpdateCreatedItem": link("updateItem", {"ItemID": ITEM_ID}),
            "DeleteCreatedItem": link("deleteItem", {"ItemID": ITEM_ID}),
        },
    ),
    Op(
        "updateOrCreateItems",
        "Create or update items",
        "An element naming an existing item (by ItemID or Code) updates it; any other element creates one.",
        schema=S + "items:ItemSchema",
        query=("unitdp",),
        example={
            "Items": [
                {
                    "Code": "ROLL",
                    "Name": "Bread roll",
                    "PurchaseDetails": {"UnitPrice": 0.4, "AccountCode": "310", "TaxType": "INPUT2"},
                }
            ]
        },
    ),
    Op(
        "getItem",
        "Read one item",
        "The path segment is an ItemID or an item Code.",
        schema=S + "items:ItemSchema",
        query=("unitdp",),
        path_params={"ItemID": {"type": "string", "minLength": 1}},
    ),
    Op(
        "updateItem",
        "Update one item",
        "The path segment is an ItemID or an item Code.",
        schema=S + "items:ItemSchema",
        query=("unitdp",),
        example={"Items": [{"Description": "800 g sourdough, sliced"}]},
        path_params={"ItemID": {"type": "string", "minLength": 1}},
    ),
    Op(
        "deleteItem",
        "Delete one item",
        "The path segment is an ItemID or an item Code; answers 204.",
        path_params={"ItemID": {"type": "string", "minLength": 1}},
    ),
    # --- Currencies and the organisation ---
    Op(
        "getCurrencies",
        "List the organisation's currencies",
        schema=S + "currencies:CurrencySchema",
        listing="mockxero.api.currencies:LISTING",
    ),
    Op(
        "createCurrency",
        "Add a currency",
        "Adds one currency (by ISO code) to the organisation.",
        schema=S + "currencies:CurrencySchema",
        require=("Code",),
        example={"Code": "AUD", "Description": "Australian Dollar"},
    ),
    Op(
        "getOrganisations",
        "Read the organisation",
        "One organisation, in an Organisations array.",
        schema=S + "organisation:OrganisationSchema",
        aliases={"/Organisations": "getOrganisationsByPluralPath"},
    ),
    Op(
        "updateOrganisation",
        "Change the organisation (not implemented)",
        custom=(
            "POST",
            "/Organisation",
            "accounting.settings",
            "501",
            "The organisation is read-only through the API: always 501.",
        ),
        aliases={"/Organisations": "updateOrganisationByPluralPath"},
    ),
    Op(
        "createOrganisation",
        "Create an organisation (not implemented)",
        custom=(
            "PUT",
            "/Organisation",
            "accounting.settings",
            "501",
            "The organisation is read-only through the API: always 501.",
        ),
        aliases={"/Organisations": "createOrganisationByPluralPath"},
    ),
    Op(
        "getOrganisationActions",
        "List what the API may do for this organisation",
        schema=S + "organisation:ActionSchema",
        aliases={"/Organisations/Actions": "getOrganisationActionsByPluralPath"},
    ),
    # --- Bank transactions and transfers ---
    Op(
        "getBankTransactions",
        "List bank transactions",
        "Filtered, ordered and paged.",
        schema=S + "banktransactions:BankTransactionSchema",
        listing="mockxero.api.banktransactions:LISTING",
        query=("unitdp",),
    ),
    Op(
        "createBankTransactions",
        "Create bank transactions",
        "Spend and receive money on a bank account; each posts a cash journal. The OVERPAYMENT and "
        "PREPAYMENT types create an overpayment or prepayment, named in the answer by its id.",
        schema=S + "banktransactions:BankTransactionSchema",
        require=("Type", "BankAccount", "LineItems"),
        query=("unitdp",),
        example={
            "BankTransactions": [
                {
                    "Type": "SPEND",
                    "Contact": {"Name": "Office Supplies Ltd"},
                    "BankAccount": {"Code": "090"},
                    "Date": "2026-01-14",
                    "Reference": "Paper",
                    "LineItems": [
                        {
                            "Description": "Printer paper",
                            "Quantity": 2,
                            "UnitAmount": 11.5,
                            "AccountCode": "429",
                            "TaxType": "INPUT2",
                        }
                    ],
                },
                # The florist of the invoice example pays twice, and the office supplier is paid ahead:
                # the credits the Overpayments and Prepayments examples allocate to INV-0001 and the bill.
                {
                    "Type": "RECEIVE-OVERPAYMENT",
                    "Contact": {"Name": "Kowhai Florist"},
                    "BankAccount": {"Code": "090"},
                    "Date": "2026-01-14",
                    "LineItems": [{"Description": "Paid twice", "UnitAmount": 40}],
                },
                {
                    "Type": "SPEND-PREPAYMENT",
                    "Contact": {"Name": "Office Supplies Ltd"},
                    "BankAccount": {"Code": "090"},
                    "Date": "2026-01-14",
                    "LineItems": [{"Description": "Toner deposit", "UnitAmount": 30, "AccountCode": "429"}],
                },
            ]
        },
        links={
            "GetCreatedTransaction": link("getBankTransaction", {"BankTransactionID": TRANSACTION_ID}),
            "UpdateCreatedTransaction": link("updateBankTransaction", {"BankTransactionID": TRANSACTION_ID}),
        },
    ),
    Op(
        "updateOrCreateBankTransactions",
        "Create or update bank transactions",
        "An element naming an existing transaction updates it; any other element creates one.",
        schema=S + "banktransactions:BankTransactionSchema",
        query=("unitdp",),
        example={
            "BankTransactions": [
                {
                    "Type": "RECEIVE",
                    "Contact": {"Name": "Harbour Cafe"},
                    "BankAccount": {"Code": "090"},
                    "LineItems": [
                        {
                            "Description": "Catering",
                            "Quantity": 1,
                            "UnitAmount": 230,
                            "AccountCode": "200",
                            "TaxType": "OUTPUT2",
                        }
                    ],
                }
            ]
        },
    ),
    Op(
        "getBankTransaction",
        "Read one bank transaction",
        schema=S + "banktransactions:BankTransactionSchema",
        query=("unitdp",),
    ),
    Op(
        "updateBankTransaction",
        "Update one bank transaction",
        "Changes the transaction named in the path; Status DELETED deletes it and reverses its journal.",
        schema=S + "banktransactions:BankTransactionSchema",
        query=("unitdp",),
        example={"BankTransactions": [{"Reference": "Paper, two reams"}]},
    ),
    Op(
        "getBankTransfers",
        "List bank transfers",
        "Deleted transfers are left out unless includeDeleted=true.",
        schema=S + "banktransactions:BankTransferSchema",
        listing="mockxero.api.banktransfers:LISTING",
    ),
    Op(
        "createBankTransfer",
        "Transfer money between bank accounts",
        "Each element moves Amount from one bank account to another: two transfer transactions and one journal.",
        schema=S + "banktransactions:BankTransferSchema",
        require=("FromBankAccount", "ToBankAccount", "Amount"),
        example={
            "BankTransfers": [
                {
                    "FromBankAccount": {"Code": "090"},
                    "ToBankAccount": {"Code": "091"},
                    "Amount": 150,
                    "Date": "2026-01-14",
                    "Reference": "To savings",
                }
            ]
        },
        links={
            "GetCreatedTransfer": link("getBankTransfer", {"BankTransferID": TRANSFER_ID}),
            "DeleteCreatedTransfer": link("deleteBankTransfer", {"BankTransferID": TRANSFER_ID}),
            "DeleteCreatedTransfers": link(
                "deleteBankTransfers", body={"BankTransfers": [{"BankTransferID": TRANSFER_ID}]}
            ),
        },
    ),
    Op(
        "deleteBankTransfers",
        "Delete bank transfers",
        "Each element names a transfer and sets Status DELETED; its journal is reversed.",
        schema=S + "banktransactions:BankTransferSchema",
        request_schema=S + "banktransactions:BankTransferDeleteSchema",
        example={"BankTransfers": [{"Status": "DELETED"}]},
    ),
    Op("getBankTransfer", "Read one bank transfer", schema=S + "banktransactions:BankTransferSchema"),
    Op(
        "deleteBankTransfer",
        "Delete one bank transfer",
        "The body sets Status DELETED on the transfer named in the path.",
        schema=S + "banktransactions:BankTransferSchema",
        request_schema=S + "banktransactions:BankTransferDeleteSchema",
        example={"Status": "DELETED"},
    ),
    # --- Invoices, credit notes, allocations and payments ---
    Op(
        "getInvoices",
        "List invoices and bills",
        "Filtered, ordered and paged; an unpaged list leaves line items out, as Xero does.",
        schema=S + "invoices:InvoiceSchema",
        listing="mockxero.api.invoices:LISTING",
        query=("unitdp",),
    ),
    Op(
        "createInvoices",
        "Create invoices and bills",
        "Sales invoices (ACCREC) and bills (ACCPAY) with computed totals; an authorised one posts its journal.",
        schema=S + "invoices:InvoiceSchema",
        require=("Type", "Contact"),
        query=("unitdp",),
        example={"Invoices": [SALE, BILL]},
        links={
            "GetCreatedInvoice": link("getInvoice", {"InvoiceID": INVOICE_ID}),
            "UpdateCreatedInvoice": link("updateInvoice", {"InvoiceID": INVOICE_ID}),
            "PayCreatedInvoice": link("createPayments", body={"Payments": [{"Invoice": {"InvoiceID": INVOICE_ID}}]}),
            "PayCreatedInvoiceOnce": link("createPayment", body={"Invoice": {"InvoiceID": INVOICE_ID}}),
        },
    ),
    Op(
        "updateOrCreateInvoices",
        "Create or update invoices and bills",
        "An element naming an existing invoice (by InvoiceID or InvoiceNumber) updates it; any other element "
        "creates one.",
        schema=S + "invoices:InvoiceSchema",
        query=("unitdp",),
        example={"Invoices": [{**SALE, "Status": "DRAFT", "InvoiceNumber": "INV-D100"}]},
    ),
    Op(
        "getInvoice",
        "Read one invoice or bill",
        "The path segment is an InvoiceID or an InvoiceNumber.",
        schema=S + "invoices:InvoiceSchema",
        query=("unitdp",),
        path_params={"InvoiceID": UUID_OR_NUMBER},
    ),
    Op(
        "updateInvoice",
        "Update one invoice or bill",
        "Changes what Xero lets change in the invoice's status; VOIDED voids an authorised one and reverses "
        "its journal. The path segment is an InvoiceID or an InvoiceNumber.",
        schema=S + "invoices:InvoiceSchema",
        query=("unitdp",),
        path_params={"InvoiceID": UUID_OR_NUMBER},
        example={"Invoices": [{"Reference": "Wedding flowers, 14 Feb"}]},
    ),
    Op(
        "getCreditNotes",
        "List credit notes",
        schema=S + "creditnotes:CreditNoteSchema",
        listing="mockxero.api.creditnotes:LISTING",
        query=("unitdp",),
    ),
    Op(
        "createCreditNotes",
        "Create credit notes",
        "Sales (ACCRECCREDIT) and purchase (ACCPAYCREDIT) credit notes; an authorised one posts its journal.",
        schema=S + "creditnotes:CreditNoteSchema",
        require=("Type", "Contact"),
        query=("unitdp",),
        example={"CreditNotes": [CREDIT]},
        links={
            "GetCreatedCreditNote": link("getCreditNote", {"CreditNoteID": CREDIT_NOTE_ID}),
            "UpdateCreatedCreditNote": link("updateCreditNote", {"CreditNoteID": CREDIT_NOTE_ID}),
            "AllocateCreatedCreditNote": link("createCreditNoteAllocation", {"CreditNoteID": CREDIT_NOTE_ID}),
            "RefundCreatedCreditNote": link(
                "createPayments", body={"Payments": [{"CreditNote": {"CreditNoteID": CREDIT_NOTE_ID}}]}
            ),
        },
    ),
    Op(
        "updateOrCreateCreditNotes",
        "Create or update credit notes",
        "An element naming an existing credit note updates it; any other element creates one.",
        schema=S + "creditnotes:CreditNoteSchema",
        query=("unitdp",),
        example={"CreditNotes": [{**CREDIT, "Status": "DRAFT"}]},
    ),
    Op(
        "getCreditNote",
        "Read one credit note",
        "The path segment is a CreditNoteID or a CreditNoteNumber.",
        schema=S + "creditnotes:CreditNoteSchema",
        query=("unitdp",),
        path_params={"CreditNoteID": UUID_OR_NUMBER},
    ),
    Op(
        "updateCreditNote",
        "Update one credit note",
        "The path segment is a CreditNoteID or a CreditNoteNumber.",
        schema=S + "creditnotes:CreditNoteSchema",
        query=("unitdp",),
        path_params={"CreditNoteID": UUID_OR_NUMBER},
        example={"CreditNotes": [{"Reference": "Returned arrangement"}]},
    ),
    Op(
        "createCreditNoteAllocation",
        "Allocate a credit note to invoices",
        "Each element applies Amount of the credit to an invoice of the same kind; no journal, both balances move.",
        schema=S + "allocations:AllocationSchema",
        require=("Invoice", "Amount"),
        example={"Allocations": [{"Invoice": {"InvoiceNumber": "INV-0001"}, "Amount": 10, "Date": "2026-01-17"}]},
        links={
            "DeleteCreatedAllocation": link(
                "deleteCreditNoteAllocations",
                {
                    "CreditNoteID": "$response.body#/Allocations/0/CreditNote/CreditNoteID",
                    "AllocationID": "$response.body#/Allocations/0/AllocationID",
                },
            )
        },
    ),
    Op(
        "deleteCreditNoteAllocations",
        "Take an allocation back",
        "The credit and the invoice's amount due are restored; answers the allocation with IsDeleted true.",
        schema=S + "allocations:AllocationSchema",
    ),
    # --- Overpayments and prepayments (created as bank transactions, refunded as payments) ---
    Op(
        "getOverpayments",
        "List overpayments",
        "Created by bank transactions of Type RECEIVE-OVERPAYMENT or SPEND-OVERPAYMENT.",
        schema=S + "overpayments:OverpaymentSchema",
        listing="mockxero.api.overpayments:OVERPAYMENTS",
        links={
            "GetListedOverpayment": link("getOverpayment", {"OverpaymentID": OVERPAYMENT_ID}),
            "AllocateListedOverpayment": link("createOverpaymentAllocations", {"OverpaymentID": OVERPAYMENT_ID}),
            "RefundListedOverpayment": link(
                "createPayments", body={"Payments": [{"Overpayment": {"OverpaymentID": OVERPAYMENT_ID}}]}
            ),
        },
    ),
    Op("getOverpayment", "Read one overpayment", schema=S + "overpayments:OverpaymentSchema"),
    Op(
        "createOverpaymentAllocations",
        "Allocate an overpayment to invoices",
        "Each element applies Amount of the overpayment's remaining credit to an invoice of the same contact; "
        "no journal (both wait on the control account), both balances move.",
        schema=S + "allocations:AllocationSchema",
        require=("Invoice", "Amount"),
        example={"Allocations": [{"Invoice": {"InvoiceNumber": "INV-0001"}, "Amount": 10, "Date": "2026-01-17"}]},
        links={
            "DeleteCreatedAllocation": link(
                "deleteOverpaymentAllocations",
                {
                    "OverpaymentID": "$response.body#/Allocations/0/Overpayment/OverpaymentID",
                    "AllocationID": "$response.body#/Allocations/0/AllocationID",
                },
            )
        },
    ),
    Op(
        "deleteOverpaymentAllocations",
        "Take an overpayment's allocation back",
        "The credit and the invoice's amount due are restored; answers the allocation with IsDeleted true.",
        schema=S + "allocations:AllocationSchema",
    ),
    Op(
        "getPrepayments",
        "List prepayments",
        "Created by bank transactions of Type RECEIVE-PREPAYMENT or SPEND-PREPAYMENT.",
        schema=S + "overpayments:PrepaymentSchema",
        listing="mockxero.api.overpayments:PREPAYMENTS",
        links={
            "GetListedPrepayment": link("getPrepayment", {"PrepaymentID": PREPAYMENT_ID}),
            "AllocateListedPrepayment": link("createPrepaymentAllocations", {"PrepaymentID": PREPAYMENT_ID}),
            "RefundListedPrepayment": link(
                "createPayments", body={"Payments": [{"Prepayment": {"PrepaymentID": PREPAYMENT_ID}}]}
            ),
        },
    ),
    Op("getPrepayment", "Read one prepayment", schema=S + "overpayments:PrepaymentSchema"),
    Op(
        "createPrepaymentAllocations",
        "Allocate a prepayment to invoices",
        "Each element applies Amount of the prepayment to an invoice of the same contact; the part of the "
        "prepayment's lines it uses moves onto the control account.",
        schema=S + "allocations:AllocationSchema",
        require=("Invoice", "Amount"),
        example={"Allocations": [{"Invoice": {"InvoiceNumber": "OS-7731"}, "Amount": 10, "Date": "2026-01-17"}]},
        links={
            "DeleteCreatedAllocation": link(
                "deletePrepaymentAllocations",
                {
                    "PrepaymentID": "$response.body#/Allocations/0/Prepayment/PrepaymentID",
                    "AllocationID": "$response.body#/Allocations/0/AllocationID",
                },
            )
        },
    ),
    Op(
        "deletePrepaymentAllocations",
        "Take a prepayment's allocation back",
        "The credit and the invoice's amount due are restored, the journal reversed; answers the allocation "
        "with IsDeleted true.",
        schema=S + "allocations:AllocationSchema",
    ),
    Op("getPayments", "List payments", schema=S + "payments:PaymentSchema", listing="mockxero.api.payments:LISTING"),
    Op(
        "createPayments",
        "Create payments",
        "Each element pays an authorised invoice or bill, or refunds a credit note, an overpayment or a "
        "prepayment, from a bank account (or one that accepts payments).",
        schema=S + "payments:PaymentSchema",
        require=("Account", "Amount"),
        example={
            "Payments": [
                {
                    "Invoice": {"InvoiceNumber": "INV-0001"},
                    "Account": {"Code": "090"},
                    "Date": "2026-01-20",
                    "Amount": 20,
                    "Reference": "Deposit",
                }
            ]
        },
        links={
            "GetCreatedPayment": link("getPayment", {"PaymentID": PAYMENT_ID}),
            "DeleteCreatedPayment": link("deletePayment", {"PaymentID": PAYMENT_ID}),
        },
    ),
    Op(
        "createPayment",
        "Create one payment",
        "Xero's spec types the body as one bare payment; a Payments array is read as well.",
        schema=S + "payments:PaymentSchema",
        require=("Account", "Amount"),
        example={
            "Invoice": {"InvoiceNumber": "INV-0001"},
            "Account": {"Code": "090"},
            "Date": "2026-01-21",
            "Amount": 20,
        },
    ),
    Op("getPayment", "Read one payment", schema=S + "payments:PaymentSchema"),
    Op(
        "deletePayment",
        "Delete one payment",
        "Status DELETED is the only change a payment accepts; the document owes the amount again.",
        schema=S + "payments:PaymentSchema",
        request_schema=XERO,
        example={"Status": "DELETED"},
    ),
    # --- The ledger as Xero shows it ---
    Op(
        "getJournals",
        "List journals",
        "Up to 100 journals numbered above offset, oldest first; paymentsOnly keeps cash journals.",
        schema=S + "journals:JournalSchema",
        query=("If-Modified-Since", "offset", "paymentsOnly"),
        links={
            "GetListedJournal": link("getJournal", {"JournalID": first("Journals", "JournalID")}),
            "GetListedJournalByNumber": link("getJournal", {"JournalID": first("Journals", "JournalNumber")}),
        },
    ),
    Op(
        "getJournal",
        "Read one journal",
        "The path segment is a JournalID or a JournalNumber.",
        schema=S + "journals:JournalSchema",
        also=("getJournalByNumber",),
        path_params={"JournalID": {"type": "string", "anyOf": [{"format": "uuid"}, {"pattern": r"^\d{1,9}$"}]}},
    ),
    Op(
        "getReportTrialBalance",
        "Trial balance",
        "Every account's balance at a date, from the journals.",
        schema=S + "reports:ReportSchema",
        query=("date",),
    ),
    Op(
        "getReportBankSummary",
        "Bank summary",
        "Each bank account's opening balance, money in, money out and closing balance over a period.",
        schema=S + "reports:ReportSchema",
        query=("fromDate", "toDate"),
    ),
    Op(
        "getReportAgedReceivablesByContact",
        "Aged receivables of one contact",
        "The contact's open sales invoices by age; 404 for a contact the organisation does not have.",
        schema=S + "reports:ReportSchema",
        query=("contactId", "date", "fromDate", "toDate"),
        errors=("404",),
    ),
)

# Text for parameters (Xero's own descriptions are not copied).
PARAMETER_TEXT = {
    "xero-tenant-id": "The organisation (tenant) the call is for; one of the token's connections.",
    "Idempotency-Key": "Makes retrying this write safe: the same key with the same request replays the "
    "first answer; with a different request it is refused (422). At most 128 characters.",
    "If-Modified-Since": "Only records changed at or after this UTC instant.",
    "summarizeErrors": "false answers 200 with every element and its own status instead of one 400.",
    "where": "A filter expression over the resource's fields, as Xero writes them.",
    "order": "Field names, each optionally followed by ASC or DESC.",
    "page": "1-based page number; paged answers carry a pagination block.",
    "pageSize": "Records per page (default 100, at most 1000).",
    "includeArchived": "Include archived records.",
    "includeDeleted": "Include deleted records.",
    "IDs": "Comma-separated identifiers to fetch.",
    "InvoiceNumbers": "Comma-separated invoice numbers to fetch.",
    "ContactIDs": "Comma-separated ContactIDs whose documents to fetch.",
    "Statuses": "Comma-separated statuses to keep.",
    "createdByMyApp": "Only documents this app created.",
    "searchTerm": "Case-insensitive text to look for.",
    "unitdp": "4 to see unit amounts with four decimal places.",
    "offset": "Return journals numbered above this.",
    "paymentsOnly": "Only journals of money that moved.",
    "date": "The report's date (YYYY-MM-DD); today when absent.",
    "fromDate": "The first day of the report's period (YYYY-MM-DD).",
    "toDate": "The last day of the report's period (YYYY-MM-DD).",
    "contactId": "The contact the report is about.",
}

# Parameters the mock reads on operations where Xero's spec does not list them (Xero's own definitions of
# the same parameter elsewhere are the model).
OWN_PARAMETERS: dict[str, dict] = {
    "IDs": {
        "name": "IDs",
        "in": "query",
        "style": "form",
        "explode": False,
        "description": "Comma-separated identifiers to fetch (read by the mock here although Xero's spec "
        "lists it on other lists only).",
        "schema": {"type": "array", "items": {"type": "string", "format": "uuid"}},
    },
}

# A value that makes each query parameter fail to parse (the contract tests use it to provoke 400s; a
# parameter listed here is one the mock parses strictly, so its operation documents a 400).
UNPARSEABLE_QUERY = {
    "where": "Name ==",
    "order": "Name SIDEWAYS",
    "page": "first",
    "pageSize": "many",
    "IDs": "not-a-guid",
    "ContactIDs": "not-a-guid",
    "offset": "next",
    "date": "yesterday",
    "fromDate": "yesterday",
    "toDate": "tomorrow",
    "contactId": "nobody",
}

TAGS = {
    "Contacts": "Customers and suppliers.",
    "Accounts": "The chart of accounts.",
    "TaxRates": "Tax rates and their components.",
    "Items": "Products and services, with their sales and purchase details.",
    "Currencies": "The currencies the organisation trades in.",
    "Organisation": "The organisation itself, read-only.",
    "BankTransactions": "Money spent and received on bank accounts.",
    "BankTransfers": "Money moved between the organisation's bank accounts.",
    "Invoices": "Sales invoices and bills.",
    "CreditNotes": "Credit notes and their allocations to invoices.",
    "Payments": "Payments of invoices and bills, and refunds of credit notes, overpayments and prepayments.",
    "Overpayments": "Money received or spent beyond an invoice, kept as a credit to allocate or refund.",
    "Prepayments": "Money received or spent before an invoice, kept as a credit to allocate or refund.",
    "Journals": "The double-entry journals every change posts.",
    "Reports": "Reports computed from the journals.",
    "Identity": "OAuth2 tokens and tenant connections, served from the same host as the API.",
}


def business_rules() -> dict[str, dict[str, dict]]:
    """Constraints the backend enforces beyond the wire types, read from the rules' own constants.

    Keyed by component, then field. Generated requests that break them would only ever meet a 400; stating
    them lets generation reach deeper behaviour, and tells clients what a valid request looks like.
    """
    from mockxero.backend import accounts, contacts

    return {
        "Contact": {
            "Name": {"pattern": r"\S"},  # not blank
            "ContactStatus": {"enum": [str(status) for status in contacts.SETTABLE_STATUSES]},
            "EmailAddress": {"pattern": "^$|" + contacts._EMAIL.pattern},
        },
        "Account": {
            "Code": {"pattern": accounts._ALPHANUMERIC.pattern, "maxLength": accounts.CODE_MAX},
            "Name": {"pattern": r"\S", "maxLength": accounts.NAME_MAX},
        },
        "TaxComponent": {
            # 0 to 100 percent (the mock also refuses more than taxrates.RATE_PLACES decimals).
            "Rate": {"minimum": 0, "exclusiveMinimum": False, "maximum": 100, "exclusiveMaximum": False},
        },
    }


# --- what the mock answers on errors -------------------------------------------------------------------


def _problem(description: str, **extra: Any) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        **extra,
    }


def _header(ref: str) -> dict:
    return {"$ref": f"#/components/headers/{ref}"}


# Every admitted accounting call reports what is left of its limits (only when limits are on).
RATE_HEADERS = ("X-DayLimit-Remaining", "X-MinLimit-Remaining", "X-AppMinLimit-Remaining")

HEADERS: dict[str, dict] = {
    "X-DayLimit-Remaining": {
        "description": "Calls left in the rolling day for this app and tenant.",
        "schema": {"type": "integer", "minimum": 0},
    },
    "X-MinLimit-Remaining": {
        "description": "Calls left in the rolling minute for this app and tenant.",
        "schema": {"type": "integer", "minimum": 0},
    },
    "X-AppMinLimit-Remaining": {
        "description": "Calls left in the rolling minute for this app, all tenants.",
        "schema": {"type": "integer", "minimum": 0},
    },
    "Retry-After": {
        "description": "Whole seconds to wait before the limit frees a slot.",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    },
    "X-Rate-Limit-Problem": {
        "description": "The limit that was hit.",
        "required": True,
        "schema": {"type": "string", "enum": ["minute", "day", "concurrent", "appminute"]},
    },
    "Idempotent-Replayed": {
        "description": "Present (true) when this is the stored answer to an earlier "
        "request with the same Idempotency-Key.",
        "schema": {"type": "string", "enum": ["true"]},
    },
}

ERROR_RESPONSES: dict[str, dict] = {
    "BadRequest": {
        "description": "The request was refused: a business rule failed (ValidationException, with the "
        "refused elements), the body could not be read as the resource "
        "(PostDataInvalidException) or a query parameter did not parse (QueryParseException). "
        "A malformed Idempotency-Key is refused by the gateway, in its problem shape.",
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [{"$ref": "#/components/schemas/ApiError"}, {"$ref": "#/components/schemas/Problem"}]
                }
            }
        },
    },
    "Unauthorized": {
        "description": "No valid bearer token, or the token lacks the operation's scope.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    },
    "Forbidden": {
        "description": "The xero-tenant-id header names no organisation this token is connected to.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    },
    "NotFound": {
        "description": "Nothing with that identifier exists in this organisation.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    },
    "MethodNotAllowed": {
        "description": "Answered for any method a path does not list.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    },
    "PayloadTooLarge": {
        "description": "The body is larger than the 3.5 MB Xero accepts in one call.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    },
    "IdempotencyKeyReused": _problem(
        "The Idempotency-Key was already used for a different request by this app and tenant."
    ),
    "TooManyRequests": _problem(
        "A rate limit was hit; the call was not counted and did nothing.",
        headers={
            "Retry-After": _header("Retry-After"),
            "X-Rate-Limit-Problem": _header("X-Rate-Limit-Problem"),
            **{name: _header(name) for name in RATE_HEADERS},
        },
    ),
    "NotImplemented": _problem("Xero does not implement this method for this resource."),
}

# Our own schemas, added to the components Xero's operations bring along.
OWN_SCHEMAS: dict[str, dict] = {
    "Envelope": {
        "type": "object",
        "description": "The fields every accounting answer carries around its collection.",
        "required": ["Id", "Status", "ProviderName", "DateTimeUTC"],
        "properties": {
            "Id": {"type": "string", "format": "uuid"},
            "Status": {"type": "string", "enum": ["OK"]},
            "ProviderName": {"type": "string"},
            "DateTimeUTC": {"type": "string", "pattern": MS_ENVELOPE_PATTERN},
        },
    },
    "ApiError": {
        "type": "object",
        "description": "The accounting API's own error body.",
        "required": ["ErrorNumber", "Type", "Message"],
        "properties": {
            "ErrorNumber": {"type": "integer", "enum": [10, 14, 16]},
            "Type": {
                "type": "string",
                "enum": ["ValidationException", "PostDataInvalidException", "QueryParseException"],
            },
            "Message": {"type": "string"},
            "Elements": {"type": "array", "items": {"$ref": "#/components/schemas/Element"}},
        },
    },
    "Problem": {
        "type": "object",
        "description": "The API gateway's error body (401, 403, 404, 405, 413, 429).",
        "required": ["Type", "Title", "Status", "Detail", "Instance", "Extensions"],
        "properties": {
            "Type": {"type": "string", "nullable": True},
            "Title": {"type": "string"},
            "Status": {"type": "integer"},
            "Detail": {"type": "string"},
            "Instance": {"type": "string", "format": "uuid"},
            "Extensions": {"type": "object"},
        },
    },
    "OAuthError": {
        "type": "object",
        "description": "An OAuth2 error from the identity endpoints (RFC 6749 section 5.2).",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "string",
                "enum": [
                    "invalid_request",
                    "invalid_client",
                    "invalid_grant",
                    "unauthorized_client",
                    "unsupported_grant_type",
                    "invalid_scope",
                ],
            },
            "error_description": {"type": "string"},
        },
    },
}


# --- identity endpoints (Xero's identity spec has only /Connections; the rest is RFC 6749) -------------


def _form(properties: dict[str, dict], required: list[str]) -> dict:
    return {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {"type": "object", "required": required, "properties": properties}
            }
        },
    }


def _oauth_error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OAuthError"}}},
    }


_CLIENT_FIELDS = {
    "client_id": {"type": "string"},
    "client_secret": {"type": "string"},
}
_BASIC_OR_FORM: list[dict] = [{"ClientBasic": []}, {}]

IDENTITY_PATHS: dict[str, dict] = {
    "/connect/token": {
        "post": {
            "operationId": "requestToken",
            "summary": "Issue tokens",
            "description": "Exchanges an authorization code, a refresh token (which rotates) or client "
            "credentials for an access token. The client authenticates with HTTP Basic or with "
            "client_id and client_secret form fields.",
            "security": _BASIC_OR_FORM,
            "requestBody": _form(
                {
                    "grant_type": {
                        "type": "string",
                        "enum": ["authorization_code", "refresh_token", "client_credentials"],
                    },
                    "code": {"type": "string"},
                    "redirect_uri": {"type": "string"},
                    "refresh_token": {"type": "string"},
                    "scope": {"type": "string"},
                    **_CLIENT_FIELDS,
                },
                ["grant_type"],
            ),
            "responses": {
                "200": {
                    "description": "The new tokens.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AccessToken"}}},
                },
                "400": _oauth_error("The grant, client or scope was refused."),
                "413": {"$ref": "#/components/responses/PayloadTooLarge"},
            },
        }
    },
    "/connect/authorize": {
        "get": {
            "operationId": "authorize",
            "summary": "Consent and redirect",
            "description": "The mock's one user consents at once: the answer redirects to redirect_uri with "
            "a one-time code (or with an error the client can show).",
            "security": [],
            "parameters": [
                {"name": "response_type", "in": "query", "required": True, "schema": {"type": "string"}},
                {"name": "client_id", "in": "query", "required": True, "schema": {"type": "string"}},
                {"name": "redirect_uri", "in": "query", "required": True, "schema": {"type": "string"}},
                {"name": "scope", "in": "query", "schema": {"type": "string"}},
                {"name": "state", "in": "query", "schema": {"type": "string"}},
            ],
            "responses": {
                "302": {
                    "description": "Back to the client with code (or error) and state.",
                    "headers": {"Location": {"schema": {"type": "string"}}},
                },
                "400": _oauth_error("Unknown client or a redirect_uri that cannot be used."),
            },
        }
    },
    "/connect/revocation": {
        "post": {
            "operationId": "revokeToken",
            "summary": "Revoke a refresh token",
            "description": "Revokes the refresh token and every access token and connection of its grant.",
            "security": _BASIC_OR_FORM,
            "requestBody": _form({"token": {"type": "string"}, **_CLIENT_FIELDS}, ["token"]),
            "responses": {
                "200": {"description": "Revoked (also when the token was unknown)."},
                "400": _oauth_error("The client did not authenticate."),
                "413": {"$ref": "#/components/responses/PayloadTooLarge"},
            },
        }
    },
    "/connections": {
        "get": {
            "operationId": "getConnections",
            "summary": "List the token's tenant connections",
            "description": "Every organisation the token's grant is connected to, optionally only those "
            "of one authorisation event.",
            "security": [{"OAuth2": []}],
            "parameters": [{"name": "authEventId", "in": "query", "schema": {"type": "string", "format": "uuid"}}],
            "responses": {
                "200": {
                    "description": "The connections.",
                    "content": {
                        "application/json": {
                            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Connection"}}
                        }
                    },
                },
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "429": {"$ref": "#/components/responses/TooManyRequests"},
            },
        }
    },
    "/connections/{id}": {
        "delete": {
            "operationId": "deleteConnection",
            "summary": "Disconnect one tenant",
            "description": "Removes one of the token's connections; its tokens can no longer reach that tenant.",
            "security": [{"OAuth2": []}],
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
            ],
            "responses": {
                "204": {"description": "Disconnected."},
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "404": {"$ref": "#/components/responses/NotFound"},
                "429": {"$ref": "#/components/responses/TooManyRequests"},
            },
        }
    },
}

# Identity components taken from Xero's identity spec (structure only).
IDENTITY_COMPONENTS = ("Connection", "AccessToken")
IDENTITY_EXTRA_PROPERTIES = {
    # The mock also returns the granted scopes, as Xero's token endpoint does (RFC 6749 section 5.1).
    "AccessToken": {"scope": {"type": "string"}},
}
# Xero's spec calls the connection dates ``date-time``, but its own example (and the real service) writes
# them without an offset and with seven fractional digits, as the mock does.
ISO7_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}$"
IDENTITY_PROPERTY_OVERRIDES = {
    "Connection": {
        "createdDateUtc": {"type": "string", "pattern": ISO7_PATTERN},
        "updatedDateUtc": {"type": "string", "pattern": ISO7_PATTERN},
    },
}
IDENTITY_REQUIRED = {
    "AccessToken": ["access_token", "expires_in", "token_type"],
    "Connection": ["id", "tenantId", "tenantType", "tenantName", "createdDateUtc", "updatedDateUtc"],
}


INFO_DESCRIPTION = """\
The part of Xero's Accounting API that mockxero emulates, with the identity endpoints it serves from the
same host. Generated by `python3 -m mockxero.openapi.build` from Xero's official OpenAPI spec (structure only;
see contracts/README.md); the text is ours.

What this contract states beyond Xero's spec, because it is what the mock does:
- accounting calls need `Authorization: Bearer <token>` from /connect/token and a `xero-tenant-id` the
  token is connected to;
- answers are JSON when the client accepts JSON, otherwise XML as in Xero (this contract describes the
  JSON form);
- dates are written `/Date(ms+0000)/` and read in that form, as ISO dates or as ISO date-times;
- money is an exact decimal number;
- a batch body names its collection and holds at least one element;
- errors: 400 bodies are Xero's `{ErrorNumber, Type, Message, Elements}`; 401, 403, 404, 405 and 413 are
  the gateway's problem bodies. Any method a path does not list answers 405.
"""

SECURITY_SCHEMES = {
    "OAuth2": {
        "type": "oauth2",
        "description": "Bearer access tokens issued by /connect/token.",
        "flows": {
            "authorizationCode": {
                "authorizationUrl": "/connect/authorize",
                "tokenUrl": "/connect/token",
                "refreshUrl": "/connect/token",
                "scopes": {
                    "accounting.settings": "Read and change settings: accounts, tax rates, items, currencies.",
                    "accounting.settings.read": "Read settings.",
                    "accounting.contacts": "Read and change contacts.",
                    "accounting.contacts.read": "Read contacts.",
                    "accounting.transactions": "Read and change invoices, credit notes, payments and bank "
                    "transactions.",
                    "accounting.transactions.read": "Read transactions.",
                    "accounting.journals.read": "Read journals.",
                    "accounting.reports.read": "Read reports.",
                    "offline_access": "Receive a refresh token.",
                },
            },
            "clientCredentials": {
                "tokenUrl": "/connect/token",
                "scopes": {},
            },
        },
    },
    "ClientBasic": {
        "type": "http",
        "scheme": "basic",
        "description": "client_id and client_secret as HTTP Basic credentials.",
    },
}
