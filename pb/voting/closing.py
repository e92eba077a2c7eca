"""Closing a large vote: the count runs as a job, never inside the officer's request.

Closing the vote of a round whose count may take more than about a second (`counts_quickly`, a pure
rule on its size) moves it to "counting" instead of "results": in that one transaction the vote
closes (every channel refuses ballots outside "voting") and the sealed ballots are mixed into
readable ones, and a `CountingJob` row records the job. Once that commits, the job counts the
areas one by one in a worker thread (pb.voting.results.count_area), noting its progress for the
officer, then moves the round to "results" through the ordinary phase change, whose transaction
writes the frozen results from those counts and deletes the job.

If the job fails, the round stays "counting" with nothing frozen; the officer's page says so and
offers to start the count again. If its worker dies (killed, or the host lost), the job falls silent:
every app process watches for counts silent for `STALLED` (at start-up and every `WATCH_EVERY`) and
starts them again itself, so a count never waits for an officer to notice. Counting is
deterministic and writes nothing before the final transaction, so a second run gives the same
result, and a run that finds the round already in "results" stops.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from pb.config import Settings
from pb.counting import engine as counting
from pb.db import for_update, transaction
from pb.proposals.tables import Proposal
from pb.registry import every
from pb.rounds import actions as round_actions
from pb.rounds.tables import Area, Round
from pb.voting import actions as voting_actions
from pb.voting.results import count_area, freeze_results
from pb.voting.tables import CountingJob, VoterRegister

log = logging.getLogger("pb.voting.closing")

# How much counting is done well within a second on one core (ballots x projects in an area):
# Equal Shares with add-one counts a 2,000-ballot, 50-project area in about 0.2 s (bench/).
QUICK_EQUAL_SHARES = 100_000
QUICK_GREEDY = 5_000_000
STALLED = timedelta(minutes=5)  # a job silent this long has died: it is started again
WATCH_EVERY = timedelta(minutes=1)  # how often each process looks for counts whose worker died

_running: set[asyncio.Task] = set()  # the jobs this process runs (a reference keeps each alive)
_counted: dict[int, dict] = {}  # a job's counts, handed to the transaction that freezes them


def counts_quickly(rule: str, ballots: int, projects: int) -> bool:
    """Whether a vote this size is counted within about a second (else it is counted as a job)."""
    work = ballots * max(projects, 1)
    return work <= (QUICK_EQUAL_SHARES if rule in counting.EQUAL_SHARES_RULES else QUICK_GREEDY)


def stalled(job: dict, now: datetime) -> bool:
    return bool(job["failed"]) or now - job["heartbeat_at"] > STALLED


async def choose_target(round_id: int, from_phase: str, to_phase: str) -> str | None:
    """Closing the vote of a large round goes to "counting" (rounds.phase_target)."""
    if (from_phase, to_phase) != ("voting", "results"):
        return None
    round_row = await Round.select(Round.counting_rule).where(Round.id == round_id).first()
    if round_row is None:  # pragma: no cover - the phase change has just locked it
        return None
    ballots = await VoterRegister.count().where(VoterRegister.round == round_id)
    largest = 0
    for area in await Area.select(Area.id).where(Area.round == round_id):
        on_ballot = await Proposal.count().where(
            (Proposal.round == round_id) & (Proposal.area == area["id"]) & (Proposal.status == "on_ballot")
        )
        largest = max(largest, on_ballot)
    return None if counts_quickly(round_row["counting_rule"], ballots, largest) else "counting"


async def vote_closed_for_counting(actor_id: int | None, round_id: int) -> None:
    """In the transaction that moves the round to "counting": mix the ballots, record the job."""
    await voting_actions.mix_ballots(round_id)
    areas = await Area.count().where(Area.round == round_id)
    await CountingJob.insert(CountingJob(round=round_id, actor_id=actor_id, areas_total=areas))


async def counted_and_frozen(actor_id: int | None, round_id: int) -> None:
    """In the transaction that moves the round from "counting" to "results"."""
    counted = _counted.get(round_id)  # the job forgets them once its transaction is over
    if counted is None:  # pragma: no cover - only the job moves a round out of counting
        raise round_actions.PhaseError("counting")
    await freeze_results(actor_id, round_id, counted)
    await CountingJob.delete().where(CountingJob.round == round_id)


def start(round_id: int) -> None:
    """Run the count of a round in "counting" as a background task of this process."""
    task = asyncio.get_running_loop().create_task(run(round_id))
    _running.add(task)
    task.add_done_callback(_running.discard)


async def started(actor_id: int | None, round_id: int, from_phase: str, to_phase: str) -> None:
    """Once the close has committed, start its count (rounds.phase_committed)."""
    if to_phase == "counting":
        start(round_id)


async def run(round_id: int) -> None:
    try:
        job = await CountingJob.select().where(CountingJob.round == round_id).first()
        round_row = await Round.select().where(Round.id == round_id).first()
        if job is None or round_row is None or round_row["phase"] != "counting":
            return
        counted: dict[int, Any] = {}
        areas = await Area.select().where(Area.round == round_id).order_by(Area.id)
        beating = asyncio.get_running_loop().create_task(_heartbeat(round_id))  # alive, even within one long area
        try:
            for done, area in enumerate(areas, 1):
                counted[area["id"]] = await count_area(round_row, area)
                await CountingJob.update({CountingJob.areas_done: done}).where(CountingJob.round == round_id)
        finally:
            beating.cancel()
        _counted[round_id] = counted
        try:
            await round_actions.change_phase(job["actor_id"], round_id, "results", internal=True)
        except round_actions.PhaseError:
            pass  # another run of this count finished first
        finally:
            _counted.pop(round_id, None)
    except Exception:
        log.exception("The count of round %s failed", round_id)
        await CountingJob.update({CountingJob.failed: True}).where(CountingJob.round == round_id)


HEARTBEAT = 30  # seconds between a running job's signs of life (well within STALLED)


async def _heartbeat(round_id: int) -> None:
    while True:
        await CountingJob.update({CountingJob.heartbeat_at: datetime.now(UTC)}).where(CountingJob.round == round_id)
        await asyncio.sleep(HEARTBEAT)


async def progress(round_id: int) -> dict | None:
    """The count's progress for the officer's page: areas done and total, and whether it stalled."""
    job = await CountingJob.select().where(CountingJob.round == round_id).first()
    if job is None:
        return None
    return {"done": job["areas_done"], "total": job["areas_total"], "stalled": stalled(job, datetime.now(UTC))}


class NotStalled(Exception):
    """The count is running (or done): it is not started twice."""


async def restart(round_id: int) -> None:
    """Start a failed or stalled count again (an officer's action); refuses while it runs."""
    async with transaction():
        await for_update(Round.select(Round.id).where(Round.id == round_id)).first()
        job = await CountingJob.select().where(CountingJob.round == round_id).first()
        if job is None or not stalled(job, datetime.now(UTC)):
            raise NotStalled()
        await CountingJob.update(
            {CountingJob.failed: False, CountingJob.areas_done: 0, CountingJob.heartbeat_at: datetime.now(UTC)}
        ).where(CountingJob.round == round_id)
    start(round_id)


async def resume_silent() -> list[int]:
    """Start again every count whose worker died: silent for STALLED and not failed (a count that
    failed is left for the officer, since running it again unchanged would fail again). Several
    processes may look at once; `restart` lets only one of them start each count."""
    now = datetime.now(UTC)
    jobs = await CountingJob.select(CountingJob.round, CountingJob.heartbeat_at, CountingJob.failed).where(
        CountingJob.failed == False  # noqa: E712 (a Piccolo comparison, not a Python one)
    )
    resumed = []
    for job in jobs:
        if not stalled(job, now):
            continue
        try:
            await restart(job["round"])
        except NotStalled:
            continue  # another process started it first
        log.warning("The count of round %s had stopped without finishing; it has been started again", job["round"])
        resumed.append(job["round"])
    return resumed


async def watch_counts(settings: Settings, stop: asyncio.Event) -> None:
    """The background watch of every app process: at start-up, then every WATCH_EVERY, until asked to stop."""
    await every(WATCH_EVERY.total_seconds(), lambda: resume_silent(), stop, log, "looking for stopped counts")
