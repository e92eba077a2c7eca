"""Tracker actions: decisions (drafted, linked to inputs, published, revised) and delivery.

Publishing tells every author of a linked input and every follower of the linked proposals and of
the round, once per person, in their own language, with a one-click unsubscribe for followers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from piccolo.columns import Column

from pb.accounts.tables import User
from pb.audit.actions import record
from pb.config import get_settings
from pb.db import Conflict, for_update, transaction
from pb.deliberation.queries import outcome_published
from pb.i18n import N_
from pb.outbox.actions import queue_email
from pb.proposals import actions as proposal_actions
from pb.proposals.actions import read_unsubscribe_token, unsubscribe_token  # noqa: F401 (the tracker's routes use them from here)
from pb.proposals.listing import current_cost
from pb.proposals.tables import Comment, Follow, Proposal
from pb.refusal import Refusal
from pb.tracker import rules
from pb.tracker.tables import Decision, DecisionLink, DecisionRevision, Delivery, DeliveryUpdate, ResponseFeedback

PUBLIC_FIELDS = (
    "title_en",
    "title_cy",
    "body_en",
    "body_cy",
    "why_en",
    "why_cy",
    "decided_by_en",
    "decided_by_cy",
    "decided_on",
    "minutes_url",
    *rules.IMPACT_FIELDS,  # the impact assessment is published with the decision: its earlier wording is kept too
    "wellbeing_goals",
)


class TrackerError(Refusal):
    """Refused; the message is a message id for the person."""


def now() -> datetime:
    return datetime.now(UTC)


async def save_decision(actor_id: int, decision_id: int | None, round_id: int | None, values: dict) -> int:
    """Create a draft decision, or edit one. Editing a published decision keeps what it said before."""
    optional = (*rules.IMPACT_FIELDS, "wellbeing_goals")  # the impact assessment may be left out: then it is empty
    fields = {field: values.get(field, "") if field in optional else values[field] for field in PUBLIC_FIELDS}
    async with transaction():
        if decision_id is None:
            row = Decision(round=round_id, created_by=actor_id, **fields)
            await Decision.insert(row)
            await record(actor_id, "decision.drafted", f"decision:{row.id}")
            return row.id
        current = await for_update(Decision.select().where(Decision.id == decision_id)).first()
        if current is None:
            raise TrackerError(N_("That decision does not exist"), status_code=404)
        if current["status"] == "published":
            snapshot = {field: str(current[field]) for field in PUBLIC_FIELDS}
            if any(snapshot[field] != str(fields[field]) for field in PUBLIC_FIELDS):
                await DecisionRevision.insert(
                    DecisionRevision(decision=decision_id, snapshot=json.dumps(snapshot), actor_id=actor_id)
                )
        await Decision.update({**{getattr(Decision, f): v for f, v in fields.items()}, Decision.updated_at: now()}).where(
            Decision.id == decision_id
        )
        await record(actor_id, "decision.edited", f"decision:{decision_id}", published=current["status"] == "published")
    return decision_id


async def input_exists(kind: str, input_id: int) -> bool:
    if kind == "proposal":
        return await Proposal.exists().where((Proposal.id == input_id) & (Proposal.status != "draft"))
    if kind == "comment":
        return await Comment.exists().where(Comment.id == input_id)
    if kind == "session_outcome":
        return await outcome_published(input_id)
    return False


async def link_input(actor_id: int, decision_id: int, values: dict) -> None:
    if not await input_exists(values["input_kind"], values["input_id"]):
        raise TrackerError(N_("There is no community input with that number"))
    try:
        async with transaction():
            await DecisionLink.insert(DecisionLink(decision=decision_id, **values))
            await record(
                actor_id,
                "decision.linked",
                f"decision:{decision_id}",
                input=f"{values['input_kind']}:{values['input_id']}",
                effect=values["effect"],
            )
    except Conflict:
        raise TrackerError(N_("That input is already linked to this decision")) from None


async def unlink_input(actor_id: int, decision_id: int, link_id: int) -> None:
    async with transaction():
        await DecisionLink.delete().where((DecisionLink.id == link_id) & (DecisionLink.decision == decision_id))
        await record(actor_id, "decision.unlinked", f"decision:{decision_id}", link=link_id)


async def _notify(authors: set[int], follow_targets: list[tuple[str, int]], subject: str, template: str, context: dict) -> int:
    """Queue one email per person: authors of inputs always, followers with an unsubscribe link."""
    followers: dict[int, tuple[str, int]] = {}
    for kind, target_id in follow_targets:
        for row in await Follow.select(Follow.user).where((Follow.target_kind == kind) & (Follow.target_id == target_id)):
            followers.setdefault(row["user"], (kind, target_id))
    people = authors | set(followers)
    if not people:
        return 0
    base = get_settings().base_url
    for user in await User.select(User.id, User.email, User.name, User.language).where(
        User.id.is_in(list(people)) & (User.is_active == True)
    ):  # noqa: E712
        lang = user["language"]
        follow = followers.get(user["id"])
        unsubscribe = f"{base}/{lang}/unsubscribe/{unsubscribe_token(user['id'], *follow)}" if follow else ""
        await queue_email(
            user["email"],
            lang,
            subject,
            template,
            name=user["name"],
            url=f"{base}/{lang}{context['path']}",
            title=context[f"title_{lang}"],
            unsubscribe=unsubscribe,
        )
    return len(people)


async def publish_decision(actor_id: int, decision_id: int) -> int:
    """Publish a draft decision and tell the people it answers. Returns how many were told."""
    async with transaction():
        row = await for_update(Decision.select().where(Decision.id == decision_id)).first()
        if row is None or row["status"] != "draft":
            raise TrackerError(N_("Only a draft decision can be published"))
        links = await DecisionLink.select().where(DecisionLink.decision == decision_id)
        if not links:
            raise TrackerError(N_("Link at least one community input before publishing"))
        await Decision.update({Decision.status: "published", Decision.published_at: now()}).where(Decision.id == decision_id)
        proposal_ids = [link["input_id"] for link in links if link["input_kind"] == "proposal"]
        comment_ids = [link["input_id"] for link in links if link["input_kind"] == "comment"]
        authors = set()
        if proposal_ids:
            authors |= {r["author"] for r in await Proposal.select(Proposal.author).where(Proposal.id.is_in(proposal_ids))}
        if comment_ids:
            authors |= {r["author"] for r in await Comment.select(Comment.author).where(Comment.id.is_in(comment_ids))}
        areas = {r["area"] for r in await Proposal.select(Proposal.area).where(Proposal.id.is_in(proposal_ids or [0]))}
        targets = (
            [("proposal", pid) for pid in proposal_ids]
            + ([("round", row["round"])] if row["round"] else [])
            + [("area", area_id) for area_id in sorted(areas)]
        )
        told = await _notify(
            authors,
            targets,
            N_("The council has made a decision about something you took part in"),
            "emails/decision_published.txt",
            {"path": f"/decisions/{decision_id}", "title_en": row["title_en"], "title_cy": row["title_cy"]},
        )
        await record(actor_id, "decision.published", f"decision:{decision_id}", links=len(links), told=told)
    return told


async def save_delivery(actor_id: int, delivery_id: int | None, values: dict) -> int:
    async with transaction():
        if delivery_id is None:
            row = Delivery(**values)
            await Delivery.insert(row)
            await record(actor_id, "delivery.created", f"delivery:{row.id}", proposal=values.get("proposal"))
            return row.id
        await Delivery.update({**{getattr(Delivery, k): v for k, v in values.items()}, Delivery.updated_at: now()}).where(
            Delivery.id == delivery_id
        )
        await record(actor_id, "delivery.edited", f"delivery:{delivery_id}")
    return delivery_id


async def results_frozen(actor_id: int | None, round_id: int, from_phase: str, to_phase: str) -> None:
    """When a round's results are frozen (rounds.phase_changed, in that transaction), every funded
    project gets its delivery record, linked to its proposal: not started, with its cost allocated.
    The loop from vote to delivery closes by itself; a proposal that already has one keeps it."""
    if to_phase != "results":
        return
    funded = await Proposal.select(
        Proposal.id, Proposal.title_en, Proposal.title_cy, Proposal.estimated_cost_pence, Proposal.revised_cost_pence
    ).where((Proposal.round == round_id) & (Proposal.status == "funded"))
    linked = {
        row["proposal"]
        for row in await Delivery.select(Delivery.proposal).where(Delivery.proposal.is_in([p["id"] for p in funded] or [0]))
    }
    for proposal in funded:
        if proposal["id"] in linked:
            continue
        row = Delivery(
            proposal=proposal["id"],
            title_en=proposal["title_en"] or proposal["title_cy"],
            title_cy=proposal["title_cy"] or proposal["title_en"],
            allocated_pence=current_cost(proposal),
        )
        await Delivery.insert(row)
        await record(actor_id, "delivery.created", f"delivery:{row.id}", proposal=proposal["id"])


class AlreadyLinked(TrackerError):
    def __init__(self) -> None:
        super().__init__(N_("That project already has a delivery record"), status_code=409)


async def link_delivery(actor_id: int, delivery_id: int, proposal_id: int) -> None:
    """Link a delivery record made by hand to the funded proposal it delivers (one record per
    proposal, by a unique index): its page, followers and the tracker then show it."""
    try:
        async with transaction():
            current = await for_update(Delivery.select(Delivery.id, Delivery.proposal).where(Delivery.id == delivery_id)).first()
            if current is None:
                raise TrackerError(N_("That delivery does not exist"), status_code=404)
            if current["proposal"] is not None:
                raise AlreadyLinked()
            if not await Proposal.exists().where((Proposal.id == proposal_id) & (Proposal.status == "funded")):
                raise TrackerError(N_("Choose a funded project"), status_code=422)
            if await Delivery.exists().where(Delivery.proposal == proposal_id):
                raise AlreadyLinked()
            await Delivery.update({Delivery.proposal: proposal_id, Delivery.updated_at: now()}).where(Delivery.id == delivery_id)
            await record(actor_id, "delivery.linked", f"delivery:{delivery_id}", proposal=proposal_id)
    except Conflict as exc:  # linked to the same proposal at the same moment elsewhere
        raise AlreadyLinked() from exc


async def post_update(actor_id: int, delivery_id: int, values: dict) -> None:
    """A dated public update, possibly changing status, progress and money; followers are told."""
    async with transaction():
        current = await for_update(Delivery.select().where(Delivery.id == delivery_id)).first()
        if current is None:
            raise TrackerError(N_("That delivery does not exist"), status_code=404)
        errors = rules.check_delivery_change(
            current["status"],
            values["status"],
            values["progress"],
            values.get("cancel_reason_en", ""),
            values.get("cancel_reason_cy", ""),
        )
        if errors:
            raise TrackerError(next(iter(errors.values())))
        change: dict[Column | str, Any] = {
            Delivery.status: values["status"],
            Delivery.progress: values["progress"],
            Delivery.updated_at: now(),
        }
        for field in ("spent_pence", "allocated_pence", "cancel_reason_en", "cancel_reason_cy", "delivered_on"):
            if values.get(field) not in (None, ""):
                change[getattr(Delivery, field)] = values[field]
        await Delivery.update(change).where(Delivery.id == delivery_id)
        await DeliveryUpdate.insert(
            DeliveryUpdate(
                delivery=delivery_id,
                body_en=values["body_en"],
                body_cy=values["body_cy"],
                status=values["status"],
                progress=values["progress"],
                actor_id=actor_id,
                at=values.get("at") or now(),
            )
        )
        await record(
            actor_id, "delivery.updated", f"delivery:{delivery_id}", status=values["status"], progress=values["progress"]
        )
        targets = [("proposal", current["proposal"])] if current["proposal"] else []
        if current["proposal"]:
            round_row = await Proposal.select(Proposal.round, Proposal.area).where(Proposal.id == current["proposal"]).first()
            if round_row:
                targets += [("round", round_row["round"]), ("area", round_row["area"])]
        if values.get("notify", True):
            await _notify(
                set(),
                targets,
                N_("There is an update on a project you follow"),
                "emails/delivery_update.txt",
                {"path": f"/delivery/{delivery_id}", "title_en": current["title_en"], "title_cy": current["title_cy"]},
            )


async def unsubscribe(user_id: int, kind: str, target_id: int) -> None:
    await proposal_actions.set_following(user_id, kind, target_id, False)


# Feedback on the feedback ----------------------------------------------------------------------


async def who_may_answer(link: dict, round_id: int | None) -> tuple[int | None, set[int]]:
    """Who may say whether a response answered them: the person who gave the input (a proposal's
    author, a comment's author; a session outcome was the room's, so no one person), and the
    followers of its proposal and of the decision's round."""
    gave: int | None = None
    proposal_id: int | None = None
    if link["input_kind"] == "proposal":
        row = await Proposal.select(Proposal.author).where(Proposal.id == link["input_id"]).first()
        gave, proposal_id = (row["author"], link["input_id"]) if row else (None, None)
    elif link["input_kind"] == "comment":
        row = await Comment.select(Comment.author, Comment.proposal).where(Comment.id == link["input_id"]).first()
        gave, proposal_id = (row["author"], row["proposal"]) if row else (None, None)
    targets = [("proposal", proposal_id)] if proposal_id else []
    if round_id is not None:
        targets.append(("round", round_id))
    followers: set[int] = set()
    for kind, target_id in targets:
        followers |= {
            row["user"]
            for row in await Follow.select(Follow.user).where((Follow.target_kind == kind) & (Follow.target_id == target_id))
        }
    return gave, followers


class AlreadyAnswered(TrackerError):
    def __init__(self) -> None:
        super().__init__(N_("You have already said whether this response answered you"), status_code=409)


async def give_feedback(user_id: int, link_id: int, answer: str, comment: str) -> None:
    """Record once whether a published response answered this person (a unique index makes a
    second answer, even sent twice at once, a refusal rather than a second row)."""
    if answer not in rules.ANSWERS or len(comment) > rules.FEEDBACK_COMMENT_MAX:
        raise ValueError("validate with rules.validate_feedback first")
    try:
        async with transaction():
            link = (
                await DecisionLink.select(
                    DecisionLink.id,
                    DecisionLink.input_kind,
                    DecisionLink.input_id,
                    DecisionLink.decision.status.as_alias("status"),
                    DecisionLink.decision.round.as_alias("round"),
                )
                .where(DecisionLink.id == link_id)
                .first()
            )
            if link is None or link["status"] != "published":
                raise TrackerError(N_("That response does not exist"), status_code=404)
            gave, followers = await who_may_answer(link, link["round"])
            if not rules.may_give_feedback(user_id, gave, followers):
                raise TrackerError(
                    N_("Only the person who gave this input, or someone following it, can answer"), status_code=403
                )
            if await ResponseFeedback.exists().where((ResponseFeedback.link == link_id) & (ResponseFeedback.user == user_id)):
                raise AlreadyAnswered()
            await ResponseFeedback.insert(ResponseFeedback(link=link_id, user=user_id, answer=answer, comment=comment))
    except Conflict as exc:  # the same answer sent twice at once: the index kept one
        raise AlreadyAnswered() from exc
