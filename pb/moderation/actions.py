"""Moderation: reporting content, and a moderator's decision to hide or keep it.

`report` and `decide` are the one writers of reports, decisions and the hidden flag of proposals and
comments; each runs in one transaction and locks the reported item's row, so a report and a decision
on the same item never interleave. Hidden content is never deleted. The reading functions below
them serve the moderation pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from pb.accounts.guards import has_role
from pb.accounts.posting import check_posting
from pb.accounts.tables import User, UserRole
from pb.audit.actions import record
from pb.config import get_settings
from pb.db import Conflict, for_update, transaction
from pb.i18n import N_, t
from pb.moderation import rules
from pb.moderation.tables import ModerationDecision, Report
from pb.outbox.actions import queue_email
from pb.paging import Pager, paginate
from pb.proposals.tables import Comment, Proposal
from pb.refusal import Refusal


class NotFound(Refusal):
    """The item does not exist or is not public (a draft proposal)."""

    def __init__(self) -> None:
        super().__init__(N_("That item does not exist"), status_code=404)


class NotAllowed(Refusal):
    """This person may not do this: not a moderator, or the item is their own or they reported it."""

    def __init__(self) -> None:
        super().__init__(
            N_("You cannot decide on this because you wrote it or reported it. Another moderator must decide."), status_code=403
        )


@dataclass(frozen=True)
class Reported:
    proposal_id: int  # the proposal the item is (or belongs to), for the way back
    created: bool  # False when this person had already reported the item


@dataclass(frozen=True)
class Decided:
    decision_id: int
    proposal_id: int
    restored: bool  # kept, and it had been hidden before


PROPOSAL_COLUMNS = (
    Proposal.id,
    Proposal.author,
    Proposal.status,
    Proposal.hidden,
    Proposal.hidden_reason,
    Proposal.title_en,
    Proposal.title_cy,
    Proposal.summary_en,
    Proposal.summary_cy,
)
COMMENT_COLUMNS = (
    Comment.id,
    Comment.proposal,
    Comment.author,
    Comment.body,
    Comment.hidden,
    Comment.hidden_reason,
    Comment.created_at,
)


def _proposal_target(row: dict) -> dict:
    return {
        "kind": "proposal",
        "id": row["id"],
        "proposal_id": row["id"],
        "author": row["author"],
        "hidden": row["hidden"],
        "hidden_reason": row["hidden_reason"],
        "proposal": row,
        "body": "",
    }


def _comment_target(row: dict, proposal: dict) -> dict:
    return {
        "kind": "comment",
        "id": row["id"],
        "proposal_id": row["proposal"],
        "author": row["author"],
        "hidden": row["hidden"],
        "hidden_reason": row["hidden_reason"],
        "proposal": proposal,
        "body": row["body"],
    }


async def find_target(kind: str, target_id: int, lock: bool = False) -> dict | None:
    """A public item (a proposal that is not a draft, or a comment on one), or None.
    With `lock`, its row is locked until the transaction ends (call inside `transaction()`)."""
    if kind == "proposal":
        query = Proposal.select(*PROPOSAL_COLUMNS).where(Proposal.id == target_id)
        row = await (for_update(query) if lock else query).first()
        if row is None or row["status"] == "draft":
            return None
        return _proposal_target(row)
    if kind == "comment":
        query = Comment.select(*COMMENT_COLUMNS).where(Comment.id == target_id)
        row = await (for_update(query) if lock else query).first()
        if row is None:
            return None
        proposal = await Proposal.select(*PROPOSAL_COLUMNS).where(Proposal.id == row["proposal"]).first()
        if proposal is None or proposal["status"] == "draft":
            return None
        return _comment_target(row, proposal)
    return None


def _about(kind: str, target_id: int):
    return (Report.target_kind == kind) & (Report.target_id == target_id)


async def report(user_id: int, kind: str, target_id: int, reason: str, details: str) -> Reported:
    """Report an item as breaking a guideline. One report per person per item: a second report
    while the first is open, or after a moderator has decided on it, changes nothing (an appeal is
    the way to question a decision)."""
    if reason not in rules.REASONS or len(details) > rules.DETAILS_MAX:
        raise ValueError("validate the report with rules.validate_report first")
    proposal_id = None
    try:
        async with transaction():
            target = await find_target(kind, target_id, lock=True)
            if target is None:
                raise NotFound()
            proposal_id = target["proposal_id"]
            if await Report.exists().where(_about(kind, target_id) & (Report.reporter == user_id)):
                return Reported(proposal_id, created=False)
            await check_posting(
                user_id, "report", lambda since: Report.count().where((Report.reporter == user_id) & (Report.created_at >= since))
            )
            await Report.insert(Report(target_kind=kind, target_id=target_id, reporter=user_id, reason=reason, details=details))
    except Conflict:  # a simultaneous report by the same person won the unique index
        assert proposal_id is not None  # found before the insert that conflicted
        return Reported(proposal_id, created=False)
    return Reported(proposal_id, created=True)


async def reporter_ids(kind: str, target_id: int) -> set[int]:
    return {row["reporter"] for row in await Report.select(Report.reporter).where(_about(kind, target_id))}


async def _is_moderator(user_id: int) -> bool:
    roles = frozenset(row["role"] for row in await UserRole.select(UserRole.role).where(UserRole.user == user_id))
    return has_role(roles, "moderator")


def title_for(proposal: dict, lang: str) -> str:
    return proposal.get(f"title_{lang}") or proposal.get("title_en") or proposal.get("title_cy") or ""


async def decide(
    moderator_id: int,
    kind: str,
    target_id: int,
    action: str,
    reason: str,
    explanation: str,
    *,
    facts: str,
    ground: str | None = None,
    law: str = "",
    public_note: str = "",
    note_language: str = "",
) -> Decided:
    """Hide an item, or keep it (restoring it if it was hidden, with a public note or not), recorded
    as a statement of reasons. Closes the item's open reports, is audited, and tells the author (and,
    when it is kept, the people who reported it) in their own language, with how to appeal."""
    if ground is None:  # hidden under a guideline: the guidelines ground; kept: no breach found
        ground = "guidelines" if action == "hide" and reason else "none"
    if not rules.statement_ok(action, ground, law, reason, facts, explanation, public_note):
        raise ValueError("validate the decision with rules.validate_decision first")
    async with transaction():
        if not await _is_moderator(moderator_id):
            raise NotAllowed()
        target = await find_target(kind, target_id, lock=True)
        if target is None:
            raise NotFound()
        reporters = await reporter_ids(kind, target_id)
        if not rules.can_decide(moderator_id, reporters, target["author"]):
            raise NotAllowed()
        open_reporters = {
            row["reporter"]
            for row in await Report.select(Report.reporter).where(_about(kind, target_id) & (Report.status == "open"))
        }
        decision = ModerationDecision(
            target_kind=kind,
            target_id=target_id,
            moderator_id=moderator_id,
            action=action,
            reason=reason,
            explanation=explanation,
            ground=ground,
            law=law if ground == "unlawful" else "",
            facts=facts,
            automated=rules.is_automated(target["hidden_reason"]),
            public_note=public_note if action == "note" else "",
            public_note_language=note_language if action == "note" and note_language in ("cy", "en") else "",
        )
        await ModerationDecision.insert(decision)
        restored = await set_visibility(target, action, reason or ground)
        await Report.update({Report.status: "decided", Report.decision_id: decision.id}).where(
            _about(kind, target_id) & (Report.status == "open")
        )
        await record(
            moderator_id,
            "moderation.hidden" if action == "hide" else "moderation.kept",
            f"{kind}:{target_id}",
            reason=reason,
            ground=ground,
            law=decision.law,
            decision_id=decision.id,
            restored=restored,
        )
        statement = statement_of(decision)
        await _tell_author(target, statement, restored)
        if action != "hide":
            await _tell_reporters(target, statement, open_reporters - {target["author"]})
    return Decided(decision.id, target["proposal_id"], restored)


async def set_visibility(target: dict, action: str, hidden_reason: str) -> bool:
    """Hide the (locked) item, or make it visible; True when it was hidden and is now restored."""
    table = Proposal if target["kind"] == "proposal" else Comment
    if action == "hide":
        await table.update({table.hidden: True, table.hidden_reason: hidden_reason[:30]}).where(table.id == target["id"])
        return False
    if target["hidden"]:
        await table.update({table.hidden: False, table.hidden_reason: ""}).where(table.id == target["id"])
        return True
    return False


def statement_of(decision: ModerationDecision | dict) -> dict:
    """The statement of reasons as plain values (for emails and pages)."""
    get = decision.get if isinstance(decision, dict) else (lambda name: getattr(decision, name))
    return {
        name: get(name)
        for name in (
            "id",
            "action",
            "ground",
            "law",
            "reason",
            "facts",
            "explanation",
            "automated",
            "public_note",
            "public_note_language",
            "at",
        )
    }


async def _person(user_id: int | None) -> dict | None:
    if user_id is None:
        return None
    person = await User.select(User.email, User.name, User.language, User.is_active).where(User.id == user_id).first()
    return person if person and person["is_active"] else None  # a closed account is not written to


def statement_lines(lang: str, statement: dict) -> dict:
    """The statement of reasons in one language, for an email."""
    ground = statement["ground"]
    return {
        "ground": t(lang, rules.GROUNDS[ground]) if ground in rules.GROUNDS else "",
        "law": t(lang, rules.LAWS[statement["law"]]) if statement["law"] in rules.LAWS else "",
        "guideline": t(lang, rules.REASONS[statement["reason"]]) if statement["reason"] in rules.REASONS else "",
        "facts": statement["facts"],
        "explanation": statement["explanation"],
        "automated": statement["automated"],
        "public_note": statement["public_note"],
    }


def appeal_url(lang: str, decision_id: int) -> str:
    return f"{get_settings().base_url}/{lang}/appeals/new/{decision_id}"


async def _tell_author(target: dict, statement: dict, restored: bool) -> None:
    author = await _person(target["author"])
    if author is None:
        return
    lang = author["language"]
    action = statement["action"]
    await queue_email(
        author["email"],
        lang,
        N_("A moderator has reviewed your content"),
        "emails/moderation_decision.txt",
        name=author["name"],
        kind=target["kind"],
        action=action,
        restored=restored,
        title=title_for(target["proposal"], lang),
        appeal_url=appeal_url(lang, statement["id"]) if action in ("hide", "note") else "",
        appeal_days=rules.APPEAL_DAYS,
        url=f"{get_settings().base_url}/{lang}/proposals/{target['proposal_id']}",
        guidelines_url=f"{get_settings().base_url}/{lang}/community-guidelines",
        **statement_lines(lang, statement),
    )


async def _tell_reporters(target: dict, statement: dict, reporter_ids_: set[int]) -> None:
    """People whose reports this decision closed, when the item is kept: the outcome and how to appeal."""
    for reporter_id in sorted(reporter_ids_):
        person = await _person(reporter_id)
        if person is None:
            continue
        lang = person["language"]
        await queue_email(
            person["email"],
            lang,
            N_("The outcome of your report"),
            "emails/report_outcome.txt",
            name=person["name"],
            kind=target["kind"],
            action=statement["action"],
            title=title_for(target["proposal"], lang),
            appeal_url=appeal_url(lang, statement["id"]),
            appeal_days=rules.APPEAL_DAYS,
            url=f"{get_settings().base_url}/{lang}/proposals/{target['proposal_id']}",
            **statement_lines(lang, statement),
        )


# Reading, for the moderation pages (no writes).


async def _targets(keys: list[tuple[str, int]]) -> dict[tuple[str, int], dict]:
    """The items named by (kind, id), loaded in a few queries; missing or draft items are left out."""
    proposal_ids = [target_id for kind, target_id in keys if kind == "proposal"]
    comment_ids = [target_id for kind, target_id in keys if kind == "comment"]
    comments = await Comment.select(*COMMENT_COLUMNS).where(Comment.id.is_in(comment_ids)) if comment_ids else []
    wanted = set(proposal_ids) | {row["proposal"] for row in comments}
    proposals = (
        {row["id"]: row for row in await Proposal.select(*PROPOSAL_COLUMNS).where(Proposal.id.is_in(list(wanted)))}
        if wanted
        else {}
    )
    found = {}
    for target_id in proposal_ids:
        row = proposals.get(target_id)
        if row and row["status"] != "draft":
            found[("proposal", target_id)] = _proposal_target(row)
    for row in comments:
        proposal = proposals.get(row["proposal"])
        if proposal and proposal["status"] != "draft":
            found[("comment", row["id"])] = _comment_target(row, proposal)
    return found


async def queue(page_number: int, page_size: int) -> tuple[list[dict], Pager]:
    """Items with open reports, the one waiting longest first: (this page's items, the pager).
    Each has its report count, the reasons given (most given first) and when it was first reported."""
    rows = (
        await Report.select(Report.target_kind, Report.target_id, Report.reason, Report.created_at)
        .where(Report.status == "open")
        .order_by(Report.created_at, Report.id)
    )
    groups: dict[tuple[str, int], dict] = {}
    for row in rows:
        key = (row["target_kind"], row["target_id"])
        group = groups.setdefault(key, {"kind": key[0], "id": key[1], "count": 0, "reasons": {}, "since": row["created_at"]})
        group["count"] += 1
        group["reasons"][row["reason"]] = group["reasons"].get(row["reason"], 0) + 1
    # Items the watch list held: waiting for a decision too, reported or not, since they were posted.
    for kind, table in (("proposal", Proposal), ("comment", Comment)):
        held = (table.hidden == True) & (table.hidden_reason == rules.HELD)  # noqa: E712
        for row in await table.select(table.id, table.created_at).where(held):
            empty = {"kind": kind, "id": row["id"], "count": 0, "reasons": {}, "since": row["created_at"]}
            group = groups.setdefault((kind, row["id"]), empty)
            group["held"] = True
            group["since"] = min(group["since"], row["created_at"])
    items = sorted(groups.values(), key=lambda item: item["since"])
    pager = paginate(len(items), page_number, page_size)
    shown = items[pager.offset : pager.offset + page_size]
    targets = await _targets([(item["kind"], item["id"]) for item in shown])
    for item in shown:
        item["reasons"] = sorted(item["reasons"].items(), key=lambda pair: -pair[1])
        item["target"] = targets.get((item["kind"], item["id"]))
    return shown, pager


async def item_history(kind: str, target_id: int) -> tuple[list[dict], list[dict]]:
    """An item's reports and past decisions, newest first. Reporters are not named."""
    reports = (
        await Report.select(Report.reason, Report.details, Report.created_at, Report.status)
        .where(_about(kind, target_id))
        .order_by(Report.created_at, Report.id, ascending=False)
    )
    decisions = (
        await ModerationDecision.select()
        .where((ModerationDecision.target_kind == kind) & (ModerationDecision.target_id == target_id))
        .order_by(ModerationDecision.at, ModerationDecision.id, ascending=False)
    )
    moderator_ids = list({row["moderator_id"] for row in decisions})
    names = (
        {row["id"]: row["name"] for row in await User.select(User.id, User.name).where(User.id.is_in(moderator_ids))}
        if moderator_ids
        else {}
    )
    for row in decisions:
        row["moderator_name"] = names.get(row["moderator_id"], "")
    return reports, decisions


async def own_report(user_id: int, kind: str, target_id: int) -> dict | None:
    """This person's report of the item, if they made one (the latest)."""
    return (
        await Report.select(Report.status, Report.created_at)
        .where(_about(kind, target_id) & (Report.reporter == user_id))
        .order_by(Report.id, ascending=False)
        .first()
    )
