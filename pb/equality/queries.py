"""Equality reads: the population baselines."""

from __future__ import annotations

from piccolo.query.functions.aggregate import Sum

from pb.equality.tables import BaselineSource, PopulationBaseline


async def baseline_of(round_id: int) -> dict[tuple[int, str, str], int]:
    """The round's population baseline: (area id, measure, group) -> people. Empty if none uploaded."""
    rows = await PopulationBaseline.select(
        PopulationBaseline.area, PopulationBaseline.measure, PopulationBaseline.group_key, PopulationBaseline.people
    ).where(PopulationBaseline.round == round_id)
    return {(row["area"], row["measure"], row["group_key"]): row["people"] for row in rows}


async def baseline_totals(round_id: int) -> dict[tuple[int, str], int]:
    """Per area and measure, the people counted in all its groups: (area id, measure) -> people."""
    rows = (
        await PopulationBaseline.select(PopulationBaseline.area, PopulationBaseline.measure, Sum(PopulationBaseline.people))
        .where(PopulationBaseline.round == round_id)
        .group_by(PopulationBaseline.area, PopulationBaseline.measure)
    )
    return {(row["area"], row["measure"]): int(row["sum"]) for row in rows}


async def baseline_source(round_id: int) -> dict | None:
    """Where the round's baseline comes from (source_en, source_cy, illustrative), if one was uploaded."""
    return await BaselineSource.select().where(BaselineSource.round == round_id).first()
