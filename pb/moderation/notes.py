"""Information from the council: bilingual, sourced notes an officer places beside a public proposal
or comment, to fill an information vacuum without hiding or changing anyone's words.

`add_note` and `withdraw_note` are the one writers of council notes; each runs in one transaction,
is audited, and adding one tells the proposal's followers by email in their own language. A
withdrawn note stays in the public list, marked as withdrawn. Reading functions follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pb.accounts.guards import has_role
from pb.accounts.tables import User, UserRole
from pb.audit.actions import record
from pb.config import get_settings
from pb.db import for_update, transaction
from pb.i18n import N_
from pb.moderation import actions, note_rules, public_notes
from pb.moderation.tables import CouncilNote
from pb.outbox.actions import queue_email
from pb.paging import Pager, paginate
from pb.proposals.actions import unsubscribe_token
from pb.proposals.tables import Comment, Follow, Proposal
from pb.refusal import Refusal
from pb.rounds import phases


class NotOfficer(Refusal):
    def __init__(self) -> None:
        super().__init__(N_("Only council officers can add or withdraw information from the council."), status_code=403)


class NotPublic(Refusal):
    """A note goes only beside what the public can read: not a draft, nor hidden or held content."""

    def __init__(self) -> None:
        super().__init__(
            N_("Information from the council can only be added beside a proposal or comment that everyone can read."),
            status_code=404,
        )


class NoteNotFound(Refusal):
    def __init__(self) -> None:
        super().__init__(N_("That information from the council does not exist"), status_code=404)


class AlreadyWithdrawn(Refusal):
    def __init__(self) -> None:
        super().__init__(N_("This information from the council has already been withdrawn."), status_code=409)


@dataclass(frozen=True)
class Added:
    note_id: int
    proposal_id: int
    told: int  # followers emailed


async def _is_officer(user_id: int) -> bool:
    roles = frozenset(row["role"] for row in await UserRole.select(UserRole.role).where(UserRole.user == user_id))
    return has_role(roles, "officer")


async def public_target(kind: str, target_id: int, lock: bool = False) -> dict | None:
    """The item if everyone can read it: a proposal that is not a draft, not hidden or held, in a
    public round; or a visible comment on such a proposal. Else None."""
    target = await actions.find_target(kind, target_id, lock=lock)
    if target is None or target["hidden"] or target["proposal"]["hidden"]:
        return None
    round_row = await Proposal.select(Proposal.round.phase.as_alias("phase")).where(Proposal.id == target["proposal_id"]).first()
    if round_row is None or not phases.is_public(round_row["phase"]):
        return None
    return target


def item_path(lang: str, kind: str, proposal_id: int, target_id: int) -> str:
    """Where the item is read: the proposal's page, at the comment for a comment."""
    anchor = f"#comment-{target_id}" if kind == "comment" else "#council-information"
    return f"/{lang}/proposals/{proposal_id}{anchor}"


async def add_note(officer_id: int, kind: str, target_id: int, values: dict, now: datetime | None = None) -> Added:
    """Place a council note beside a public item, audited, and tell the proposal's followers."""
    if not note_rules.note_ok(values):
        raise ValueError("validate the note with note_rules.validate_note first")
    now = now or datetime.now(UTC)
    async with transaction():
        if not await _is_officer(officer_id):
            raise NotOfficer()
        # Locked, so the item cannot be hidden between this check and the note being published.
        target = await public_target(kind, target_id, lock=True)
        if target is None:
            raise NotPublic()
        note = CouncilNote(
            target_kind=kind,
            target_id=target_id,
            author_id=officer_id,
            created_at=now,
            **{name: values[name] for name in note_rules.FIELDS},
        )
        await CouncilNote.insert(note)
        await record(officer_id, "moderation.council_note_added", f"{kind}:{target_id}", note_id=note.id)
        told = await _tell_followers(target, note)
    return Added(note.id, target["proposal_id"], told)


async def _tell_followers(target: dict, note: CouncilNote) -> int:
    """Email each active follower of the proposal, in their language, with a way to stop following."""
    proposal_id = target["proposal_id"]
    following = (Follow.target_kind == "proposal") & (Follow.target_id == proposal_id)
    follower_ids = [row["user"] for row in await Follow.select(Follow.user).where(following)]
    if not follower_ids:
        return 0
    base = get_settings().base_url
    people = await User.select(User.id, User.email, User.name, User.language).where(
        User.id.is_in(follower_ids) & (User.is_active == True)  # noqa: E712
    )
    for person in people:
        lang = person["language"]
        await queue_email(
            person["email"],
            lang,
            N_("Information from the council about a proposal you follow"),
            "emails/council_note.txt",
            name=person["name"],
            kind=target["kind"],
            title=actions.title_for(target["proposal"], lang),
            body=getattr(note, f"body_{lang}"),
            source=getattr(note, f"source_{lang}"),
            source_url=note.source_url,
            url=base + item_path(lang, target["kind"], proposal_id, target["id"]),
            unsubscribe=f"{base}/{lang}/unsubscribe/{unsubscribe_token(person['id'], 'proposal', proposal_id)}",
        )
    return len(people)


async def withdraw_note(officer_id: int, note_id: int, now: datetime | None = None) -> dict:
    """Withdraw a note: it is no longer shown beside the item, and the public list says when it was
    withdrawn. Returns the note as it was."""
    now = now or datetime.now(UTC)
    async with transaction():
        if not await _is_officer(officer_id):
            raise NotOfficer()
        row = await for_update(CouncilNote.select().where(CouncilNote.id == note_id)).first()
        if row is None:
            raise NoteNotFound()
        if row["withdrawn_at"] is not None:
            raise AlreadyWithdrawn()
        await CouncilNote.update({CouncilNote.withdrawn_at: now}).where(CouncilNote.id == note_id)
        await record(officer_id, "moderation.council_note_withdrawn", f"{row['target_kind']}:{row['target_id']}", note_id=note_id)
    return row


# Reading (no writes).


async def notes_beside(proposal_id: int) -> dict[str, Any]:
    """The notes in force beside a proposal and its comments, oldest first:
    {"proposal": [note, ...], "comments": {comment id: [note, ...]}}."""
    comments = Comment.select(Comment.id).where(Comment.proposal == proposal_id)  # a subquery: no ids read into pb
    about_proposal = (CouncilNote.target_kind == "proposal") & (CouncilNote.target_id == proposal_id)
    about = about_proposal | ((CouncilNote.target_kind == "comment") & CouncilNote.target_id.is_in(comments))
    rows = await CouncilNote.select().where(about & CouncilNote.withdrawn_at.is_null()).order_by(CouncilNote.id)
    found: dict[str, Any] = {"proposal": [], "comments": {}}
    for row in rows:
        if row["target_kind"] == "proposal":
            found["proposal"].append(row)
        else:
            found["comments"].setdefault(row["target_id"], []).append(row)
    return found


async def page_section(proposal_row: dict) -> tuple[str, dict[str, Any]]:
    """The proposal page's moderation section (one per capability at "proposals.page_sections"):
    the moderators' notes on kept content, and the council's notes beside the proposal and its
    comments (shown by proposal.html and _comments.html where they belong)."""
    template, context = await public_notes.section(proposal_row)
    return template, {**context, "council_notes": await notes_beside(proposal_row["id"])}


async def public_list(page_number: int, page_size: int) -> tuple[list[dict], Pager]:
    """Every note, withdrawn ones included, newest first, each with the proposal it is about
    (its titles and id) for the link: (this page's notes, the pager)."""
    total = await CouncilNote.count()
    pager = paginate(total, page_number, page_size)
    rows = (
        await CouncilNote.select()
        .order_by(CouncilNote.created_at, CouncilNote.id, ascending=False)
        .offset(pager.offset)
        .limit(page_size)
    )
    comment_ids = [row["target_id"] for row in rows if row["target_kind"] == "comment"]
    comment_proposal = (
        {
            row["id"]: row["proposal"]
            for row in await Comment.select(Comment.id, Comment.proposal).where(Comment.id.is_in(comment_ids))
        }
        if comment_ids
        else {}
    )
    for row in rows:
        row["proposal_id"] = row["target_id"] if row["target_kind"] == "proposal" else comment_proposal.get(row["target_id"])
    proposal_ids = list({row["proposal_id"] for row in rows if row["proposal_id"] is not None})
    titles = (
        {
            row["id"]: row
            for row in await Proposal.select(Proposal.id, Proposal.title_en, Proposal.title_cy, Proposal.round).where(
                Proposal.id.is_in(proposal_ids)
            )
        }
        if proposal_ids
        else {}
    )
    for row in rows:
        row["proposal"] = titles.get(row["proposal_id"])
    return rows, pager


async def note_by_id(note_id: int) -> dict | None:
    return await CouncilNote.select().where(CouncilNote.id == note_id).first()
