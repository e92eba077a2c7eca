"""Results: counted once, when voting closes, and frozen; explained in plain language.

`freeze_results` runs inside the phase change to "results" (one transaction): it counts every
area's ballots with the round's rule (pb.counting.engine, pure and exact), writes one ResultLine per
project on the ballot, and marks each proposal funded or not funded (telling its author). The
result lines are unique per (round, proposal), so a round is never counted twice by accident."""

from __future__ import annotations

import asyncio
import json
from collections import Counter

from piccolo.query.functions.aggregate import Count

from pb.counting import engine as counting
from pb.counting.lot import parse_lot
from pb.db import one
from pb.i18n import N_
from pb.proposals import actions as proposal_actions
from pb.proposals.tables import Proposal
from pb.rounds.tables import Area, Round
from pb.voting import actions as voting_actions
from pb.voting.tables import Ballot, BallotChoice, ResultLine

REASONS = {
    counting.FUNDED: N_("Funded: when its turn came, %(left)s was left and it costs %(cost)s."),
    counting.DID_NOT_FIT: N_("Not funded: after the projects above it were funded, %(left)s was left and it costs %(cost)s."),
    counting.NOT_REACHED: N_("Not funded: counting stopped at an earlier project that did not fit in the money left."),
    counting.BELOW_THRESHOLD: N_("Not funded: it had fewer votes than the minimum the round set."),
    counting.NO_VOTES: N_("Not funded: nobody voted for it."),
    counting.BOUGHT: N_(
        "Funded in step %(round)s: the people who voted for it could pay its cost from their equal shares of the budget."
    ),
    counting.NOT_ENOUGH_MONEY: N_(
        "Not funded: the people who voted for it had %(behind)s left of their equal shares, less than its cost of %(cost)s."
    ),
    counting.COMPLETED: N_("Funded from the money left over after Equal Shares, in order of votes."),
    # Rounds imported from Pabulib files keep the official outcome where pb's count differs from it.
    "official-funded": N_("Funded in the official result published with these votes."),
    "official-not-funded": N_("Not funded in the official result published with these votes."),
}


ADD1_STEP_PENCE = 100  # the add-one completion's step in a native round: £1


def _cost(row: dict) -> int:
    return row["revised_cost_pence"] if row["revised_cost_pence"] is not None else row["estimated_cost_pence"]


async def count_area(round_row: dict, area: dict) -> tuple[list[dict], counting.CountResult | None]:
    projects = (
        await Proposal.select(Proposal.id, Proposal.estimated_cost_pence, Proposal.revised_cost_pence, Proposal.status)
        .where((Proposal.round == round_row["id"]) & (Proposal.area == area["id"]) & (Proposal.status == "on_ballot"))
        .order_by(Proposal.id)
    )
    if not projects:
        return [], None
    choices: dict[int, dict[str, int]] = {}
    ballot_ids = [
        b["id"] for b in await Ballot.select(Ballot.id).where((Ballot.round == round_row["id"]) & (Ballot.area == area["id"]))
    ]
    for start in range(0, len(ballot_ids), 1000):  # asyncpg takes at most 32,767 parameters at once
        chunk = ballot_ids[start : start + 1000]
        for row in await BallotChoice.select().where(BallotChoice.ballot.is_in(chunk)):
            choices.setdefault(row["ballot"], {})[str(row["proposal"])] = row["points"]
    cumulative = round_row["ballot_method"] == "cumulative"
    ballots = [choice if cumulative else set(choice) for choice in choices.values()]
    rule = round_row["counting_rule"]
    # In a worker thread: an equal-shares count can take seconds, and the event loop must go on
    # answering every other request meanwhile.
    result = await asyncio.to_thread(
        counting.count,
        [counting.Project(str(p["id"]), _cost(p)) for p in projects],
        ballots,
        area["budget_pence"],
        rule,
        min_project_score_threshold=1 if rule == counting.GREEDY_THRESHOLD else None,
        tie_break=counting.TieBreak(lot=parse_lot(round_row.get("lot_order"))),
        # Money is kept in pence, but a council publishes its budget and costs in pounds: the add-one
        # completion raises each voter's share a pound at a time, as a city counting in its
        # currency does (README, "Counting").
        add1_step=ADD1_STEP_PENCE,
    )
    return projects, result


async def count_round(round_id: int) -> dict[int, tuple[list[dict], counting.CountResult | None]]:
    """Every area's count (read-only: the ballots must already be mixed), by area id."""
    round_row = await one(Round.select().where(Round.id == round_id))
    return {area["id"]: await count_area(round_row, area) for area in await Area.select().where(Area.round == round_id)}


async def freeze_results(
    actor_id: int | None, round_id: int, counted: dict[int, tuple[list[dict], counting.CountResult | None]] | None = None
) -> None:
    """Mix the sealed ballots into readable ones, then count and freeze every area's result. Call
    inside the transaction that closes voting. `counted`: the areas already counted by a counting
    job (pb.voting.closing), whose ballots were mixed when voting closed."""
    if counted is None:
        await voting_actions.mix_ballots(round_id)
        counted = await count_round(round_id)
    for area in await Area.select().where(Area.round == round_id):
        projects, result = counted.get(area["id"], ([], None))
        if result is None:
            continue
        lines = []
        for project in projects:
            outcome = result.outcomes[str(project["id"])]
            lines.append(
                ResultLine(
                    round=round_id,
                    area=area["id"],
                    proposal=project["id"],
                    votes=outcome.votes,
                    points=int(outcome.points),
                    cost_pence=_cost(project),
                    funded=outcome.selected,
                    position=outcome.position,
                    explanation=json.dumps(outcome.to_dict()),
                )
            )
            full = await one(Proposal.select().where(Proposal.id == project["id"]))
            await proposal_actions.set_status(full, "funded" if outcome.selected else "not_funded", actor_id)
        await ResultLine.insert(*lines)


def explain(line: dict) -> tuple[str, dict]:
    """The message id and money values (in pence) that say why a project was or was not funded."""
    data = json.loads(line["explanation"] or "{}")
    reason = data.get("reason", "")
    values = {"cost": line["cost_pence"]}
    for key, name in (("money_left", "left"), ("money_behind", "behind")):
        if key in data:
            value = data[key]
            values[name] = int(value) if isinstance(value, int) or str(value).lstrip("-").isdigit() else _fraction_pence(value)
    if "round" in data:
        values["round"] = data["round"]
    return REASONS.get(reason, ""), values


def _fraction_pence(text: str) -> int:
    from fractions import Fraction

    return int(Fraction(text))


async def lot_of(round_id: int, round_row: dict | None = None) -> list[dict]:
    """The projects in the order drawn by lot when voting opened (public from that moment);
    `round_row`: the round already read, if the caller has it."""
    row = round_row if round_row is not None else await Round.select(Round.lot_order).where(Round.id == round_id).first()
    order = [int(project) for project in parse_lot(row["lot_order"] if row else "")]
    if not order:
        return []
    titles = {
        p["id"]: p
        for p in await Proposal.select(Proposal.id, Proposal.title_en, Proposal.title_cy).where(Proposal.id.is_in(order))
    }
    return [titles[project] for project in order if project in titles]


async def results_of(round_id: int) -> dict:
    """Frozen results by area, with turnout by area and by channel."""
    lines = await ResultLine.select(
        *ResultLine.all_columns(),
        ResultLine.proposal.title_en.as_alias("title_en"),
        ResultLine.proposal.title_cy.as_alias("title_cy"),
    ).where(ResultLine.round == round_id)
    by_area: dict[int, list[dict]] = {}
    for line in lines:
        line["why"], line["why_values"] = explain(line)
        by_area.setdefault(line["area"], []).append(line)
    for area_lines in by_area.values():
        area_lines.sort(key=lambda line: (not line["funded"], line["position"] or 0, -line["votes"], line["proposal"]))
    # Counted by the database: an imported round has 100,000+ ballots.
    ballots = (
        await Ballot.select(Ballot.area, Ballot.channel, Count())
        .where(Ballot.round == round_id)
        .group_by(Ballot.area, Ballot.channel)
    )
    return {
        "lot": await lot_of(round_id),
        "areas": by_area,
        "turnout_by_area": sum((Counter({b["area"]: b["count"]}) for b in ballots), Counter()),
        "turnout_by_channel": sum((Counter({b["channel"]: b["count"]}) for b in ballots), Counter()),
        "total_ballots": sum(b["count"] for b in ballots),
    }
