"""Where a billing book comes from: a source adapter hands the engine one whole, checked ``BillingBook``.

The file format is the first adapter. A billing platform's API can be plugged in later by writing another
class with the same two members; the engine reads nothing but the book, so it needs no change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from syncer.source.files import load_book
from syncer.source.model import BillingBook


@runtime_checkable
class SourceAdapter(Protocol):
    """A source of billing records. ``load`` returns the whole book or raises ``SourceError``; never a part."""

    @property
    def name(self) -> str:
        """How the source is named in reports and the run ledger (for a file, its path)."""
        ...

    def load(self) -> BillingBook: ...


class FileSource:
    """A billing book in a ``.yaml``/``.yml`` or ``.json`` file of the versioned format."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    @property
    def name(self) -> str:
        return str(self.path)

    def load(self) -> BillingBook:
        return load_book(self.path)
