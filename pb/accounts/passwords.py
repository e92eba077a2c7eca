"""argon2id password hashing, run in a bounded pool of worker threads: a hash never blocks the event
loop, and a rush of sign-ins cannot take every core from the pages.

Parameters: the OWASP Password Storage Cheat Sheet's recommended set m=19 MiB, t=2, p=1 (equal in
strength to its others). It costs about a fifth of the CPU of argon2-cffi's default (64 MiB, t=3,
p=4) that pb used before; a hash made with other parameters is made again at the next sign-in
(`needs_rehash`), so accounts move over as people sign in.
"""

from __future__ import annotations

import os
from functools import cache

import anyio
import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from pb.config import get_settings

MIN_LENGTH = 10
MAX_LENGTH = 256


@cache
def _hasher(profile: str) -> PasswordHasher:
    if profile == "test":
        # Cheap parameters for the test suite only; production refuses this profile.
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)  # argon2id (OWASP)


def hasher() -> PasswordHasher:
    return _hasher(get_settings().argon2_profile)


# One hashing thread per core, at most, per worker process; other work keeps anyio's own threads.
HASHING_THREADS = max(1, (os.cpu_count() or 1))
_limiter: anyio.CapacityLimiter | None = None


def _pool() -> anyio.CapacityLimiter:
    global _limiter
    if _limiter is None:
        _limiter = anyio.CapacityLimiter(HASHING_THREADS)
    return _limiter


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(hasher().hash, password, limiter=_pool())


async def verify_password(stored_hash: str, password: str) -> bool:
    def check() -> bool:
        try:
            return hasher().verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    return await anyio.to_thread.run_sync(check, limiter=_pool())


def needs_rehash(stored_hash: str) -> bool:
    """Whether a stored hash was made with other parameters than today's (then hash it again)."""
    try:
        return hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


# Parameters that stored hashes may still carry until their next sign-in (argon2-cffi's defaults,
# which pb used until 2026-12). A failed sign-in checks against a dummy hash of each set it did not
# use, so its time says nothing about whether the account exists or how old its hash is.
LEGACY: dict[str, list[PasswordHasher]] = {"standard": [PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4)]}
_DUMMY: dict[tuple[str, int], str] = {}


async def _dummy(profile: str, which: int) -> str:
    """A fixed hash of a password nobody has: which = -1 for today's parameters, else LEGACY[which]."""
    key = (profile, which)
    if key not in _DUMMY:
        maker = hasher() if which < 0 else LEGACY[profile][which]
        _DUMMY[key] = await anyio.to_thread.run_sync(maker.hash, "not-a-real-password", limiter=_pool())
    return _DUMMY[key]


def _parameter_set(stored_hash: str) -> int | None:
    """-1 if a hash has today's parameters, i if LEGACY[i]'s, None if neither."""
    if not needs_rehash(stored_hash):
        return -1
    for i, legacy in enumerate(LEGACY.get(get_settings().argon2_profile, [])):
        try:
            if not legacy.check_needs_rehash(stored_hash):
                return i
        except InvalidHashError:
            return None
    return None


async def burn_time(password: str, stored_hash: str | None = None) -> None:
    """After a failed check against `stored_hash` (None: no account), check against a dummy hash of
    every parameter set that check did not use: every failure then costs the same."""
    profile = get_settings().argon2_profile
    used = _parameter_set(stored_hash) if stored_hash is not None else None
    for which in range(-1, len(LEGACY.get(profile, []))):
        if which != used:
            await verify_password(await _dummy(profile, which), password)
