"""Reminders that close the loop of a vote without anyone doing it by hand: two days before voting is
planned to close, the followers of a round (or of one of its areas) who have not voted online are
reminded once; when the results are published, its followers are told once. Each email is in the
person's language and carries the one-click way out of the follow that brought it.

Once per round and kind (a RoundNotice row behind a unique index), never per person: a list of who was
reminded would be a list of who had not yet voted. Whether someone voted is asked of the register by
the keyed hash of their account (pb.voting.actions.voter_key_for_user), which says *that* they voted,
never how; paper and code voters cannot be recognised, so the reminder thanks anyone who has voted.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, timedelta

from pb import i18n
from pb.accounts.tables import User
from pb.config import Settings, get_settings
from pb.db import Conflict, transaction
from pb.i18n import N_
from pb.outbox.actions import queue_email
from pb.proposals.actions import unsubscribe_token
from pb.proposals.tables import Follow
from pb.registry import every
from pb.rounds.queries import today
from pb.rounds.tables import Area, Round
from pb.voting.actions import voter_key_for_user
from pb.voting.tables import RoundNotice, VoterRegister

log = logging.getLogger("pb.voting.reminders")

BEFORE_CLOSE = timedelta(days=2)
EVERY = timedelta(hours=1)  # how often each app process looks for reminders due


def closing_reminder_due(phase: str, closes: date | None, on: date) -> bool:
    """Whether a round's closing reminder is due: it is voting and its planned close is at most two
    days away (or already passed while the vote is still open)."""
    return phase == "voting" and closes is not None and on >= closes - BEFORE_CLOSE


async def _followers(round_id: int) -> dict[int, tuple[str, int]]:
    """Who follows the round or one of its areas, with the follow that brings them the email."""
    areas = [row["id"] for row in await Area.select(Area.id).where(Area.round == round_id)]
    found: dict[int, tuple[str, int]] = {}
    of_round = (Follow.target_kind == "round") & (Follow.target_id == round_id)
    condition = of_round | ((Follow.target_kind == "area") & Follow.target_id.is_in(areas)) if areas else of_round
    for row in await Follow.select(Follow.user, Follow.target_kind, Follow.target_id).where(condition).order_by(Follow.id):
        found.setdefault(row["user"], (row["target_kind"], row["target_id"]))
    return found


async def _write(round_row: dict, people: dict[int, tuple[str, int]], subject: str, template: str, path: str) -> int:
    if not people:
        return 0
    base = get_settings().base_url
    written = 0
    users = await User.select(User.id, User.email, User.name, User.language).where(
        User.id.is_in(list(people)) & (User.is_active == True)  # noqa: E712
    )
    for user in users:
        lang = user["language"]
        await queue_email(
            user["email"],
            lang,
            subject,
            template,
            name=user["name"],
            title=round_row[f"title_{lang}"] or round_row["title_en"],
            closes=i18n.date(round_row["results_from"], lang) if round_row["results_from"] else "",
            url=f"{base}/{lang}/rounds/{round_row['id']}/{path}",
            unsubscribe=f"{base}/{lang}/unsubscribe/{unsubscribe_token(user['id'], *people[user['id']])}",
        )
        written += 1
    return written


async def _claim(round_id: int, kind: str) -> RoundNotice | None:
    """This round's notice of this kind, claimed now; None if it went out already."""
    if await RoundNotice.exists().where((RoundNotice.round == round_id) & (RoundNotice.kind == kind)):
        return None
    notice = RoundNotice(round=round_id, kind=kind)
    await RoundNotice.insert(notice)  # a second process claiming it at once meets the unique index
    return notice


async def send_closing_reminders(on: date) -> int:
    """Remind, once per round, the followers who have not voted online that voting closes soon.
    Safe to run often and from several machines. Returns how many were written to."""
    rounds = await Round.select(Round.id, Round.title_en, Round.title_cy, Round.phase, Round.results_from).where(
        Round.phase == "voting"
    )
    written = 0
    for round_row in rounds:
        if not closing_reminder_due(round_row["phase"], round_row["results_from"], on):
            continue
        try:
            async with transaction():
                notice = await _claim(round_row["id"], "closing")
                if notice is None:
                    continue
                people = await _followers(round_row["id"])
                keys = {voter_key_for_user(round_row["id"], user): user for user in people}
                voted = {
                    keys[row["voter_key"]]
                    for row in await VoterRegister.select(VoterRegister.voter_key).where(
                        (VoterRegister.round == round_row["id"]) & VoterRegister.voter_key.is_in(list(keys) or [""])
                    )
                }
                count = await _write(
                    round_row,
                    {user: follow for user, follow in people.items() if user not in voted},
                    N_("Voting closes soon"),
                    "emails/vote_closing.txt",
                    "vote",
                )
                await RoundNotice.update({RoundNotice.people: count}).where(RoundNotice.id == notice.id)
                written += count
        except Conflict:
            continue  # another process sent them
    return written


async def tell_results(round_id: int) -> int:
    """Tell the round's followers its results are published, once; called inside the transaction that
    freezes them (a phase change to "results"), so the emails go out only if the results do."""
    notice = await _claim(round_id, "results")
    if notice is None:
        return 0
    round_row = (
        await Round.select(Round.id, Round.title_en, Round.title_cy, Round.results_from).where(Round.id == round_id).first()
    )
    if round_row is None:
        return 0
    count = await _write(
        round_row, await _followers(round_id), N_("The results are published"), "emails/results_published.txt", "results"
    )
    await RoundNotice.update({RoundNotice.people: count}).where(RoundNotice.id == notice.id)
    return count


async def run_reminders(settings: Settings, stop: asyncio.Event) -> None:
    """Each app process looks for closing reminders due, at start-up and then every EVERY."""
    await every(EVERY.total_seconds(), lambda: send_closing_reminders(today()), stop, log, "sending vote reminders")
