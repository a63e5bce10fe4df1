"""Where a billing book comes from. The file format is the first source; a platform's API plugs in as another
class with the same two members, and the engine never knows the difference."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from syncer.source.files import load_book
from syncer.source.model import BillingBook


class SourceAdapter(Protocol):
    @property
    def name(self) -> str:
        """What the run ledger records as the source (a path, an API and account)."""
        ...

    def load(self) -> BillingBook:
        """Every record for this run; raises ``syncer.source.files.SourceError`` with every problem found."""
        ...


class FileSource:
    def __init__(self, path: str | Path):
        self.path = Path(path)

    @property
    def name(self) -> str:
        return str(self.path)

    def load(self) -> BillingBook:
        return load_book(self.path)
