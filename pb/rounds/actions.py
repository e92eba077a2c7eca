"""Round actions: set-up and phase changes, each in one transaction and audited."""

from __future__ import annotations

from typing import Any

from piccolo.columns import Column

from pb import images
from pb.audit.actions import record
from pb.db import for_update, transaction
from pb.i18n import N_
from pb.refusal import Refusal
from pb.registry import extensions
from pb.rounds import phases
from pb.rounds.tables import Area, AreaPostcode, PhaseChange, Round

ROUND_FIELDS = (
    "title_en",
    "title_cy",
    "description_en",
    "description_cy",
    "ballot_method",
    "ballot_max_choices",
    "ballot_min_choices",
    "ballot_points",
    "ballot_max_points_per_project",
    "counting_rule",
    "min_age",
    "allow_revote",
    *phases.PHASE_DATE_FIELDS.values(),
)


class PhaseError(Refusal):
    """The round cannot move to that phase from where it is (or its set-up is fixed by now)."""

    def __init__(self, phase: str) -> None:
        super().__init__(N_("The round cannot do that in its current phase"), status_code=409)
        self.phase = phase


class PaperBatchesWaiting(Refusal):
    """The vote cannot close: `waiting` paper batches of the round are not yet counted."""

    def __init__(self, waiting: int) -> None:
        super().__init__(N_("Count every batch of paper ballots before closing the vote"), status_code=409)
        self.waiting = waiting


async def save_round(actor_id: int, round_id: int | None, values: dict, areas: list[dict]) -> int:
    """Create a round, or update its set-up and areas while that is still allowed."""
    data = {field: values[field] for field in ROUND_FIELDS}
    async with transaction():
        if round_id is None:
            row = Round(**data, created_by=actor_id)
            await Round.insert(row)
            round_id = row.id
            action = "round.created"
        else:
            current = await for_update(Round.select(Round.phase).where(Round.id == round_id)).first()
            if current is None or not phases.may_edit_round_setup(current["phase"]):
                raise PhaseError(current["phase"] if current else "missing")
            await Round.update({getattr(Round, field): value for field, value in data.items()}).where(Round.id == round_id)
            action = "round.updated"
        existing = {row["id"] for row in await Area.select(Area.id).where(Area.round == round_id)}
        kept = set()
        for position, area in enumerate(areas):
            fields: dict[Column | str, Any] = {
                Area.name_en: area["name_en"],
                Area.name_cy: area["name_cy"],
                Area.budget_pence: area["budget_pence"],
                Area.position: position,
            }
            if area["id"] in existing:
                await Area.update(fields).where(Area.id == area["id"])
                kept.add(area["id"])
            else:
                await Area.insert(
                    Area(
                        round=round_id,
                        name_en=area["name_en"],
                        name_cy=area["name_cy"],
                        budget_pence=area["budget_pence"],
                        position=position,
                    )
                )
        removed = existing - kept
        if removed:
            await Area.delete().where(Area.id.is_in(list(removed)))  # restricted by proposals' foreign keys
        await record(
            actor_id,
            action,
            f"round:{round_id}",
            title=values["title_en"],
            budget_pence=sum(area["budget_pence"] for area in areas),
        )
    return round_id


# Extension points for capabilities above rounds (they register functions in their manifests):
# before a phase change, each may refuse it by raising; after it, each reacts in the same transaction.
BEFORE_PHASE_CHANGE = "rounds.before_phase_change"  # async (round_id, from_phase, to_phase)
PHASE_CHANGED = "rounds.phase_changed"  # async (actor_id, round_id, from_phase, to_phase)
# The phase a move really goes to (closing a large vote goes to "counting"): async (round_id,
# from_phase, to_phase) -> a phase or None; and what runs once the change is committed.
PHASE_TARGET = "rounds.phase_target"
PHASE_COMMITTED = "rounds.phase_committed"  # async (actor_id, round_id, from_phase, to_phase)


async def change_phase(actor_id: int | None, round_id: int, target: str, *, internal: bool = False) -> str:
    """Move a round to its next phase (or reopen proposals), logged and audited; returns the phase
    it moved to. Capabilities above react in the same transaction (opening the vote puts the
    shortlist on the ballot and draws the lot; closing it counts the votes, or for a large vote
    moves it to "counting" and counts it as a job), so a phase never changes without them."""
    async with transaction():
        current = await for_update(Round.select(Round.phase).where(Round.id == round_id)).first()
        # An officer's move, or (`internal`) the close's own: a counting job moving the round to results.
        allowed = phases.can_move if internal else phases.can_change_phase
        if current is None or not allowed(current["phase"], target):
            raise PhaseError(current["phase"] if current else "missing")
        for check in extensions(BEFORE_PHASE_CHANGE):
            await check(round_id, current["phase"], target)
        for choose in extensions(PHASE_TARGET):
            target = await choose(round_id, current["phase"], target) or target
        if not phases.can_move(current["phase"], target):  # pragma: no cover - a capability's mistake
            raise PhaseError(current["phase"])
        await Round.update({Round.phase: target}).where(Round.id == round_id)
        await PhaseChange.insert(PhaseChange(round=round_id, from_phase=current["phase"], to_phase=target, actor_id=actor_id))
        for react in extensions(PHASE_CHANGED):
            await react(actor_id, round_id, current["phase"], target)
        await record(actor_id, "round.phase_changed", f"round:{round_id}", from_phase=current["phase"], to_phase=target)
    for react in extensions(PHASE_COMMITTED):
        await react(actor_id, round_id, current["phase"], target)
    return target


async def set_lot_order(round_id: int, lot_order: str) -> None:
    """Fix the round's lot (the last tie-break), as its vote opens: called within change_phase."""
    await Round.update({Round.lot_order: lot_order}).where(Round.id == round_id)


# Picture -----------------------------------------------------------------------------------------


async def set_picture(actor_id: int, round_id: int, files: dict | None, alt_en: str, alt_cy: str) -> None:
    """The round's picture becomes these files (already stored by pb.web.media) with this alt text;
    files None keeps the picture and changes only its description."""
    columns = images.picture_columns(files, alt_en, alt_cy) if files else {"picture_alt_en": alt_en, "picture_alt_cy": alt_cy}
    async with transaction():
        await Round.update(columns).where(Round.id == round_id)
        await record(actor_id, "round.picture_set" if files else "round.picture_alt_changed", f"round:{round_id}")


async def remove_picture(actor_id: int, round_id: int) -> None:
    """The picture is taken off the round. Its files stay until `pb clean-media` finds them unused."""
    async with transaction():
        await Round.update(images.picture_columns(None, "", "")).where(Round.id == round_id)
        await record(actor_id, "round.picture_removed", f"round:{round_id}")


# Postcodes ---------------------------------------------------------------------------------------

POSTCODE_CHUNK = 1000


async def replace_postcodes(actor_id: int | None, round_id: int, rows: list[tuple[str, int]]) -> None:
    """The round's postcode list becomes these rows (read by pb.rounds.postcodes.read_list), in one
    transaction: a reader sees the old list or the new one, never a mixture."""
    async with transaction():
        await for_update(Round.select(Round.id).where(Round.id == round_id)).first()
        await AreaPostcode.delete().where(AreaPostcode.round == round_id)
        for start in range(0, len(rows), POSTCODE_CHUNK):
            await AreaPostcode.insert(
                *[
                    AreaPostcode(round=round_id, area=area, postcode=postcode)
                    for postcode, area in rows[start : start + POSTCODE_CHUNK]
                ]
            )
        await record(actor_id, "round.postcodes_replaced", f"round:{round_id}", count=len(rows))
