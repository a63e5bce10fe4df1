"""The resource mixins share one namespace: two defining the same name would silently shadow each other."""

from collections import defaultdict

from mockxero.backend import RESOURCE_BACKENDS

SHARED_BY_DESIGN = {"INDEXES"}  # every mixin declares its own; all_indexes() reads each class's dict


def test_no_two_resource_mixins_define_the_same_name():
    owners = defaultdict(list)
    for mixin in RESOURCE_BACKENDS:
        for name in vars(mixin):
            if not name.startswith("__") and name not in SHARED_BY_DESIGN:
                owners[name].append(mixin.__name__)
    clashes = {name: classes for name, classes in owners.items() if len(classes) > 1}
    assert clashes == {}
