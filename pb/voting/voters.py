"""Who is voting on this request: an assisted voter at a kiosk, a voting code held in the session, or
the signed-in account. Each gives the same ballot journey a voter key, a channel and, where the way
in already settled it, a fixed area.

The session never holds a plain voting code: only the code's id. A kiosk session holds the voter
(a code id or an account id), the facilitator who opened it and when it was last used; it is
forgotten after casting, on "Cancel", or after KIOSK_IDLE without activity (checked here, on the
server, on every request).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from litestar import Request

from pb.accounts.guards import has_role
from pb.voting import actions
from pb.voting.codes import actions as code_actions
from pb.web.auth import current_user, roles_of, signed_in_person

# The receipt goes to the done page in a short-lived cookie on the voter's own browser: never in the
# server-side session (stored next to the account), nor in a URL (which proxies log).
RECEIPT_COOKIE = "pb_receipt"
CODE_KEY = "voting_code"
KIOSK_KEY = "kiosk"
# Set when a facilitator first opens a kiosk in this session, and kept until they sign out: from
# then on the signed-in account never votes on these pages, so a ballot re-sent with the browser's
# Back button after the assisted voter is forgotten cannot be cast as the facilitator's own.
KIOSK_DEVICE_KEY = "kiosk_device"
KIOSK_IDLE = timedelta(minutes=10)


def now() -> datetime:
    """The clock (tests replace it to check the kiosk's timeout)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Voter:
    voter_key: str
    channel: str  # online, code, assisted
    code_id: int | None = None
    area: int | None = None  # fixed by the code, or by the facilitator's check; None: the voter says
    age_confirmed: bool = False  # a facilitator confirmed it
    facilitator: str | None = None  # the facilitator's name, for the kiosk banner


def kiosk_expired(last_seen: str | None, moment: datetime) -> bool:
    """Whether a kiosk voter has been idle too long (or the stamp is unreadable)."""
    try:
        seen = datetime.fromisoformat(last_seen) if isinstance(last_seen, str) else None
    except ValueError:
        seen = None
    return seen is None or seen.tzinfo is None or moment - seen > KIOSK_IDLE or seen > moment + timedelta(minutes=1)


def _session(request: Request) -> dict:
    return request.session if isinstance(request.session, dict) else {}


def may_facilitate(request: Request) -> bool:
    roles = roles_of(request)
    return bool(current_user(request)) and (has_role(roles, "facilitator") or has_role(roles, "officer"))


def kiosk_state(request: Request, round_id: int) -> dict | None:
    """The kiosk voter of this round, if one is open, still fresh and opened by the signed-in
    facilitator; an expired or foreign one is dropped from the session. Touches the idle clock."""
    session = _session(request)
    kiosk = session.get(KIOSK_KEY)
    if not isinstance(kiosk, dict):
        return None
    user = current_user(request)
    if (
        not user
        or kiosk.get("facilitator") != user["id"]
        or not may_facilitate(request)
        or kiosk_expired(kiosk.get("seen"), now())
    ):
        session.pop(KIOSK_KEY, None)
        return None
    if kiosk.get("round") != round_id:
        return None
    kiosk["seen"] = now().isoformat()
    return kiosk


def open_kiosk(request: Request, round_id: int, area_id: int, code_id: int | None, user_id: int | None) -> None:
    user = signed_in_person(request)
    _session(request)[KIOSK_DEVICE_KEY] = True
    _session(request)[KIOSK_KEY] = {
        "round": round_id,
        "area": area_id,
        "code": code_id,
        "user": user_id,
        "facilitator": user["id"],
        "facilitator_name": user["name"],
        "seen": now().isoformat(),
    }


def close_kiosk(request: Request) -> None:
    _session(request).pop(KIOSK_KEY, None)


def hold_code(request: Request, round_id: int, code_id: int) -> None:
    # Stamped like a kiosk voter, so a code left entered on a shared computer lapses when idle.
    _session(request)[CODE_KEY] = {"round": round_id, "id": code_id, "seen": now().isoformat()}


def forget_code(request: Request) -> None:
    _session(request).pop(CODE_KEY, None)


async def current_voter(request: Request, round_id: int) -> Voter | None:
    """Who would cast a vote in this round on this request, or None (then the journey starts over)."""
    kiosk = kiosk_state(request, round_id)
    if kiosk is not None:
        if kiosk.get("code"):
            code = await code_actions.code_by_id(kiosk["code"])
            if code is None or code["round"] != round_id or code["voided"]:
                close_kiosk(request)
                return None
            key = code["voter_key"]
        else:
            key = actions.voter_key_for_user(round_id, kiosk["user"])
        return Voter(
            voter_key=key,
            channel="assisted",
            code_id=kiosk.get("code"),
            area=kiosk["area"],
            age_confirmed=True,
            facilitator=kiosk["facilitator_name"],
        )
    held = _session(request).get(CODE_KEY)
    if isinstance(held, dict) and kiosk_expired(held.get("seen"), now()):
        forget_code(request)
        held = None
    if isinstance(held, dict) and held.get("round") == round_id and isinstance(held.get("id"), int):
        held["seen"] = now().isoformat()
        code = await code_actions.code_by_id(held["id"])
        if code is None or code["round"] != round_id or code["voided"]:
            forget_code(request)
            return None
        return Voter(voter_key=code["voter_key"], channel="code", code_id=code["id"], area=code["area"])
    user = current_user(request)
    if user and not is_kiosk_device(request):
        return Voter(voter_key=actions.voter_key_for_user(round_id, user["id"]), channel="online")
    return None


def is_kiosk_device(request: Request) -> bool:
    return bool(_session(request).get(KIOSK_DEVICE_KEY))


def after_cast(request: Request, voter: Voter) -> None:
    """Forget the voter once their ballot is in: the code reference, or the kiosk's person."""
    if voter.channel == "code":
        forget_code(request)
    elif voter.channel == "assisted":
        close_kiosk(request)
