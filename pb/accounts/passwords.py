"""argon2id password hashing, run in a worker thread so a hash never blocks the event loop."""

from __future__ import annotations

from functools import cache

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
    return PasswordHasher()  # argon2id, t=3, 64 MiB, p=4


def hasher() -> PasswordHasher:
    return _hasher(get_settings().argon2_profile)


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(hasher().hash, password)


async def verify_password(stored_hash: str, password: str) -> bool:
    def check() -> bool:
        try:
            return hasher().verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    return await anyio.to_thread.run_sync(check)


# A fixed hash to verify against when no account matches, so timing does not reveal which emails exist.
_DUMMY: dict[str, str] = {}


async def burn_time(password: str) -> None:
    profile = get_settings().argon2_profile
    if profile not in _DUMMY:
        _DUMMY[profile] = await hash_password("not-a-real-password")
    await verify_password(_DUMMY[profile], password)
