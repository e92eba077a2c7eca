"""Reading for the staff dashboard of participation over time in a round: counts only.

Each kind of participation is one query of its moments (and areas): a constant number of queries,
however many proposals, supports or comments there are. Turnout follows the phase
(participation_rules.turnout_shown): while the vote is open only the register's count by channel
is read; turnout by area is read from the readable ballots only once the results are published.
Nothing here reads a ballot's choices, a result line or any count of votes for a project. No writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from piccolo.query.functions.aggregate import Count

from pb.admin import participation_rules as rules
from pb.deliberation.tables import Registration
from pb.proposals.tables import Comment, Proposal, Support
from pb.rounds.tables import PhaseChange
from pb.voting.tables import Ballot, VoterRegister


@dataclass(frozen=True)
class Participation:
    weeks: list[date]
    overall: rules.Grid[str]  # by week and measure
    by_area: dict[str, rules.Grid[int]]  # measure -> by week and area
    turnout_shown: rules.TurnoutShown
    turnout: rules.Turnout | None


async def _left_voting(round_id: int) -> date | None:
    """The day (UK time) the round first left voting, by its phase log."""
    row = (
        await PhaseChange.select(PhaseChange.at)
        .where((PhaseChange.round == round_id) & (PhaseChange.from_phase == "voting"))
        .order_by(PhaseChange.at)
        .first()
    )
    return rules.local_day(row["at"]) if row else None


async def _turnout(round_id: int, shown: rules.TurnoutShown, area_ids: list[int]) -> rules.Turnout | None:
    if shown == "so_far":
        # The register: how many have voted, by channel. It has no time and no area, by design.
        rows = (
            await VoterRegister.select(VoterRegister.channel, Count())
            .where(VoterRegister.round == round_id)
            .group_by(VoterRegister.channel)
        )
        return rules.turnout(((None, row["channel"], row["count"]) for row in rows), [None])
    if shown == "by_area":
        rows = (
            await Ballot.select(Ballot.area, Ballot.channel, Count())
            .where(Ballot.round == round_id)
            .group_by(Ballot.area, Ballot.channel)
        )
        counted = [(row["area"], row["channel"], row["count"]) for row in rows]
        return rules.turnout(counted, _with_others(area_ids, [(area, None) for area, _, _ in counted]))
    return None


async def participation(round_row: dict, area_ids: list[int], today: date | None = None) -> Participation:
    """The round's participation by week (and by area where the thing has one) and its turnout."""
    round_id = round_row["id"]
    proposals = await Proposal.select(Proposal.area, Proposal.submitted_at).where(
        (Proposal.round == round_id) & Proposal.submitted_at.is_not_null()
    )
    supports = await Support.select(Support.proposal.area.as_alias("area"), Support.created_at).where(
        Support.proposal.round == round_id
    )
    comments = await Comment.select(Comment.proposal.area.as_alias("area"), Comment.created_at).where(
        Comment.proposal.round == round_id
    )
    # Everyone who signed up for one of the round's sessions (a place or the waiting list), unless
    # they cancelled.
    registrations = await Registration.select(Registration.created_at).where(
        (Registration.session.round == round_id) & (Registration.status != "cancelled")
    )
    moments = {
        "proposals": [(row["area"], row["submitted_at"]) for row in proposals],
        "supports": [(row["area"], row["created_at"]) for row in supports],
        "comments": [(row["area"], row["created_at"]) for row in comments],
        "registrations": [(None, row["created_at"]) for row in registrations],
    }
    weeks = rules.period(
        round_row["proposals_from"],
        rules.closed_on(round_row["phase"], await _left_voting(round_id), round_row["results_from"]),
        today or rules.local_day(datetime.now(UTC)),
        (moment for events in moments.values() for _, moment in events),
    )
    overall = rules.grid(
        ((measure, moment) for measure, events in moments.items() for _, moment in events), weeks, list(rules.MEASURES)
    )
    by_area = {
        measure: rules.grid(moments[measure], weeks, _with_others(area_ids, moments[measure])) for measure in rules.BY_AREA
    }
    shown = rules.turnout_shown(round_row["phase"])
    return Participation(weeks, overall, by_area, shown, await _turnout(round_id, shown, area_ids))


def _with_others(area_ids: list[int], events: list) -> list[int]:
    """The round's areas, then any other area the rows name (never expected: shown as not known
    rather than failing the page)."""
    return area_ids + sorted({area for area, _ in events} - set(area_ids))
