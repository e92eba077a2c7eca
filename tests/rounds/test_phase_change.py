"""Opening the vote through rounds' one phase action: the capabilities above react in the same
transaction (proposals go on the ballot and their authors are told; the lot is drawn)."""

from pb.proposals.tables import Proposal, ProposalEvent
from pb.rounds.actions import change_phase
from pb.rounds.tables import Round
from tests.conftest import make_proposal, make_round, make_user, outbox_messages


async def test_opening_the_vote_puts_the_shortlist_on_the_ballot_and_tells_each_author():
    round_id, areas = await make_round(phase="shortlist")
    officer = await make_user(email="officer@example.org", roles={"officer"})
    author = await make_user(email="author@example.org")
    chosen = await make_proposal(round_id, areas[0], author, status="shortlisted")
    left = await make_proposal(round_id, areas[0], author, status="eligible", title_en="Not chosen")
    await change_phase(officer, round_id, "voting")
    statuses = {row["id"]: row["status"] for row in await Proposal.select(Proposal.id, Proposal.status)}
    assert statuses == {chosen: "on_ballot", left: "eligible"}
    event = await ProposalEvent.select().where(ProposalEvent.proposal == chosen).first()
    assert (event["from_status"], event["to_status"], event["actor_id"]) == ("shortlisted", "on_ballot", officer)
    told = [m for m in await outbox_messages() if m["recipient"] == "author@example.org"]
    assert len(told) == 1 and "proposal" in told[0]["subject"].lower()
    lot = (await Round.select(Round.lot_order).where(Round.id == round_id).first())["lot_order"]
    assert str(chosen) in lot.split() and str(left) not in lot.split()
