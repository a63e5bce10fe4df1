"""The source adapter seam: the file format is one implementation; the engine needs only name and load."""

from pathlib import Path

import pytest

from syncer.source.adapter import FileSource, SourceAdapter
from syncer.source.files import SourceError, load_book

EXAMPLE = Path(__file__).resolve().parents[3] / "contracts" / "examples" / "billing-source.two-currencies.example.yaml"


def test_a_file_source_is_an_adapter_named_by_its_path_and_loads_the_whole_book():
    source = FileSource(EXAMPLE)
    assert isinstance(source, SourceAdapter)
    assert source.name == str(EXAMPLE)
    assert source.load() == load_book(EXAMPLE)


def test_a_file_source_with_a_bad_file_raises_the_source_error(tmp_path):
    path = tmp_path / "book.yaml"
    path.write_text("format_version: 3\n")
    with pytest.raises(SourceError, match=r"book.yaml:1: format_version must be 1"):
        FileSource(path).load()


def test_an_object_without_load_is_not_an_adapter():
    class NameOnly:
        name = "platform"

    assert not isinstance(NameOnly(), SourceAdapter)
