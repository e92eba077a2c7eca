"""CSRF tokens bound to the signed-in session, and rotated when anyone signs in or out.

Litestar's CSRF middleware checks that a form's token matches the CSRF cookie (double submit). That
alone does not tie the pair to a session: someone able to plant a cookie in a browser (a sibling
subdomain, a shared computer) could give a victim a pair they know. So signing in issues a fresh
CSRF cookie and keeps its hash in the new session, and every state-changing request of a signed-in
session must carry that very cookie (`bound_to_session`, a guard on the whole app). Signing out
drops the cookie; the next page gets a new one."""

from __future__ import annotations

import hashlib
from secrets import compare_digest

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.csrf import generate_csrf_token
from litestar.response import Response

from pb.config import get_settings
from pb.web.auth import SignInRequired
from pb.web.sessions import SESSION_TTL

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SESSION_KEY = "csrf"


def cookie_name() -> str:
    return "__Host-pb_csrf" if get_settings().production else "pb_csrf"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_for_session(response: Response, session: dict) -> None:
    """A fresh CSRF cookie on this response, bound to the session (call where the session is rotated
    at sign-in or a password change)."""
    token = generate_csrf_token(secret=get_settings().secret_key)
    secure = get_settings().production
    # As long-lived as the session's cookie: a browser restart keeps both, or neither.
    response.set_cookie(
        cookie_name(), token, path="/", httponly=True, samesite="lax", secure=secure, max_age=int(SESSION_TTL.total_seconds())
    )
    session[SESSION_KEY] = _hash(token)


def forget(response: Response) -> None:
    """Drop the CSRF cookie (at sign-out): the next page issues a new one."""
    response.delete_cookie(cookie_name(), path="/")


def bound_to_session(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """A state-changing request of a signed-in session must carry the CSRF cookie issued to it. One
    that does not is not sent on: the session ends and the person is asked to sign in again (so a
    lost cookie never leaves anyone stuck). Sessions from before binding (no hash) sign in again
    at their next sign-in as usual."""
    if connection.scope.get("method", "GET") in SAFE_METHODS or handler.opt.get("exclude_from_csrf"):
        return
    session = connection.scope.get("session")
    if not isinstance(session, dict) or not session.get("user_id"):
        return  # signed out: the double-submit check alone, as there is no session to bind to
    expected = session.get(SESSION_KEY)
    if expected is None:
        return  # a session from before binding; the next sign-in binds it
    cookie = connection.cookies.get(cookie_name())
    if not isinstance(expected, str) or not cookie or not compare_digest(_hash(cookie), expected):
        session.clear()  # saved as empty by the session middleware: this session is over
        raise SignInRequired()
