"""Voting codes: pure functions, no I/O.

A code is 12 characters from Crockford's base-32 alphabet (no I, L, O or U, so nothing reads as
another character), printed in three groups of four: `K7QF-9M2P-XW4T`. Eleven characters are random
(55 bits); the twelfth is a check character, so a typo is caught before any database lookup.

The check is a weighted sum over the field GF(32): character i (0-based) has weight α^(11-i), the
check character has weight α^0 = 1, and the weighted sum of a valid code is zero. Every weight is
distinct and non-zero, so
- changing one character changes the sum by (difference)·(weight) ≠ 0: every single typo is caught;
- swapping two adjacent different characters a, b changes it by (a+b)·(w_i+w_(i+1)) ≠ 0 (in a field
  of characteristic 2, + is -): every adjacent transposition is caught.
"""

from __future__ import annotations

import re

from pb.security import keyed_hash

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32
VALUE = {char: index for index, char in enumerate(ALPHABET)}
# What people type for what they read: O is 0, I and L are 1 (Crockford's reading rules).
CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
LENGTH = 12
DATA_LENGTH = LENGTH - 1
SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.]+")

# GF(32) with the primitive polynomial x^5 + x^2 + 1.
_POLY = 0b100101
_EXP = [0] * 62
_value = 1
for _power in range(31):
    _EXP[_power] = _EXP[_power + 31] = _value
    _value <<= 1
    if _value & 0b100000:
        _value ^= _POLY
_LOG = {v: p for p, v in enumerate(_EXP[:31])}


def _times(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


def _weights() -> list[int]:
    return [_EXP[LENGTH - 1 - position] for position in range(LENGTH)]  # α^11 … α^0


WEIGHTS = _weights()


def _syndrome(values: list[int]) -> int:
    total = 0
    for value, weight in zip(values, WEIGHTS, strict=False):
        total ^= _times(value, weight)
    return total


def check_character(data: str) -> str:
    """The twelfth character for eleven data characters: makes the weighted sum zero."""
    values = [VALUE[c] for c in data] + [0]
    return ALPHABET[_syndrome(values)]  # the check's weight is 1, so it must equal the rest's sum


def _grouped(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def new_code(random_bytes: bytes) -> str:
    """A printed code like 'K7QF-9M2P-XW4T' from at least 7 random bytes (55 bits are used)."""
    if len(random_bytes) < 7:
        raise ValueError("a voting code needs at least 7 random bytes")
    value = int.from_bytes(random_bytes[:7], "big")
    chars = []
    for _ in range(DATA_LENGTH):
        value, index = divmod(value, 32)
        chars.append(ALPHABET[index])
    data = "".join(chars)
    return _grouped(data + check_character(data))


def normalise(text: str) -> str | None:
    """What someone typed, as the printed code, or None if it is not a well-formed code (wrong
    length, a character not in the alphabet, or a check character that does not match)."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    compact = SEPARATORS.sub("", text.strip()).upper().translate(CONFUSABLE)
    if len(compact) != LENGTH or any(c not in VALUE for c in compact):
        return None
    if _syndrome([VALUE[c] for c in compact]) != 0:
        return None
    return _grouped(compact)


def code_hash(round_id: int, code: str) -> str:
    """The keyed hash stored for a code (the code itself is never stored). `code` is normalised."""
    return keyed_hash("voting-code", f"{round_id}:{code}")


def derived_code(batch_id: int, salt: str, index: int) -> str:
    """The index-th code of a batch, derived from the server secret and the batch's random salt:
    so the council can print (or reprint) a batch's letters until it is sealed, while the database
    alone, which holds only the salt and the codes' keyed hashes, reveals no code."""
    digest = keyed_hash("voting-code-batch", f"voting-code-batch:{batch_id}:{salt}:{index}")
    return new_code(bytes.fromhex(digest))
