"""Proposal actions. Each is the one writer of what it changes, runs in one transaction, and is
checked against the lifecycle and phase rules; officers' actions are audited and authors are told
(in their own language) whenever their proposal's status changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from pb.accounts.posting import TooMany, check_posting
from pb.accounts.tables import User
from pb.audit.actions import record
from pb.config import get_settings
from pb.db import Conflict, for_update, one, transaction
from pb.fields import is_digits
from pb.i18n import N_, pence, t
from pb.outbox.actions import queue_email
from pb.proposals import lifecycle, rules
from pb.proposals.tables import Comment, Follow, Proposal, ProposalEvent, ProposalImage, ProposalTheme, Support
from pb.refusal import Refusal
from pb.registry import extensions
from pb.rounds import phases
from pb.rounds.tables import Round
from pb.security import keyed_hash

COMMENT_EDIT_WINDOW = timedelta(minutes=15)
CONTENT_FIELDS = ("title_en", "title_cy", "summary_en", "summary_cy", "description_en", "description_cy")


class NotAllowed(Refusal):
    """The action is not allowed for this person, proposal status or round phase. The message is a
    message id for the person."""


def now() -> datetime:
    return datetime.now(UTC)


async def _locked_proposal(proposal_id: int) -> dict:
    row = await for_update(Proposal.select().where(Proposal.id == proposal_id)).first()
    if row is None:
        raise NotAllowed(N_("That proposal does not exist"), status_code=404)
    return row


async def _phase(round_id: int) -> str:
    return (await one(Round.select(Round.phase).where(Round.id == round_id)))["phase"]


async def _count(table: Any, author_column: Any, user_id: int, since: datetime) -> int:
    """How many rows of `table` the person wrote since `since` (for the posting limits)."""
    return await table.count().where((author_column == user_id) & (table.created_at >= since))


async def _hold_reason(*texts: str) -> str:
    """Why new content must wait for a moderator ("" if it need not): the council's watch list,
    offered by moderation at the extension point "proposals.hold"."""
    text = "\n".join(texts)
    for hold in extensions("proposals.hold"):
        if reason := await hold(text):
            return reason
    return ""


async def _tell_held(author_id: int, kind: str, proposal: dict) -> None:
    """Tell the author, in their language, that what they posted is waiting for a moderator."""
    author = await one(User.select(User.email, User.name, User.language, User.is_active).where(User.id == author_id))
    if not author["is_active"]:
        return
    lang = author["language"]
    base = get_settings().base_url
    await queue_email(
        author["email"],
        lang,
        N_("Your post is waiting for a moderator"),
        "emails/content_held.txt",
        name=author["name"],
        kind=kind,
        title=title_for(proposal, lang),
        url=f"{base}/{lang}/proposals/{proposal['id']}",
        guidelines_url=f"{base}/{lang}/community-guidelines",
    )


def title_for(row: dict, lang: str) -> str:
    return row.get(f"title_{lang}") or row.get("title_en") or row.get("title_cy") or ""


async def _email_author(
    row: dict, subject: str, template: str, reason_en: str, reason_cy: str, **in_language: Callable[[str], str]
) -> None:
    """Email a proposal's author in their language: the proposal's title, the reason in that
    language (else the other), a link, and `in_language` values formatted for that language."""
    author = await one(User.select(User.email, User.name, User.language).where(User.id == row["author"]))
    lang = author["language"]
    formatted: dict[str, Any] = {name: value(lang) for name, value in in_language.items()}
    await queue_email(
        author["email"],
        lang,
        subject,
        template,
        name=author["name"],
        title=title_for(row, lang),
        reason=(reason_cy if lang == "cy" else reason_en) or reason_en or reason_cy,
        url=f"{get_settings().base_url}/{lang}/proposals/{row['id']}",
        **formatted,
    )


async def _tell_author(row: dict, to_status: lifecycle.ProposalStatus, reason_en: str = "", reason_cy: str = "") -> None:
    await _email_author(
        row,
        N_("There is news about your proposal"),
        "emails/proposal_status.txt",
        reason_en,
        reason_cy,
        status=lambda lang: t(lang, lifecycle.STATUS_NAMES[to_status]),
    )


async def _tell_author_of_cost(row: dict, previous: int, amount: int, reason_en: str, reason_cy: str) -> None:
    await _email_author(
        row,
        N_("The cost of your proposal has been revised"),
        "emails/proposal_cost.txt",
        reason_en,
        reason_cy,
        previous=lambda lang: pence(previous, lang),
        cost=lambda lang: pence(amount, lang),
    )


async def set_status(
    row: dict,
    target: lifecycle.ProposalStatus,
    actor_id: int | None,
    reason_en: str = "",
    reason_cy: str = "",
    related_id: int | None = None,
    extra: dict | None = None,
) -> None:
    """The one writer of a proposal's status: the change, its history event and the author's email
    together. Callers check the lifecycle (and hold the row's lock) first."""
    fields = {Proposal.status: target, Proposal.updated_at: now(), **(extra or {})}
    if target == "not_eligible":
        fields[Proposal.status_reason_en] = reason_en
        fields[Proposal.status_reason_cy] = reason_cy
    await Proposal.update(fields).where(Proposal.id == row["id"])
    await ProposalEvent.insert(
        ProposalEvent(
            proposal=row["id"],
            kind="status",
            from_status=row["status"],
            to_status=target,
            actor_id=actor_id,
            reason_en=reason_en,
            reason_cy=reason_cy,
            related_id=related_id,
        )
    )
    await _tell_author(row, target, reason_en, reason_cy)


async def save_proposal(author_id: int, round_id: int, proposal_id: int | None, values: dict, submit: bool) -> int:
    """Create or update the author's own proposal, as a draft or submitted."""
    content = {field: values[field] for field in CONTENT_FIELDS}
    async with transaction():
        phase = await _phase(round_id)
        if proposal_id is None:
            if not phases.may_propose(phase):
                raise NotAllowed(N_("This round is not taking proposals now"))
            await check_posting(author_id, "proposal", lambda since: _count(Proposal, Proposal.author, author_id, since))
            row = Proposal(
                round=round_id,
                area=values["area_id"],
                author=author_id,
                **content,
                estimated_cost_pence=values["estimated_cost_pence"],
                partners=values["partners"],
                search_text=rules.search_text(values),
            )
            await Proposal.insert(row)
            proposal_id = row.id
            current = {"id": proposal_id, "status": "draft", "author": author_id, **content}
        else:
            current = await _locked_proposal(proposal_id)
            if current["author"] != author_id or current["round"] != round_id:
                raise NotAllowed(N_("You can only change your own proposals"))
            if not lifecycle.author_may_edit(current["status"], phase):
                raise NotAllowed(N_("This proposal can no longer be changed"))
            update = {getattr(Proposal, field): value for field, value in content.items()}
            update.update(
                {
                    Proposal.estimated_cost_pence: values["estimated_cost_pence"],
                    Proposal.partners: values["partners"],
                    Proposal.search_text: rules.search_text(values),
                    Proposal.updated_at: now(),
                }
            )
            update[Proposal.area] = values["area_id"]
            await Proposal.update(update).where(Proposal.id == proposal_id)
            await ProposalTheme.delete().where(ProposalTheme.proposal == proposal_id)
        if values["themes"]:
            await ProposalTheme.insert(*[ProposalTheme(proposal=proposal_id, theme=theme) for theme in values["themes"]])
        if submit and current["status"] == "draft":
            if not lifecycle.can_move("draft", "submitted", "author", phase):
                raise NotAllowed(N_("This round is not taking proposals now"))
            await set_status({**current, **content}, "submitted", author_id, extra={Proposal.submitted_at: now()})
            await _follow(author_id, "proposal", proposal_id)
            current["status"] = "submitted"
        # Once public (submitted, or edited after), a proposal containing a watch-list term waits for a
        # moderator. A draft is its author's alone, so it is checked when it is submitted.
        if current["status"] != "draft" and not current.get("hidden") and (held := await _hold_reason(*content.values())):
            await Proposal.update({Proposal.hidden: True, Proposal.hidden_reason: held}).where(Proposal.id == proposal_id)
            await _tell_held(author_id, "proposal", {**current, **content, "id": proposal_id})
    return proposal_id


async def withdraw(author_id: int, proposal_id: int) -> None:
    async with transaction():
        row = await _locked_proposal(proposal_id)
        if row["author"] != author_id:
            raise NotAllowed(N_("You can only change your own proposals"))
        if not lifecycle.can_move(row["status"], "withdrawn", "author", await _phase(row["round"])):
            raise NotAllowed(N_("This proposal can no longer be withdrawn"))
        await set_status(row, "withdrawn", author_id)


async def change_status(officer_id: int, proposal_id: int, target: str, reason_en: str = "", reason_cy: str = "") -> None:
    """An officer's review decision: under review, eligible, not eligible (with a public reason),
    shortlisted or taken off the shortlist."""
    async with transaction():
        row = await _locked_proposal(proposal_id)
        if not lifecycle.is_status(target) or not lifecycle.can_move(
            row["status"], target, "officer", await _phase(row["round"])
        ):
            raise NotAllowed(N_("That change is not possible for this proposal now"))
        if lifecycle.needs_public_reason(target) and not (reason_en and reason_cy):
            raise NotAllowed(N_("Give the reason in Welsh and English"))
        await set_status(row, target, officer_id, reason_en, reason_cy)
        await record(
            officer_id, "proposal.status_changed", f"proposal:{proposal_id}", from_status=row["status"], to_status=target
        )


async def revise_cost(officer_id: int, proposal_id: int, amount: int, reason_en: str, reason_cy: str) -> None:
    """A new cost in pence, with why; the author is told in their language, with the old and new cost."""
    async with transaction():
        row = await _locked_proposal(proposal_id)
        if not phases.may_review(await _phase(row["round"])) or row["status"] in ("draft", "withdrawn", "merged"):
            raise NotAllowed(N_("That change is not possible for this proposal now"))
        await Proposal.update(
            {
                Proposal.revised_cost_pence: amount,
                Proposal.cost_reason_en: reason_en,
                Proposal.cost_reason_cy: reason_cy,
                Proposal.updated_at: now(),
            }
        ).where(Proposal.id == proposal_id)
        await ProposalEvent.insert(
            ProposalEvent(
                proposal=proposal_id,
                kind="cost",
                actor_id=officer_id,
                amount_pence=amount,
                reason_en=reason_en,
                reason_cy=reason_cy,
            )
        )
        previous = row["revised_cost_pence"] or row["estimated_cost_pence"]
        await record(officer_id, "proposal.cost_revised", f"proposal:{proposal_id}", previous_pence=previous, pence=amount)
        await _tell_author_of_cost(row, previous, amount, reason_en, reason_cy)


async def save_notes(officer_id: int, proposal_id: int, notes: str) -> None:
    async with transaction():
        await _locked_proposal(proposal_id)
        await Proposal.update({Proposal.feasibility_notes: notes}).where(Proposal.id == proposal_id)
        await record(officer_id, "proposal.notes_saved", f"proposal:{proposal_id}")


async def merge(officer_id: int, source_id: int, target_id: int, reason_en: str, reason_cy: str) -> None:
    """Merge a duplicate into another proposal of the same round; its supports and followers move
    across (once per person), and both histories link to each other."""
    if source_id == target_id:
        raise NotAllowed(N_("Choose a different proposal to merge into"))
    async with transaction():
        source = await _locked_proposal(source_id)
        target = await _locked_proposal(target_id)
        phase = await _phase(source["round"])
        if target["round"] != source["round"] or target["status"] not in lifecycle.OPEN_FOR_MERGE_TARGET:
            raise NotAllowed(N_("Choose a proposal in this round that is still being considered"))
        if not lifecycle.can_move(source["status"], "merged", "officer", phase):
            raise NotAllowed(N_("That change is not possible for this proposal now"))
        supporters = [row["user"] for row in await Support.select(Support.user).where(Support.proposal == source_id)]
        followers = [
            row["user"]
            for row in await Follow.select(Follow.user).where(
                (Follow.target_kind == "proposal") & (Follow.target_id == source_id)
            )
        ]
        if supporters:
            await Support.insert(*[Support(proposal=target_id, user=user) for user in supporters]).on_conflict(
                target=(Support.proposal, Support.user), action="DO NOTHING"
            )
        if followers:
            await Follow.insert(
                *[Follow(user=user, target_kind="proposal", target_id=target_id) for user in followers]
            ).on_conflict(target=(Follow.user, Follow.target_kind, Follow.target_id), action="DO NOTHING")
        count = await Support.count().where(Support.proposal == target_id)
        await Proposal.update({Proposal.support_count: count}).where(Proposal.id == target_id)
        await set_status(
            source, "merged", officer_id, reason_en, reason_cy, related_id=target_id, extra={Proposal.merged_into: target_id}
        )
        await ProposalEvent.insert(
            ProposalEvent(
                proposal=target_id,
                kind="merged_in",
                actor_id=officer_id,
                related_id=source_id,
                reason_en=reason_en,
                reason_cy=reason_cy,
            )
        )
        await record(officer_id, "proposal.merged", f"proposal:{source_id}", into=target_id, supports_moved=len(supporters))


async def set_support(user_id: int, proposal_id: int, supporting: bool) -> bool:
    """Support (or stop supporting) a proposal. At most one support per person, by a unique index;
    the count moves only when a row really was added or removed. Returns whether they support it."""
    async with transaction():
        row = await Proposal.select(Proposal.status, Proposal.round, Proposal.hidden).where(Proposal.id == proposal_id).first()
        if row is None or not lifecycle.is_public(row["status"]):
            raise NotAllowed(N_("That proposal does not exist"), status_code=404)
        if supporting and (
            not phases.may_support(await _phase(row["round"])) or row["status"] in ("withdrawn", "merged", "not_eligible")
        ):
            raise NotAllowed(N_("This proposal cannot be supported now"))
        if supporting:
            added = (
                await Support.insert(Support(proposal=proposal_id, user=user_id))
                .on_conflict(target=(Support.proposal, Support.user), action="DO NOTHING")
                .returning(Support.id)
            )
            if added:
                await Proposal.update({Proposal.support_count: Proposal.support_count + 1}).where(Proposal.id == proposal_id)
        else:
            removed = (
                await Support.delete().where((Support.proposal == proposal_id) & (Support.user == user_id)).returning(Support.id)
            )
            if removed:
                await Proposal.update({Proposal.support_count: Proposal.support_count - 1}).where(Proposal.id == proposal_id)
    return supporting


async def _follow(user_id: int, kind: str, target_id: int) -> None:
    await Follow.insert(Follow(user=user_id, target_kind=kind, target_id=target_id)).on_conflict(
        target=(Follow.user, Follow.target_kind, Follow.target_id), action="DO NOTHING"
    )


def unsubscribe_token(user_id: int, kind: str, target_id: int) -> str:
    """The one-click way out of a follow, for the emails it brings (keyed, so it cannot be made up)."""
    payload = f"{user_id}.{kind}.{target_id}"
    return f"{payload}.{keyed_hash('unsubscribe', payload)[:32]}"


def read_unsubscribe_token(token: str) -> tuple[int, str, int] | None:
    parts = token.split(".")
    if len(parts) != 4 or not is_digits(parts[0]) or not is_digits(parts[2]) or parts[1] not in ("proposal", "round", "area"):
        return None
    payload = ".".join(parts[:3])
    if keyed_hash("unsubscribe", payload)[:32] != parts[3]:
        return None
    return int(parts[0]), parts[1], int(parts[2])


async def set_following(user_id: int, kind: str, target_id: int, following: bool) -> bool:
    async with transaction():
        if following:
            await _follow(user_id, kind, target_id)
        else:
            await Follow.delete().where((Follow.user == user_id) & (Follow.target_kind == kind) & (Follow.target_id == target_id))
    return following


async def add_comment(user_id: int, proposal_id: int, body: str, parent_id: int | None, language: str = "") -> int:
    async with transaction():
        row = await Proposal.select(Proposal.status, Proposal.round).where(Proposal.id == proposal_id).first()
        if row is None or not lifecycle.is_public(row["status"]):
            raise NotAllowed(N_("That proposal does not exist"), status_code=404)
        if not phases.may_comment(await _phase(row["round"])):
            raise NotAllowed(N_("Comments are closed"))
        if parent_id is not None:
            parent = await Comment.select(Comment.proposal).where(Comment.id == parent_id).first()
            if parent is None or parent["proposal"] != proposal_id:
                raise NotAllowed(N_("You can only reply to a comment on this proposal"))
        await check_posting(user_id, "comment", lambda since: _count(Comment, Comment.author, user_id, since))
        held = await _hold_reason(body)
        comment = Comment(
            proposal=proposal_id,
            author=user_id,
            parent=parent_id,
            body=body,
            hidden=bool(held),
            hidden_reason=held,
            language=language,
        )
        await Comment.insert(comment)
        if held:
            await _tell_held(user_id, "comment", await one(Proposal.select().where(Proposal.id == proposal_id)))
    return comment.id


def may_edit_comment(comment: dict, user_id: int | None, moment: datetime) -> bool:
    """Authors may correct a comment for a short time after posting it (the edit is shown)."""
    return user_id == comment["author"] and not comment["hidden"] and moment - comment["created_at"] <= COMMENT_EDIT_WINDOW


async def edit_comment(user_id: int, comment_id: int, body: str, language: str | None = None) -> int:
    async with transaction():
        comment = await for_update(Comment.select().where(Comment.id == comment_id)).first()
        if comment is None or not may_edit_comment(comment, user_id, now()):
            raise NotAllowed(N_("This comment can no longer be edited"))
        update: dict[Any, Any] = {Comment.body: body, Comment.edited_at: now()}
        if language in ("cy", "en"):
            update[Comment.language] = language
        # An edit that brings in a watch-list term is held like a new comment (no posting something
        # harmless and then changing it).
        if held := await _hold_reason(body):
            update.update({Comment.hidden: True, Comment.hidden_reason: held})
        await Comment.update(update).where(Comment.id == comment_id)
        if held:
            await _tell_held(user_id, "comment", await one(Proposal.select().where(Proposal.id == comment["proposal"])))
    return comment["proposal"]


__all__ = ["Conflict", "NotAllowed", "TooMany"]


async def put_shortlisted_on_ballot(actor_id: int, round_id: int) -> None:
    """As a round's vote opens (inside its phase change): every shortlisted proposal goes on the
    ballot, recorded and told to its author like any other status change."""
    for row in await Proposal.select().where((Proposal.round == round_id) & (Proposal.status == "shortlisted")):
        await set_status(row, "on_ballot", actor_id)


async def set_image(actor_id: int, proposal_id: int, picture: dict[str, Any], alt_en: str, alt_cy: str) -> None:
    """The proposal's picture becomes this one (files already stored by pb.web.media), replacing any
    before it. `picture` holds full_name, thumb_name, width, height, thumb_width, thumb_height."""
    async with transaction():
        await _locked_proposal(proposal_id)
        await ProposalImage.delete().where(ProposalImage.proposal == proposal_id)
        await ProposalImage.insert(ProposalImage(proposal=proposal_id, alt_en=alt_en, alt_cy=alt_cy, position=0, **picture))
        await record(actor_id, "proposal.image_set", f"proposal:{proposal_id}")


async def set_image_alt(actor_id: int, proposal_id: int, alt_en: str, alt_cy: str) -> None:
    async with transaction():
        await _locked_proposal(proposal_id)
        await ProposalImage.update({ProposalImage.alt_en: alt_en, ProposalImage.alt_cy: alt_cy}).where(
            ProposalImage.proposal == proposal_id
        )
        await record(actor_id, "proposal.image_alt_changed", f"proposal:{proposal_id}")


async def remove_image(actor_id: int, proposal_id: int) -> None:
    """The picture is taken off the proposal. Its files stay (a content-hash name can be shared)."""
    async with transaction():
        await _locked_proposal(proposal_id)
        await ProposalImage.delete().where(ProposalImage.proposal == proposal_id)
        await record(actor_id, "proposal.image_removed", f"proposal:{proposal_id}")
