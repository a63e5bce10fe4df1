"""page/pageSize: defaults, limits and the pagination block."""

from __future__ import annotations

import pytest

from mockxero.exceptions import QueryParseException
from mockxero.query.paging import PageRequest, page_request


def test_no_page_and_no_page_size_means_unpaged():
    assert page_request(None, None) is None
    assert page_request(" ", "") is None


@pytest.mark.parametrize(
    "page, size, expected",
    [
        ("1", None, PageRequest(1, 100)),
        ("3", None, PageRequest(3, 100)),
        ("2", "250", PageRequest(2, 250)),
        (None, "10", PageRequest(1, 10)),  # pageSize alone pages from page 1
        ("0", None, PageRequest(1, 100)),  # below 1 means the first page
        ("-4", None, PageRequest(1, 100)),
        ("1", "1000", PageRequest(1, 1000)),
        ("1", "1001", PageRequest(1, 1000)),  # Xero's ceiling
        ("1", "0", PageRequest(1, 100)),  # below 1 means the default
        ("1", "-5", PageRequest(1, 100)),
        (" 2 ", "+7", PageRequest(2, 7)),
    ],
)
def test_page_and_page_size_edges(page, size, expected):
    assert page_request(page, size) == expected


@pytest.mark.parametrize(
    "page, size, message",
    [
        ("two", None, "The value 'two' is not valid for page."),
        ("1.5", None, "The value '1.5' is not valid for page."),
        ("1", "ten", "The value 'ten' is not valid for pageSize."),
        ("1", "٣", "The value '٣' is not valid for pageSize."),
        ("99999999999", None, "The value '99999999999' is not valid for page."),
    ],
)
def test_non_numeric_page_values_are_query_errors(page, size, message):
    with pytest.raises(QueryParseException) as caught:
        page_request(page, size)
    assert caught.value.message == message


@pytest.mark.parametrize("count, expected_pages", [(0, 0), (1, 1), (100, 1), (101, 2), (200, 2), (201, 3)])
def test_pagination_block_counts_pages(count, expected_pages):
    assert PageRequest(2, 100).pagination(count) == {
        "page": 2,
        "pageSize": 100,
        "pageCount": expected_pages,
        "itemCount": count,
    }
