"""An attacker with a copy of the database, and not the server secret, tries to link ballots to voters.

Voters cast on every channel (accounts, some of them re-voting, through the web pages and
directly; voting codes; the assisted-voting kiosk; a box of paper ballots). The attacker then reads
every table, during voting and after the close, and tries each link a reviewer found before: row
order and ids, the order within each channel, PostgreSQL's `xmin` and `ctid`, SQLite's `rowid`,
sessions, the audit log, the outbox, code and sheet rows. Each attempt must link no more ballots
than pairing at random would (with N voters, about one by chance; the bounds below are ones a
random pairing exceeds less than once in a hundred thousand runs)."""

import json
import random

from pb.db import is_sqlite
from pb.piccolo_app import APP_CONFIG
from pb.rounds.actions import change_phase
from pb.rounds.tables import Round
from pb.voting import actions
from pb.voting.codes import actions as code_actions
from pb.voting.paper import actions as paper_actions
from pb.voting.tables import Ballot, SealedBallot, VoterRegister
from tests.conftest import make_user, sign_in, submit
from tests.voting.test_voting import receipt_shown, review_form, voting_round

ACCOUNTS_DIRECT, ACCOUNTS_WEB, CODES, KIOSK = 24, 4, 18, 8
OVERALL_BOUND = 8  # correct pairings by one ordering: a random pairing averages 1
PER_CHANNEL_BOUND = 16  # the same within each of four channels: a random pairing averages 4


async def _dump() -> dict[str, str]:
    """Every row of every table, as an attacker with the database file or a dump sees them."""
    found = {}
    for table in APP_CONFIG.table_classes:
        found[table._meta.tablename] = json.dumps(await table.select(), default=str)
    return found


def _correct(pairs, truth: dict[str, str]) -> int:
    return sum(1 for voter_key, receipt in pairs if truth.get(voter_key) == receipt)


async def _cast_everywhere(client, round_id: int, area: int, projects: list[int]) -> dict[str, str]:
    """Cast on every channel in a shuffled order; returns the truth: voter key -> receipt that counts."""
    chance = random.Random(20261204)
    truth: dict[str, str] = {}

    def choose() -> dict[int, int]:
        return {p: 1 for p in projects if chance.random() < 0.5} or {projects[0]: 1}

    batch = await code_actions.generate_batch(1, round_id, None, "Letters", CODES)
    codes = await code_actions.batch_codes(1, batch, 0, CODES, "print")
    jobs = [("account", i) for i in range(ACCOUNTS_DIRECT)] + [("code", i) for i in range(CODES)]
    jobs += [("kiosk", i) for i in range(KIOSK)] + [("revote", i) for i in range(6)]
    chance.shuffle(jobs)
    for kind, i in jobs:
        if kind in ("account", "revote"):
            key = actions.voter_key_for_user(round_id, 1000 + i)
            cast = await actions.cast_ballot(round_id, area, key, choose(), "online", True)
        elif kind == "code":
            found = await code_actions.find_code(round_id, codes[i])
            key = found["voter_key"]
            cast = await actions.cast_ballot(round_id, area, key, choose(), "code", True, code_id=found["id"])
        else:
            key = actions.voter_key_for_user(round_id, 5000 + i)
            cast = await actions.cast_ballot(round_id, area, key, choose(), "assisted", True)
        truth[key] = cast.receipt
    for i in range(ACCOUNTS_WEB):  # through the pages: sessions, cookies and the receipt page
        user_id = await make_user(email=f"web{i}@example.org")
        await sign_in(client, f"web{i}@example.org")
        review = await submit(
            client,
            f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes",
            {"area": str(area), "age": "yes", "choice": [str(projects[i % 3])]},
            action=f"/en/rounds/{round_id}/vote/review",
        )
        cast = await client.post(f"/en/rounds/{round_id}/vote/cast", data=review_form(review.text))
        done = await client.get(cast.headers["location"])
        truth[actions.voter_key_for_user(round_id, user_id)] = receipt_shown(done.text)
        client.cookies.clear()  # the next person on another browser
    # A box of paper ballots, entered twice and counted (its voters are anonymous by nature).
    anna = await make_user(email="anna@example.org", roles={"facilitator"})
    bryn = await make_user(email="bryn@example.org", roles={"facilitator"})
    box = await paper_actions.create_batch(anna, round_id, area, "Library box", 2)
    entry = {n: {"code": "", "choices": {projects[n]: 1}, "spoilt": False} for n in (1, 2)}
    await paper_actions.save_entry(anna, box, entry)
    await paper_actions.save_entry(bryn, box, entry)
    await paper_actions.count_batch(bryn, box)
    return truth


async def test_a_copy_of_the_database_links_no_ballot_to_a_voter_during_voting_or_after_the_close(client):
    round_id, area, projects = await voting_round(allow_revote=True)
    truth = await _cast_everywhere(client, round_id, area, projects)
    receipts = set(truth.values())
    assert len(receipts) == len(truth) == ACCOUNTS_DIRECT + CODES + KIOSK + ACCOUNTS_WEB

    # During voting: no receipt and no readable ballot anywhere; the sealed boxes do not open
    # without the secret (pb.voting.sealing is tested for that directly).
    during = await _dump()
    assert json.loads(during["pb_ballot"]) == [] and json.loads(during["pb_ballot_choice"]) == []
    for table, text in during.items():
        assert not any(receipt in text for receipt in receipts), f"a receipt is readable in {table}"

    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    await change_phase(officer_id, round_id, "results")
    after = await _dump()
    assert json.loads(after["pb_sealed_ballot"]) == []
    for table, text in after.items():
        if table not in ("pb_ballot",):
            assert not any(receipt in text for receipt in receipts), f"a receipt is readable in {table}"

    register = [
        (row["voter_key"], row["channel"])
        for row in await VoterRegister.select().where(VoterRegister.round == round_id).order_by(VoterRegister.id)
    ]
    ballots = [
        (row["receipt"], row["channel"]) for row in await Ballot.select().where(Ballot.round == round_id).order_by(Ballot.id)
    ]
    assert {channel for _, channel in ballots} == {"online", "code", "assisted", "paper"}
    # 1. The n-th register row against the n-th ballot (ids, and SQLite's rowid, which is the id).
    assert _correct([(k, r) for (k, _), (r, _) in zip(register, ballots, strict=False)], truth) <= OVERALL_BOUND
    # 2. The same within each channel (the register and the ballots both keep the channel).
    within = 0
    for channel in ("online", "code", "assisted"):
        keys = [k for k, c in register if c == channel]
        cast = [r for r, c in ballots if c == channel]
        within += _correct(list(zip(keys, cast, strict=False)), truth)
    assert within <= PER_CHANNEL_BOUND
    if is_sqlite():
        rows = await Round.raw("SELECT rowid AS physical, receipt FROM pb_ballot WHERE round = {} ORDER BY rowid", round_id)
        assert _correct(list(zip([k for k, _ in register], [r["receipt"] for r in rows], strict=False)), truth) <= OVERALL_BOUND
    else:
        # 3. PostgreSQL's system columns: the transaction that wrote a row, and where it lies on disk.
        ballot_xmins = {r["x"] for r in await Round.raw("SELECT xmin::text AS x FROM pb_ballot WHERE round = {}", round_id)}
        register_xmins = {
            r["x"] for r in await Round.raw("SELECT xmin::text AS x FROM pb_voter_register WHERE round = {}", round_id)
        }
        assert not ballot_xmins & register_xmins, "a ballot was written in a voter's transaction"
        by_ctid = await Round.raw("SELECT receipt FROM pb_ballot WHERE round = {} ORDER BY ctid", round_id)
        assert (
            _correct(list(zip([k for k, _ in register], [r["receipt"] for r in by_ctid], strict=False)), truth) <= OVERALL_BOUND
        )
    assert await SealedBallot.count() == 0
