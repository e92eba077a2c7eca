"""A worker killed the moment a ballot is stored: the voter sends the same form again to the
restarted server and sees that ballot's receipt, not "you have already voted"; one ballot counts.

`pb run` is a real process here, killed with SIGKILL as soon as the voter's register row is visible
in the database (so before, or at best just as, it answers). Sessions live in the database, so the
restarted server knows the voter."""

import asyncio
import signal

import httpx

from pb.voting.tables import VoterRegister
from tests.conftest import free_port, make_user, start_pb, submit
from tests.voting.sealed import ballots_cast
from tests.voting.test_voting import receipt_shown, review_form, voting_round


async def test_a_worker_killed_as_the_ballot_is_stored_then_the_retry_shows_its_receipt():
    round_id, area, projects = await voting_round(allow_revote=False)
    await make_user(email="voter@example.org")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = await start_pb(port)
    try:
        async with httpx.AsyncClient(base_url=base) as voter:
            await submit(voter, "/en/sign-in", {"email": "voter@example.org", "password": "correct horse battery"})
            review = await submit(
                voter,
                f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes",
                {"area": str(area), "age": "yes", "choice": [str(projects[1])]},
                action=f"/en/rounds/{round_id}/vote/review",
            )
            form = review_form(review.text)
            cast = asyncio.create_task(voter.post(f"/en/rounds/{round_id}/vote/cast", data=form))
            for _ in range(20_000):  # watch the database; kill the worker the moment the vote is in
                if await VoterRegister.exists().where(VoterRegister.round == round_id):
                    process.send_signal(signal.SIGKILL)
                    break
                await asyncio.sleep(0.0005)
            else:
                raise AssertionError("the ballot was never stored")
            await process.wait()
            try:
                await cast  # the answer, if it left before the kill; usually the connection dies
            except httpx.TransportError:
                pass
            process = await start_pb(port)
            retried = await voter.post(f"/en/rounds/{round_id}/vote/cast", data=form)
            assert retried.status_code == 303 and retried.headers["location"].endswith("/vote/done"), retried.text[:500]
            done = await voter.get(retried.headers["location"])
            receipt = receipt_shown(done.text)
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()
    assert [b.receipt for b in await ballots_cast(round_id)] == [receipt]
    assert await VoterRegister.count().where(VoterRegister.round == round_id) == 1
