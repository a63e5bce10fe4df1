"""The JSON values the fuzz tests send: scalars nested into lists and objects keyed by a resource's own fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st


def nested_json(scalars: st.SearchStrategy[Any], keys: Sequence[str], max_leaves: int = 10) -> st.SearchStrategy[Any]:
    """Scalars, and lists and objects of them; object keys come from ``keys`` so bodies reach the field rules."""
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(list(keys)), inner, max_size=4),
        max_leaves=max_leaves,
    )
