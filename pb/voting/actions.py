"""Casting a vote: the one writer of the register and the ballots.

`cast_ballot` runs in one transaction. The register's unique index on (round, voter_key) makes a
second vote by the same person impossible on any channel; where the round allows re-voting, the
voter's existing ballot is replaced instead (found by its keyed re-vote hash), so exactly one
ballot per voter counts, however many requests arrive at once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from pb.db import for_update, transaction
from pb.i18n import N_
from pb.refusal import Refusal
from pb.security import keyed_hash
from pb.voting.ballots import new_receipt
from pb.voting.tables import Ballot, BallotChoice, VoterRegister, VotingCode


class VotingError(Refusal):
    """The vote was not recorded; the message is a message id for the voter."""


@dataclass(frozen=True)
class Cast:
    receipt: str
    replaced: bool


def voter_key_for_user(round_id: int, user_id: int) -> str:
    return keyed_hash("voter", f"{round_id}:user:{user_id}")


def voter_key_for_code(round_id: int, code_hash: str) -> str:
    return keyed_hash("voter", f"{round_id}:code:{code_hash}")


def _revote_key(round_id: int, voter_key: str) -> str:
    # A different keyed hash from the register's, so the two tables share no value to join on.
    return keyed_hash("revote", f"{round_id}:{voter_key}")


async def cast_ballot(
    round_id: int,
    area_id: int,
    voter_key: str,
    choices: dict[int, int],
    channel: str,
    allow_revote: bool,
    today: date | None = None,
    *,
    code_id: int | None = None,
) -> Cast:
    """Record a validated ballot for a voter, once. Raises VotingError if they already voted and
    the round does not allow changing a vote. With `code_id` (a vote by voting code), the code is
    re-checked in the same transaction: a code voided since it was looked up casts nothing."""
    async with transaction():
        return await _cast_in_transaction(round_id, area_id, voter_key, choices, channel, allow_revote, today, code_id=code_id)


async def _cast_in_transaction(
    round_id: int,
    area_id: int,
    voter_key: str,
    choices: dict[int, int],
    channel: str,
    allow_revote: bool,
    today: date | None = None,
    *,
    code_id: int | None = None,
) -> Cast:
    """cast_ballot's writes, inside a transaction the caller has opened (counting a paper batch
    casts many ballots in one). A VotingError is raised before anything is written, so a caller may
    catch it and go on with its transaction."""
    receipt = new_receipt(secrets.token_bytes(12))
    revote_key = _revote_key(round_id, voter_key) if allow_revote else None
    if code_id is not None:
        # Locked first, as voiding locks it first: a void and a cast of one code queue, and a
        # void waiting behind a cast then sees the cast's register row (so refuses as "used").
        code = await for_update(
            VotingCode.select(VotingCode.voided_at, VotingCode.round, VotingCode.voter_key).where(VotingCode.id == code_id)
        ).first()
        if code is None or code["round"] != round_id or code["voter_key"] != voter_key:
            raise VotingError(N_("This voting code cannot be used in this round"))
        if code["voided_at"] is not None:
            raise VotingError(N_("This voting code has been cancelled"))
    added = (
        await VoterRegister.insert(VoterRegister(round=round_id, voter_key=voter_key, channel=channel))
        .on_conflict(target=(VoterRegister.round, VoterRegister.voter_key), action="DO NOTHING")
        .returning(VoterRegister.id)
    )
    replaced = False
    if not added:
        if not allow_revote:
            raise VotingError(N_("You have already voted in this round"))
        # Concurrent re-votes by one voter queue here, one at a time, on their register row.
        await for_update(
            VoterRegister.select(VoterRegister.id).where(
                (VoterRegister.round == round_id) & (VoterRegister.voter_key == voter_key)
            )
        )
        existing = await Ballot.select(Ballot.id).where(Ballot.revote_key == revote_key).first()
        if existing is None:  # voted on a channel that cannot be changed (for example on paper)
            raise VotingError(N_("You have already voted in this round"))
        await BallotChoice.delete().where(BallotChoice.ballot == existing["id"])
        await Ballot.delete().where(Ballot.id == existing["id"])
        replaced = True
    ballot = Ballot(
        round=round_id, area=area_id, receipt=receipt, revote_key=revote_key, channel=channel, cast_on=today or date.today()
    )
    await Ballot.insert(ballot)
    await BallotChoice.insert(
        *[BallotChoice(ballot=ballot.id, proposal=project, points=points) for project, points in sorted(choices.items())]
    )
    return Cast(receipt=receipt, replaced=replaced)


async def has_voted(round_id: int, voter_key: str) -> bool:
    return await VoterRegister.exists().where((VoterRegister.round == round_id) & (VoterRegister.voter_key == voter_key))
