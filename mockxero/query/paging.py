"""``page``/``pageSize`` and the ``pagination`` block of Xero's paged list endpoints.

Xero: pages are 1-based, 100 records by default, ``pageSize`` up to 1000 since July 2024. Without
``page`` a paged endpoint returns every record. The mock's choices where Xero's behaviour is unconfirmed
(README fidelity table): ``page`` below 1 means page 1; ``pageSize`` below 1 means the default and above
1000 means 1000; ``pageSize`` alone pages from page 1; ``pagination`` appears only when the request pages;
a non-numeric value is a ``QueryParseException``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard

from ..exceptions import QueryParseException

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class PageRequest:
    page: int
    size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def pagination(self, item_count: int) -> dict[str, int]:
        return {
            "page": self.page,
            "pageSize": self.size,
            "pageCount": -(-item_count // self.size),
            "itemCount": item_count,
        }


def page_request(page: str | None, page_size: str | None) -> PageRequest | None:
    """The page asked for, or ``None`` when the request does not page."""
    if not _filled(page) and not _filled(page_size):
        return None
    number = max(1, _whole(page, "page")) if _filled(page) else 1
    size = _whole(page_size, "pageSize") if _filled(page_size) else DEFAULT_PAGE_SIZE
    if size < 1:
        size = DEFAULT_PAGE_SIZE
    return PageRequest(number, min(size, MAX_PAGE_SIZE))


def _filled(raw: str | None) -> TypeGuard[str]:
    return raw is not None and bool(raw.strip())


def _whole(raw: str, name: str) -> int:
    text = raw.strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isascii() or not digits.isdigit() or len(digits) > 9:
        raise QueryParseException(f"The value '{raw}' is not valid for {name}.")
    return int(text)
