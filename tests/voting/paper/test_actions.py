"""Paper ballots' actions: two entries by two people (enforced by the database), resolving,
counting once under concurrency, codes used online or twice, and the vote not closing early."""

import asyncio

import pytest

from pb.audit.tables import AuditEvent
from pb.db import Conflict, transaction
from pb.rounds import actions as round_actions
from pb.rounds.tables import Round
from pb.voting import actions
from pb.voting.codes import actions as code_actions
from pb.voting.paper import actions as paper_actions
from pb.voting.paper import rules as paper_rules
from pb.voting.tables import PaperBatch, PaperEntry, PaperOutcome, PaperSheet, SealedBallot, VoterRegister
from tests.conftest import make_user, seed_demo
from tests.voting.sealed import ballots_cast
from tests.voting.test_voting import voting_round


async def setup(sheets=3):
    round_id, area, projects = await voting_round(allow_revote=False)
    anna = await make_user(email="anna@example.org", roles={"facilitator"})
    bryn = await make_user(email="bryn@example.org", roles={"facilitator"})
    batch = await paper_actions.create_batch(anna, round_id, area, "Llanrug library box 3", sheets)
    return round_id, area, projects, anna, bryn, batch


def sheet(choices, code="", spoilt=False):
    return {"code": code, "choices": {p: 1 for p in choices}, "spoilt": spoilt}


async def test_two_entries_that_agree_count_and_audit_says_who_not_how():
    round_id, area, projects, anna, bryn, batch = await setup()
    entry = {1: sheet([projects[0]]), 2: sheet([projects[1], projects[2]]), 3: sheet([], spoilt=True)}
    assert await paper_actions.save_entry(anna, batch, entry) == 1
    assert (await paper_actions.get_batch(batch))["status"] == "open"
    assert await paper_actions.save_entry(bryn, batch, entry) == 2
    assert (await paper_actions.get_batch(batch))["status"] == "entered"
    tally = await paper_actions.count_batch(bryn, batch)
    assert tally == {paper_rules.COUNTS: 2, paper_rules.SPOILT: 1, paper_rules.FLAGGED: 0}
    assert [b.channel for b in await ballots_cast(round_id)] == ["paper", "paper"]
    assert await VoterRegister.count().where(VoterRegister.channel == "paper") == 2
    assert await SealedBallot.count().where(SealedBallot.revote_key.is_not_null()) == 0  # a paper vote cannot be changed
    assert (await paper_actions.get_batch(batch))["status"] == "counted"
    actions_logged = [
        e["action"]
        for e in await AuditEvent.select(AuditEvent.action).where(AuditEvent.action.like("paper_batch.%")).order_by(AuditEvent.id)
    ]
    assert actions_logged == ["paper_batch.created", "paper_batch.entry_saved", "paper_batch.entry_saved", "paper_batch.counted"]
    for event in await AuditEvent.select(AuditEvent.details).where(AuditEvent.action.like("paper_batch.%")):
        assert set(__import__("json").loads(event["details"])) <= {
            "round",
            "area",
            "sheets",
            "entry",
            "status",
            "counted",
            "spoilt",
            "flagged",
        }


async def test_the_database_refuses_two_entries_by_one_person_and_a_third_entry():
    round_id, area, projects, anna, bryn, batch = await setup()
    await paper_actions.save_entry(anna, batch, {1: sheet([projects[0]])})
    with pytest.raises(paper_actions.PaperError):
        await paper_actions.save_entry(anna, batch, {1: sheet([projects[0]])})
    # Even written directly, past the action's own check, the unique index refuses it.
    with pytest.raises(Conflict):
        async with transaction():
            await PaperEntry.insert(PaperEntry(batch=batch, number=2, entered_by=anna))
    with pytest.raises(Conflict):
        async with transaction():
            await PaperEntry.insert(PaperEntry(batch=batch, number=1, entered_by=bryn))
    await paper_actions.save_entry(bryn, batch, {1: sheet([projects[0]])})
    carys = await make_user(email="carys@example.org", roles={"officer"})
    with pytest.raises(paper_actions.PaperError):
        await paper_actions.save_entry(carys, batch, {1: sheet([projects[0]])})
    assert await PaperEntry.count() == 2


async def test_concurrent_entries_by_the_same_person_save_one():
    round_id, area, projects, anna, bryn, batch = await setup()
    results = await asyncio.gather(
        *(paper_actions.save_entry(anna, batch, {1: sheet([projects[0]])}) for _ in range(10)), return_exceptions=True
    )
    assert sum(1 for r in results if r == 1) == 1
    assert all(isinstance(r, paper_actions.PaperError) for r in results if r != 1), results
    assert await PaperEntry.count() == 1 and await PaperSheet.count() == 1


async def test_discrepancies_must_be_resolved_before_counting():
    round_id, area, projects, anna, bryn, batch = await setup()
    await paper_actions.save_entry(anna, batch, {1: sheet([projects[0]]), 2: sheet([projects[1]]), 3: sheet([projects[2]])})
    await paper_actions.save_entry(bryn, batch, {1: sheet([projects[0]]), 2: sheet([projects[2]]), 4: sheet([projects[2]])})
    report = await paper_actions.discrepancies(batch)
    assert [d.sheet for d in report["all"]] == [2, 3, 4] and report["unresolved"] == [2, 3, 4]
    assert (await paper_actions.get_batch(batch))["status"] == "discrepancies"
    with pytest.raises(paper_actions.PaperError):
        await paper_actions.count_batch(anna, batch)
    carys = await make_user(email="carys@example.org", roles={"officer"})
    await paper_actions.resolve(carys, batch, 2, report["all"][0].first)
    await paper_actions.resolve(carys, batch, 3, report["all"][1].first)
    with pytest.raises(paper_actions.PaperError):  # sheet 1 had no discrepancy
        await paper_actions.resolve(carys, batch, 1, None)
    await paper_actions.resolve(carys, batch, 4, paper_rules.ABSENT)
    with pytest.raises(paper_actions.PaperError):  # already resolved
        await paper_actions.resolve(carys, batch, 4, paper_rules.ABSENT)
    assert (await paper_actions.get_batch(batch))["status"] == "entered"
    assert (await paper_actions.count_batch(carys, batch))[paper_rules.COUNTS] == 3
    chosen = sorted(project for b in await ballots_cast() for project in b.choices)
    assert chosen == sorted([projects[0], projects[1], projects[2]])
    resolved = await AuditEvent.count().where(AuditEvent.action == "paper_batch.discrepancy_resolved")
    assert resolved == 3


async def test_counting_twice_at_once_counts_once():
    round_id, area, projects, anna, bryn, batch = await setup()
    entry = {n: sheet([projects[n % 3]]) for n in range(1, 4)}
    await paper_actions.save_entry(anna, batch, entry)
    await paper_actions.save_entry(bryn, batch, entry)
    results = await asyncio.gather(
        *(paper_actions.count_batch(anna if i % 2 else bryn, batch) for i in range(20)), return_exceptions=True
    )
    counted = [r for r in results if isinstance(r, dict)]
    refused = [r for r in results if isinstance(r, paper_actions.PaperError)]
    assert len(counted) == 1 and len(refused) == 19, results
    assert len(await ballots_cast(round_id)) == 3
    assert await PaperOutcome.count() == 3
    assert await AuditEvent.count().where(AuditEvent.action == "paper_batch.counted") == 1


async def test_a_code_used_online_is_flagged_and_the_online_ballot_counts_once():
    round_id, area, projects, anna, bryn, batch = await setup(sheets=5)
    code_batch = await code_actions.generate_batch(anna, round_id, None, "Letters", 3)
    used, fresh, _ = await code_actions.batch_codes(anna, code_batch, 0, 3, "print")
    found = await code_actions.find_code(round_id, used)
    await actions.cast_ballot(round_id, area, found["voter_key"], {projects[0]: 1}, "code", False, code_id=found["id"])
    entry = {
        1: sheet([projects[1]], code=used),
        2: sheet([projects[1]], code=fresh.lower()),
        3: sheet([projects[2]], code=fresh),
        4: sheet([projects[2]], code="NOT-A-CODE"),
        5: sheet([projects[2]]),
    }
    await paper_actions.save_entry(anna, batch, entry)
    await paper_actions.save_entry(bryn, batch, entry)
    tally = await paper_actions.count_batch(bryn, batch)
    assert tally == {paper_rules.COUNTS: 2, paper_rules.SPOILT: 0, paper_rules.FLAGGED: 3}
    outcomes = {o["sheet"]: o for o in await paper_actions.outcomes_of(batch)}
    assert outcomes[1]["message"] == paper_rules.CODE_USED  # used online first
    assert outcomes[2]["fate"] == paper_rules.COUNTS  # the first sheet with the fresh code counts
    assert outcomes[3]["message"] == paper_rules.CODE_USED  # the same code again on a later sheet
    assert outcomes[4]["message"] == paper_rules.CODE_UNKNOWN
    assert outcomes[5]["fate"] == paper_rules.COUNTS
    assert await VoterRegister.count().where(VoterRegister.voter_key == found["voter_key"]) == 1
    assert len(await ballots_cast(round_id)) == 3  # online 1 + paper 2
    assert await PaperSheet.count().where(PaperSheet.code_hash.is_not_null()) == 0  # codes' hashes cleared once counted


async def test_a_voided_code_on_paper_is_flagged():
    round_id, area, projects, anna, bryn, batch = await setup(sheets=1)
    code_batch = await code_actions.generate_batch(anna, round_id, None, "Letters", 1)
    (code,) = await code_actions.batch_codes(anna, code_batch, 0, 1, "print")
    await code_actions.void_codes(anna, round_id, [code], "Letter lost in the post")
    assert (await code_actions.find_code(round_id, code))["voided"]
    entry = {1: sheet([projects[1]], code=code)}
    await paper_actions.save_entry(anna, batch, entry)
    await paper_actions.save_entry(bryn, batch, entry)
    assert (await paper_actions.count_batch(bryn, batch))[paper_rules.FLAGGED] == 1
    assert (await paper_actions.outcomes_of(batch))[0]["message"] == paper_rules.CODE_VOIDED


async def test_batches_only_in_the_voting_phase_and_the_vote_cannot_close_with_batches_waiting():
    round_id, area, projects, anna, bryn, batch = await setup(sheets=1)
    officer = await make_user(email="olwen@example.org", roles={"officer"})
    with pytest.raises(round_actions.PaperBatchesWaiting) as waiting:
        await round_actions.change_phase(officer, round_id, "results")
    assert waiting.value.waiting == 1
    assert (await Round.select(Round.phase).where(Round.id == round_id).first())["phase"] == "voting"
    entry = {1: sheet([projects[0]])}
    await paper_actions.save_entry(anna, batch, entry)
    await paper_actions.save_entry(bryn, batch, entry)
    await paper_actions.count_batch(bryn, batch)
    await round_actions.change_phase(officer, round_id, "results")
    with pytest.raises(paper_actions.PaperError):
        await paper_actions.create_batch(anna, round_id, area, "Late box", 3)
    assert await PaperBatch.count() == 1


async def test_demo_paper_batches_are_loaded_once():
    from pb.voting.paper.demo import COUNTED_LABEL, WAITING_LABEL, load_demo_paper

    await seed_demo("accounts", "rounds", "proposals", "voting")  # loads the paper batches once
    await load_demo_paper()
    batches = {b["label"]: b for b in await PaperBatch.select()}
    assert set(batches) == {COUNTED_LABEL, WAITING_LABEL}
    assert batches[COUNTED_LABEL]["status"] == "counted" and batches[WAITING_LABEL]["status"] == "open"
    assert await PaperEntry.count().where(PaperEntry.batch == batches[WAITING_LABEL]["id"]) == 1
    outcomes = await paper_actions.outcomes_of(batches[COUNTED_LABEL]["id"])
    assert [o["fate"] for o in outcomes] == [paper_rules.COUNTS, paper_rules.COUNTS, paper_rules.COUNTS, paper_rules.SPOILT]
