"""Sealed ballots and cast tokens, tested directly: a box opens only under its round's key, which
comes from the server secret; receipts from a cast token are stable for that voter and nobody else."""

import dataclasses

import pytest

from pb.config import get_settings, set_settings
from pb.voting import sealing

pytestmark = pytest.mark.pure

BALLOT = sealing.Contents(area=3, receipt="ABCD-EFGH-JKLM", channel="code", choices={12: 1, 7: 2})


def test_a_box_opens_to_what_was_sealed_and_hides_it():
    box = sealing.seal(5, BALLOT)
    assert sealing.open_box(5, box) == BALLOT
    assert "ABCD" not in box and sealing.seal(5, BALLOT) != box  # a fresh nonce each time


def test_a_box_does_not_open_in_another_round_or_under_another_secret_or_when_changed():
    box = sealing.seal(5, BALLOT)
    with pytest.raises(sealing.Unreadable):
        sealing.open_box(6, box)
    tampered = box[:-4] + ("AAAA" if not box.endswith("AAAA") else "BBBB")
    with pytest.raises(sealing.Unreadable):
        sealing.open_box(5, tampered)
    real = get_settings()
    set_settings(dataclasses.replace(real, secret_key="another secret of at least thirty-two characters"))
    try:
        with pytest.raises(sealing.Unreadable):
            sealing.open_box(5, box)
    finally:
        set_settings(real)


def test_a_cast_token_gives_the_same_receipt_to_its_voter_only():
    token = sealing.new_cast_token()
    assert sealing.is_cast_token(token) and not sealing.is_cast_token("short") and not sealing.is_cast_token("²" * 22)
    first = sealing.receipt_for(5, "voter-a", token)
    assert first == sealing.receipt_for(5, "voter-a", token)
    assert first != sealing.receipt_for(5, "voter-b", token) and first != sealing.receipt_for(6, "voter-a", token)
    assert sealing.token_hash(token) != token and first not in sealing.token_hash(token)
