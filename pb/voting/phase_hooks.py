"""What voting adds to rounds (registered in the manifest at rounds' extension points): the lot is
drawn as the vote opens, the vote cannot close with paper batches uncounted, closing it counts the
votes, and rounds' pages show the lot and the paper batches waiting."""

from __future__ import annotations

from typing import Any

from pb.counting.lot import draw_lot, format_lot
from pb.proposals.tables import Proposal
from pb.rounds import actions as round_actions
from pb.voting import closing, reminders
from pb.voting.paper.actions import waiting_batches
from pb.voting.results import freeze_results, lot_of
from pb.web.auth import CurrentUser


async def before_phase_change(round_id: int, from_phase: str, to_phase: str) -> None:
    # Paper batches are entered and counted under the same round lock, so none can slip in
    # between this check and the results being frozen.
    if (from_phase, to_phase) == ("voting", "results"):
        waiting = await waiting_batches(round_id)
        if waiting:
            raise round_actions.PaperBatchesWaiting(waiting)


async def phase_changed(actor_id: int, round_id: int, from_phase: str, to_phase: str) -> None:
    if to_phase == "voting":  # the last tie-break, fixed before any vote (proposals put the shortlist on first)
        on_ballot = await Proposal.select(Proposal.id).where((Proposal.round == round_id) & (Proposal.status == "on_ballot"))
        await round_actions.set_lot_order(round_id, format_lot(draw_lot(row["id"] for row in on_ballot)))
    elif to_phase == "counting":  # a large vote closes: its count runs as a job (pb.voting.closing)
        await closing.vote_closed_for_counting(actor_id, round_id)
    elif to_phase == "results" and from_phase == "counting":  # the job's counts, frozen
        await closing.counted_and_frozen(actor_id, round_id)
        await reminders.tell_results(round_id)
    elif to_phase == "results":  # counted once, as voting closes
        await freeze_results(actor_id, round_id)
        await reminders.tell_results(round_id)


async def round_page_context(round_row: dict, user: CurrentUser | None) -> dict[str, Any]:
    lot = await lot_of(round_row["id"], round_row) if round_row["phase"] in ("voting", "counting", "results", "delivery") else []
    return {"results": {"lot": lot}}


async def manage_context(round_row: dict, target_phase: str | None) -> dict[str, Any]:
    return {
        "waiting": await waiting_batches(round_row["id"]) if target_phase == "results" else 0,
        "counting": await closing.progress(round_row["id"]) if round_row["phase"] == "counting" else None,
    }
