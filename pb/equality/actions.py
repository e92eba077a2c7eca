"""Equality actions that officers take: replacing a round's population baseline. Each is one
transaction, and audited."""

from __future__ import annotations

from pb.audit.actions import record
from pb.db import for_update, transaction
from pb.equality.baselines import Row
from pb.equality.tables import BaselineSource, PopulationBaseline, QuestionSwitchedOff
from pb.rounds.tables import Round

BASELINE_CHUNK = 1_000  # rows per insert (asyncpg takes at most 32,767 parameters)


async def replace_baseline(
    actor_id: int | None, round_id: int, rows: list[Row], source_en: str = "", source_cy: str = "", illustrative: bool = False
) -> None:
    """The round's baseline becomes these rows (read by pb.equality.baselines.read_baseline) and
    this source, in one transaction: a reader sees the old baseline or the new one, never a mixture."""
    async with transaction():
        await for_update(Round.select(Round.id).where(Round.id == round_id)).first()
        await PopulationBaseline.delete().where(PopulationBaseline.round == round_id)
        for start in range(0, len(rows), BASELINE_CHUNK):
            await PopulationBaseline.insert(
                *[
                    PopulationBaseline(round=round_id, area=area, measure=measure, group_key=group, people=people)
                    for area, measure, group, people in rows[start : start + BASELINE_CHUNK]
                ]
            )
        await BaselineSource.delete().where(BaselineSource.round == round_id)
        await BaselineSource.insert(
            BaselineSource(round=round_id, source_en=source_en, source_cy=source_cy, illustrative=illustrative)
        )
        await record(actor_id, "equality.baseline_replaced", f"round:{round_id}", count=len(rows), illustrative=illustrative)


async def set_questions_asked(actor_id: int, switched_off: set[str]) -> None:
    """The questions the council does not ask become exactly these (keys of pb.equality.questions)."""
    async with transaction():
        await QuestionSwitchedOff.delete().where(QuestionSwitchedOff.id > 0)
        if switched_off:
            await QuestionSwitchedOff.insert(
                *[QuestionSwitchedOff(question=key, switched_off_by=actor_id) for key in sorted(switched_off)]
            )
        await record(actor_id, "equality.questions_changed", "", switched_off=",".join(sorted(switched_off)) or "-")
