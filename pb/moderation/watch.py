"""The council's watch list: moderators add and remove terms (audited); new content containing a
term is held (hidden with reason rules.HELD) for a moderator, who keeps or hides it from the queue.
Proposals calls `hold_reason` at its extension point "proposals.hold" (it cannot import moderation)."""

from __future__ import annotations

from pb.accounts.guards import has_role
from pb.accounts.tables import User, UserRole
from pb.audit.actions import record
from pb.db import Conflict, transaction
from pb.i18n import N_
from pb.moderation import rules, watchlist
from pb.moderation.tables import WatchTerm
from pb.refusal import Refusal


class NotAllowed(Refusal):
    status_code = 403


class AlreadyListed(Refusal):
    status_code = 422


async def _check_moderator(user_id: int) -> None:
    roles = frozenset(row["role"] for row in await UserRole.select(UserRole.role).where(UserRole.user == user_id))
    if not has_role(roles, "moderator"):
        raise NotAllowed(N_("Only moderators can change the watch list"))


async def terms() -> list[dict]:
    """Every term, alphabetically, with who added it and when."""
    rows = await WatchTerm.select().order_by(WatchTerm.term)
    ids = list({row["added_by"] for row in rows})
    names = {row["id"]: row["name"] for row in await User.select(User.id, User.name).where(User.id.is_in(ids))} if ids else {}
    return [{**row, "added_by_name": names.get(row["added_by"], "")} for row in rows]


async def add_term(moderator_id: int, term: str) -> int:
    """Add a folded term (validated with watchlist.validate_term first)."""
    if not term or term != watchlist.fold(term) or len(term) > watchlist.TERM_MAX:
        raise ValueError("validate the term with watchlist.validate_term first")
    try:
        async with transaction():
            await _check_moderator(moderator_id)
            if await WatchTerm.exists().where(WatchTerm.term == term):
                raise AlreadyListed(N_("That word or phrase is already on the watch list"))
            row = WatchTerm(term=term, added_by=moderator_id)
            await WatchTerm.insert(row)
            # The term itself is in the audit detail: moderators and admins read the audit log, not the public.
            await record(moderator_id, "moderation.watch_term_added", f"watch_term:{row.id}", term=term)
    except Conflict:  # the same term added at the same moment by someone else
        raise AlreadyListed(N_("That word or phrase is already on the watch list")) from None
    return row.id


async def remove_term(moderator_id: int, term_id: int) -> bool:
    """Remove a term; False if it was already gone. Content it held stays held until decided."""
    async with transaction():
        await _check_moderator(moderator_id)
        row = await WatchTerm.select().where(WatchTerm.id == term_id).first()
        if row is None:
            return False
        await WatchTerm.delete().where(WatchTerm.id == term_id)
        await record(moderator_id, "moderation.watch_term_removed", f"watch_term:{term_id}", term=row["term"])
    return True


async def hold_reason(text: str) -> str | None:
    """rules.HELD if `text` contains a watch-list term, else None (extension point "proposals.hold")."""
    listed = [row["term"] for row in await WatchTerm.select(WatchTerm.term)]
    return rules.HELD if listed and watchlist.matched_terms(text, listed) else None


PROPOSAL_TEXT = ("title_en", "title_cy", "summary_en", "summary_cy", "description_en", "description_cy")


async def matched_in(target: dict) -> list[str]:
    """The watch-list terms a held item contains, for the moderator deciding on it (the terms may
    have changed since it was held; these are today's)."""
    listed = [row["term"] for row in await WatchTerm.select(WatchTerm.term)]
    if not listed:
        return []
    if target["kind"] == "comment":
        text = target["body"]
    else:
        text = " ".join(str(target["proposal"].get(key) or "") for key in PROPOSAL_TEXT)
    return watchlist.matched_terms(text, listed)
