"""An equality invitation travels from the form that earned it (a vote cast, a proposal submitted, a
place at a session taken) to the page shown next, in a short-lived HttpOnly cookie.

Never in a URL, so no access log or shared link holds it; and issued by the POST, so a GET writes
nothing: a reload, a bookmark or a crawler opening the page after cannot record or spend the
person's one invitation per round. The next page reads it once and deletes it.
"""

from __future__ import annotations

from typing import TypeVar

from litestar import Request, Response

from pb.config import get_settings
from pb.equality import invitations
from pb.rounds.queries import today

COOKIE = "pb_equality_invitation"
MAX_AGE = 600  # seconds: enough to follow the redirect, not a standing offer on a shared computer

R = TypeVar("R", bound=Response)


def hand_over(response: R, invitation: str) -> R:
    """Give the browser the invitation (if there is one) with the redirect to the next page."""
    if invitation:
        secure = get_settings().production
        response.set_cookie(COOKIE, invitation, max_age=MAX_AGE, path="/", httponly=True, samesite="lax", secure=secure)
    return response


def offered(request: Request, round_id: int) -> str:
    """The invitation handed over for this round, or "" (none, forged, expired or another round's)."""
    token = request.cookies.get(COOKIE, "")
    read = invitations.read(token, today())
    return token if read is not None and read.round_id == round_id else ""


def taken(request: Request, response: R) -> R:
    """Shown once: the next person at a shared computer is not offered someone else's invitation.
    Only a browser that holds one is told to forget it (other views carry no Set-Cookie)."""
    if COOKIE in request.cookies:
        response.delete_cookie(COOKIE, path="/")
    return response
