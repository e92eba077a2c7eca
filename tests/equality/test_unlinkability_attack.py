"""An attacker with a copy of the database, and not the server secret, tries to link equality
answers to the people who gave them: to their register rows (and so their accounts or codes) and
to their ballots. As for ballots (tests/voting/test_secrecy_attack.py), they try row order and
ids, the order within each way of taking part, PostgreSQL's `xmin` and `ctid`, SQLite's `rowid`,
and every table's text, during voting and after the close. Each attempt must link no more people
than pairing at random would (with 30 people, about one by chance)."""

import datetime as dt
import json

from pb.db import is_sqlite
from pb.equality import answers, invitations, questions
from pb.equality.tables import Answers, SealedAnswers
from pb.rounds.actions import change_phase
from pb.rounds.tables import Round
from pb.voting import actions
from pb.voting.tables import Ballot, VoterRegister
from tests.voting.test_secrecy_attack import _dump
from tests.voting.test_voting import voting_round

PEOPLE = 30
BOUND = 8  # correct pairings by one ordering: a random pairing averages 1

AGES = [value for value, _ in questions.AGE.options if value != "under_16"] + ["not_say"]


def answers_of_person(i: int) -> dict[str, tuple[str, ...]]:
    """A different set of answers for each person, so a link would show."""
    return {
        "age": (AGES[i % 8],),
        "sex": (("female", "male")[(i // 8) % 2],),
        "gender_identity": (("same", "different")[(i // 16) % 2],),
    }


def fingerprint(found: dict) -> str:
    return json.dumps({key: list(values) for key, values in sorted(found.items())}, sort_keys=True)


def _correct(pairs, truth: dict[str, str]) -> int:
    return sum(1 for key, print_ in pairs if truth.get(key) == print_)


async def test_a_copy_of_the_database_links_no_answers_to_a_voter_or_a_ballot():
    round_id, area, projects = await voting_round(allow_revote=False)
    by_voter: dict[str, str] = {}
    by_receipt: dict[str, str] = {}
    for i in range(PEOPLE):
        key = actions.voter_key_for_user(round_id, 1000 + i)
        channel = ("online", "code", "assisted")[i % 3]
        cast = await actions.cast_ballot(round_id, area, key, {projects[i % 3]: 1}, channel, False)
        route = {"online": "online", "code": "code", "assisted": "kiosk"}[channel]
        invitation = invitations.read(await answers.invite_once(round_id, area, route, f"user:{1000 + i}"), dt.date.today())
        assert invitation is not None
        given = answers_of_person(i)
        await answers.send_answers(invitation, given)  # straight after the vote, as the pages do
        by_voter[key] = by_receipt[cast.receipt] = fingerprint(given)

    # During voting nothing readable: no answer value in any table, and no readable answers.
    during = await _dump()
    assert json.loads(during["pb_equality_answers"]) == []
    for table, text in during.items():
        for word in ("different", "35_44", "female"):
            assert f'"{word}"' not in text and f'\\"{word}\\"' not in text, f"an answer is readable in {table}"
    spent = json.loads(during["pb_equality_spent"])
    assert len(spent) == PEOPLE and set(spent[0]) == {"id", "round", "nonce_hash"}  # a hash of a nonce no one kept

    await change_phase(0, round_id, "results")
    after = await _dump()
    assert (
        await SealedAnswers.count() == 0
        and json.loads(after["pb_equality_spent"]) == []
        and json.loads(after["pb_equality_invited"]) == []
    )
    rows = await Answers.select().where(Answers.round == round_id).order_by(Answers.id)
    assert len(rows) == PEOPLE and set(rows[0]) == {"id", "round", "area", "route", "answers"}  # no time, no person
    mixed = [(row["route"], fingerprint({k: tuple(v) for k, v in json.loads(row["answers"]).items()})) for row in rows]
    assert sorted(print_ for _, print_ in mixed) == sorted(by_voter.values())  # every answer kept, none doubled

    register = [
        (row["voter_key"], row["channel"])
        for row in await VoterRegister.select().where(VoterRegister.round == round_id).order_by(VoterRegister.id)
    ]
    ballots = [row["receipt"] for row in await Ballot.select().where(Ballot.round == round_id).order_by(Ballot.id)]
    # 1. The n-th register row, and the n-th ballot, against the n-th answers (ids; SQLite's rowid is the id).
    assert _correct([(k, p) for (k, _), (_, p) in zip(register, mixed, strict=False)], by_voter) <= BOUND
    assert _correct([(r, p) for r, (_, p) in zip(ballots, mixed, strict=False)], by_receipt) <= BOUND
    # 2. The same within each way of voting (both keep it).
    within = 0
    for channel, route in (("online", "online"), ("code", "code"), ("assisted", "kiosk")):
        keys = [k for k, c in register if c == channel]
        given = [p for r, p in mixed if r == route]
        within += _correct(list(zip(keys, given, strict=False)), by_voter)
    assert within <= BOUND + 4
    if is_sqlite():
        physical = await Round.raw("SELECT answers FROM pb_equality_answers WHERE round = {} ORDER BY rowid", round_id)
        prints = [fingerprint({k: tuple(v) for k, v in json.loads(r["answers"]).items()}) for r in physical]
        assert _correct(list(zip([k for k, _ in register], prints, strict=False)), by_voter) <= BOUND
    else:
        # 3. PostgreSQL's system columns: which transaction wrote a row, and where it lies on disk.
        answer_xmins = {
            r["x"] for r in await Round.raw("SELECT xmin::text AS x FROM pb_equality_answers WHERE round = {}", round_id)
        }
        register_xmins = {
            r["x"] for r in await Round.raw("SELECT xmin::text AS x FROM pb_voter_register WHERE round = {}", round_id)
        }
        assert len(answer_xmins) == 1 and not answer_xmins & register_xmins, "answers were written in a voter's transaction"
        by_ctid = await Round.raw("SELECT answers FROM pb_equality_answers WHERE round = {} ORDER BY ctid", round_id)
        prints = [fingerprint({k: tuple(v) for k, v in json.loads(r["answers"]).items()}) for r in by_ctid]
        assert _correct(list(zip([k for k, _ in register], prints, strict=False)), by_voter) <= BOUND
