"""What counts as a secret in report text, and what is left alone so the sentence still says what happened."""

import pytest

from scenarios.reports.redaction import redact

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjbGllbnQifQ.c2lnbmF0dXJl"
HEX = "0123456789abcdef" * 4


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"Authorization: Bearer {JWT}", "Authorization: [redacted]"),
        (
            "headers={'Authorization': 'Basic Y2xpZW50OnNlY3JldA=='}, next",
            "headers={'Authorization': '[redacted]'}, next",
        ),
        (f"sent bearer {JWT} and failed", "sent bearer [redacted] and failed"),
        (f'{{"access_token": "{JWT}", "expires_in": 1800}}', '{"access_token": "[redacted]", "expires_in": 1800}'),
        (
            f"grant_type=refresh_token&refresh_token={HEX}&client_id=C1",
            "grant_type=refresh_token&refresh_token=[redacted]&client_id=C1",
        ),
        ("client_secret: hunter2-long rest", "client_secret: [redacted] rest"),
        ("{'id_token': 'abc'}", "{'id_token': '[redacted]'}"),
        ("password=pa55;user=u", "password=[redacted];user=u"),
        (f"token was {JWT}.", "token was [redacted]."),
        (f"opaque {HEX} end", "opaque [redacted] end"),
        ("API_KEY=xyz", "API_KEY=[redacted]"),
    ],
)
def test_credentials_are_replaced_and_the_rest_of_the_text_kept(text, shown):
    assert redact(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "contact 989374d3-3047-48f1-b065-df07600c7a48 has no invoice",  # a Xero id is a GUID, not a secret
        "{'Code': '091', 'Name': 'Clearing'}",  # an account code is not an authorization code
        "clearing account 091 nets to 3.20",
        'WWW-Authenticate: Bearer error="invalid_token"',  # a challenge's reason says why a call failed
        "   9 PUT /api.xro/2.0/Payments → 200",
        "deadbeef" * 4,  # 32 hex digits: shorter than an opaque token
        "the token expired; refreshed it",
    ],
)
def test_text_without_a_credential_is_unchanged(text):
    assert redact(text) == text
