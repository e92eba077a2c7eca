"""The home page's "Open now": community sessions in the coming week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pb.deliberation.tables import DeliberationSession as S

WEEK = timedelta(days=7)
SHOWN = 6  # the rest are one link away, on the sessions page


async def sessions_this_week() -> tuple[str, dict[str, Any]] | None:
    now = datetime.now(UTC)
    rows = (
        await S.select(S.id, S.title_en, S.title_cy, S.starts_at, S.ends_at, S.format, S.venue)
        .where((S.starts_at >= now) & (S.starts_at < now + WEEK) & (S.status == "scheduled"))
        .order_by(S.starts_at)
        .order_by(S.id)
        .limit(SHOWN + 1)
    )
    if not rows:
        return None
    return "deliberation/_home_sessions.html", {"week_sessions": rows[:SHOWN], "more_sessions": len(rows) > SHOWN}
