"""Appeals against moderation decisions: making one, and a different moderator deciding it.

`appeal` and `decide_appeal` are the one writers of appeals. Deciding locks the appeal and the
item's row in one transaction: overturning records a new decision (a statement of reasons naming
the appeal) and restores hidden content, or hides kept content, at once. Reading functions follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from pb.audit.actions import record
from pb.config import get_settings
from pb.db import Conflict, for_update, transaction
from pb.i18n import N_
from pb.moderation import actions, appeal_rules, rules
from pb.moderation.tables import Appeal, ModerationDecision, Report
from pb.outbox.actions import queue_email
from pb.refusal import Refusal


class AppealNotFound(Refusal):
    def __init__(self) -> None:
        super().__init__(N_("That appeal does not exist"), status_code=404)


class NotEntitled(Refusal):
    """Only the author of hidden content (or content kept with a note), or someone who reported
    content that was kept, may appeal; a decision made on appeal is final."""

    def __init__(self) -> None:
        super().__init__(
            N_(
                "You cannot appeal this decision. Only the author of hidden content, or someone who reported content that was kept, can appeal."
            ),
            status_code=403,
        )


class TooLate(Refusal):
    def __init__(self) -> None:
        super().__init__(
            N_("The time to appeal this decision has passed: appeals must be made within %(days)s days."),
            status_code=403,
            days=rules.APPEAL_DAYS,
        )


class AlreadyAppealed(Refusal):
    def __init__(self) -> None:
        super().__init__(N_("You have already appealed this decision. You can appeal only once."), status_code=409)


class NotYours(Refusal):
    """Self-review: the moderator made the decision, appealed, wrote the content or reported it."""

    def __init__(self) -> None:
        super().__init__(
            N_(
                "You cannot decide this appeal because you made the decision, wrote the content, reported it or appealed. Another moderator must decide."
            ),
            status_code=403,
        )


class AlreadyDecided(Refusal):
    def __init__(self) -> None:
        super().__init__(N_("This appeal has already been decided."), status_code=409)


@dataclass(frozen=True)
class Made:
    appeal_id: int


async def decision_context(decision_id: int) -> dict | None:
    """A decision with its item and who reported it (the reports it closed), or None."""
    decision = await ModerationDecision.select().where(ModerationDecision.id == decision_id).first()
    if decision is None:
        return None
    target = await actions.find_target(decision["target_kind"], decision["target_id"])
    if target is None:
        return None
    reports = await Report.select(Report.reporter, Report.reason).where(Report.decision_id == decision_id).order_by(Report.id)
    return {
        "decision": decision,
        "target": target,
        "reporter_ids": {row["reporter"] for row in reports},
        "report_reasons": [row["reason"] for row in reports],
    }


def role_in(user_id: int, context: dict) -> str | None:
    decision = context["decision"]
    return appeal_rules.appeal_role(
        user_id, decision["action"], context["target"]["author"], context["reporter_ids"], decision["appeal_id"] is not None
    )


async def appeal(user_id: int, decision_id: int, reason: str, now: datetime | None = None) -> Made:
    """Appeal a decision, once, within APPEAL_DAYS days. The unique index pb_appeal_once stops a
    second appeal by the same person, even one sent at the same moment."""
    if not reason or len(reason) > appeal_rules.REASON_MAX:
        raise ValueError("validate the appeal with appeal_rules.validate_appeal first")
    now = now or datetime.now(UTC)
    try:
        async with transaction():
            context = await decision_context(decision_id)
            if context is None:
                raise actions.NotFound()
            role = role_in(user_id, context)
            if role is None:
                raise NotEntitled()
            if not appeal_rules.in_time(context["decision"]["at"], now):
                raise TooLate()
            if await Appeal.exists().where((Appeal.decision == decision_id) & (Appeal.appellant == user_id)):
                raise AlreadyAppealed()
            row = Appeal(decision=decision_id, appellant=user_id, role=role, reason=reason, created_at=now)
            await Appeal.insert(row)
            await record(user_id, "moderation.appealed", f"decision:{decision_id}", appeal_id=row.id, role=role)
    except Conflict:  # the same person's simultaneous appeal won the unique index
        raise AlreadyAppealed() from None
    return Made(row.id)


async def decide_appeal(
    moderator_id: int, appeal_id: int, outcome: str, outcome_reason: str, now: datetime | None = None
) -> dict:
    """Uphold or overturn an appeal, with a stated reason. Overturning records a new decision and
    changes the item's visibility at once; both the appellant and the author are told."""
    if outcome not in appeal_rules.OUTCOMES or not outcome_reason or len(outcome_reason) > appeal_rules.OUTCOME_REASON_MAX:
        raise ValueError("validate with appeal_rules.validate_appeal_decision first")
    now = now or datetime.now(UTC)
    async with transaction():
        if not await actions._is_moderator(moderator_id):
            raise actions.NotAllowed()
        row = await for_update(Appeal.select().where(Appeal.id == appeal_id)).first()
        if row is None:
            raise AppealNotFound()
        decision = await ModerationDecision.select().where(ModerationDecision.id == row["decision"]).first()
        assert decision is not None  # the foreign key restricts deletion
        target = await actions.find_target(decision["target_kind"], decision["target_id"], lock=True)
        if target is None:
            raise actions.NotFound()
        if row["status"] != "open":
            raise AlreadyDecided()
        reports = await Report.select(Report.reporter, Report.reason).where(
            (Report.target_kind == target["kind"]) & (Report.target_id == target["id"])
        )
        reporter_ids = {report["reporter"] for report in reports}
        if not appeal_rules.can_decide_appeal(
            moderator_id, decision["moderator_id"], row["appellant"], target["author"], reporter_ids
        ):
            raise NotYours()
        new_decision_id = None
        now_hidden = target["hidden"]
        if outcome == "overturned":
            action = appeal_rules.overturned_action(decision["action"], row["role"])
            appellant_reasons = [r["reason"] for r in reports if r["reporter"] == row["appellant"]]
            reason = appeal_rules.hide_reason(appellant_reasons) if action == "hide" else ""
            new = ModerationDecision(
                target_kind=target["kind"],
                target_id=target["id"],
                moderator_id=moderator_id,
                action=action,
                reason=reason,
                explanation=outcome_reason,
                ground="guidelines" if reason else "none",
                facts=row["reason"],  # the appeal's case, which the moderator accepted
                automated=False,
                appeal_id=appeal_id,
            )
            await ModerationDecision.insert(new)
            new_decision_id = new.id
            await actions.set_visibility(target, action, reason)
            now_hidden = action == "hide"
        await Appeal.update(
            {
                Appeal.status: outcome,
                Appeal.decided_by: moderator_id,
                Appeal.outcome_reason: outcome_reason,
                Appeal.decided_at: now,
            }
        ).where(Appeal.id == appeal_id)
        await record(
            moderator_id,
            f"moderation.appeal_{outcome}",
            f"{target['kind']}:{target['id']}",
            appeal_id=appeal_id,
            decision_id=decision["id"],
            new_decision_id=new_decision_id,
        )
        for person_id, is_appellant in ((row["appellant"], True), (target["author"], False)):
            if not is_appellant and person_id == row["appellant"]:
                continue
            await _tell(person_id, is_appellant, target, outcome, outcome_reason, now_hidden)
    return {"new_decision_id": new_decision_id, "proposal_id": target["proposal_id"]}


async def _tell(user_id: int | None, appellant: bool, target: dict, outcome: str, outcome_reason: str, now_hidden: bool) -> None:
    person = await actions._person(user_id)
    if person is None:
        return
    lang = person["language"]
    await queue_email(
        person["email"],
        lang,
        N_("The outcome of an appeal"),
        "emails/appeal_outcome.txt",
        name=person["name"],
        appellant=appellant,
        title=actions.title_for(target["proposal"], lang),
        outcome=outcome,
        outcome_reason=outcome_reason,
        now_hidden=now_hidden,
        url=f"{get_settings().base_url}/{lang}/proposals/{target['proposal_id']}",
    )


# Reading (no writes).


async def own_appeal(user_id: int, decision_id: int) -> dict | None:
    return await Appeal.select().where((Appeal.decision == decision_id) & (Appeal.appellant == user_id)).first()


async def open_appeals() -> list[dict]:
    """Open appeals, the oldest first, each with its decision and item."""
    rows = await Appeal.select().where(Appeal.status == "open").order_by(Appeal.created_at, Appeal.id)
    for row in rows:
        row["context"] = await decision_context(row["decision"])
    return [row for row in rows if row["context"] is not None]


async def appeal_context(appeal_id: int) -> dict | None:
    row = await Appeal.select().where(Appeal.id == appeal_id).first()
    if row is None:
        return None
    context = await decision_context(row["decision"])
    if context is None:
        return None
    all_reporters = await actions.reporter_ids(context["target"]["kind"], context["target"]["id"])
    return {**context, "appeal": row, "all_reporter_ids": all_reporters}
