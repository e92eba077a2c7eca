"""Notification preferences and daily digests.

Each person chooses, per kind of notification (pb.outbox.kinds), to get its emails immediately, in
one daily digest, or never; without a choice, immediately. Every notification passes through
`pb.outbox.actions.queue_email`, which asks `divert` here (the extension point
"outbox.notification") with one query, inside the caller's transaction. A digest is one email a day
per person, in their language, listing each held email whole (so its one-click unsubscribe link
keeps working); the held items are deleted in the transaction that queues it, and a DigestSent row
behind a unique (user, day) index means two processes never send one person two digests a day.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, timedelta

from pb.accounts.tables import DigestItem, DigestSent, NotificationPreference, User
from pb.config import Settings
from pb.db import Conflict, transaction
from pb.i18n import LOCAL_TIME, N_, t
from pb.outbox.actions import preferences_url, queue_now
from pb.outbox.kinds import CHOICES, DEFAULT_CHOICE, KINDS
from pb.registry import every
from pb.web.templating import render_text

log = logging.getLogger("pb.accounts.notifications")
EVERY = timedelta(hours=1)  # how often each app process looks for digests due
DIGEST_HOUR = 8  # the day's digest goes out from 08:00 UK time, with what was held since the last


def digest_day(now: datetime) -> date | None:
    """The UK day whose digest is due at `now`, or None before DIGEST_HOUR (what arrives overnight
    waits for the morning's email rather than going out alone at midnight)."""
    local = now.astimezone(LOCAL_TIME)
    return local.date() if local.hour >= DIGEST_HOUR else None


async def divert(recipient: str, kind: str, subject: str, body: str) -> bool:
    """Whether a notification for `recipient` is taken out of the immediate outbox: held for the
    daily digest (True), dropped (True) or left to be sent now (False). One query."""
    chosen = (
        await NotificationPreference.select(NotificationPreference.user, NotificationPreference.choice)
        .where((NotificationPreference.user.email == recipient) & (NotificationPreference.kind == kind))
        .first()
    )
    choice = chosen["choice"] if chosen else DEFAULT_CHOICE
    if choice == "never":
        return True
    if choice == "daily" and chosen is not None:
        await DigestItem.insert(DigestItem(user=chosen["user"], kind=kind, subject=subject, body=body))
        return True
    return False


async def preferences_for(user_id: int) -> dict[str, str]:
    """A person's choice for every kind (immediately where they have not chosen)."""
    rows = await NotificationPreference.select(NotificationPreference.kind, NotificationPreference.choice).where(
        NotificationPreference.user == user_id
    )
    chosen = {row["kind"]: row["choice"] for row in rows}
    return {kind: chosen.get(kind, DEFAULT_CHOICE) for kind in KINDS}


async def set_preferences(user_id: int, chosen: dict[str, str]) -> None:
    """Save a person's choices (valid kinds and choices only: the caller checked them)."""
    async with transaction():
        for kind, choice in chosen.items():
            if kind not in KINDS or choice not in CHOICES:
                raise ValueError(kind)
            updated = (
                await NotificationPreference.update({NotificationPreference.choice: choice})
                .where((NotificationPreference.user == user_id) & (NotificationPreference.kind == kind))
                .returning(NotificationPreference.id)
            )
            if not updated:
                await NotificationPreference.insert(NotificationPreference(user=user_id, kind=kind, choice=choice))


async def _send_one(user_id: int, on: date) -> bool:
    async with transaction():
        items = (
            await DigestItem.select(DigestItem.id, DigestItem.subject, DigestItem.body)
            .where(DigestItem.user == user_id)
            .order_by(DigestItem.id)
        )
        if not items:
            return False
        person = await User.select(User.email, User.name, User.language, User.is_active).where(User.id == user_id).first()
        await DigestSent.insert(DigestSent(user=user_id, day=on))  # refused by the index if already sent today
        await DigestItem.delete().where(DigestItem.id.is_in([item["id"] for item in items]))
        if person is None or not person["is_active"]:
            return False
        lang = person["language"]
        body = render_text("emails/digest.txt", lang, name=person["name"], items=items, url=preferences_url(lang))
        await queue_now(person["email"], lang, t(lang, N_("Your daily summary of news")), body)
    return True


async def send_digests(on: date | None = None) -> int:
    """Queue the day's digest (today in the UK unless `on` is given) for everyone with held emails
    who has not had one that day."""
    on = on or datetime.now(UTC).astimezone(LOCAL_TIME).date()
    people = {row["user"] for row in await DigestItem.select(DigestItem.user)}
    sent_today = {row["user"] for row in await DigestSent.select(DigestSent.user).where(DigestSent.day == on)}
    sent = 0
    for user_id in sorted(people - sent_today):
        try:
            sent += await _send_one(user_id, on)
        except Conflict:
            continue  # another process sent this person's digest today
    return sent


async def run_digests(settings: Settings, stop: asyncio.Event) -> None:
    """Background task: every hour, send the day's digests once DIGEST_HOUR has passed in the UK
    (each person gets at most one a day)."""

    async def due() -> int:
        day = digest_day(datetime.now(UTC))
        return 0 if day is None else await send_digests(day)

    await every(EVERY.total_seconds(), due, stop, log, "daily digests")
