"""Casting a vote and mixing the ballots at the close: the one writer of the register, the sealed
ballots and the readable ballots.

`cast_ballot` runs in one transaction: it adds the voter to the register (whose unique index on
(round, voter_key) makes a second vote impossible on any channel) and writes the ballot only as a
sealed box (pb.voting.sealing). Where the voter may replace their ballot (an account, in a round that
allows it) the box carries a keyed re-vote hash, so casting again replaces that box. A retried cast
with the same one-use token (a lost answer, a double click, a killed worker) answers with the same
receipt and writes nothing.

`mix_ballots` runs inside the transaction that closes voting: it opens every box of the round,
shuffles them, writes the readable ballots in that random order and deletes the boxes. It writes no
register row, so a readable ballot shares no transaction, order or time with anything that names a
voter."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from pb.db import bulk_insert, for_update, transaction
from pb.i18n import N_
from pb.refusal import Refusal
from pb.rounds.tables import Round
from pb.security import keyed_hash
from pb.voting import sealing
from pb.voting.ballots import may_replace, new_receipt
from pb.voting.tables import Ballot, BallotChoice, SealedBallot, VoterRegister, VotingCode


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
    *,
    code_id: int | None = None,
    cast_token: str | None = None,
) -> Cast:
    """Record a validated ballot for a voter, once. Raises VotingError if they already voted and
    may not replace their vote (only an account may, where the round allows it). With `code_id` (a
    vote by voting code), the code is re-checked in the same transaction: a code voided since it was
    looked up casts nothing. With `cast_token` (the review page's one-use token), the receipt is
    derived from it and a repeat of the same cast returns the same receipt."""
    async with transaction():
        return await _cast_in_transaction(
            round_id, area_id, voter_key, choices, channel, allow_revote, code_id=code_id, cast_token=cast_token
        )


async def _cast_in_transaction(
    round_id: int,
    area_id: int,
    voter_key: str,
    choices: dict[int, int],
    channel: str,
    allow_revote: bool,
    *,
    code_id: int | None = None,
    cast_token: str | None = None,
) -> Cast:
    """cast_ballot's writes, inside a transaction the caller has opened (counting a paper batch
    casts many ballots in one). A VotingError is raised before anything is written, so a caller may
    catch it and go on with its transaction."""
    token = cast_token if sealing.is_cast_token(cast_token) else None
    receipt = sealing.receipt_for(round_id, voter_key, token) if token else new_receipt(secrets.token_bytes(12))
    token_hash = sealing.token_hash(token) if token else None
    replaceable = may_replace(allow_revote, channel)
    revote_key = _revote_key(round_id, voter_key) if replaceable else None
    # The round first, as closing the vote locks it first: a cast either commits before the close
    # (and is mixed and counted) or waits for it and is refused, never lands in a closed round.
    current = await for_update(Round.select(Round.phase).where(Round.id == round_id)).first()
    if current is None or current["phase"] != "voting":
        raise VotingError(N_("Voting in this round is closed"))
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
        await VoterRegister.insert(
            VoterRegister(round=round_id, voter_key=voter_key, channel=channel, cast_token_hash=token_hash)
        )
        .on_conflict(target=(VoterRegister.round, VoterRegister.voter_key), action="DO NOTHING")
        .returning(VoterRegister.id)
    )
    replaced = False
    if not added:
        # Concurrent casts by one voter queue here, one at a time, on their register row.
        registered = await for_update(
            VoterRegister.select(VoterRegister.id, VoterRegister.cast_token_hash).where(
                (VoterRegister.round == round_id) & (VoterRegister.voter_key == voter_key)
            )
        ).first()
        if token_hash is not None and registered is not None and registered["cast_token_hash"] == token_hash:
            return Cast(receipt=receipt, replaced=False)  # the same cast again: nothing new written
        if not replaceable or registered is None:
            raise VotingError(N_("You have already voted in this round"))
        deleted = await SealedBallot.delete().where(SealedBallot.revote_key == revote_key).returning(SealedBallot.id)
        if not deleted:  # voted on a channel that cannot be changed (for example on paper)
            raise VotingError(N_("You have already voted in this round"))
        await VoterRegister.update({VoterRegister.cast_token_hash: token_hash}).where(VoterRegister.id == registered["id"])
        replaced = True
    contents = sealing.Contents(area=area_id, receipt=receipt, channel=channel, choices=dict(choices))
    await SealedBallot.insert(SealedBallot(round=round_id, revote_key=revote_key, sealed=sealing.seal(round_id, contents)))
    return Cast(receipt=receipt, replaced=replaced)


async def has_voted(round_id: int, voter_key: str) -> bool:
    return await VoterRegister.exists().where((VoterRegister.round == round_id) & (VoterRegister.voter_key == voter_key))


class SealError(Refusal):
    """The close cannot go on: a sealed ballot does not open."""


async def mix_ballots(round_id: int) -> int:
    """Open every sealed ballot of the round, shuffle them, write them as readable ballots in that
    random order and delete the boxes. Call inside the transaction that closes voting (it writes no
    register row; the round is locked, so no cast lands meanwhile). Ballots already readable in the
    round (stored before ballots were sealed) are taken up and shuffled with them. Returns the number
    of ballots mixed."""
    boxes = await SealedBallot.select(SealedBallot.id, SealedBallot.sealed).where(SealedBallot.round == round_id)
    try:
        opened = [sealing.open_box(round_id, box["sealed"]) for box in boxes]
    except sealing.Unreadable:
        raise SealError(
            N_("A sealed ballot of this round cannot be opened with this server's secret. Voting cannot close until it can."),
            status_code=409,
        ) from None
    legacy = await Ballot.select(Ballot.id, Ballot.area, Ballot.receipt, Ballot.channel).where(Ballot.round == round_id)
    if legacy:
        chosen: dict[int, dict[int, int]] = {}
        for start in range(0, len(legacy), 1000):
            chunk = [row["id"] for row in legacy[start : start + 1000]]
            for choice in await BallotChoice.select().where(BallotChoice.ballot.is_in(chunk)):
                chosen.setdefault(choice["ballot"], {})[choice["proposal"]] = choice["points"]
            await BallotChoice.delete().where(BallotChoice.ballot.is_in(chunk))
        opened += [sealing.Contents(row["area"], row["receipt"], row["channel"], chosen.get(row["id"], {})) for row in legacy]
        await Ballot.delete().where(Ballot.round == round_id)
    secrets.SystemRandom().shuffle(opened)
    await bulk_insert(
        "pb_ballot", ("round", "area", "receipt", "channel"), [(round_id, b.area, b.receipt, b.channel) for b in opened]
    )
    ids = {row["receipt"]: row["id"] for row in await Ballot.select(Ballot.id, Ballot.receipt).where(Ballot.round == round_id)}
    await bulk_insert(
        "pb_ballot_choice",
        ("ballot", "proposal", "points"),
        [(ids[b.receipt], project, points) for b in opened for project, points in sorted(b.choices.items())],
    )
    read = [box["id"] for box in boxes]
    for start in range(0, len(read), 1000):
        await SealedBallot.delete().where(SealedBallot.id.is_in(read[start : start + 1000]))
    return len(opened)
