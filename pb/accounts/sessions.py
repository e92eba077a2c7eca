"""The session store kept in the database (the default; Redis is the other, in pb.web.sessions)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from pb.accounts.tables import SessionRecord
from pb.web.sessions import _now


class DatabaseSessionStore:
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
