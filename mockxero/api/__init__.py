"""The HTTP layer of the accounting API: one thin module per resource (parse → backend → dump).

Every blueprint here is mounted under ``/api.xro/2.0``.
"""

from __future__ import annotations

from flask import Blueprint

from ..paths import API_PREFIX
from . import (
    accounts,
    allocations,
    banktransactions,
    banktransfers,
    contacts,
    creditnotes,
    currencies,
    invoices,
    items,
    journals,
    organisation,
    overpayments,
    payments,
    reports,
    taxrates,
)

__all__ = ["API_PREFIX", "BLUEPRINTS"]

BLUEPRINTS: tuple[Blueprint, ...] = (
    contacts.bp,
    banktransactions.bp,
    banktransfers.bp,
    organisation.bp,
    currencies.bp,
    accounts.bp,
    taxrates.bp,
    items.bp,
    journals.bp,
    reports.bp,
    invoices.bp,
    creditnotes.bp,
    allocations.bp,
    overpayments.bp,
    payments.bp,
)
