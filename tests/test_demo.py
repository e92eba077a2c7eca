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


async def test_the_demo_shows_each_part_of_a_round_run_with_nothing_by_hand():
    """What the round-to-delivery issue asks the demo to show: a delivery record linked to each funded
    project, a postcode list, a round's and a session's picture, a proposal's picture, reminders and a
    daily digest in the outbox in the person's language, and the council's own details."""
    from pb.deliberation.tables import DeliberationSession
    from pb.outbox.tables import OutboxMessage
    from pb.proposals.tables import ProposalImage
    from pb.rounds.tables import AreaPostcode
    from pb.site.tables import SiteSettings
    from pb.tracker.tables import Delivery

    await load_demo()
    funded = {row["id"] for row in await Proposal.select(Proposal.id).where(Proposal.status == "funded")}
    linked = {row["proposal"] for row in await Delivery.select(Delivery.proposal).where(Delivery.proposal.is_not_null())}
    assert funded and funded <= linked
    assert await AreaPostcode.count() > 0
    assert await Round.count().where(Round.picture_full != "") == 1
    assert await DeliberationSession.count().where(DeliberationSession.picture_full != "") == 1
    assert await ProposalImage.count() > 0
    to_rhian = await OutboxMessage.select().where(OutboxMessage.recipient == "resident@demo.pb.cymru")
    assert [(m["subject"], m["language"]) for m in to_rhian] == [("Eich crynodeb dyddiol o newyddion", "cy")]
    reminders = await OutboxMessage.count().where(
        OutboxMessage.subject.is_in(["Voting closes soon", "Mae'r bleidlais yn cau cyn bo hir"])
    )
    assert reminders > 0
    assert await SiteSettings.count() == 1
