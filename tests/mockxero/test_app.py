"""Behaviour the application factory adds around every request."""

from __future__ import annotations

from unittest import mock

import pytest
from flask import Flask

from mockxero.app import create_app
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


def test_each_view_is_asked_once_whether_it_needs_wrapping_and_coroutines_still_go_to_flask():
    app = create_app({"testing": True})
    asked: list[object] = []
    original = Flask.ensure_sync

    def counting(self, func):
        asked.append(func)
        return original(self, func)

    def plain_view():
        return "plain"

    async def coroutine_view():
        return "from a coroutine"

    app.add_url_rule("/plain", view_func=plain_view)
    client = app.test_client()
    with mock.patch.object(Flask, "ensure_sync", counting):
        answers = [client.get("/plain").get_data(as_text=True) for _ in range(3)]
        # Flask's own answer for a coroutine (here: it needs the 'async' extra), not a cached plain call
        with pytest.raises(RuntimeError, match="async"):
            app.ensure_sync(coroutine_view)
    assert answers == ["plain", "plain", "plain"]
    assert asked.count(plain_view) == 1
