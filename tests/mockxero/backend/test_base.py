"""What every backend shares: records remember the app that created them (for createdByMyApp)."""

from __future__ import annotations

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID
from mockxero.records import CREATED_BY_APP


def stored_contact(emulator, contact_id: str) -> dict:
    return emulator.store.get(f"{DEFAULT_TENANT_ID}:Contacts", contact_id)


def test_the_first_save_stamps_the_calling_app_and_later_saves_keep_it(emulator):
    with emulator.store.transaction():
        created = emulator.backend(DEFAULT_TENANT_ID, "app-1").create_contact({"Name": "Acme"})
        emulator.backend(DEFAULT_TENANT_ID, "app-2").update_contact(created["ContactID"], {"Name": "Acme 2"})
    record = stored_contact(emulator, created["ContactID"])
    assert record["Name"] == "Acme 2"
    assert record[CREATED_BY_APP] == "app-1"


def test_records_saved_by_the_mock_itself_carry_no_app(emulator):
    with emulator.store.transaction():
        created = emulator.backend(DEFAULT_TENANT_ID).create_contact({"Name": "Seeded"})
    assert CREATED_BY_APP not in stored_contact(emulator, created["ContactID"])


def test_the_api_stamps_the_token_client_and_never_shows_it(xero, emulator):
    response = xero.put("/Contacts", {"Contacts": [{"Name": "Acme"}]})
    contact = response.json["Contacts"][0]
    assert CREATED_BY_APP not in contact
    assert CREATED_BY_APP not in xero.get("/Contacts").get_data(as_text=True)
    assert stored_contact(emulator, contact["ContactID"])[CREATED_BY_APP] == DEFAULT_CLIENT_ID
