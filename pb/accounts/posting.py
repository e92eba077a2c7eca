"""Posting limits: the one check every action that posts a comment, report or proposal makes, inside
its own transaction, before its insert (rules.POSTING_POLICIES says how many, and why)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from pb.accounts import rules
from pb.accounts.tables import User, UserRole
from pb.db import for_update
from pb.refusal import Refusal


class TooMany(Refusal):
    """The person has posted as many items of this kind as the limit allows for now."""

    status_code = 429


async def check_posting(user_id: int, kind: str, count_since: Callable[[datetime], Awaitable[int]]) -> None:
    """Refuse with TooMany if `user_id` may not post one more `kind` now. Call inside the posting
    transaction: the person's row is locked first, so that their simultaneous posts queue behind one
    another and each counts the ones before it (a count without the lock let concurrent posts past)."""
    await for_update(User.select(User.id).where(User.id == user_id)).first()
    roles = frozenset(row["role"] for row in await UserRole.select(UserRole.role).where(UserRole.user == user_id))
    policy = rules.POSTING_POLICIES[kind]
    recent = await count_since(datetime.now(UTC) - policy.window)
    if not rules.may_post(recent, roles, policy):
        raise TooMany(rules.POSTING_REFUSALS[kind])
