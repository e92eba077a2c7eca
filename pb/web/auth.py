"""Who is asking, and guards as tiny named functions: the base every capability's routes use.

The accounts capability loads the signed-in person (one query for user and roles) into the scope
as a `CurrentUser`; handlers read it as `request.user` (None when nobody is signed in). Guards go on
routers, one router per audience, rather than on each handler.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

ROLES = ("resident", "facilitator", "moderator", "officer", "admin")


class SignInRequired(Exception):
    """Raised by a guard when the page needs a signed-in person; answered with a redirect."""


@dataclass(frozen=True)
class CurrentUser:
    id: int
    name: str
    email: str
    language: str
    roles: frozenset[str] = field(default_factory=frozenset)

    def has_role(self, role: str) -> bool:
        """Admins can do everything any other role can."""
        return role in self.roles or "admin" in self.roles

    def __getitem__(self, key: str) -> Any:
        # Templates and older code read the user as a mapping (user["name"]).
        return getattr(self, key)


def has_role_in(roles: frozenset[str], role: str) -> bool:
    return role in roles or "admin" in roles


def current_user(connection: ASGIConnection) -> CurrentUser | None:
    user = connection.scope.get("user")
    return user if isinstance(user, CurrentUser) else None


def user_id(connection: ASGIConnection) -> int | None:
    user = current_user(connection)
    return user.id if user else None


def signed_in_person(connection: ASGIConnection) -> CurrentUser:
    """The signed-in person, on a route whose guard already requires one."""
    user = current_user(connection)
    if user is None:
        raise SignInRequired()
    return user


def signed_in_id(connection: ASGIConnection) -> int:
    """The signed-in person's id, on a route whose guard already requires one."""
    user = current_user(connection)
    if user is None:
        raise SignInRequired()
    return user.id


def roles_of(connection: ASGIConnection) -> frozenset[str]:
    """The signed-in person's roles (none when signed out)."""
    user = current_user(connection)
    return user.roles if user else frozenset()


def signed_in(connection: ASGIConnection, _: BaseRouteHandler | None = None) -> None:
    if current_user(connection) is None:
        raise SignInRequired()


def requires_role(role: str):
    def guard(connection: ASGIConnection, handler: BaseRouteHandler | None = None) -> None:
        user = current_user(connection)
        if user is None:
            raise SignInRequired()
        if not user.has_role(role):
            raise PermissionDeniedException()

    guard.__name__ = f"requires_{role}"
    return guard


# One guard per audience, defined once; routers use these.
facilitator = requires_role("facilitator")
moderator = requires_role("moderator")
officer = requires_role("officer")
admin = requires_role("admin")


def staff(connection: ASGIConnection, _: BaseRouteHandler | None = None) -> None:
    """Facilitators and officers (paper ballots, sessions): either role will do."""
    user = current_user(connection)
    if user is None:
        raise SignInRequired()
    if not (user.has_role("facilitator") or user.has_role("officer")):
        raise PermissionDeniedException()
