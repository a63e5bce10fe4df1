"""Behaviour the application factory adds around every request."""

from __future__ import annotations

from mockxero.config import MAX_BODY_BYTES


def test_an_oversized_body_is_refused_before_the_id_is_looked_up(xero):
    response = xero.post(
        "/Contacts/0decaf00-0000-4000-8000-000000000000",
        data=b"x" * (MAX_BODY_BYTES + 1),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json["Title"] == "Payload Too Large"
    assert response.json["Detail"] == "The request body is larger than the 3.5 MB Xero accepts in one call"


def test_a_body_at_the_limit_reaches_the_api(xero):
    response = xero.post(
        "/Contacts/0decaf00-0000-4000-8000-000000000000",
        data=b"x" * MAX_BODY_BYTES,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 404
