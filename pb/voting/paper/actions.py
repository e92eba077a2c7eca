"""Paper ballots: creating batches, saving entries, resolving discrepancies, counting.

Each action that changes state is the one writer of it, in one transaction, audited (who and when,
never how anyone voted). The round row is locked first by every action that needs the voting phase,
as closing the vote locks it first too: so no batch is entered or counted after the vote closes, and
the vote cannot close with a batch half counted.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any

from piccolo.columns import Column

from pb.accounts.tables import User
from pb.audit.actions import record
from pb.db import Conflict, for_update, one, transaction
from pb.i18n import N_
from pb.proposals.tables import Proposal
from pb.refusal import Refusal
from pb.rounds.tables import Area, Round
from pb.security import keyed_hash
from pb.voting import ballots
from pb.voting.actions import VotingError, _cast_in_transaction
from pb.voting.paper import rules as paper_rules
from pb.voting.tables import PaperBatch, PaperEntry, PaperOutcome, PaperResolution, PaperSheet, VoterRegister, VotingCode

CHUNK = 500

NOT_VOTING = N_("Paper ballots can be entered and counted only while voting is open")


class PaperError(Refusal):
    """The action was refused; the message is a message id."""


def now() -> datetime:
    return datetime.now(UTC)


async def _voting_round(round_id: int) -> dict:
    row = await for_update(Round.select(Round.id, Round.phase).where(Round.id == round_id)).first()
    if row is None or row["phase"] != "voting":
        raise PaperError(NOT_VOTING)
    return row


async def create_batch(user_id: int, round_id: int, area_id: int, label: str, sheets: int) -> int:
    async with transaction():
        await _voting_round(round_id)
        batch = PaperBatch(
            round=round_id, area=area_id, label=label, sheets=sheets, status="open", created_by=user_id, created_at=now()
        )
        await PaperBatch.insert(batch)
        await record(user_id, "paper_batch.created", f"paper_batch:{batch.id}", round=round_id, area=area_id, sheets=sheets)
    return batch.id


async def get_batch(batch_id: int) -> dict | None:
    return await PaperBatch.select().where(PaperBatch.id == batch_id).first()


async def batches_of(round_id: int) -> list[dict]:
    batches = await PaperBatch.select().where(PaperBatch.round == round_id).order_by(PaperBatch.id)
    if batches:
        entries = await PaperEntry.select(PaperEntry.batch).where(PaperEntry.batch.is_in([b["id"] for b in batches]))
        for batch in batches:
            batch["entries"] = sum(1 for e in entries if e["batch"] == batch["id"])
    return batches


async def waiting_batches(round_id: int) -> int:
    """Batches of a round not yet counted: the vote cannot close while there are any."""
    return await PaperBatch.count().where((PaperBatch.round == round_id) & PaperBatch.status.not_in(["counted", "cancelled"]))


async def entries_of(batch_id: int) -> list[dict]:
    rows = (
        await PaperEntry.select(PaperEntry.id, PaperEntry.number, PaperEntry.entered_by, PaperEntry.created_at)
        .where(PaperEntry.batch == batch_id)
        .order_by(PaperEntry.number)
    )
    names = {
        u["id"]: u["name"]
        for u in await User.select(User.id, User.name).where(User.id.is_in([r["entered_by"] for r in rows] or [0]))
    }
    for row in rows:
        row["name"] = names.get(row["entered_by"], "")
    return rows


async def _enterers(batch_id: int) -> dict[int, int]:
    """Who made each entry of the batch: {entry number: user id}."""
    rows = await PaperEntry.select(PaperEntry.number, PaperEntry.entered_by).where(PaperEntry.batch == batch_id)
    return {row["number"]: row["entered_by"] for row in rows}


def _resolved_reading(row: dict) -> paper_rules.Reading | None:
    return paper_rules.Reading.from_row(row) if row["present"] else paper_rules.ABSENT


async def _readings(batch_id: int) -> tuple[dict, dict, dict]:
    """Entry 1's and entry 2's readings by sheet, and the settled resolutions by sheet (None: no
    such sheet). A reading chosen by one of the two who entered the batch, and not yet agreed by the
    other, settles nothing (paper_rules.settles)."""
    entries = await PaperEntry.select(PaperEntry.id, PaperEntry.number, PaperEntry.entered_by).where(PaperEntry.batch == batch_id)
    by_number: dict[int, dict] = {1: {}, 2: {}}
    if entries:
        number_of = {e["id"]: e["number"] for e in entries}
        for row in await PaperSheet.select().where(PaperSheet.entry.is_in(list(number_of))):
            by_number[number_of[row["entry"]]][row["sheet"]] = paper_rules.Reading.from_row(row)
    enterers = {e["entered_by"] for e in entries}
    resolutions = {
        row["sheet"]: _resolved_reading(row)
        for row in await PaperResolution.select().where(PaperResolution.batch == batch_id)
        if paper_rules.settles(row["resolved_by"], row["confirmed_by"], enterers)
    }
    return by_number[1], by_number[2], resolutions


async def discrepancies(batch_id: int) -> dict:
    """For the batch page once both entries are in: all discrepancies, which are still open, and
    who resolved the others. (Before that, nothing: the second entry is blind.)"""
    first, second, resolutions = await _readings(batch_id)
    found = paper_rules.compare(first, second)
    readings, unresolved = paper_rules.final_readings(first, second, resolutions)
    rows = await PaperResolution.select().where(PaperResolution.batch == batch_id)
    names = {
        u["id"]: u["name"]
        for u in await User.select(User.id, User.name).where(
            User.id.is_in([r["resolved_by"] for r in rows] + [r["confirmed_by"] for r in rows if r["confirmed_by"]] or [0])
        )
    }
    enterers = set((await _enterers(batch_id)).values())
    resolved, proposed = {}, {}
    for r in rows:
        shown = {
            **r,
            "name": names.get(r["resolved_by"], ""),
            "agreed_by": names.get(r["confirmed_by"], "") if r["confirmed_by"] else "",
            "reading": _resolved_reading(r),
        }
        if paper_rules.settles(r["resolved_by"], r["confirmed_by"], enterers):
            resolved[r["sheet"]] = shown
        else:
            proposed[r["sheet"]] = shown
    return {
        "all": found,
        "unresolved": [d.sheet for d in unresolved],
        "resolved": resolved,
        "proposed": proposed,  # chosen by one who entered, waiting for the other to agree
        "sheets": len(set(first) | set(second)),
        "settled_sheets": len(readings),  # sheets that would be counted, once nothing is unresolved
    }


async def _update_status(batch_id: int) -> str:
    entries = await PaperEntry.count().where(PaperEntry.batch == batch_id)
    first, second, resolutions = await _readings(batch_id)
    _, unresolved = paper_rules.final_readings(first, second, resolutions)
    status = paper_rules.batch_status(entries, len(unresolved), False)
    await PaperBatch.update({PaperBatch.status: status}).where(PaperBatch.id == batch_id)
    return status


async def _locked_batch(batch_id: int) -> dict:
    batch = await PaperBatch.select().where(PaperBatch.id == batch_id).first()
    if batch is None:
        raise PaperError(N_("There is no such batch"), status_code=404)
    await _voting_round(batch["round"])  # the round first, as closing the vote locks it first
    batch = await for_update(PaperBatch.select().where(PaperBatch.id == batch_id)).first()
    if batch["status"] == "counted":
        raise PaperError(N_("This batch has been counted: it cannot be changed"))
    if batch["status"] == "cancelled":
        raise PaperError(N_("This batch has been cancelled: it cannot be changed"))
    return batch


async def save_entry(user_id: int, batch_id: int, sheets: dict[int, dict]) -> int:
    """Save one person's entry of a whole batch: {sheet: {"code", "choices", "spoilt"}}. Returns
    the entry's number (1 or 2). The database refuses a third entry, or a second by the same person."""
    try:
        async with transaction():
            batch = await _locked_batch(batch_id)
            existing = await PaperEntry.select(PaperEntry.entered_by).where(PaperEntry.batch == batch_id)
            if any(e["entered_by"] == user_id for e in existing):
                raise PaperError(N_("You have already entered this batch. The other entry must be made by a different person."))
            if len(existing) >= 2:
                raise PaperError(N_("Both entries of this batch have been made"))
            number = len(existing) + 1
            entry = PaperEntry(batch=batch_id, number=number, entered_by=user_id, created_at=now())
            await PaperEntry.insert(entry)
            rows = [
                PaperSheet(
                    entry=entry.id,
                    sheet=sheet,
                    code_hash=paper_rules.typed_code_hash(batch["round"], reading["code"]),
                    choices=paper_rules.Reading.of(None, reading["choices"], False).choices_json(),
                    spoilt=reading["spoilt"],
                )
                for sheet, reading in sorted(sheets.items())
            ]
            for start in range(0, len(rows), CHUNK):
                await PaperSheet.insert(*rows[start : start + CHUNK])
            status = await _update_status(batch_id)
            await record(
                user_id,
                "paper_batch.entry_saved",
                f"paper_batch:{batch_id}",
                round=batch["round"],
                entry=number,
                sheets=len(rows),
                status=status,
            )
    except Conflict as exc:  # a concurrent entry by the same person, or a third one
        raise PaperError(N_("Both entries of this batch have been made, or you have already entered it")) from exc
    return number


async def resolve(user_id: int, batch_id: int, sheet: int, reading: paper_rules.Reading | None) -> bool:
    """Choose the right reading for one discrepancy (None: there is no such sheet). Someone who
    entered neither entry settles it; one of the two who entered proposes it, and it is settled
    when the other agrees to the same reading. Returns whether the sheet is now settled."""
    try:
        async with transaction():
            batch = await _locked_batch(batch_id)
            first, second, resolutions = await _readings(batch_id)
            _, unresolved = paper_rules.final_readings(first, second, resolutions)
            if sheet not in {d.sheet for d in unresolved}:
                raise PaperError(N_("This sheet has no discrepancy left to resolve"))
            enterers = set((await _enterers(batch_id)).values())
            chosen: dict[Column | str, Any] = {
                PaperResolution.present: reading is not None,
                PaperResolution.code_hash: reading.code_hash if reading else None,
                PaperResolution.choices: reading.choices_json() if reading else "{}",
                PaperResolution.spoilt: reading.spoilt if reading else False,
            }
            pending = await for_update(
                PaperResolution.select().where((PaperResolution.batch == batch_id) & (PaperResolution.sheet == sheet))
            ).first()
            if (
                pending is not None
                and user_id in enterers
                and pending["resolved_by"] in enterers
                and pending["resolved_by"] != user_id
            ):
                # The other person who entered the batch proposed a reading: agree to it, or not.
                if _resolved_reading(pending) != reading:
                    raise PaperError(
                        N_(
                            "The other person who entered this batch chose a different reading. Agree on one, "
                            "or ask someone who entered neither entry to resolve it."
                        )
                    )
                await PaperResolution.update({PaperResolution.confirmed_by: user_id}).where(PaperResolution.id == pending["id"])
            elif pending is not None:
                # Changed by the one who proposed it, or settled by someone who entered neither.
                await PaperResolution.update(
                    {
                        **chosen,
                        PaperResolution.resolved_by: user_id,
                        PaperResolution.resolved_at: now(),
                        PaperResolution.confirmed_by: None,
                    }
                ).where(PaperResolution.id == pending["id"])
            else:
                await PaperResolution.insert(
                    PaperResolution(
                        batch=batch_id,
                        sheet=sheet,
                        present=reading is not None,
                        code_hash=reading.code_hash if reading else None,
                        choices=reading.choices_json() if reading else "{}",
                        spoilt=reading.spoilt if reading else False,
                        resolved_by=user_id,
                        resolved_at=now(),
                    )
                )
            row = await one(
                PaperResolution.select().where((PaperResolution.batch == batch_id) & (PaperResolution.sheet == sheet))
            )
            settled = paper_rules.settles(row["resolved_by"], row["confirmed_by"], enterers)
            status = await _update_status(batch_id)
            await record(
                user_id,
                "paper_batch.discrepancy_resolved" if settled else "paper_batch.discrepancy_proposed",
                f"paper_batch:{batch_id}",
                round=batch["round"],
                sheet=sheet,
                status=status,
            )
    except Conflict as exc:  # resolved by someone else at the same moment
        raise PaperError(N_("This sheet has no discrepancy left to resolve")) from exc
    return settled


async def accept_difference(user_id: int, batch_id: int, reason: str) -> None:
    """An officer who entered neither entry accepts that the entries hold another number of sheets
    than the box declared (a sheet found later, a miscount on the label), with a reason."""
    async with transaction():
        batch = await _locked_batch(batch_id)
        enterers = await _enterers(batch_id)
        if user_id in set(enterers.values()):
            raise PaperError(N_("Someone who entered neither entry must accept the difference"), status_code=403)
        first, second, resolutions = await _readings(batch_id)
        readings, unresolved = paper_rules.final_readings(first, second, resolutions)
        # Only a difference there is, once both entries are in and agreed: the number accepted is
        # the number that will be counted, and a later change to it needs accepting again.
        if len(enterers) < 2 or unresolved or len(readings) == batch["sheets"]:
            raise PaperError(N_("There is no difference in the number of sheets to accept"))
        await PaperBatch.update(
            {
                PaperBatch.difference_accepted_by: user_id,
                PaperBatch.difference_accepted_sheets: len(readings),
                PaperBatch.difference_reason: reason,
            }
        ).where(PaperBatch.id == batch_id)
        await record(user_id, "paper_batch.difference_accepted", f"paper_batch:{batch_id}", round=batch["round"], reason=reason)


async def cancel_batch(user_id: int, batch_id: int, reason: str) -> None:
    """Cancel a batch not yet counted (started by mistake, or the box is lost), with a reason: its
    entries are kept for the record, it is never counted, and it no longer holds up the close."""
    async with transaction():
        batch = await _locked_batch(batch_id)
        await PaperBatch.update(
            {
                PaperBatch.status: "cancelled",
                PaperBatch.cancelled_by: user_id,
                PaperBatch.cancelled_at: now(),
                PaperBatch.cancel_reason: reason,
            }
        ).where(PaperBatch.id == batch_id)
        await _forget_codes(batch_id)  # a box never counted keeps no code beside its marks either
        await record(user_id, "paper_batch.cancelled", f"paper_batch:{batch_id}", round=batch["round"], reason=reason)


async def _forget_codes(batch_id: int) -> None:
    """Clear the codes' hashes from a batch's sheets, which would otherwise tie a code to its marks."""
    entry_ids = [e["id"] for e in await PaperEntry.select(PaperEntry.id).where(PaperEntry.batch == batch_id)]
    await PaperSheet.update({PaperSheet.code_hash: None}).where(PaperSheet.entry.is_in(entry_ids or [0]))
    await PaperResolution.update({PaperResolution.code_hash: None}).where(PaperResolution.batch == batch_id)


def _paper_voter_key(round_id: int) -> str:
    # An uncoded paper sheet is one voter whose eligibility the polling staff checked: a fresh
    # random key, so the register counts them once and links them to nothing.
    return keyed_hash("voter", f"{round_id}:paper:{secrets.token_hex(16)}")


async def count_batch(user_id: int, batch_id: int) -> dict:
    """Accept and count a batch, in one transaction: every sheet that counts becomes a ballot, the
    others are recorded with their reason. Counting is a conditional update from "entered" to
    "counted": of two people clicking at once, one counts and the other is told it is done."""
    async with transaction():
        batch = await PaperBatch.select().where(PaperBatch.id == batch_id).first()
        if batch is None:
            raise PaperError(N_("There is no such batch"), status_code=404)
        round_row = await _voting_round(batch["round"])
        taken = (
            await PaperBatch.update({PaperBatch.status: "counted", PaperBatch.counted_by: user_id, PaperBatch.counted_at: now()})
            .where((PaperBatch.id == batch_id) & (PaperBatch.status == "entered"))
            .returning(PaperBatch.id)
        )
        if not taken:
            current = await one(PaperBatch.select(PaperBatch.status).where(PaperBatch.id == batch_id))
            if current["status"] == "counted":
                raise PaperError(N_("This batch has already been counted"))
            raise PaperError(N_("This batch cannot be counted until both entries are in and every discrepancy is resolved"))
        first, second, resolutions = await _readings(batch_id)
        readings, unresolved = paper_rules.final_readings(first, second, resolutions)
        if unresolved:  # the status said otherwise: never count on a guess
            raise PaperError(N_("This batch cannot be counted until both entries are in and every discrepancy is resolved"))
        enterers = await _enterers(batch_id)
        accepted = (
            batch["difference_accepted_by"] is not None
            and batch["difference_accepted_by"] not in set(enterers.values())
            and batch["difference_accepted_sheets"] == len(readings)
        )
        refusal = paper_rules.count_refusal(user_id, enterers.get(1), batch["sheets"], len(readings), accepted)
        if refusal:  # raised inside the transaction: the batch goes back to "entered"
            raise PaperError(refusal)
        round_row = await one(Round.select().where(Round.id == batch["round"]))
        area = await one(Area.select().where(Area.id == batch["area"]))
        rules = ballots.ballot_rules(round_row, area)
        costs = {
            p["id"]: (p["revised_cost_pence"] if p["revised_cost_pence"] is not None else p["estimated_cost_pence"])
            for p in await Proposal.select(Proposal.id, Proposal.estimated_cost_pence, Proposal.revised_cost_pence).where(
                (Proposal.round == batch["round"]) & (Proposal.area == batch["area"]) & (Proposal.status == "on_ballot")
            )
        }
        used_here: set[str] = set()
        # Each sheet's fate is decided in sheet order (the first sheet with a code is the one that
        # counts)...
        decided: list[tuple[int, paper_rules.Reading, dict | None, paper_rules.Fate]] = []
        for sheet, reading in sorted(readings.items()):
            code = None
            if reading.code_hash is not None:
                code = (
                    await VotingCode.select(VotingCode.id, VotingCode.area, VotingCode.voided_at, VotingCode.voter_key)
                    .where((VotingCode.code_hash == reading.code_hash) & (VotingCode.round == batch["round"]))
                    .first()
                )
                if code is not None:
                    code = {
                        **code,
                        "voided": code["voided_at"] is not None,
                        "used": await VoterRegister.exists().where(
                            (VoterRegister.round == batch["round"]) & (VoterRegister.voter_key == code["voter_key"])
                        ),
                    }
            fate = paper_rules.sheet_fate(
                reading, costs, rules, batch["area"], code, code_used_earlier=reading.code_hash in used_here
            )
            if reading.code_hash is not None:
                used_here.add(reading.code_hash)
            decided.append((sheet, reading, code, fate))
        # ...but the sheets that count are cast in a random order, so the register rows (one per
        # code, in insertion order) cannot be matched to the numbered sheets and their marks.
        fates = {sheet: fate for sheet, _, _, fate in decided}
        counting = [(sheet, reading, code) for sheet, reading, code, fate in decided if fate.fate == paper_rules.COUNTS]
        secrets.SystemRandom().shuffle(counting)
        for sheet, reading, code in counting:
            voter_key = code["voter_key"] if code else _paper_voter_key(batch["round"])
            try:
                await _cast_in_transaction(
                    batch["round"],
                    batch["area"],
                    voter_key,
                    dict(reading.choices),
                    "paper",
                    False,
                    code_id=code["id"] if code else None,
                )
            except VotingError as problem:  # used or cancelled a moment ago, on another channel
                cancelled = str(problem) == N_("This voting code has been cancelled")
                fates[sheet] = paper_rules.Fate(
                    paper_rules.FLAGGED, paper_rules.CODE_VOIDED if cancelled else paper_rules.CODE_USED
                )
        outcomes = []
        tally = {paper_rules.COUNTS: 0, paper_rules.SPOILT: 0, paper_rules.FLAGGED: 0}
        for sheet, fate in sorted(fates.items()):
            tally[fate.fate] += 1
            outcomes.append(PaperOutcome(batch=batch_id, sheet=sheet, fate=fate.fate, reason=fate.reason_json()))
        for start in range(0, len(outcomes), CHUNK):
            await PaperOutcome.insert(*outcomes[start : start + CHUNK])
        # The register now records each code's use: the sheets need not keep the codes' hashes,
        # which would otherwise tie a code to how it was marked.
        await _forget_codes(batch_id)
        await record(
            user_id,
            "paper_batch.counted",
            f"paper_batch:{batch_id}",
            round=batch["round"],
            counted=tally[paper_rules.COUNTS],
            spoilt=tally[paper_rules.SPOILT],
            flagged=tally[paper_rules.FLAGGED],
        )
    return tally


async def outcomes_of(batch_id: int) -> list[dict]:
    rows = await PaperOutcome.select().where(PaperOutcome.batch == batch_id).order_by(PaperOutcome.sheet)
    for row in rows:
        reason = json.loads(row["reason"]) if row["reason"] else {"message": "", "values": {}}
        row["message"], row["values"] = reason["message"], reason["values"]
    return rows
