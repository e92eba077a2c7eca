"""Keyed hashes under the server secret, for tokens, session ids and throttle keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from pb.config import get_settings


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 of value under the server secret, separated by purpose. Hex, 64 characters."""
    key = hashlib.sha256(f"{purpose}:{get_settings().secret_key}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)
