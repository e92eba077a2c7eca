"""Closing a large vote: the count runs as a job after the officer's request, with its progress shown,
and the round moves to results only when the frozen results are written.

`closing.QUICK_*` is set to nothing here, so these small rounds take the path a city's round takes.
"""

import asyncio

import pytest
from bs4 import BeautifulSoup

from pb.counting import engine as counting
from pb.proposals.tables import Proposal
from pb.rounds.actions import change_phase
from pb.rounds.tables import Round
from pb.voting import actions, closing
from pb.voting.tables import Ballot, CountingJob, ResultLine, SealedBallot
from tests.conftest import make_user, sign_in, submit
from tests.voting.test_voting import voting_round


@pytest.fixture
def large(monkeypatch):
    """Every vote counts as large: closing it goes through "counting" and a job."""
    monkeypatch.setattr(closing, "QUICK_EQUAL_SHARES", 0)
    monkeypatch.setattr(closing, "QUICK_GREEDY", 0)


async def cast_some(round_id, area, projects):
    choices = ({projects[0]: 1}, {projects[1]: 1, projects[2]: 1}, {projects[1]: 1}, {projects[2]: 1})
    for n, chosen in enumerate(choices):
        key = actions.voter_key_for_user(round_id, 1000 + n)
        await actions.cast_ballot(round_id, area, key, chosen, "online", False)


async def phase_of(round_id):
    return (await Round.select(Round.phase).where(Round.id == round_id).first())["phase"]


async def until_results(round_id):
    """Wait for the job (it runs on this event loop) to move the round on."""
    for _ in range(200):
        if await phase_of(round_id) != "counting":
            return await phase_of(round_id)
        await asyncio.sleep(0.05)
    return await phase_of(round_id)


def test_the_size_of_a_vote_decides_whether_it_is_counted_in_the_request():
    assert closing.counts_quickly("equalshares/add1", 200, 20)
    assert not closing.counts_quickly("equalshares/add1", 60_000, 80)
    assert closing.counts_quickly("greedy", 60_000, 80)
    assert not closing.counts_quickly("greedy", 1_000_000, 80)


async def test_an_officer_closes_a_large_vote_and_the_count_runs_as_a_job(client, large):
    round_id, area, projects = await voting_round()
    await cast_some(round_id, area, projects)
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    started = asyncio.Event()
    release = asyncio.Event()
    real_count_area = closing.count_area

    async def held(round_row, area_row):  # hold the job at its first area, to look at the round meanwhile
        started.set()
        await release.wait()
        return await real_count_area(round_row, area_row)

    closing.count_area = held
    try:
        answer = await submit(client, f"/en/manage/rounds/{round_id}/phase?to=results", {"to": "results", "confirm": "yes"})
        assert answer.status_code == 303
        await asyncio.wait_for(started.wait(), 10)
        # Voting is closed, ballots are mixed, nothing is published yet.
        assert await phase_of(round_id) == "counting"
        assert await SealedBallot.count() == 0 and await Ballot.count() == 4 and await ResultLine.count() == 0
        with pytest.raises(actions.VotingError):
            await actions.cast_ballot(
                round_id, area, actions.voter_key_for_user(round_id, 2000), {projects[0]: 1}, "online", False
            )
        for lang, text in (("en", "0 of 1 area counted."), ("cy", "0 o 1 ardal wedi’u cyfrif.")):
            page = await client.get(f"/{lang}/manage/rounds/{round_id}")
            assert page.status_code == 200
            assert text in BeautifulSoup(page.text, "html.parser").select_one("#counting-progress").get_text(" ", strip=True)
        public = await client.get(f"/en/rounds/{round_id}")
        assert public.status_code == 200 and "Counting the votes" in public.text
        pending = await client.get(f"/en/rounds/{round_id}/results")
        assert "The votes are being counted" in pending.text and "govuk-table" not in pending.text
    finally:
        release.set()
        closing.count_area = real_count_area
    assert await until_results(round_id) == "results"
    assert await CountingJob.count() == 0
    lines = await ResultLine.select().where(ResultLine.round == round_id)
    funded = {line["proposal"] for line in lines if line["funded"]}
    expected = counting.count(
        [counting.Project(str(p), c) for p, c in zip(projects, (6_000_00, 3_000_00, 2_000_00), strict=True)],
        [{str(projects[0])}, {str(projects[1]), str(projects[2])}, {str(projects[1])}, {str(projects[2])}],
        10_000_00,
        "greedy",
    )
    assert funded == {int(p) for p in expected.selected}
    statuses = {row["id"]: row["status"] for row in await Proposal.select(Proposal.id, Proposal.status)}
    assert {p for p in projects if statuses[p] == "funded"} == funded
    results = await client.get(f"/en/rounds/{round_id}/results")
    assert results.status_code == 200


async def test_a_count_that_failed_is_started_again_by_an_officer_and_gives_the_result(client, large, monkeypatch):
    round_id, area, projects = await voting_round()
    await cast_some(round_id, area, projects)
    officer_id = await make_user(email="officer@example.org", roles={"officer"})

    async def broken(round_row, area_row):
        raise RuntimeError("the worker ran out of memory")

    monkeypatch.setattr(closing, "count_area", broken)
    assert await change_phase(officer_id, round_id, "results") == "counting"
    for _ in range(100):
        job = await CountingJob.select().first()
        if job["failed"]:
            break
        await asyncio.sleep(0.05)
    assert job["failed"] and await phase_of(round_id) == "counting" and await ResultLine.count() == 0

    monkeypatch.undo()
    monkeypatch.setattr(closing, "QUICK_EQUAL_SHARES", 0)
    await sign_in(client, "officer@example.org")
    page = await client.get(f"/cy/manage/rounds/{round_id}")
    form = BeautifulSoup(page.text, "html.parser").select_one(f"form[action$='/manage/rounds/{round_id}/count']")
    assert form is not None and "Dechrau’r cyfrif eto" in form.get_text()
    again = await submit(client, f"/en/manage/rounds/{round_id}", {}, action=f"/en/manage/rounds/{round_id}/count")
    assert again.status_code == 303 and "count_restarted=1" in again.headers["location"]
    assert await until_results(round_id) == "results"
    assert await ResultLine.count() == 3 and await CountingJob.count() == 0


async def test_a_running_count_is_not_started_twice(client, large):
    round_id, area, projects = await voting_round()
    await cast_some(round_id, area, projects)
    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    real_start = closing.start
    closing.start = lambda round_id: None  # the job has "started" elsewhere and is alive
    try:
        assert await change_phase(officer_id, round_id, "results") == "counting"
        with pytest.raises(closing.NotStalled):
            await closing.restart(round_id)
        await sign_in(client, "officer@example.org")
        page = await client.get(f"/en/manage/rounds/{round_id}")
        assert "Start the count again" not in page.text and "Check the progress" in page.text
    finally:
        closing.start = real_start


async def test_small_votes_are_still_counted_in_the_closing_request():
    round_id, area, projects = await voting_round()
    await cast_some(round_id, area, projects)
    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    assert await change_phase(officer_id, round_id, "results") == "results"
    assert await ResultLine.count() == 3 and await CountingJob.count() == 0


async def test_casts_racing_a_large_close_are_either_counted_or_refused_never_lost(large):
    round_id, area, projects = await voting_round(allow_revote=False)
    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    await cast_some(round_id, area, projects)

    async def cast(voter: int):
        key = actions.voter_key_for_user(round_id, voter)
        return await actions.cast_ballot(round_id, area, key, {projects[1]: 1}, "online", False)

    results = await asyncio.gather(
        change_phase(officer_id, round_id, "results"), *(cast(v) for v in range(100, 120)), return_exceptions=True
    )
    assert results[0] == "counting", results[0]
    accepted = [r.receipt for r in results[1:] if isinstance(r, actions.Cast)]
    refused = [r for r in results[1:] if isinstance(r, actions.VotingError)]
    assert len(accepted) + len(refused) == 20
    assert await until_results(round_id) == "results"
    published = {row["receipt"] for row in await Ballot.select(Ballot.receipt).where(Ballot.round == round_id)}
    assert set(accepted) <= published and len(published) == 4 + len(accepted)
    votes = sum(line["votes"] for line in await ResultLine.select().where(ResultLine.proposal == projects[1]))
    assert votes == 2 + len(accepted)


async def _silent_for(round_id, gap):
    """The job's last sign of life was `gap` ago, as when its worker was killed."""
    from datetime import UTC, datetime

    await CountingJob.update({CountingJob.heartbeat_at: datetime.now(UTC) - gap}).where(CountingJob.round == round_id)


async def test_a_count_whose_worker_died_is_started_again_by_the_watch_without_an_officer(large):
    from datetime import timedelta

    round_id, area, projects = await voting_round()
    await cast_some(round_id, area, projects)
    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    real_start = closing.start
    closing.start = lambda round_id: None  # the worker that took the job is killed before it counts
    try:
        assert await change_phase(officer_id, round_id, "results") == "counting"
    finally:
        closing.start = real_start
    # Silent, but not yet for long enough: nothing is started twice.
    await _silent_for(round_id, closing.STALLED - timedelta(seconds=30))
    assert await closing.resume_silent() == []
    assert await phase_of(round_id) == "counting"
    # Silent for longer than STALLED: two processes look at once; only one starts the count.
    await _silent_for(round_id, closing.STALLED + timedelta(seconds=1))
    first, second = await asyncio.gather(closing.resume_silent(), closing.resume_silent())
    assert sorted(first + second) == [round_id]
    assert await until_results(round_id) == "results"
    assert await ResultLine.count() == 3 and await CountingJob.count() == 0


async def test_a_count_that_failed_is_left_for_the_officer_not_restarted_in_a_loop(large, monkeypatch):

    round_id, area, projects = await voting_round()
    await cast_some(round_id, area, projects)
    officer_id = await make_user(email="officer@example.org", roles={"officer"})

    async def broken(round_row, area_row):
        raise RuntimeError("a bad file")

    monkeypatch.setattr(closing, "count_area", broken)
    assert await change_phase(officer_id, round_id, "results") == "counting"
    for _ in range(100):
        if (await CountingJob.select().first())["failed"]:
            break
        await asyncio.sleep(0.05)
    await _silent_for(round_id, closing.STALLED * 2)
    assert await closing.resume_silent() == []
    job = await CountingJob.select().first()
    assert job["failed"] and await phase_of(round_id) == "counting"


async def test_the_watch_runs_at_start_up_and_stops_when_asked(monkeypatch):
    calls = []

    async def looked():
        calls.append(1)
        return []

    monkeypatch.setattr(closing, "resume_silent", looked)
    stop = asyncio.Event()
    watching = asyncio.create_task(closing.watch_counts(None, stop))
    for _ in range(100):
        if calls:
            break
        await asyncio.sleep(0.01)
    assert calls == [1]  # at start-up, not after the first minute
    stop.set()
    await asyncio.wait_for(watching, 2)
