from syncer.source.locations import Locations, locate

TEXT = """\
top: 1
items:
  - id: a
    name: first
  - {id: b, name: second, name: again}
top: 2
"""


def test_every_key_and_list_entry_has_its_line_and_each_record_its_written_id():
    located = locate(TEXT)
    assert located.lines[("top",)] == 1
    assert located.lines[("items", 0)] == 3
    assert located.lines[("items", 0, "name")] == 4
    assert located.lines[("items", 1, "name")] == 5
    assert located.ids == {("items", 0): "a", ("items", 1): "b"}


def test_a_repeated_key_is_listed_with_the_line_it_repeats_on_and_its_first_line_is_kept():
    located = locate(TEXT)
    assert located.duplicates == ((("items", 1, "name"), 5), (("top",), 6))
    assert located.lines[("top",)] == 1


def test_line_falls_back_through_the_paths_given():
    located = locate(TEXT)
    assert located.line(("items", 0, "missing"), ("items", 0)) == 3
    assert located.line(("nowhere",)) is None


def test_json_is_located_by_the_same_composer():
    assert locate('{"a": {"b": [1,\n 2]}}').lines[("a", "b", 1)] == 2


def test_a_file_the_composer_cannot_read_has_no_locations():
    assert locate("{\tbad: [") == Locations()
