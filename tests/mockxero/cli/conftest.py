"""Fixtures shared by the CLI's tests."""

from __future__ import annotations

import gc

import pytest


@pytest.fixture(autouse=True)
def heap_freezes(monkeypatch):
    """``mockxero serve`` freezes its process's heap once the book is read. Run in process here, the process
    is pytest's, whose objects it must not freeze: each freeze is recorded instead, with whether the cycle
    collector was on at that moment."""
    freezes: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(gc.isenabled()))
    return freezes
