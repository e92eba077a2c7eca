"""Invitations to answer the equality questions: a one-use token handed to the person's browser in
a form (never in a URL, so it is in no access log), signed under the server secret.

It names the round, the area (when known), the way the person took part and a random nonce; it
never names the person. Nothing is stored when it is given; when answers are sent with it, only
the unkeyed SHA-256 of the nonce is kept (pb_equality_spent), so it cannot be used twice, and that
hash is deleted with the sealed boxes when the round's voting closes. Pure apart from the secret.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from pb.equality.questions import ROUTE_KEYS
from pb.security import keyed_hash

VALID_DAYS = 2  # long enough to come back to after a break, short enough not to pile up
MAX_TOKEN = 400


@dataclass(frozen=True)
class Invitation:
    round_id: int
    area_id: int | None
    route: str
    nonce: str
    expires: dt.date

    @property
    def nonce_hash(self) -> str:
        return hashlib.sha256(self.nonce.encode()).hexdigest()


def invite(round_id: int, area_id: int | None, route: str, today: dt.date) -> str:
    """A fresh token for one person's answers."""
    assert route in ROUTE_KEYS
    body = json.dumps(
        {
            "r": round_id,
            "a": area_id,
            "w": route,
            "n": secrets.token_urlsafe(16),
            "e": (today + dt.timedelta(days=VALID_DAYS)).isoformat(),
        },
        separators=(",", ":"),
    ).encode()
    payload = base64.urlsafe_b64encode(body).decode("ascii").rstrip("=")
    return f"{payload}.{keyed_hash('equality-invitation', payload)}"


def read(token: object, today: dt.date) -> Invitation | None:
    """The invitation in a token, or None if it is not one pb signed, or has expired."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN or token.count(".") != 1 or not token.isascii():
        return None
    payload, signature = token.split(".")
    if not hmac.compare_digest(signature, keyed_hash("equality-invitation", payload)):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        invitation = Invitation(
            round_id=int(data["r"]),
            area_id=None if data["a"] is None else int(data["a"]),
            route=str(data["w"]),
            nonce=str(data["n"]),
            expires=dt.date.fromisoformat(data["e"]),
        )
    except (ValueError, KeyError, TypeError):
        return None
    if invitation.route not in ROUTE_KEYS or invitation.expires < today:
        return None
    return invitation
