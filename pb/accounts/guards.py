"""Loads who is signed in into every request, in one query for the person and their roles.

Handlers read `request.user` (a pb.web.auth.CurrentUser, or None). The guards themselves live in
pb.web.auth, the base every capability builds on.
"""

from __future__ import annotations

from typing import Any

from litestar.types import ASGIApp, Receive, Scope, Send

from pb.accounts.tables import User
from pb.web.auth import CurrentUser, SignInRequired, has_role_in, requires_role, signed_in
from pb.web.sessions import PERSON_ROWS

__all__ = ["CurrentUserMiddleware", "SignInRequired", "has_role", "requires_role", "signed_in"]

_WHO = (
    "SELECT u.id, u.name, u.email, u.language, u.session_version, r.role FROM pb_user u "
    'LEFT JOIN pb_user_role r ON r."user" = u.id WHERE u.id = {} AND u.is_active = {}'
)


async def load_user(user_id: int, session_version: int) -> CurrentUser | None:
    """The active person with this id and their roles, if the session is as new as their password."""
    return person_from(await User.raw(_WHO, user_id, True), user_id, session_version)


def person_from(rows: list[dict[str, Any]], user_id: int, session_version: int) -> CurrentUser | None:
    """The person in these rows (one per role), if they are this id and the session is as new as
    their password."""
    if not rows or rows[0]["id"] != user_id or rows[0]["session_version"] != session_version:
        return None
    first = rows[0]
    return CurrentUser(
        id=first["id"],
        name=first["name"],
        email=first["email"],
        language=first["language"],
        roles=frozenset(row["role"] for row in rows if row["role"]),
    )


class CurrentUserMiddleware:
    """Puts the signed-in person into the scope (`request.user`), after the session middleware."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            found = scope.get("session")
            session: dict[str, Any] = found if isinstance(found, dict) else {}
            user_id = session.get("user_id")
            user = None
            if isinstance(user_id, int):
                # A session made before the account's last password reset or change is signed out
                # (and dropped from the store). Sessions from before session versions existed count as 0.
                version = session.get("session_version", 0)
                rows = scope.get(PERSON_ROWS)  # read with the session, where the store could
                user = person_from(rows, user_id, version) if isinstance(rows, list) else await load_user(user_id, version)
                if user is None:
                    session.clear()
            scope["user"] = user
            scope["auth"] = None
        await self.app(scope, receive, send)


def has_role(roles: frozenset[str], role: str) -> bool:
    return has_role_in(roles, role)
