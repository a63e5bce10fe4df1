"""``Books``: what one resource's rules may ask of another resource's, declared once.

A payment changes an invoice, an invoice creates a contact and posts a journal, a report reads accounts:
the resource mixins of ``AccountingBackend`` call each other. Each cross-resource call a mixin makes is
declared here with its signature and the mixin that provides it, so a type checker follows every call,
checks each provider's signature against this declaration, and refuses to build an ``AccountingBackend``
that lacks a provider (a member left abstract here). A mixin that calls another resource's method not
listed here fails the type check: add the method here, naming its provider.

Only the calls that cross mixins are listed; a mixin's own helpers, and what ``BackendBase`` gives every
mixin (store, clock, ids, savepoints), are not.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..exchange import SetRate
    from ..posting import Line
    from .allocations import CreditKind
    from .lineitems import LinePricing


class Books(Protocol):
    # -- OrganisationBackend --

    def organisation(self) -> dict: ...

    @property
    def base_currency(self) -> str: ...

    def lock_date_errors(self, *days: date | None) -> list[str]: ...

    # -- CurrenciesBackend --

    def currency_enabled(self, code: str | None) -> bool: ...

    def set_exchange_rates(self, changes: Iterable[tuple[str, date | None, Decimal | None]]) -> list[SetRate]: ...

    def day_rate(self, currency: str, day: date) -> Decimal: ...

    # -- AccountsBackend --

    def account(self, account_id: str, *, copy: bool = True) -> dict: ...

    def account_by_code(self, code: str | None, *, copy: bool = True) -> dict | None: ...

    def resolve_account(self, reference: dict | None) -> dict | None: ...

    def system_account(self, system_name: str) -> dict: ...

    def list_accounts(self) -> list[dict]: ...

    def _insert_account(self, values: dict) -> dict: ...

    # -- TaxRatesBackend --

    def tax_rate(self, tax_type: str | None) -> dict | None: ...

    def active_tax_rate(self, tax_type: str | None) -> dict | None: ...

    def effective_rate(self, tax_rate: dict) -> Decimal: ...

    # -- ItemsBackend --

    def item_by_code(self, code: str | None) -> dict | None: ...

    # -- ContactsBackend --

    def resolve_contact(self, reference: dict | None) -> dict | None: ...

    def create_contact(self, values: dict) -> dict: ...

    def mark_contact_role(self, contact_id: str, *, customer: bool = False, supplier: bool = False) -> None: ...

    # -- JournalsBackend --

    def post_journal(
        self,
        *,
        source_type: str,
        source_id: str,
        journal_date: date,
        currency: str,
        lines: list[Line],
        reference: str | None = None,
    ) -> dict | None: ...

    def reverse_journals(self, source_id: str, journal_date: date) -> list[dict]: ...

    def all_journals(self) -> Iterator[dict]: ...

    def journals_for(self, source_id: str) -> list[dict]: ...

    # -- LineItemsBackend --

    def price_lines(
        self, lines: list[dict], pricing: LinePricing, known_ids: frozenset[str] = frozenset()
    ) -> tuple[list[dict], list[str]]: ...

    # -- BankTransactionsBackend --

    def bank_transaction(self, transaction_id: str) -> dict: ...

    def bank_account_summary(self, account_id: str) -> dict: ...

    def bank_account_currency(self, account: dict) -> str: ...

    def checked_bank_account(self, reference: dict | None, field: str, errors: list[str]) -> dict | None: ...

    # -- BankTransfersBackend --

    def sync_transfer_reconciliation(self, transaction: dict) -> None: ...

    # -- OverpaymentsBackend --

    def create_credit(self, transaction: dict) -> dict: ...

    def void_credit(self, transaction: dict) -> dict: ...

    def credit_by_ref(self, values: dict) -> tuple[CreditKind, dict] | None: ...

    def prepayment_use_lines(
        self, credit: dict, amount: Decimal, counterpart: dict, description: str
    ) -> list[Line]: ...

    # -- AllocationsBackend --

    def allocate_credit_note(self, credit_note_id: str, values: dict) -> dict: ...
