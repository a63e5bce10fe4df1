"""The resource mixins share one namespace: two defining the same name would silently shadow each other."""

from collections import defaultdict
from typing import Protocol

from mockxero.backend import RESOURCE_BACKENDS, AccountingBackend
from mockxero.backend.books import Books

SHARED_BY_DESIGN = {"INDEXES"}  # every mixin declares its own; all_indexes() reads each class's dict


def test_no_two_resource_mixins_define_the_same_name():
    owners = defaultdict(list)
    for mixin in RESOURCE_BACKENDS:
        for name in vars(mixin):
            if not name.startswith("__") and name not in SHARED_BY_DESIGN:
                owners[name].append(mixin.__name__)
    clashes = {name: classes for name, classes in owners.items() if len(classes) > 1}
    assert clashes == {}


def _providers(name: str) -> list[str]:
    return [mixin.__name__ for mixin in AccountingBackend.__mro__ if name in vars(mixin)]


def test_every_cross_resource_call_books_declares_has_a_provider():
    declared = [name for name in vars(Books) if not name.startswith("__") and name not in vars(Protocol)]
    assert "base_currency" in declared and "post_journal" in declared
    missing = [name for name in declared if not _providers(name)]
    assert missing == []


def test_a_name_books_does_not_declare_has_no_provider_found():
    assert _providers("no_such_rule") == []
