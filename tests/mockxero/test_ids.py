"""GUIDs: version-4 text exactly as ``uuid`` writes it, unique, reproducible when seeded, fresh after a fork."""

from __future__ import annotations

import os
import random
import uuid

import pytest

from mockxero.ids import IdGenerator, answer_id, is_guid, normalise_guid, v4_text


@pytest.mark.parametrize("bits", [0, 2**128 - 1, 0x0123456789ABCDEF0123456789ABCDEF])
def test_v4_text_writes_what_uuid_writes(bits):
    assert v4_text(bits.to_bytes(16, "big")) == str(uuid.UUID(int=bits, version=4))


def test_v4_text_agrees_with_uuid_on_random_bits():
    draw = random.Random(8)
    for _ in range(2000):
        bits = draw.getrandbits(128)
        assert v4_text(bits.to_bytes(16, "big")) == str(uuid.UUID(int=bits, version=4))


def test_unseeded_guids_are_version_4_and_unique_across_many_pools():
    ids = IdGenerator()
    made = [ids.guid() for _ in range(3000)]  # about twelve pools of random bytes
    assert len(set(made)) == len(made)
    for text in made[::97]:
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, text)


def test_a_seeded_generator_repeats_the_sequence_it_always_made():
    # The sequence a seed gives is part of what a seeded run reproduces: it must not change with the encoder.
    draw = random.Random("scenario:7")
    before = [str(uuid.UUID(int=draw.getrandbits(128), version=4)) for _ in range(50)]
    assert [IdGenerator("scenario:7").guid() for _ in range(1)] == before[:1]
    ids = IdGenerator("scenario:7")
    assert [ids.guid() for _ in range(50)] == before


def test_reseeding_to_none_goes_back_to_random_guids():
    ids = IdGenerator(1)
    ids.reseed(None)
    assert ids.guid() != IdGenerator(1).guid()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform (Windows), so no fork to survive")
def test_a_forked_child_does_not_repeat_its_parents_guids():
    ids = IdGenerator()
    ids.guid()  # the parent now holds a pool with 255 GUIDs still to give
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child process
        os.close(read_end)
        os.write(write_end, "".join(ids.guid() for _ in range(5)).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        from_child = pipe.read().decode()
    os.waitpid(child, 0)
    from_parent = "".join(ids.guid() for _ in range(5))
    assert len(from_child) == len(from_parent) == 5 * 36
    assert from_child != from_parent


@pytest.mark.parametrize(
    "text",
    [
        "3a1b0b4e-6a44-4c7e-9d4b-2f6c2b1e5a10",
        "3A1B0B4E-6A44-4C7E-9D4B-2F6C2B1E5A10",
        "3a1b0b4e6a444c7e9d4b2f6c2b1e5a10",
        "00000000-0000-0000-0000-000000000000",
    ],
)
def test_is_guid_takes_the_written_and_the_bare_form(text):
    assert is_guid(text)


@pytest.mark.parametrize(
    "value",
    [
        "{3a1b0b4e-6a44-4c7e-9d4b-2f6c2b1e5a10}",  # braces: uuid.UUID takes them, Xero's ids never have them
        "urn:uuid:3a1b0b4e-6a44-4c7e-9d4b-2f6c2b1e5a10",
        " 3a1b0b4e6a444c7e9d4b2f6c2b1e5a1",  # 31 digits after a space (int() would read it)
        "3a1b0b4e_6a444c7e9d4b2f6c2b1e5a1",  # 32 characters with an underscore (int() reads it as a separator)
        "3a1b0b4e-6a44-4c7e-9d4b2f6c2b1e5a10",  # three dashes
        "3a1b0b4e-6a44-4c7e-9d4b-2f6c2b1e5a1",  # 31 digits
        "3a1b0b4e-6a44-4c7e-9d4b-2f6c2b1e5a1g",
        "",
        None,
        12345,
    ],
)
def test_is_guid_refuses_anything_else(value):
    assert not is_guid(value)


def test_answer_ids_are_fresh_guids():
    made = {answer_id() for _ in range(500)}
    assert len(made) == 500 and all(is_guid(text) for text in made)


@pytest.mark.parametrize(
    "text",
    [
        "0decaf00-0000-4000-8000-00000000abcd",  # already canonical: returned as it is
        "0DECAF00-0000-4000-8000-00000000ABCD",
        "0decaf0000004000800000000000abcd",
        "{0decaf00-0000-4000-8000-00000000abcd}",
        "urn:uuid:0decaf00-0000-4000-8000-00000000ABCD",
    ],
)
def test_normalise_guid_writes_what_uuid_writes(text):
    assert normalise_guid(text) == str(uuid.UUID(text)) == "0decaf00-0000-4000-8000-00000000abcd"


@pytest.mark.parametrize("text", ["0decaf00-0000-4000-8000-00000000abc", "0decaf00-0000-4000-8000-00000000abcg", ""])
def test_normalise_guid_refuses_what_uuid_refuses(text):
    with pytest.raises(ValueError):
        normalise_guid(text)
