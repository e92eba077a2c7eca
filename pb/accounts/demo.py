"""Demo accounts: one confirmed account of each role (their passwords are published in the README,
so `pb demo` refuses to run in production) and residents who propose, support and comment."""

from __future__ import annotations

import secrets

from pb.accounts.actions import create_user
from pb.accounts.tables import User

# Fixed so the README can list them.
DEMO_ACCOUNTS = [
    ("Rhian Resident", "resident@demo.pb.cymru", "resident-demo-2026", "cy", {"resident"}),
    ("Ffion Facilitator", "facilitator@demo.pb.cymru", "facilitator-demo-2026", "cy", {"facilitator"}),
    ("Morgan Moderator", "moderator@demo.pb.cymru", "moderator-demo-2026", "en", {"moderator"}),
    # A second moderator, so that an appeal can be decided by someone other than the first decider.
    ("Meleri Moderator", "moderator2@demo.pb.cymru", "moderator2-demo-2026", "cy", {"moderator"}),
    ("Owen Officer", "officer@demo.pb.cymru", "officer-demo-2026", "en", {"officer"}),
    ("Alys Admin", "admin@demo.pb.cymru", "admin-demo-2026", "en", {"admin"}),
]

# Residents who propose, support and comment in the demo (they cannot sign in: random passwords).
DEMO_RESIDENTS = [
    ("Gareth Hughes", "cy"),
    ("Sioned Roberts", "cy"),
    ("Tom Price", "en"),
    ("Aisha Khan", "en"),
    ("Dafydd Morgan", "cy"),
    ("Emma Clarke", "en"),
    ("Nia Jenkins", "cy"),
    ("Kwame Mensah", "en"),
    ("Lowri Evans", "cy"),
    ("Jack Davies", "en"),
]


def _resident_email(index: int) -> str:
    return f"resident{index + 1}@demo.pb.cymru"


async def seed() -> None:
    for name, email, password, language, roles in DEMO_ACCOUNTS:
        await create_user(name, email, password, language, roles)
    for index, (name, language) in enumerate(DEMO_RESIDENTS):
        if not await User.exists().where(User.email == _resident_email(index)):
            await create_user(name, _resident_email(index), secrets.token_urlsafe(24), language, {"resident"})


async def demo_account(role: str) -> int | None:
    """The id of the demo account of this role (for other capabilities' demo data), if loaded."""
    email = next(email for _, email, _, _, roles in DEMO_ACCOUNTS if role in roles)
    row = await User.select(User.id).where(User.email == email).first()
    return row["id"] if row else None


async def demo_residents() -> list[int]:
    """The demo residents' ids, in a fixed order."""
    emails = [_resident_email(index) for index in range(len(DEMO_RESIDENTS))]
    rows = await User.select(User.id, User.email).where(User.email.is_in(emails))
    by_email = {row["email"]: row["id"] for row in rows}
    return [by_email[email] for email in emails if email in by_email]
