"""Round actions: set-up and phase changes, each in one transaction and audited."""

from __future__ import annotations

from pb.audit.actions import record
from pb.db import for_update, transaction
from pb.proposals.tables import Proposal, ProposalEvent
from pb.rounds import phases
from pb.rounds.tables import Area, PhaseChange, Round

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
    *phases.PHASE_DATE_FIELDS.values(),
)


class PhaseError(Exception):
    """The round cannot move to that phase from where it is."""


class PaperBatchesWaiting(Exception):
    """The vote cannot close: `waiting` paper batches of the round are not yet counted."""

    def __init__(self, waiting: int) -> None:
        super().__init__(f"{waiting} paper batches not yet counted")
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
            fields = {
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


async def change_phase(actor_id: int, round_id: int, target: str) -> None:
    """Move a round to its next phase (or reopen proposals), logged and audited. Opening the vote
    puts every shortlisted proposal on the ballot."""
    async with transaction():
        current = await for_update(Round.select(Round.phase).where(Round.id == round_id)).first()
        if current is None or not phases.can_change_phase(current["phase"], target):
            raise PhaseError(current["phase"] if current else "missing")
        if target == "results":
            # Paper batches are entered and counted under the same round lock, so none can slip
            # in between this check and the results being frozen.
            from pb.voting.paper_actions import waiting_batches

            waiting = await waiting_batches(round_id)
            if waiting:
                raise PaperBatchesWaiting(waiting)
        await Round.update({Round.phase: target}).where(Round.id == round_id)
        await PhaseChange.insert(PhaseChange(round=round_id, from_phase=current["phase"], to_phase=target, actor_id=actor_id))
        if target == "voting":
            shortlisted = await Proposal.select(Proposal.id).where(
                (Proposal.round == round_id) & (Proposal.status == "shortlisted")
            )
            if shortlisted:
                await Proposal.update({Proposal.status: "on_ballot"}).where(Proposal.id.is_in([row["id"] for row in shortlisted]))
                await ProposalEvent.insert(
                    *[
                        ProposalEvent(
                            proposal=row["id"], kind="status", from_status="shortlisted", to_status="on_ballot", actor_id=actor_id
                        )
                        for row in shortlisted
                    ]
                )
            from pb.counting.lot import draw_lot, format_lot  # the last tie-break, fixed before any vote

            on_ballot = await Proposal.select(Proposal.id).where((Proposal.round == round_id) & (Proposal.status == "on_ballot"))
            await Round.update({Round.lot_order: format_lot(draw_lot(row["id"] for row in on_ballot))}).where(
                Round.id == round_id
            )
        if target == "results":
            from pb.voting.results import freeze_results  # counted once, as voting closes

            await freeze_results(actor_id, round_id)
        await record(actor_id, "round.phase_changed", f"round:{round_id}", from_phase=current["phase"], to_phase=target)
