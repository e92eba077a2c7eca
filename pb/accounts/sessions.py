"""The session store kept in the database (the default; Redis is the other, in pb.web.sessions)."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timedelta
from typing import Any

from pb.accounts.tables import SessionRecord
from pb.config import Settings
from pb.web.sessions import _now

log = logging.getLogger(__name__)
PURGE_INTERVAL = timedelta(minutes=15)


# The session and who it signs in (the person, active, with each of their roles) in one query: the
# first thing every request asks. Rows are one per role (one with role NULL when there is none).
_SESSION_AND_PERSON = (
    "SELECT s.data, s.user_id, u.id, u.name, u.email, u.language, u.session_version, r.role FROM pb_session s "
    "LEFT JOIN pb_user u ON u.id = s.user_id AND u.is_active = {} "
    'LEFT JOIN pb_user_role r ON r."user" = u.id '
    "WHERE s.key = {} AND s.expires_at > {}"
)


class DatabaseSessionStore:
    async def load_signed_in(self, key: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """The session's data and the rows of the person it signs in (pb.accounts.guards reads them)."""
        rows = await SessionRecord.raw(_SESSION_AND_PERSON, True, key, _now())
        if not rows:
            return None, []
        return json.loads(rows[0]["data"]), [row for row in rows if row["id"] is not None]

    async def load(self, key: str) -> dict[str, Any] | None:
        row = (
            await SessionRecord.select(SessionRecord.data)
            .where((SessionRecord.key == key) & (SessionRecord.expires_at > _now()))
            .first()
        )
        return json.loads(row["data"]) if row else None

    async def save(self, key: str, data: dict[str, Any], ttl: timedelta) -> None:
        user_id = data.get("user_id") if isinstance(data.get("user_id"), int) else None
        record = SessionRecord(key=key, data=json.dumps(data), expires_at=_now() + ttl, user_id=user_id)
        await SessionRecord.insert(record).on_conflict(
            target=SessionRecord.key,
            action="DO UPDATE",
            values=[SessionRecord.data, SessionRecord.expires_at, SessionRecord.user_id],
        )

    async def delete(self, key: str) -> None:
        await SessionRecord.delete().where(SessionRecord.key == key)


async def purge_expired(moment: datetime | None = None) -> int:
    """Delete every session row that has expired: an old row says who was signed in until when,
    which is nobody's business once it is over. Returns how many were deleted."""
    gone = await SessionRecord.delete().where(SessionRecord.expires_at <= (moment or _now())).returning(SessionRecord.id)
    return len(gone)


async def run_purge(settings: Settings, stop: asyncio.Event) -> None:
    """The background purge: expired sessions, every PURGE_INTERVAL, until asked to stop."""
    while not stop.is_set():
        try:
            await purge_expired()
        except Exception:
            log.exception("purging expired sessions failed; will try again")
        try:
            await asyncio.wait_for(stop.wait(), timeout=PURGE_INTERVAL.total_seconds())
        except TimeoutError:
            pass
