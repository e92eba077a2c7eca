"""What proposals adds to rounds (registered in the manifest at rounds' extension points): the
shortlist goes on the ballot as the vote opens, and rounds' pages show proposals' figures."""

from __future__ import annotations

from typing import Any

from pb.proposals import actions
from pb.proposals.tables import Follow, Proposal
from pb.web.auth import CurrentUser


async def phase_changed(actor_id: int, round_id: int, from_phase: str, to_phase: str) -> None:
    if to_phase == "voting":
        await actions.put_shortlisted_on_ballot(actor_id, round_id)


async def round_page_context(round_row: dict, user: CurrentUser | None) -> dict[str, Any]:
    """Which of the round and its areas the signed-in person follows."""
    if user is None:
        return {"following": set()}
    rows = await Follow.select(Follow.target_kind, Follow.target_id).where(
        (Follow.user == user.id) & Follow.target_kind.is_in(["round", "area"])
    )
    return {"following": {(row["target_kind"], row["target_id"]) for row in rows}}


async def manage_context(round_row: dict, target_phase: str | None) -> dict[str, Any]:
    """Proposals by status, how many will go on the ballot, and the areas that cannot be removed."""
    counts: dict[str, int] = {}
    areas: set[int] = set()
    for row in await Proposal.select(Proposal.status, Proposal.area).where(Proposal.round == round_row["id"]):
        counts[row["status"]] = counts.get(row["status"], 0) + 1
        areas.add(row["area"])
    return {"counts": counts, "shortlisted": counts.get("shortlisted", 0), "locked_area_ids": areas}
