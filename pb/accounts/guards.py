"""Who is signed in, and guards as tiny named functions for route handlers."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from pb.accounts.tables import User, UserRole


class SignInRequired(Exception):
    """Raised by a guard when the page needs a signed-in person; answered with a redirect."""


class CurrentUserMiddleware:
    """Loads the signed-in person and their roles into the scope, after the session middleware."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            session = scope.get("session") or {}
            user_id = session.get("user_id") if isinstance(session, dict) else None
            scope["pb.user"] = None
            scope["pb.roles"] = frozenset()
            if isinstance(user_id, int):
                user = await User.select(User.id, User.name, User.email, User.language, User.session_version).where(
                    (User.id == user_id) & (User.is_active == True)  # noqa: E712
                ).first()
                # A session made before the account's last password reset or change is signed out
                # (and dropped from the store). Sessions from before session versions existed count as 0.
                if user and session.get("session_version", 0) != user.pop("session_version"):
                    session.clear()
                    user = None
                if user:
                    scope["pb.user"] = user
                    scope["pb.roles"] = frozenset(
                        row["role"] for row in await UserRole.select(UserRole.role).where(UserRole.user == user_id)
                    )
        await self.app(scope, receive, send)


def has_role(roles: frozenset[str], role: str) -> bool:
    return role in roles or "admin" in roles


def signed_in(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    if not connection.scope.get("pb.user"):
        raise SignInRequired()


def requires_role(role: str):
    def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
        signed_in(connection, handler)
        if not has_role(connection.scope.get("pb.roles", frozenset()), role):
            raise PermissionDeniedException()

    guard.__name__ = f"requires_{role}"
    return guard


admin_only = requires_role("admin")
