"""Voting codes as pure functions: reading what people type, the check character, generation."""

import os

import pytest

from pb.voting.codes import alphabet

pytestmark = pytest.mark.pure

SAMPLE = alphabet.new_code(bytes(range(1, 9)))


def test_a_code_is_twelve_characters_in_three_groups_with_a_valid_check():
    assert len(SAMPLE) == 14 and SAMPLE[4] == SAMPLE[9] == "-"
    assert all(c in alphabet.ALPHABET for c in SAMPLE.replace("-", ""))
    assert alphabet.normalise(SAMPLE) == SAMPLE


def test_normalise_accepts_what_people_type():
    compact = SAMPLE.replace("-", "")
    for typed in (compact.lower(), f"  {SAMPLE.lower()} ", " ".join(compact), f"{compact[:4]} {compact[4:8]}–{compact[8:]}"):
        assert alphabet.normalise(typed) == SAMPLE, typed
    # O reads as 0, I and L as 1.
    code = next(c for c in (alphabet.new_code(os.urandom(8)) for _ in range(5000)) if c.count("1") >= 2 and "0" in c)
    assert alphabet.normalise(code.replace("0", "O").replace("1", "l", 1).replace("1", "I")) == code


@pytest.mark.parametrize("text", ["", "K7QF-9M2P-XW4", "K7QF-9M2P-XW4TT", "K7QF 9M2P XW4U", "!!!!-!!!!-!!!!", "x" * 200, None])
def test_normalise_refuses_what_is_not_a_code(text):
    assert alphabet.normalise(text) is None


def test_every_single_character_typo_is_caught():
    for raw in (bytes(range(1, 9)), os.urandom(8), os.urandom(8), b"\x00" * 8, b"\xff" * 8):
        compact = alphabet.new_code(raw).replace("-", "")
        for position in range(alphabet.LENGTH):
            for char in alphabet.ALPHABET:
                if char != compact[position]:
                    typo = compact[:position] + char + compact[position + 1 :]
                    assert alphabet.normalise(typo) is None, (compact, typo)


def test_every_adjacent_transposition_is_caught():
    for _ in range(300):
        compact = alphabet.new_code(os.urandom(8)).replace("-", "")
        for position in range(alphabet.LENGTH - 1):
            a, b = compact[position], compact[position + 1]
            if a != b:
                swapped = compact[:position] + b + a + compact[position + 2 :]
                assert alphabet.normalise(swapped) is None, (compact, swapped)


def test_the_check_catches_every_adjacent_transposition_of_every_pair_of_characters():
    # Exhaustive over characters and data positions: whatever a and b, swapping them is caught.
    base = alphabet.new_code(bytes(8)).replace("-", "")[: alphabet.DATA_LENGTH]
    for position in range(alphabet.DATA_LENGTH - 1):
        for a in alphabet.ALPHABET:
            for b in alphabet.ALPHABET:
                if a != b:
                    data = base[:position] + a + b + base[position + 2 :]
                    valid = data + alphabet.check_character(data)
                    assert alphabet.normalise(valid) is not None
                    assert alphabet.normalise(valid[:position] + b + a + valid[position + 2 :]) is None


def test_no_duplicates_over_a_hundred_thousand_codes():
    made = {alphabet.new_code(os.urandom(8)) for _ in range(100_000)}
    assert len(made) == 100_000


def test_batch_derivation_is_deterministic_per_batch_and_differs_across_batches():
    first = [alphabet.derived_code(1, "salt-a", i) for i in range(200)]
    assert first == [alphabet.derived_code(1, "salt-a", i) for i in range(200)]
    assert len(set(first)) == 200
    assert all(alphabet.normalise(c) == c for c in first)
    assert not set(first) & {alphabet.derived_code(2, "salt-a", i) for i in range(200)}
    assert not set(first) & {alphabet.derived_code(1, "salt-b", i) for i in range(200)}


def test_the_hash_is_keyed_per_round():
    assert alphabet.code_hash(1, SAMPLE) != alphabet.code_hash(2, SAMPLE)
    assert SAMPLE not in alphabet.code_hash(1, SAMPLE) and len(alphabet.code_hash(1, SAMPLE)) == 64
