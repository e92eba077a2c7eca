"""Sealing a ballot at cast time, so that a copy of the database cannot tell how anyone voted.

A ballot is written, in the casting transaction, only as a sealed box: AES-256-GCM under a key for
its round derived from the server secret (never stored), with the round as associated data so a
box cannot be moved to another round. The box holds the area, the receipt, the channel and the
choices. When voting closes, pb.voting.mixing opens every box of the round, shuffles them and
writes the readable ballots in that random order, in a transaction that writes no register row,
then deletes the boxes. Pure functions of plain values (and the secret).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import TypeGuard

from pb import sealed
from pb.sealed import Unreadable
from pb.voting.ballots import new_receipt

__all__ = ["Contents", "Unreadable", "open_box", "seal"]


@dataclass(frozen=True)
class Contents:
    """What a sealed box holds: exactly what the published ballot will show."""

    area: int
    receipt: str
    channel: str
    choices: dict[int, int]  # project id -> points


PURPOSE, AAD = "ballot-seal", "round"


def _key(purpose: str, round_id: int) -> bytes:
    return sealed.round_key(purpose, round_id)


def seal(round_id: int, contents: Contents) -> str:
    """The box for these contents, as text for a database column."""
    value = {"a": contents.area, "r": contents.receipt, "c": contents.channel, "v": sorted(contents.choices.items())}
    return sealed.seal_json(PURPOSE, AAD, round_id, value)


def open_box(round_id: int, box: str) -> Contents:
    """The contents of a box of this round; raises Unreadable if it is not one."""
    data = sealed.open_json(PURPOSE, AAD, round_id, box)
    try:
        return Contents(
            area=int(data["a"]),
            receipt=str(data["r"]),
            channel=str(data["c"]),
            choices={int(project): int(points) for project, points in data["v"]},
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise Unreadable("a sealed ballot did not open") from exc


CAST_TOKEN = re.compile(r"[A-Za-z0-9_-]{22,64}")


def new_cast_token() -> str:
    """A one-use token for the review page's "Cast my vote" form (128 random bits)."""
    return secrets.token_urlsafe(16)


def is_cast_token(text: object) -> TypeGuard[str]:
    return isinstance(text, str) and CAST_TOKEN.fullmatch(text) is not None


def receipt_for(round_id: int, voter_key: str, cast_token: str) -> str:
    """The receipt of the ballot this voter cast with this token: derived under the secret, so a
    retried cast (a lost answer, a double click, a killed worker) shows the same receipt, while the
    database keeps only the token's unkeyed hash, from which neither token nor receipt can be found.
    The voter's key is part of it, so two voters sending the same token still get two receipts."""
    mac = hmac.new(_key("receipt", round_id), f"{voter_key}:{cast_token}".encode(), hashlib.sha256)
    return new_receipt(mac.digest()[:12])


def token_hash(cast_token: str) -> str:
    return hashlib.sha256(cast_token.encode()).hexdigest()
