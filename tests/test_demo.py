"""`pb demo`: every capability's seed, in installation order, giving the whole journey the README
describes; running it again changes nothing."""

from __future__ import annotations

from pb.demo import load_demo
from pb.proposals.tables import Proposal
from pb.rounds.tables import Round
from pb.tracker.tables import Decision
from pb.voting.tables import Ballot, PaperBatch, SealedBallot, VotingCodeBatch


async def _counts() -> dict[str, int]:
    return {
        "rounds": await Round.count(),
        "proposals": await Proposal.count(),
        "ballots": await Ballot.count(),
        "sealed ballots": await SealedBallot.count(),
        "decisions": await Decision.count(),
        # these tables have a column named `count`, which hides Table.count()
        "code batches": len(await VotingCodeBatch.select(VotingCodeBatch.id)),
        "paper batches": len(await PaperBatch.select(PaperBatch.id)),
    }


async def test_the_demo_loads_every_capability_once():
    await load_demo()
    phases = {row["title_en"]: row["phase"] for row in await Round.select(Round.title_en, Round.phase)}
    assert phases == {
        "Neighbourhood Fund 2027": "shortlist",
        "Youth Fund 2027": "proposals",
        "Town Centre Fund 2026": "voting",
        "Green Spaces Fund 2025": "results",
    }
    neighbourhood = await Round.select(Round.id).where(Round.title_en == "Neighbourhood Fund 2027").first()
    statuses = {row["status"] for row in await Proposal.select(Proposal.status).where(Proposal.round == neighbourhood["id"])}
    assert {"draft", "submitted", "under_review", "eligible", "not_eligible", "shortlisted", "merged", "withdrawn"} <= statuses
    counted = await Round.select(Round.id).where(Round.title_en == "Green Spaces Fund 2025").first()
    funded = await Proposal.count().where((Proposal.round == counted["id"]) & (Proposal.status == "funded"))
    assert funded > 0
    first = await _counts()
    assert all(first.values()), first
    await load_demo()
    assert await _counts() == first
