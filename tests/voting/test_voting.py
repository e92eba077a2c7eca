"""Online voting end to end, one vote per voter under concurrency, and ballot secrecy."""

import asyncio

import pytest
from bs4 import BeautifulSoup

from pb.accounts.tables import SessionRecord
from pb.proposals.tables import Proposal
from pb.rounds.actions import change_phase
from pb.rounds.tables import Round
from pb.voting import actions
from pb.voting.tables import Ballot, BallotChoice, SealedBallot, VoterRegister
from tests.conftest import csrf_from, make_proposal, make_round, make_user, sign_in, submit
from tests.voting.sealed import ballots_cast


def receipt_shown(html: str) -> str:
    """The receipt code on the "your vote has been cast" page."""
    return BeautifulSoup(html, "html.parser").select_one(".govuk-panel__body strong").text


def review_form(html: str) -> dict:
    """The review page's "Cast my vote" form as a browser would send it (with its one-use token)."""
    form = BeautifulSoup(html, "html.parser").select_one("form[action$='/vote/cast']")
    fields: dict = {"_csrf_token": csrf_from(html)}
    for field in form.select("input[type=hidden]"):
        if field["name"] in fields and field["name"] != "_csrf_token":
            fields[field["name"]] = [
                *([fields[field["name"]]] if isinstance(fields[field["name"]], str) else fields[field["name"]]),
                field["value"],
            ]
        else:
            fields[field["name"]] = field["value"]
    return fields


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
    cast = await client.post(f"/en/rounds/{round_id}/vote/cast", data=review_form(review.text))
    assert cast.status_code == 303
    done = await client.get(cast.headers["location"])
    receipt = receipt_shown(done.text)
    [ballot_cast] = await ballots_cast(round_id)
    assert ballot_cast.receipt == receipt and ballot_cast.choices == {projects[0]: 1, projects[1]: 1}
    assert (await client.get(cast.headers["location"])).status_code == 303  # the receipt is shown once
    # Nothing readable is stored while voting is open, and the receipt is in no session row.
    assert await Ballot.count() == 0 and await BallotChoice.count() == 0
    assert receipt not in str(await SessionRecord.select(SessionRecord.data))


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
        [final] = await ballots_cast(round_id)
        if not allow_revote:
            assert len(accepted) == 1
        else:
            # The last acknowledged cast is the one that counts.
            assert final.receipt in {r.receipt for r in accepted}


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
    assert len(await ballots_cast(round_id)) == 1


async def test_ballots_hold_no_identity_and_nothing_readable_until_the_close():
    round_id, area, projects = await voting_round()
    user_id = await make_user(email="voter@example.org")
    cast = await actions.cast_ballot(
        round_id, area, actions.voter_key_for_user(round_id, user_id), {projects[1]: 1}, "online", True
    )
    sealed = await SealedBallot.select().first()
    register = await VoterRegister.select().first()
    dumped = " ".join(str(v) for row in (sealed, register) for v in row.values())
    assert "voter@example.org" not in dumped and f"user:{user_id}" not in dumped
    assert cast.receipt not in dumped and sealed["revote_key"] != register["voter_key"]
    assert await Ballot.count() == 0
    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    await change_phase(officer_id, round_id, "results")
    ballot = await Ballot.select().first()
    assert set(ballot) == {"id", "round", "area", "receipt", "channel"}  # what is published, nothing more
    assert ballot["receipt"] == cast.receipt and await SealedBallot.count() == 0


async def test_a_retried_cast_shows_the_same_receipt_and_casts_once(client):
    """A lost answer, a double click or a worker killed between storing and answering: the voter
    sends the same review form again and sees the receipt of the vote already stored."""
    round_id, area, projects = await voting_round(allow_revote=False)
    await make_user(email="voter@example.org")
    await sign_in(client, "voter@example.org")
    review = await submit(
        client,
        f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes",
        {"area": str(area), "age": "yes", "choice": [str(projects[1])]},
        action=f"/en/rounds/{round_id}/vote/review",
    )
    form = review_form(review.text)
    receipts = []
    for _ in range(3):
        cast = await client.post(f"/en/rounds/{round_id}/vote/cast", data=form)
        assert cast.status_code == 303
        done = await client.get(cast.headers["location"])
        receipts.append(receipt_shown(done.text))
    assert len(set(receipts)) == 1
    assert [b.receipt for b in await ballots_cast(round_id)] == receipts[:1]
    # A different cast token is a second vote, refused as before.
    again = await client.post(f"/en/rounds/{round_id}/vote/cast", data={**form, "cast_token": "A" * 22})
    assert again.status_code == 409 and "You have already voted in this round" in again.text


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
    assert await ballots_cast() == []


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
    assert await ballots_cast() == []


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
    chart = BeautifulSoup(page.text, "html.parser").select_one("figure.pb-chart")  # a chart beside the table, in HTML
    assert [li.get_text(" ", strip=True) for li in chart.select(".pb-chart__legend li")] == ["Funded", "Not funded"]
    assert [li.get_text(" ", strip=True) for li in chart.select(".pb-chart__row")] == [
        "Play area 3 Funded",
        "Benches 2 Funded",
        "Bins 1 Not funded",
    ]
    assert [bar["class"][1] for bar in chart.select(".pb-bar")] == ["pb-bar--100", "pb-bar--67", "pb-bar--34"]
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


async def test_the_close_counts_in_a_worker_thread_not_on_the_event_loop(monkeypatch):
    """An equal-shares count can take seconds: it must not stop the server answering meanwhile."""
    import threading

    from pb.counting import engine

    on_loop_thread: list[bool] = []
    real_count = engine.count

    def recording(*args, **kwargs):
        on_loop_thread.append(threading.current_thread() is threading.main_thread())
        return real_count(*args, **kwargs)

    monkeypatch.setattr(engine, "count", recording)
    round_id, area, projects = await voting_round()
    await actions.cast_ballot(round_id, area, actions.voter_key_for_user(round_id, 1), {projects[0]: 1}, "online", False)
    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    await change_phase(officer_id, round_id, "results")
    assert on_loop_thread == [False]


async def test_casts_racing_the_close_are_either_counted_or_refused_never_lost():
    """The close locks the round; a cast locks it too. So each cast arriving during the close either
    committed before it (and is mixed and counted) or is refused as closed: no receipt is shown for a
    ballot that is then missing from the published ones."""
    round_id, area, projects = await voting_round(allow_revote=False)
    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    for voter in range(5):  # some votes already in
        await actions.cast_ballot(round_id, area, actions.voter_key_for_user(round_id, voter), {projects[0]: 1}, "online", False)

    async def cast(voter: int):
        return await actions.cast_ballot(
            round_id, area, actions.voter_key_for_user(round_id, voter), {projects[1]: 1}, "online", False
        )

    results = await asyncio.gather(
        change_phase(officer_id, round_id, "results"), *(cast(v) for v in range(100, 130)), return_exceptions=True
    )
    assert results[0] == "results", results[0]
    accepted = [r.receipt for r in results[1:] if isinstance(r, actions.Cast)]
    refused = [r for r in results[1:] if isinstance(r, actions.VotingError)]
    assert len(accepted) + len(refused) == 30, [r for r in results[1:] if not isinstance(r, (actions.Cast, actions.VotingError))]
    published = {row["receipt"] for row in await Ballot.select(Ballot.receipt).where(Ballot.round == round_id)}
    assert set(accepted) <= published and len(published) == 5 + len(accepted)
    assert await SealedBallot.count() == 0
    assert await VoterRegister.count().where(VoterRegister.round == round_id) == len(published)


async def test_a_vote_after_the_close_is_refused():
    round_id, area, projects = await voting_round(allow_revote=False)
    await Round.update({Round.phase: "results"}).where(Round.id == round_id)
    with pytest.raises(actions.VotingError, match="closed"):
        await actions.cast_ballot(round_id, area, "someone", {projects[0]: 1}, "online", False)


async def test_a_box_that_does_not_open_stops_the_close_with_a_reason_not_a_server_error():
    round_id, area, projects = await voting_round(allow_revote=False)
    await actions.cast_ballot(round_id, area, "voter-1", {projects[0]: 1}, "online", False)
    await SealedBallot.update({SealedBallot.sealed: "AAAA" + (await SealedBallot.select().first())["sealed"][4:]}).where(
        SealedBallot.round == round_id
    )
    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    with pytest.raises(actions.SealError):
        await change_phase(officer_id, round_id, "results")
    assert (await Round.select(Round.phase).where(Round.id == round_id).first())["phase"] == "voting"
    assert await SealedBallot.count() == 1 and await Ballot.count() == 0  # nothing half done


async def test_ballots_stored_readable_before_sealing_are_shuffled_in_with_the_rest_at_the_close():
    """A round voting while pb was upgraded: its old readable ballots (ids in voting order) are
    rewritten with the sealed ones in one random order, so their ids no longer follow the register."""
    round_id, area, projects = await voting_round(allow_revote=False)
    old = Ballot(round=round_id, area=area, receipt="OLDB-ALLO-T234", channel="online")
    await Ballot.insert(old)
    await BallotChoice.insert(BallotChoice(ballot=old.id, proposal=projects[2], points=1))
    new = await actions.cast_ballot(round_id, area, "voter-1", {projects[0]: 1}, "online", False)
    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    await change_phase(officer_id, round_id, "results")
    rows = await Ballot.select(Ballot.id, Ballot.receipt).where(Ballot.round == round_id)
    assert {r["receipt"] for r in rows} == {"OLDB-ALLO-T234", new.receipt}
    assert {b.receipt: b.choices for b in await ballots_cast(round_id)}["OLDB-ALLO-T234"] == {projects[2]: 1}
