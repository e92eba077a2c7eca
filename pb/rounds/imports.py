"""Rounds brought in whole from elsewhere (a Pabulib file of a past vote): created already closed.
The caller holds the transaction that imports the rest of the round."""

from __future__ import annotations

from typing import Any

from pb.rounds.tables import Area, PhaseChange, Round


async def create_closed_round(values: dict[str, Any], area_name: str, budget_pence: int) -> tuple[int, int]:
    """A round in its results phase with one area, as a past vote is: (round id, area id)."""
    round_row = Round(phase="results", **values)
    await Round.insert(round_row)
    area = Area(round=round_row.id, name_en=area_name, name_cy=area_name, budget_pence=budget_pence)
    await Area.insert(area)
    await PhaseChange.insert(PhaseChange(round=round_row.id, from_phase="draft", to_phase="results"))
    return round_row.id, area.id
