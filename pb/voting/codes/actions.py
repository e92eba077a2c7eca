"""Voting codes: generating batches, finding a code, printing until sealed, voiding.

Each action that changes state is the one writer of it, in one transaction, audited. A code is
"used" exactly when the register holds its voter key: there is no second flag to disagree with it.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pb.accounts import actions as account_actions
from pb.accounts import rules as account_rules
from pb.audit.actions import record
from pb.db import Conflict, for_update, transaction
from pb.i18n import N_
from pb.refusal import Refusal
from pb.security import keyed_hash
from pb.voting.actions import voter_key_for_code
from pb.voting.codes import alphabet
from pb.voting.tables import PaperSheet, VoterRegister, VotingCode, VotingCodeBatch

MAX_BATCH = 50_000
CHUNK = 1_000  # codes per insert and per transaction (asyncpg refuses more than 32,767 parameters at once)
MAKING = N_("This batch's codes are still being made: wait until they are all in")


class CodeError(Refusal):
    """The action was refused; the message is a message id."""


def now() -> datetime:
    return datetime.now(UTC)


async def find_code(round_id: int, text: str) -> dict | None:
    """A code as typed, looked up in a round: {"id", "area", "voided", "used", "voter_key"}, or None
    when it is malformed (caught by its check character, with no lookup), unknown or of another round."""
    code = alphabet.normalise(text)
    if code is None:
        return None
    hashed = alphabet.code_hash(round_id, code)
    row = (
        await VotingCode.select(VotingCode.id, VotingCode.area, VotingCode.voided_at, VotingCode.voter_key)
        .where((VotingCode.code_hash == hashed) & (VotingCode.round == round_id))
        .first()
    )
    if row is None:
        return None
    used = await _used(round_id, row["voter_key"], hashed)
    return {
        "id": row["id"],
        "area": row["area"],
        "voided": row["voided_at"] is not None,
        "used": used,
        "voter_key": row["voter_key"],
    }


async def code_by_id(code_id: int) -> dict | None:
    """A code by its id (as kept in a voter's session), with whether it is voided or used."""
    row = (
        await VotingCode.select(
            VotingCode.id, VotingCode.round, VotingCode.area, VotingCode.voided_at, VotingCode.voter_key, VotingCode.code_hash
        )
        .where(VotingCode.id == code_id)
        .first()
    )
    if row is None:
        return None
    used = await _used(row["round"], row["voter_key"], row["code_hash"])
    return {
        "id": row["id"],
        "round": row["round"],
        "area": row["area"],
        "voided": row["voided_at"] is not None,
        "used": used,
        "voter_key": row["voter_key"],
    }


async def _used(round_id: int, voter_key: str, code_hash: str) -> bool:
    """Whether a code has voted: the register holds it, or a paper ballot carrying it waits in a
    batch not yet counted (counting registers it, and would flag it if it had voted online since)."""
    if await VoterRegister.exists().where((VoterRegister.round == round_id) & (VoterRegister.voter_key == voter_key)):
        return True
    # A code on a sheet as typed, or as corrected when the two entries were resolved.
    waiting = await PaperSheet.raw(
        "SELECT 1 AS waiting FROM pb_paper_sheet AS sheet"
        " JOIN pb_paper_entry AS entry ON entry.id = sheet.entry"
        " JOIN pb_paper_batch AS batch ON batch.id = entry.batch"
        " WHERE sheet.code_hash = {} AND batch.round = {} AND batch.status NOT IN ('counted', 'cancelled')"
        " UNION ALL"
        " SELECT 1 AS waiting FROM pb_paper_resolution AS resolution"
        " JOIN pb_paper_batch AS batch ON batch.id = resolution.batch"
        " WHERE resolution.code_hash = {} AND batch.round = {} AND batch.status NOT IN ('counted', 'cancelled')",
        code_hash,
        round_id,
        code_hash,
        round_id,
    )
    return bool(waiting)


def _derive(round_id: int, batch_id: int, salt: str, start: int, stop: int) -> list[tuple[int, str, str]] | None:
    """(position, code hash, voter key) for codes start..stop-1 of a batch; None if two coincide."""
    rows = []
    seen = set()
    for position in range(start, stop):
        hashed = alphabet.code_hash(round_id, alphabet.derived_code(batch_id, salt, position))
        if hashed in seen:
            return None
        seen.add(hashed)
        rows.append((position, hashed, voter_key_for_code(round_id, hashed)))
    return rows


class _Collision(Exception):
    pass


async def generate_batch(officer_id: int, round_id: int, area_id: int | None, label: str, count: int) -> int:
    """Make `count` codes for a round (for one area, or any). Only keyed hashes are stored; the codes
    themselves can be derived again from the batch's salt until the batch is sealed.

    The batch is recorded first, then its codes are written CHUNK at a time, each chunk in its own
    short transaction, so that 50,000 codes never hold the database (on SQLite, every other write)
    for seconds; the batch becomes printable when the last chunk is in. If the worker dies midway,
    `make_codes` finishes the batch: the codes are derived again from its salt."""
    if not 1 <= count <= MAX_BATCH:
        raise CodeError(N_("Enter a number of codes from 1 to 50,000"))
    for _ in range(5):  # a repeated code is astronomically unlikely (55 bits); a fresh salt cures it
        async with transaction():
            batch = VotingCodeBatch(
                round=round_id,
                area=area_id,
                label=label,
                count=count,
                salt=secrets.token_hex(16),
                created_by=officer_id,
                created_at=now(),
                making=True,
            )
            await VotingCodeBatch.insert(batch)
            await record(officer_id, "voting_codes.generate", f"round:{round_id}", batch=batch.id, count=count, area=area_id)
        try:
            await make_codes(batch.id)
            return batch.id
        except _Collision:
            async with transaction():
                await VotingCode.delete().where(VotingCode.batch == batch.id)
                await VotingCodeBatch.delete().where(VotingCodeBatch.id == batch.id)
    raise CodeError(N_("The codes could not be made. Try again."))


async def finish_batch(batch_id: int) -> None:
    """An officer finishes a batch whose making stopped (its worker died)."""
    try:
        await make_codes(batch_id)
    except _Collision:  # pragma: no cover - 55-bit codes: astronomically unlikely
        raise CodeError(N_("The codes could not be made. Try again.")) from None


async def make_codes(batch_id: int) -> None:
    """Write the codes of a batch still being made, from the first one missing, then mark it made."""
    batch = await VotingCodeBatch.select().where(VotingCodeBatch.id == batch_id).first()
    if batch is None or not batch["making"]:
        return
    made = await VotingCode.count().where(VotingCode.batch == batch_id)
    for start in range(made, batch["count"], CHUNK):
        stop = min(batch["count"], start + CHUNK)
        # Hashing a chunk's HMACs takes a moment: off the event loop, so other requests go on.
        rows = await asyncio.to_thread(_derive, batch["round"], batch_id, batch["salt"], start, stop)
        if rows is None:
            raise _Collision()
        try:
            async with transaction():
                await VotingCode.insert(
                    *[
                        VotingCode(
                            round=batch["round"],
                            area=batch["area"],
                            batch=batch_id,
                            position=position,
                            code_hash=hashed,
                            voter_key=voter_key,
                            void_reason="",
                        )
                        for position, hashed, voter_key in rows
                    ]
                )
        except Conflict:
            if await VotingCode.exists().where((VotingCode.batch == batch_id) & (VotingCode.position == start)):
                return  # another run is finishing this batch
            raise _Collision() from None
    await VotingCodeBatch.update({VotingCodeBatch.making: False}).where(VotingCodeBatch.id == batch_id)


async def get_batch(batch_id: int) -> dict | None:
    return await VotingCodeBatch.select().where(VotingCodeBatch.id == batch_id).first()


async def batch_codes(officer_id: int, batch_id: int, start: int, stop: int, purpose: str) -> list[str]:
    """The plain codes start..stop-1 of an unsealed batch, for printing or a CSV; audited each time.
    Refused once the batch is sealed: after that nobody can display them again."""
    async with transaction():
        batch = await for_update(
            VotingCodeBatch.select(
                VotingCodeBatch.id,
                VotingCodeBatch.salt,
                VotingCodeBatch.count,
                VotingCodeBatch.sealed_at,
                VotingCodeBatch.round,
                VotingCodeBatch.making,
            ).where(VotingCodeBatch.id == batch_id)
        ).first()
        if batch is None:
            raise CodeError(N_("There is no such batch of codes"), status_code=404)
        if batch["making"]:
            raise CodeError(MAKING)
        if batch["sealed_at"] is not None:
            raise CodeError(N_("This batch is sealed: its codes cannot be shown again"))
        start, stop = max(0, start), min(batch["count"], stop)
        await record(officer_id, f"voting_codes.{purpose}", f"batch:{batch_id}", round=batch["round"], first=start + 1, last=stop)
    # A whole batch is 50,000 HMACs: off the event loop.
    return await asyncio.to_thread(
        lambda: [alphabet.derived_code(batch_id, batch["salt"], position) for position in range(start, stop)]
    )


async def seal_batch(officer_id: int, batch_id: int) -> None:
    """The letters are printed: from now on nobody can display this batch's codes."""
    async with transaction():
        batch = await for_update(
            VotingCodeBatch.select(VotingCodeBatch.sealed_at, VotingCodeBatch.round, VotingCodeBatch.making).where(
                VotingCodeBatch.id == batch_id
            )
        ).first()
        if batch is None:
            raise CodeError(N_("There is no such batch of codes"), status_code=404)
        if batch["making"]:
            raise CodeError(MAKING)
        if batch["sealed_at"] is None:
            await VotingCodeBatch.update({VotingCodeBatch.sealed_at: now()}).where(VotingCodeBatch.id == batch_id)
            await record(officer_id, "voting_codes.seal", f"batch:{batch_id}", round=batch["round"])


@dataclass(frozen=True)
class VoidLine:
    text: str  # the line as typed
    outcome: str  # voided, used, already_voided, unknown, malformed
    message: str  # a message id


VOID_MESSAGES = {
    "voided": N_("cancelled"),
    "used": N_("already used — its ballot counts"),
    "already_voided": N_("already cancelled"),
    "unknown": N_("not a code for this round"),
    "malformed": N_("not a voting code: check for a typing mistake"),
}


async def void_codes(officer_id: int, round_id: int, lines: list[str], reason: str) -> list[VoidLine]:
    """Cancel codes typed one per line, with a reason, saying per line what happened. A used code
    cannot be cancelled: its ballot counts."""
    wanted: list[tuple[str, str | None]] = []
    for line in lines:
        code = alphabet.normalise(line)
        wanted.append((line.strip(), alphabet.code_hash(round_id, code) if code else None))
    hashes = sorted({h for _, h in wanted if h})
    outcomes: dict[str, str] = {}
    voided_count = 0
    async with transaction():
        rows = []
        for start in range(0, len(hashes), CHUNK):
            # Locked before the register is read, as cast_ballot locks a code before it votes.
            rows += await for_update(
                VotingCode.select(VotingCode.id, VotingCode.code_hash, VotingCode.voided_at, VotingCode.voter_key).where(
                    (VotingCode.round == round_id) & VotingCode.code_hash.is_in(hashes[start : start + CHUNK])
                )
            )
        keys = [r["voter_key"] for r in rows]
        used = set()
        for start in range(0, len(keys), CHUNK):
            used |= {
                r["voter_key"]
                for r in await VoterRegister.select(VoterRegister.voter_key).where(
                    (VoterRegister.round == round_id) & VoterRegister.voter_key.is_in(keys[start : start + CHUNK])
                )
            }
        to_void = []
        for row in rows:
            if row["voter_key"] in used:
                outcomes[row["code_hash"]] = "used"
            elif row["voided_at"] is not None:
                outcomes[row["code_hash"]] = "already_voided"
            else:
                outcomes[row["code_hash"]] = "voided"
                to_void.append(row["id"])
        for start in range(0, len(to_void), CHUNK):
            await VotingCode.update({VotingCode.voided_at: now(), VotingCode.void_reason: reason}).where(
                VotingCode.id.is_in(to_void[start : start + CHUNK])
            )
        voided_count = len(to_void)
        if voided_count:
            await record(officer_id, "voting_codes.void", f"round:{round_id}", count=voided_count, reason=reason)
    result = []
    for text, hashed in wanted:
        outcome = "malformed" if hashed is None else outcomes.get(hashed, "unknown")
        result.append(VoidLine(text=text, outcome=outcome, message=VOID_MESSAGES[outcome]))
    return result


async def void_batch(officer_id: int, batch_id: int, reason: str) -> dict[str, int]:
    """Cancel every unused code of a batch: {"voided": n, "used": m} (used codes stay valid)."""
    async with transaction():
        batch = await VotingCodeBatch.select(VotingCodeBatch.round).where(VotingCodeBatch.id == batch_id).first()
        if batch is None:
            raise CodeError(N_("There is no such batch of codes"), status_code=404)
        round_id = batch["round"]
        # Lock the batch's codes first (a cast holding one finishes first), then read the register.
        await for_update(VotingCode.select(VotingCode.id).where(VotingCode.batch == batch_id))
        registered = VoterRegister.select(VoterRegister.voter_key).where(VoterRegister.round == round_id)
        used = await VotingCode.count().where((VotingCode.batch == batch_id) & VotingCode.voter_key.is_in(registered))
        to_void = (VotingCode.batch == batch_id) & VotingCode.voided_at.is_null() & VotingCode.voter_key.not_in(registered)
        voided = await VotingCode.count().where(to_void)
        await VotingCode.update({VotingCode.voided_at: now(), VotingCode.void_reason: reason}).where(to_void)
        await record(officer_id, "voting_codes.void_batch", f"batch:{batch_id}", round=round_id, count=voided, reason=reason)
    return {"voided": voided, "used": used}


async def batches_of(round_id: int) -> list[dict]:
    """A round's batches with counts: generated, used (register rows for their codes: one join on
    an index), voided."""
    batches = (
        await VotingCodeBatch.select(
            VotingCodeBatch.id,
            VotingCodeBatch.label,
            VotingCodeBatch.count,
            VotingCodeBatch.area,
            VotingCodeBatch.created_at,
            VotingCodeBatch.sealed_at,
            VotingCodeBatch.making,
        )
        .where(VotingCodeBatch.round == round_id)
        .order_by(VotingCodeBatch.id)
    )
    used = {
        r["batch"]: r["n"]
        for r in await VotingCode.raw(
            "SELECT c.batch AS batch, COUNT(*) AS n FROM pb_voting_code c JOIN pb_voter_register r"
            " ON r.round = c.round AND r.voter_key = c.voter_key WHERE c.round = {} GROUP BY c.batch",
            round_id,
        )
    }
    voided = {
        r["batch"]: r["n"]
        for r in await VotingCode.raw(
            "SELECT batch, COUNT(*) AS n FROM pb_voting_code WHERE round = {} AND voided_at IS NOT NULL GROUP BY batch", round_id
        )
    }
    making = [batch["id"] for batch in batches if batch["making"]]
    made = (
        {
            r["batch"]: r["n"]
            for r in await VotingCode.raw(
                "SELECT batch, COUNT(*) AS n FROM pb_voting_code WHERE round = {} AND batch IN ("
                + ", ".join("{}" for _ in making)
                + ") GROUP BY batch",
                round_id,
                *making,
            )
        }
        if making
        else {}
    )
    for batch in batches:
        batch["used"] = used.get(batch["id"], 0)
        batch["voided"] = voided.get(batch["id"], 0)
        batch["made"] = made.get(batch["id"], 0) if batch["making"] else batch["count"]
    return batches


# Guessing codes is throttled per client address, with the sign-in throttle's counters (see
# pb.accounts.rules): every try is counted before the lookup, so parallel guesses cannot slip past,
# and a right code takes its own try back off. 20 wrong tries in 15 minutes from one address (an
# IPv6 /64) then wait; 55-bit codes make guessing hopeless anyway, this keeps it from being cheap.
CODE_POLICY = account_rules.ThrottlePolicy(limit=20, window=timedelta(minutes=15))


async def throttled_find(round_id: int, text: str, address: str) -> tuple[dict | None, datetime | None]:
    """find_code under the per-address throttle: (the code or None, when to retry if refused)."""
    key = keyed_hash("throttle", f"voting-code:{account_rules.address_bucket(address)}")
    until = await account_actions.count_attempt(key, CODE_POLICY)
    if until:
        return None, until
    found = await find_code(round_id, text)
    if found is not None:
        await account_actions.forgive_attempt(key)
    return found, None
