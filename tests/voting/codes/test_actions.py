"""Voting codes in the database: generating, finding, printing until sealed, voiding, used counts,
and one ballot per code under concurrency, on both engines."""

import asyncio
import json

import pytest

from pb.audit.tables import AuditEvent
from pb.voting import actions
from pb.voting.codes import actions as code_actions
from pb.voting.codes import alphabet
from pb.voting.tables import VoterRegister, VotingCode, VotingCodeBatch
from tests.voting.sealed import ballots_cast
from tests.voting.test_voting import voting_round


async def a_batch(round_id, count=5, area=None, officer=1):
    batch_id = await code_actions.generate_batch(officer, round_id, area, "Letters to Riverside households", count)
    printed = await code_actions.batch_codes(officer, batch_id, 0, count, "print")
    return batch_id, printed


async def cast_with(round_id, area, found, projects, allow_revote=True):
    return await actions.cast_ballot(
        round_id, area, found["voter_key"], {projects[0]: 1}, "code", allow_revote, code_id=found["id"]
    )


async def test_generate_stores_only_keyed_hashes_and_prints_the_same_codes():
    round_id, area, projects = await voting_round()
    batch_id, printed = await a_batch(round_id, count=20, area=area)
    assert len(set(printed)) == 20 and all(alphabet.normalise(c) == c for c in printed)
    assert printed == await code_actions.batch_codes(1, batch_id, 0, 20, "csv")  # deterministic reprint
    rows = await VotingCode.select()
    dumped = json.dumps([*rows, *await VotingCodeBatch.select()], default=str)
    assert not any(c in dumped or c.replace("-", "") in dumped for c in printed)
    assert {r["code_hash"] for r in rows} == {alphabet.code_hash(round_id, c) for c in printed}
    assert all(r["area"] == area for r in rows)
    actions_logged = [e["action"] for e in await AuditEvent.select(AuditEvent.action)]
    assert actions_logged.count("voting_codes.generate") == 1 and "voting_codes.print" in actions_logged
    assert "voting_codes.csv" in actions_logged


async def test_the_codes_of_a_sealed_batch_cannot_be_shown_again():
    round_id, area, projects = await voting_round()
    batch_id, printed = await a_batch(round_id)
    await code_actions.seal_batch(1, batch_id)
    with pytest.raises(code_actions.CodeError):
        await code_actions.batch_codes(1, batch_id, 0, 5, "print")
    assert (await code_actions.find_code(round_id, printed[0]))["voided"] is False  # still usable


async def test_batch_sizes_are_bounded():
    round_id, area, projects = await voting_round()
    for count in (0, 50_001):
        with pytest.raises(code_actions.CodeError):
            await code_actions.generate_batch(1, round_id, None, "x", count)


async def test_find_code_normalises_and_says_voided_and_used():
    round_id, area, projects = await voting_round()
    other_round, other_areas, _ = await voting_round()
    batch_id, printed = await a_batch(round_id)
    found = await code_actions.find_code(round_id, printed[0].lower().replace("-", " "))
    assert found and set(found) == {"id", "area", "voided", "used", "voter_key"}
    assert found["voter_key"] == actions.voter_key_for_code(round_id, alphabet.code_hash(round_id, printed[0]))
    assert not found["used"] and not found["voided"] and found["area"] is None
    assert await code_actions.find_code(other_round, printed[0]) is None  # another round's code
    assert await code_actions.find_code(round_id, printed[0][:-1] + ("A" if printed[0][-1] != "A" else "B")) is None
    assert await code_actions.find_code(round_id, alphabet.new_code(bytes(8))) is None  # well-formed, unknown
    await cast_with(round_id, area, found, projects)
    assert (await code_actions.find_code(round_id, printed[0]))["used"] is True


async def test_a_hundred_concurrent_casts_with_one_code_leave_one_ballot():
    for allow_revote in (False, True):
        round_id, area, projects = await voting_round(allow_revote)
        _, printed = await a_batch(round_id, count=1)
        found = await code_actions.find_code(round_id, printed[0])
        results = await asyncio.gather(
            *(cast_with(round_id, area, found, projects, allow_revote) for _ in range(100)), return_exceptions=True
        )
        accepted = [r for r in results if isinstance(r, actions.Cast)]
        assert all(isinstance(r, (actions.Cast, actions.VotingError)) for r in results), results[:3]
        assert await VoterRegister.count().where(VoterRegister.round == round_id) == 1
        assert len(await ballots_cast(round_id)) == 1
        assert len(accepted) == 1  # a code is one-time whatever the round allows account holders
        assert (await VoterRegister.select(VoterRegister.channel).where(VoterRegister.round == round_id).first())[
            "channel"
        ] == "code"


async def test_a_code_voided_between_lookup_and_cast_casts_nothing():
    round_id, area, projects = await voting_round()
    _, printed = await a_batch(round_id, count=1)
    found = await code_actions.find_code(round_id, printed[0])
    lines = await code_actions.void_codes(1, round_id, [printed[0]], "Letter returned undelivered")
    assert [line.outcome for line in lines] == ["voided"]
    with pytest.raises(actions.VotingError, match="cancelled"):
        await cast_with(round_id, area, found, projects)
    assert await VoterRegister.count() == 0 and await ballots_cast() == []


async def test_voiding_and_casting_at_once_never_both_succeed():
    round_id, area, projects = await voting_round()
    _, printed = await a_batch(round_id, count=10)
    founds = [await code_actions.find_code(round_id, c) for c in printed]
    tasks = []
    for found, code in zip(founds, printed, strict=True):
        tasks.append(cast_with(round_id, area, found, projects))
        tasks.append(code_actions.void_codes(1, round_id, [code], "race"))
    results = await asyncio.gather(*tasks, return_exceptions=True)
    for cast, voids in zip(results[0::2], results[1::2], strict=True):
        assert not isinstance(voids, BaseException), voids
        if isinstance(cast, actions.Cast):
            assert voids[0].outcome == "used"
        else:
            assert isinstance(cast, actions.VotingError) and voids[0].outcome == "voided"
    voided = await VotingCode.count().where(VotingCode.voided_at.is_not_null())
    assert voided + len(await ballots_cast()) == 10


async def test_void_reports_each_line_and_a_used_code_stays_valid():
    round_id, area, projects = await voting_round()
    batch_id, printed = await a_batch(round_id, count=4)
    await cast_with(round_id, area, await code_actions.find_code(round_id, printed[0]), projects)
    lines = await code_actions.void_codes(
        1, round_id, [printed[0], printed[1].lower(), "nonsense", alphabet.new_code(bytes(8))], "Sent to the wrong address"
    )
    assert [line.outcome for line in lines] == ["used", "voided", "malformed", "unknown"]
    assert lines[0].message == "already used — its ballot counts"
    again = await code_actions.void_codes(1, round_id, [printed[1]], "again")
    assert again[0].outcome == "already_voided"
    counts = await code_actions.void_batch(1, batch_id, "Batch misprinted")
    assert counts == {"voided": 2, "used": 1}
    [listed] = await code_actions.batches_of(round_id)
    assert (listed["count"], listed["used"], listed["voided"]) == (4, 1, 3)
    assert (await code_actions.find_code(round_id, printed[0]))["voided"] is False
    assert (
        await AuditEvent.count().where(AuditEvent.action.is_in(["voting_codes.void", "voting_codes.void_batch"])) == 2
    )  # the repeat voided nothing


async def test_used_counts_per_batch():
    round_id, area, projects = await voting_round()
    first, printed_a = await a_batch(round_id, count=3)
    second, printed_b = await a_batch(round_id, count=2)
    for code in (printed_a[0], printed_a[2], printed_b[1]):
        await cast_with(round_id, area, await code_actions.find_code(round_id, code), projects)
    await actions.cast_ballot(round_id, area, actions.voter_key_for_user(round_id, 9), {projects[1]: 1}, "online", True)
    counts = {b["id"]: (b["count"], b["used"], b["voided"]) for b in await code_actions.batches_of(round_id)}
    assert counts == {first: (3, 2, 0), second: (2, 1, 0)}


async def test_a_large_batch_is_generated_in_chunks():
    round_id, area, projects = await voting_round()
    batch_id = await code_actions.generate_batch(1, round_id, None, "Everyone", 2_500)
    assert await VotingCode.count().where(VotingCode.batch == batch_id) == 2_500


async def test_codes_are_made_in_chunks_and_a_batch_interrupted_midway_is_finished(client, monkeypatch):
    """Each chunk of codes is its own short transaction; the batch cannot be printed or sealed until
    the last one is in. A worker that dies midway leaves the batch "being made"; an officer finishes
    it and gets exactly the codes an uninterrupted run gives."""
    from pb.db import transaction
    from tests.conftest import make_user, sign_in, submit

    round_id, area, projects = await voting_round()
    monkeypatch.setattr(code_actions, "CHUNK", 7)
    transactions = {"n": 0}
    real_transaction = code_actions.transaction

    def counted():
        transactions["n"] += 1
        return real_transaction()

    monkeypatch.setattr(code_actions, "transaction", counted)
    batch_id = await code_actions.generate_batch(1, round_id, area, "Chunked", 20)
    assert transactions["n"] == 1 + 3  # the batch, then 7 + 7 + 6 codes
    whole = await code_actions.batch_codes(1, batch_id, 0, 20, "print")
    assert len(set(whole)) == 20

    real_derive = code_actions._derive

    def dies_after_two_chunks(round_, batch, salt, start, stop):
        if start >= 14:
            raise SystemExit("the worker was killed")
        return real_derive(round_, batch, salt, start, stop)

    monkeypatch.setattr(code_actions, "_derive", dies_after_two_chunks)
    with pytest.raises(SystemExit):
        await code_actions.generate_batch(1, round_id, area, "Interrupted", 20)
    interrupted = (await VotingCodeBatch.select().where(VotingCodeBatch.label == "Interrupted").first())["id"]
    assert await VotingCode.count().where(VotingCode.batch == interrupted) == 14
    for refused in (code_actions.batch_codes(1, interrupted, 0, 20, "print"), code_actions.seal_batch(1, interrupted)):
        with pytest.raises(code_actions.CodeError, match="still being made"):
            await refused
    monkeypatch.setattr(code_actions, "_derive", real_derive)

    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    page = await client.get(f"/en/manage/rounds/{round_id}/codes")
    assert "Being made: 14 of 20 codes" in page.text
    async with transaction():
        pass  # nothing holds the database while a batch is half made
    done = await submit(
        client, f"/en/manage/rounds/{round_id}/codes", {}, action=f"/en/manage/rounds/{round_id}/codes/{interrupted}/finish"
    )
    assert done.status_code == 303
    printed = await code_actions.batch_codes(1, interrupted, 0, 20, "print")
    rows = await VotingCode.select().where(VotingCode.batch == interrupted)
    assert sorted(r["position"] for r in rows) == list(range(20))
    assert {r["code_hash"] for r in rows} == {alphabet.code_hash(round_id, c) for c in printed}
    assert await code_actions.make_codes(interrupted) is None  # finishing twice changes nothing
    assert await VotingCode.count().where(VotingCode.batch == interrupted) == 20
