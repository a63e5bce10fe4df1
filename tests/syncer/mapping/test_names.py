from syncer.mapping.names import sanitise_name, unique_contact_names
from tests.syncer.mapping.helpers import customer


def test_names_are_trimmed_and_control_characters_removed():
    assert sanitise_name("  Acme\tLtd\r\n Trading\x00\x07 ") == "Acme Ltd Trading"


def test_names_are_cut_to_xeros_255_characters():
    assert sanitise_name("x" * 300) == "x" * 255
    assert sanitise_name("a" * 254 + " b") == "a" * 254  # the cut leaves no trailing space


def test_a_name_of_control_characters_only_sanitises_to_nothing():
    assert sanitise_name("\x00\x1f\x7f") == ""


def test_distinct_names_are_kept():
    names = unique_contact_names([customer("cus_1", "Acme"), customer("cus_2", "Beta")])
    assert names == {"cus_1": "Acme", "cus_2": "Beta"}


def test_clashing_names_are_told_apart_by_id_whatever_order_the_records_come_in():
    records = [customer("cus_3", "ACME "), customer("cus_1", "Acme"), customer("cus_2", "acme\n")]
    expected = {"cus_1": "Acme", "cus_2": "acme (cus_2)", "cus_3": "ACME (cus_3)"}
    assert unique_contact_names(records) == expected
    assert unique_contact_names(reversed(records)) == expected


def test_the_suffix_fits_within_255_characters():
    names = unique_contact_names([customer("cus_1", "n" * 255), customer("cus_2", "n" * 255)])
    assert names["cus_2"] == "n" * 247 + " (cus_2)"
    assert len(names["cus_2"]) == 255


def test_a_name_already_used_by_a_generated_suffix_gets_a_counter():
    records = [customer("cus_1", "Acme"), customer("cus_2", "Acme"), customer("cus_3", "Acme (cus_2)")]
    assert unique_contact_names(records)["cus_3"] == "Acme (cus_2) (cus_3)"
    records = [customer("a", "Acme (b)"), customer("b", "Acme"), customer("c", "Acme")]
    assert unique_contact_names(records) == {"a": "Acme (b)", "b": "Acme", "c": "Acme (c)"}


def test_names_held_by_other_xero_contacts_are_avoided():
    assert unique_contact_names([customer("cus_1", "Acme")], reserved=["ACME"]) == {"cus_1": "Acme (cus_1)"}


def test_deleted_and_nameless_customers_take_no_name():
    records = [customer("cus_1", "Acme", deleted=True), customer("cus_2", "Acme"), customer("cus_3", "\x00")]
    assert unique_contact_names(records) == {"cus_2": "Acme"}
