"""Sealed boxes: what must not be readable from a copy of the database until it has been mixed.

A box is AES-256-GCM under a key for one purpose and one round, derived from the server secret
(never stored), with the purpose and round as associated data, so a box cannot be moved to another
round or read as something else. The ballots (pb.voting.sealing) and the equality answers
(pb.equality.answers) are written only as boxes and opened, shuffled and written readable, with
nothing that orders or dates them, when the round's voting closes. One design, used twice.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pb.config import get_settings

NONCE_BYTES = 12


class Unreadable(Exception):
    """A box that does not open under its round's key (tampered with, moved, or another secret)."""


def round_key(purpose: str, round_id: int) -> bytes:
    secret = get_settings().secret_key.encode()
    return hmac.new(secret, f"{purpose}:{round_id}".encode(), hashlib.sha256).digest()


def seal_json(purpose: str, aad: str, round_id: int, value: Any) -> str:
    """The box for this JSON value, as text for a database column (a fresh nonce each time)."""
    plain = json.dumps(value, separators=(",", ":")).encode()
    nonce = os.urandom(NONCE_BYTES)
    box = AESGCM(round_key(purpose, round_id)).encrypt(nonce, plain, f"{aad}:{round_id}".encode())
    return base64.b64encode(nonce + box).decode("ascii")


def open_json(purpose: str, aad: str, round_id: int, sealed: str) -> Any:
    """The value in a box of this purpose and round; raises Unreadable if it is not one."""
    try:
        raw = base64.b64decode(sealed.encode("ascii"), validate=True)
        plain = AESGCM(round_key(purpose, round_id)).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], f"{aad}:{round_id}".encode())
        return json.loads(plain)
    except (InvalidTag, ValueError, TypeError, UnicodeEncodeError) as exc:
        raise Unreadable("a sealed box did not open") from exc
