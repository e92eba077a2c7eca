"""Demo paper ballots for the demo round that is open for voting (run by `pb demo`; safe to repeat):
one batch entered twice and counted, and one with its first entry waiting for a second person."""

from __future__ import annotations

from pb.accounts.tables import User
from pb.db import one
from pb.proposals.tables import Proposal
from pb.rounds.tables import Area, Round
from pb.voting.paper import actions as paper_actions
from pb.voting.tables import PaperBatch

DEMO_ROUND = "Town Centre Fund 2026"
COUNTED_LABEL = "Demo: town hall box 1"
WAITING_LABEL = "Demo: library box 2"


async def _user(email: str) -> int | None:
    row = await User.select(User.id).where(User.email == email).first()
    return row["id"] if row else None


async def load_demo_paper() -> None:
    row = await Round.select(Round.id).where((Round.title_en == DEMO_ROUND) & (Round.phase == "voting")).first()
    facilitator, officer = await _user("facilitator@demo.pb.cymru"), await _user("officer@demo.pb.cymru")
    if row is None or facilitator is None or officer is None:
        return
    round_id = row["id"]
    labels = {b["label"] for b in await PaperBatch.select(PaperBatch.label).where(PaperBatch.round == round_id)}
    area = await one(Area.select(Area.id).where(Area.round == round_id).order_by(Area.position))
    projects = [
        p["id"]
        for p in await Proposal.select(Proposal.id)
        .where((Proposal.round == round_id) & (Proposal.area == area["id"]) & (Proposal.status == "on_ballot"))
        .order_by(Proposal.id)
    ]
    if not projects:
        return
    # As marked by voters: the last sheet chooses every project, so it is over budget and spoilt.
    sheets = {
        1: {"code": "", "choices": {projects[0]: 1}, "spoilt": False},
        2: {"code": "", "choices": {projects[-1]: 1}, "spoilt": False},
        3: {"code": "", "choices": {p: 1 for p in projects[:2]}, "spoilt": False},
        4: {"code": "", "choices": {p: 1 for p in projects}, "spoilt": False},
    }
    if COUNTED_LABEL not in labels:
        batch = await paper_actions.create_batch(facilitator, round_id, area["id"], COUNTED_LABEL, len(sheets))
        await paper_actions.save_entry(facilitator, batch, sheets)
        await paper_actions.save_entry(officer, batch, sheets)
        await paper_actions.count_batch(officer, batch)
    if WAITING_LABEL not in labels:
        batch = await paper_actions.create_batch(facilitator, round_id, area["id"], WAITING_LABEL, 3)
        await paper_actions.save_entry(facilitator, batch, {n: sheets[n] for n in (1, 2, 3)})
