"""Online voting end to end, one vote per voter under concurrency, and ballot secrecy."""

import asyncio

from bs4 import BeautifulSoup

from pb.proposals.tables import Proposal
from pb.rounds.tables import Round
from pb.voting import actions
from pb.voting.tables import Ballot, BallotChoice, VoterRegister
from tests.conftest import make_proposal, make_round, make_user, sign_in, submit


async def voting_round(allow_revote=True):
    round_id, areas = await make_round(phase="voting", areas=(("Riverside", "Glan yr Afon", 10_000_00),))
    await Round.update({Round.allow_revote: allow_revote}).where(Round.id == round_id)
    author = await make_user(email="author@example.org")
    projects = [
        await make_proposal(round_id, areas[0], author, status="on_ballot", title_en=title, cost_pence=cost)
        for title, cost in (("Play area", 6_000_00), ("Benches", 3_000_00), ("Bins", 2_000_00))
    ]
    return round_id, areas[0], projects


async def test_vote_review_cast_and_receipt(client):
    round_id, area, projects = await voting_round()
    await make_user(email="voter@example.org")
    await sign_in(client, "voter@example.org")
    start = await client.get(f"/en/rounds/{round_id}/vote")
    assert start.status_code == 200
    missing = await client.get(f"/en/rounds/{round_id}/vote/ballot?area=")
    assert missing.status_code == 422 and "#area" in missing.text
    ballot = await client.get(f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes")
    assert ballot.status_code == 200
    soup = BeautifulSoup(ballot.text, "html.parser")
    assert soup.select_one("fieldset legend") and len(soup.select("input[name=choice]")) == 3

    over = await submit(
        client,
        f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes",
        {"area": str(area), "age": "yes", "choice": [str(p) for p in projects]},
        action=f"/en/rounds/{round_id}/vote/review",
    )
    assert over.status_code == 422
    assert "£11,000" in over.text and "£1,000 more than the £10,000 available" in over.text
    assert BeautifulSoup(over.text, "html.parser").select_one(f"#choice-{projects[0]}").has_attr("checked")  # kept

    total = await submit(
        client,
        f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes",
        {"area": str(area), "age": "yes", "choice": [str(projects[0])]},
        action=f"/en/rounds/{round_id}/vote/total",
    )
    assert "£4,000 is left of £10,000" in total.text

    review = await submit(
        client,
        f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes",
        {"area": str(area), "age": "yes", "choice": [str(projects[0]), str(projects[1])]},
        action=f"/en/rounds/{round_id}/vote/review",
    )
    assert review.status_code == 200 and "£9,000" in review.text
    cast = await submit(
        client,
        f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes",
        {"area": str(area), "age": "yes", "choice": [str(projects[0]), str(projects[1])]},
        action=f"/en/rounds/{round_id}/vote/cast",
    )
    assert cast.status_code == 303
    done = await client.get(cast.headers["location"])
    receipt = BeautifulSoup(done.text, "html.parser").select_one(".govuk-panel__body strong").text
    ballot_row = await Ballot.select().first()
    assert ballot_row["receipt"] == receipt
    assert {c["proposal"] for c in await BallotChoice.select()} == {projects[0], projects[1]}
    assert (await client.get(cast.headers["location"])).status_code == 303  # the receipt is shown once


async def test_a_hundred_concurrent_casts_for_one_voter_leave_one_ballot():
    for allow_revote in (True, False):
        round_id, area, projects = await voting_round(allow_revote)
        key = actions.voter_key_for_user(round_id, 42)
        results = await asyncio.gather(
            *(actions.cast_ballot(round_id, area, key, {projects[i % 3]: 1}, "online", allow_revote) for i in range(100)),
            return_exceptions=True,
        )
        accepted = [r for r in results if isinstance(r, actions.Cast)]
        refused = [r for r in results if isinstance(r, actions.VotingError)]
        assert len(accepted) + len(refused) == 100, [
            r for r in results if not isinstance(r, (actions.Cast, actions.VotingError))
        ][:3]
        assert await VoterRegister.count().where(VoterRegister.round == round_id) == 1
        assert await Ballot.count().where(Ballot.round == round_id) == 1
        if not allow_revote:
            assert len(accepted) == 1
        else:
            # The last acknowledged cast is the one that counts.
            final = await Ballot.select(Ballot.receipt).where(Ballot.round == round_id).first()
            assert final["receipt"] in {r.receipt for r in accepted}


async def test_without_revoting_a_second_vote_is_refused_clearly(client):
    round_id, area, projects = await voting_round(allow_revote=False)
    await make_user(email="voter@example.org")
    await sign_in(client, "voter@example.org")
    form = {"area": str(area), "age": "yes", "choice": [str(projects[2])]}
    first = await submit(
        client, f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes", form, action=f"/en/rounds/{round_id}/vote/cast"
    )
    assert first.status_code == 303
    again = await submit(client, f"/en/rounds/{round_id}/vote", form, action=f"/en/rounds/{round_id}/vote/cast")
    assert again.status_code == 409 and "You have already voted in this round" in again.text
    assert await Ballot.count() == 1


async def test_ballots_hold_no_identity():
    round_id, area, projects = await voting_round()
    user_id = await make_user(email="voter@example.org")
    await actions.cast_ballot(round_id, area, actions.voter_key_for_user(round_id, user_id), {projects[1]: 1}, "online", True)
    ballot = await Ballot.select().first()
    register = await VoterRegister.select().first()
    dumped = " ".join(str(v) for row in (ballot, register) for v in row.values())
    assert "voter@example.org" not in dumped and f"user:{user_id}" not in dumped
    assert ballot["revote_key"] != register["voter_key"]  # nothing to join the two tables on
    assert "cast_on" in ballot and "cast_at" not in ballot  # the day, not the time


async def test_voting_is_only_open_in_the_voting_phase(client):
    round_id, area, projects = await voting_round()
    await Round.update({Round.phase: "results"}).where(Round.id == round_id)
    await make_user(email="voter@example.org")
    await sign_in(client, "voter@example.org")
    response = await submit(
        client,
        f"/en/rounds/{round_id}/vote",
        {"area": str(area), "age": "yes", "choice": [str(projects[2])]},
        action=f"/en/rounds/{round_id}/vote/cast",
    )
    assert response.status_code == 303
    assert await Ballot.count() == 0


async def test_only_projects_on_this_areas_ballot_can_be_chosen(client):
    round_id, area, projects = await voting_round()
    await Proposal.update({Proposal.status: "eligible"}).where(Proposal.id == projects[2])
    await make_user(email="voter@example.org")
    await sign_in(client, "voter@example.org")
    response = await submit(
        client,
        f"/en/rounds/{round_id}/vote",
        {"area": str(area), "age": "yes", "choice": [str(projects[2])]},
        action=f"/en/rounds/{round_id}/vote/cast",
    )
    assert response.status_code == 422
    assert await Ballot.count() == 0


async def test_closing_the_vote_counts_freezes_and_explains(client):
    from pb.rounds.actions import change_phase
    from pb.voting.tables import ResultLine

    round_id, area, projects = await voting_round()
    await Round.update({Round.counting_rule: "greedy"}).where(Round.id == round_id)
    # Play area £6,000 (3 votes), Benches £3,000 (2 votes), Bins £2,000 (1 vote); budget £10,000.
    for voter, chosen in enumerate(([0], [0, 1], [0, 1, 2])):
        await actions.cast_ballot(
            round_id, area, actions.voter_key_for_user(round_id, 100 + voter), {projects[i]: 1 for i in chosen}, "online", True
        )
    pending = await client.get(f"/en/rounds/{round_id}/results")
    assert "Nobody, including the council, sees any counts before then." in pending.text
    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    await change_phase(officer_id, round_id, "results")
    statuses = {r["id"]: r["status"] for r in await Proposal.select(Proposal.id, Proposal.status)}
    assert [statuses[p] for p in projects] == ["funded", "funded", "not_funded"]
    assert await ResultLine.count() == 3
    page = await client.get(f"/en/rounds/{round_id}/results")
    text = BeautifulSoup(page.text, "html.parser").get_text(" ")
    assert "after the projects above it were funded, £1,000 was left and it costs £2,000" in text
    assert page.text.count("<svg") == 1 and "<title" in page.text  # an accessible chart beside the table
    from pb.db import transaction
    from pb.voting.results import freeze_results

    async with transaction():  # counted once: freezing again changes nothing
        await freeze_results(officer_id, round_id)
    assert await ResultLine.count() == 3


async def test_ballots_are_published_with_receipts_only_after_the_close(client):
    from pb.rounds.actions import change_phase

    round_id, area, projects = await voting_round()
    cast = await actions.cast_ballot(round_id, area, actions.voter_key_for_user(round_id, 7), {projects[1]: 1}, "online", True)
    before = await client.get(f"/en/rounds/{round_id}/ballots")
    assert cast.receipt not in before.text
    await change_phase(await make_user(email="officer@example.org", roles={"officer"}), round_id, "results")
    found = await client.get(f"/en/rounds/{round_id}/ballots?receipt={cast.receipt.lower()}")
    soup = BeautifulSoup(found.text, "html.parser")
    assert soup.select_one("tbody code").text == cast.receipt
    assert soup.select_one("tbody li").text.strip() == "Benches"
    assert "No ballot has that receipt code" in (await client.get(f"/en/rounds/{round_id}/ballots?receipt=NOPE")).text
