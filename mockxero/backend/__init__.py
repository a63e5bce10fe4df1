"""The backend: every Xero rule and every write, one mixin per resource, no Flask.

A newcomer looking for a rule: ``backend/<resource>.py``. ``AccountingBackend`` is one tenant's books;
its mixins see each other, because cross-resource rules (a payment changes an invoice) need that.
"""

from __future__ import annotations

from .accounts import AccountsBackend
from .allocations import AllocationsBackend
from .banktransactions import BankTransactionsBackend
from .banktransfers import BankTransfersBackend
from .base import BackendBase, IndexSpec
from .contacts import ContactsBackend
from .creditnotes import CreditNotesBackend
from .currencies import CurrenciesBackend
from .invoices import InvoicesBackend
from .items import ItemsBackend
from .journals import JournalsBackend
from .lineitems import LineItemsBackend
from .organisation import OrganisationBackend
from .overpayments import OverpaymentsBackend
from .payments import PaymentsBackend
from .reports import ReportsBackend
from .taxrates import TaxRatesBackend


class AccountingBackend(
    OrganisationBackend,
    CurrenciesBackend,
    AccountsBackend,
    TaxRatesBackend,
    ItemsBackend,
    ContactsBackend,
    JournalsBackend,
    BankTransactionsBackend,
    BankTransfersBackend,
    ReportsBackend,
    LineItemsBackend,
    InvoicesBackend,
    CreditNotesBackend,
    OverpaymentsBackend,
    AllocationsBackend,
    PaymentsBackend,
):
    """One tenant's books: every resource mixin, each providing what ``Books`` declares of it."""


RESOURCE_BACKENDS: tuple[type[BackendBase], ...] = AccountingBackend.__bases__


def all_indexes() -> list[IndexSpec]:
    specs: list[IndexSpec] = []
    for cls in RESOURCE_BACKENDS:
        specs.extend(cls.__dict__.get("INDEXES", []))
    return specs
