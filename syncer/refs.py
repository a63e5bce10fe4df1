"""References from one planned Xero write to an object another write creates.

A plan is built before anything is sent, so an invoice's body cannot yet hold the ContactID of a contact the
same plan creates. The mapping rules put a ``Ref`` where that id belongs; the engine replaces it with the
real id (from the state store, or from the response of the write that created it) just before sending.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """The kinds of Xero object the engine writes, one per billing record kind that maps to Xero."""

    CONTACT = "contact"
    INVOICE = "invoice"
    PAYMENT = "payment"
    FEE = "fee"  # the gateway fee: a SPEND BankTransaction
    TRANSFER = "transfer"  # the payout: a BankTransfer clearing -> deposit
    CREDIT_NOTE = "credit_note"
    ALLOCATION = "allocation"
    REFUND = "refund"  # an ARCREDITPAYMENT on a credit note
    DISPUTE = "dispute"  # withdrawn funds and dispute fee: SPEND BankTransactions
    DISPUTE_REINSTATEMENT = "dispute_reinstatement"  # a won dispute: a RECEIVE BankTransaction


@dataclass(frozen=True)
class Ref:
    """The Xero id of the object of ``kind`` made from billing record ``source_id``, resolved at send time."""

    kind: Kind
    source_id: str

    def __str__(self) -> str:
        return f"<{self.kind}:{self.source_id}>"
