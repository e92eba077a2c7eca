"""The home page's "Open now": rounds taking proposals or votes, with their planned close."""

from __future__ import annotations

from typing import Any

from pb.rounds import phases, queries
from pb.rounds.tables import Round


async def open_rounds() -> tuple[str, dict[str, Any]] | None:
    rows = (
        await Round.select(
            Round.id, Round.title_en, Round.title_cy, Round.phase, *(getattr(Round, f) for f in phases.PHASE_DATE_FIELDS.values())
        )
        .where(Round.phase.is_in(list(phases.OPEN_TO_RESIDENTS)))
        .order_by(Round.id)
    )
    today = queries.today()
    open_rounds = []
    for row in rows:
        state = phases.open_now(row["phase"], {field: row[field] for field in phases.PHASE_DATE_FIELDS.values()}, today)
        if state is not None:
            open_rounds.append({**row, **state})
    if not open_rounds:
        return None
    return "rounds/_home_open.html", {"open_rounds": open_rounds}
