"""Notes from the moderators beside content they kept (the "keep with a note" decision), for a
proposal's page: the note of the latest decision on the proposal and on each of its comments."""

from __future__ import annotations

from typing import Any

from pb.moderation.tables import ModerationDecision
from pb.proposals.tables import Comment


async def notes_for(proposal_id: int) -> dict[str, Any]:
    """{"proposal": note or None, "comments": {comment id: note}}, each note {"text", "lang"} (lang ""
    for notes from before their language was asked): only where the latest decision is a note."""
    comments = Comment.select(Comment.id).where(Comment.proposal == proposal_id)  # a subquery: no ids read into pb
    about_proposal = (ModerationDecision.target_kind == "proposal") & (ModerationDecision.target_id == proposal_id)
    about_comments = (ModerationDecision.target_kind == "comment") & ModerationDecision.target_id.is_in(comments)
    query = ModerationDecision.select(
        ModerationDecision.target_kind,
        ModerationDecision.target_id,
        ModerationDecision.action,
        ModerationDecision.public_note,
        ModerationDecision.public_note_language,
    ).where(about_proposal | about_comments)
    latest: dict[tuple[str, int], dict] = {}
    for row in await query.order_by(ModerationDecision.id):
        latest[(row["target_kind"], row["target_id"])] = row
    notes = {
        key: {"text": row["public_note"], "lang": row["public_note_language"]}
        for key, row in latest.items()
        if row["action"] == "note" and row["public_note"]
    }
    return {
        "proposal": notes.get(("proposal", proposal_id)),
        "comments": {target_id: note for (kind, target_id), note in notes.items() if kind == "comment"},
    }


async def section(proposal_row: dict) -> tuple[str, dict[str, Any]]:
    return "moderation/_public_note.html", {"moderation_notes": await notes_for(proposal_row["id"])}
