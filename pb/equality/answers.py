"""Equality answers: sealed as they are sent, mixed when the round's voting closes.

The same design as the ballots (pb.sealed, README "Ballot secrecy"): `send_answers` writes only a
sealed box and the spent invitation's nonce hash, in one transaction that touches nothing about the
person; `mix_answers`, in the transaction that closes voting, opens the round's boxes, shuffles
them, writes them readable (area, way in, answers: no time, no order) and deletes boxes and hashes.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping

from pb import sealed
from pb.db import bulk_insert, for_update, transaction
from pb.equality import invitations
from pb.equality.invitations import Invitation
from pb.equality.tables import Answers, Invited, QuestionSwitchedOff, SealedAnswers, SpentInvitation
from pb.i18n import N_
from pb.refusal import Refusal
from pb.rounds.queries import today
from pb.rounds.tables import Round
from pb.security import keyed_hash

PURPOSE, AAD = "equality-seal", "equality"
# Answers are taken while the round is open to anyone (proposals, sessions, the vote) and mixed as
# voting closes; after that an invitation still in a browser is politely refused.
OPEN_PHASES = ("draft", "proposals", "review", "shortlist", "voting")


ALREADY_SENT = N_("These answers have already been sent. Thank you.")


class AnswersRefused(Refusal):
    """The answers cannot be taken (already sent, or the round has closed)."""


async def switched_off() -> frozenset[str]:
    return frozenset(row["question"] for row in await QuestionSwitchedOff.select(QuestionSwitchedOff.question))


async def send_answers(invitation: Invitation, answers: Mapping[str, tuple[str, ...]], area_id: int | None = None) -> None:
    """Seal one person's answers, once per invitation. Raises AnswersRefused if the invitation has
    been used or the round's voting has closed. `area_id`: the area staff read off a paper slip
    (an invitation for paper slips names none)."""
    area = invitation.area_id if invitation.area_id is not None else area_id
    box = sealed.seal_json(
        PURPOSE,
        AAD,
        invitation.round_id,
        {"a": area, "w": invitation.route, "q": {key: list(values) for key, values in sorted(answers.items())}},
    )
    async with transaction():
        # The round first, as the close locks it first: answers either land before the close (and
        # are mixed) or wait for it and are refused, never left sealed in a closed round.
        current = await for_update(Round.select(Round.phase).where(Round.id == invitation.round_id)).first()
        if current is None or current["phase"] not in OPEN_PHASES:
            raise AnswersRefused(
                N_("This round has closed, so its equality questions are closed too. Thank you for your time."), status_code=409
            )
        spent = (
            await SpentInvitation.insert(SpentInvitation(round=invitation.round_id, nonce_hash=invitation.nonce_hash))
            .on_conflict(target=(SpentInvitation.round, SpentInvitation.nonce_hash), action="DO NOTHING")
            .returning(SpentInvitation.id)
        )
        if not spent:
            raise AnswersRefused(ALREADY_SENT, status_code=409)
        await SealedAnswers.insert(SealedAnswers(round=invitation.round_id, sealed=box))


def person_key(round_id: int, person: str) -> str:
    """The keyed hash naming a person in one round's invitations: "user:<id>" for an account (so a
    resident who proposes, comes to a session and votes is asked once), "code:<code>" for a code."""
    return keyed_hash("equality-invited", f"{round_id}:{person}")


async def invite_once(round_id: int, area_id: int | None, route: str, person: str, *, open_round: bool = False) -> str:
    """An invitation for this person in this round, or "" if they have had one. Recorded now, in its
    own transaction, never with the answers. `open_round`: the caller has just seen the round open
    (a vote was cast in it), so its phase is not read again."""
    if not open_round and await _round_phase(round_id) not in OPEN_PHASES:
        return ""
    added = (
        await Invited.insert(Invited(round=round_id, person_key=person_key(round_id, person)))
        .on_conflict(target=(Invited.round, Invited.person_key), action="DO NOTHING")
        .returning(Invited.id)
    )
    return invitations.invite(round_id, area_id, route, today()) if added else ""


async def _round_phase(round_id: int) -> str | None:
    row = await Round.select(Round.phase).where(Round.id == round_id).first()
    return row["phase"] if row else None


async def waiting(round_id: int) -> int:
    """How many people's answers are sealed, waiting for the close (a count says nothing of anyone)."""
    return await SealedAnswers.count().where(SealedAnswers.round == round_id)


async def mix_answers(round_id: int) -> int:
    """Open every sealed answer of the round, shuffle them, write them readable in that random order
    and delete the boxes and spent invitations. Call inside the transaction that closes voting (the
    round is locked, so no answers land meanwhile). A box that does not open is left out and kept
    sealed: equality answers never stop a vote from closing. Returns how many were mixed."""
    boxes = await SealedAnswers.select(SealedAnswers.id, SealedAnswers.sealed).where(SealedAnswers.round == round_id)
    opened: list[tuple[int | None, str, str]] = []
    read: list[int] = []
    for box in boxes:
        try:
            value = sealed.open_json(PURPOSE, AAD, round_id, box["sealed"])
            area = value["a"]
            opened.append(
                (
                    None if area is None else int(area),
                    str(value["w"]),
                    json.dumps(value["q"], sort_keys=True, separators=(",", ":")),
                )
            )
        except (sealed.Unreadable, KeyError, TypeError, ValueError):
            continue
        read.append(box["id"])
    secrets.SystemRandom().shuffle(opened)
    await bulk_insert("pb_equality_answers", ("round", "area", "route", "answers"), [(round_id, *row) for row in opened])
    for start in range(0, len(read), 1000):
        await SealedAnswers.delete().where(SealedAnswers.id.is_in(read[start : start + 1000]))
    await SpentInvitation.delete().where(SpentInvitation.round == round_id)
    # Who was invited is no longer needed once no more answers can come.
    await Invited.delete().where(Invited.round == round_id)
    return len(opened)


async def answers_of(round_id: int | None) -> list[dict]:
    """The readable answers of a round (or of every round): area, route and the answers decoded."""
    query = Answers.select(Answers.round, Answers.area, Answers.route, Answers.answers)
    if round_id is not None:
        query = query.where(Answers.round == round_id)
    rows = await query
    for row in rows:
        decoded = json.loads(row["answers"])
        row["answers"] = {key: tuple(values) for key, values in decoded.items()}
    return rows


async def phase_changed(actor_id: int, round_id: int, from_phase: str, to_phase: str) -> None:
    if from_phase == "voting":  # voting has closed (to results, or to a counting job)
        await mix_answers(round_id)
