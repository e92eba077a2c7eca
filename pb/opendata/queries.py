"""Reading what the public may see, for the API, the CSV files and the feeds (no writes).

The public rules, in one place:
- a round is public unless it is a draft;
- a proposal is public when it is not a draft, not hidden by a moderator, and its round is public;
- a decision is public once published;
- delivery is public (as on the tracker's pages), and so are its dated updates.
"""

from __future__ import annotations

from typing import Any

from pb.proposals.tables import Comment, Proposal, ProposalEvent, ProposalTheme
from pb.rounds.tables import Area, Round
from pb.tracker import rules
from pb.tracker.tables import Decision, DecisionLink, DecisionRevision, Delivery, DeliveryUpdate

# Columns a public proposal answer may use: no author, partners, feasibility notes, search text.
PROPOSAL_COLUMNS = (
    Proposal.id,
    Proposal.round,
    Proposal.area,
    Proposal.title_en,
    Proposal.title_cy,
    Proposal.summary_en,
    Proposal.summary_cy,
    Proposal.description_en,
    Proposal.description_cy,
    Proposal.estimated_cost_pence,
    Proposal.revised_cost_pence,
    Proposal.cost_reason_en,
    Proposal.cost_reason_cy,
    Proposal.status,
    Proposal.status_reason_en,
    Proposal.status_reason_cy,
    Proposal.merged_into,
    Proposal.support_count,
    Proposal.submitted_at,
    Proposal.updated_at,
)
DECISION_COLUMNS = (
    Decision.id,
    Decision.round,
    Decision.title_en,
    Decision.title_cy,
    Decision.body_en,
    Decision.body_cy,
    Decision.why_en,
    Decision.why_cy,
    Decision.decided_by_en,
    Decision.decided_by_cy,
    Decision.decided_on,
    Decision.minutes_url,
    Decision.impact_protected_en,
    Decision.impact_protected_cy,
    Decision.impact_welsh_en,
    Decision.impact_welsh_cy,
    Decision.impact_socioeconomic_en,
    Decision.impact_socioeconomic_cy,
    Decision.wellbeing_goals,
    Decision.published_at,
    Decision.updated_at,
)
UPDATE_COLUMNS = (
    DeliveryUpdate.id,
    DeliveryUpdate.delivery,
    DeliveryUpdate.at,
    DeliveryUpdate.body_en,
    DeliveryUpdate.body_cy,
    DeliveryUpdate.status,
    DeliveryUpdate.progress,
)


def _public_proposal():
    return (Proposal.status != "draft") & (Proposal.hidden == False) & (Proposal.round.phase != "draft")  # noqa: E712


async def public_round(round_id: int) -> dict | None:
    return await Round.select().where((Round.id == round_id) & (Round.phase != "draft")).first()


async def public_area(area_id: int) -> dict | None:
    return await Area.select().where((Area.id == area_id) & (Area.round.phase != "draft")).first()


async def rounds(offset: int, limit: int) -> tuple[list[dict], int]:
    query = Round.select().where(Round.phase != "draft")
    total = await Round.count().where(Round.phase != "draft")
    return await query.order_by(Round.id).offset(offset).limit(limit), total


async def areas_of(round_ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {round_id: [] for round_id in round_ids}
    if round_ids:
        for row in await Area.select().where(Area.round.is_in(round_ids)).order_by(Area.position).order_by(Area.id):
            found[row["round"]].append(row)
    return found


async def themes_of(proposal_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if proposal_ids:
        for row in await ProposalTheme.select(ProposalTheme.proposal, ProposalTheme.theme).where(
            ProposalTheme.proposal.is_in(proposal_ids)
        ):
            found.setdefault(row["proposal"], []).append(row["theme"])
    return found


def _proposal_filters(round_id: int | None, area_id: int | None, status: str | None):
    condition: Any = _public_proposal()
    if round_id is not None:
        condition &= Proposal.round == round_id
    if area_id is not None:
        condition &= Proposal.area == area_id
    if status:
        condition &= Proposal.status == status
    return condition


async def proposals(
    round_id: int | None, area_id: int | None = None, status: str | None = None, offset: int = 0, limit: int | None = None
) -> tuple[list[dict], int]:
    condition: Any = _proposal_filters(round_id, area_id, status)
    query = Proposal.select(*PROPOSAL_COLUMNS).where(condition).order_by(Proposal.id)
    if limit is not None:
        query = query.offset(offset).limit(limit)
    return await query, await Proposal.count().where(condition)


async def proposal(proposal_id: int) -> dict | None:
    return await Proposal.select(*PROPOSAL_COLUMNS).where((Proposal.id == proposal_id) & _public_proposal()).first()


async def proposal_history(proposal_id: int) -> list[dict]:
    return (
        await ProposalEvent.select(
            ProposalEvent.at,
            ProposalEvent.kind,
            ProposalEvent.from_status,
            ProposalEvent.to_status,
            ProposalEvent.reason_en,
            ProposalEvent.reason_cy,
            ProposalEvent.related_id,
            ProposalEvent.amount_pence,
        )
        .where(ProposalEvent.proposal == proposal_id)
        .order_by(ProposalEvent.at)
        .order_by(ProposalEvent.id)
    )


async def area_names(area_ids: list[int]) -> dict[int, dict]:
    if not area_ids:
        return {}
    return {row["id"]: row for row in await Area.select(Area.id, Area.name_en, Area.name_cy).where(Area.id.is_in(area_ids))}


async def _decision_ids_for_area(area_id: int) -> list[int]:
    """Published decisions that answer input from an area: its proposals, or comments on them."""
    proposal_ids = [r["id"] for r in await Proposal.select(Proposal.id).where(Proposal.area == area_id)]
    if not proposal_ids:
        return []
    comment_ids = [r["id"] for r in await Comment.select(Comment.id).where(Comment.proposal.is_in(proposal_ids))]
    condition: Any = (DecisionLink.input_kind == "proposal") & DecisionLink.input_id.is_in(proposal_ids)
    if comment_ids:
        condition |= (DecisionLink.input_kind == "comment") & DecisionLink.input_id.is_in(comment_ids)
    return sorted({r["decision"] for r in await DecisionLink.select(DecisionLink.decision).where(condition)})


async def _decision_condition(round_id: int | None, area_id: int | None):
    condition: Any = Decision.status == "published"
    if round_id is not None:
        condition &= Decision.round == round_id
    if area_id is not None:
        condition &= Decision.id.is_in(await _decision_ids_for_area(area_id) or [0])
    return condition


async def decisions(
    round_id: int | None = None, area_id: int | None = None, offset: int = 0, limit: int | None = None, newest_first: bool = False
) -> tuple[list[dict], int]:
    condition: Any = await _decision_condition(round_id, area_id)
    query = Decision.select(*DECISION_COLUMNS).where(condition)
    if newest_first:
        query = query.order_by(Decision.published_at, ascending=False).order_by(Decision.id, ascending=False)
    else:
        query = query.order_by(Decision.id)
    if limit is not None:
        query = query.offset(offset).limit(limit)
    return await query, await Decision.count().where(condition)


async def decision(decision_id: int) -> dict | None:
    return await Decision.select(*DECISION_COLUMNS).where((Decision.id == decision_id) & (Decision.status == "published")).first()


async def links_of(decision_ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {decision_id: [] for decision_id in decision_ids}
    if decision_ids:
        for row in (
            await DecisionLink.select(
                DecisionLink.decision,
                DecisionLink.input_kind,
                DecisionLink.input_id,
                DecisionLink.effect,
                DecisionLink.explanation_en,
                DecisionLink.explanation_cy,
            )
            .where(DecisionLink.decision.is_in(decision_ids))
            .order_by(DecisionLink.id)
        ):
            found[row["decision"]].append(row)
    return found


async def revisions(decision_id: int) -> list[dict]:
    return (
        await DecisionRevision.select(DecisionRevision.replaced_at, DecisionRevision.snapshot)
        .where(DecisionRevision.decision == decision_id)
        .order_by(DecisionRevision.replaced_at, ascending=False)
    )


async def _delivery_ids(round_id: int | None, area_id: int | None) -> list[int] | None:
    """Deliveries of a round (its proposals' or its decisions') or an area (its proposals'); None: all."""
    if round_id is None and area_id is None:
        return None
    proposal_query = Proposal.select(Proposal.id)
    if round_id is not None:
        proposal_query = proposal_query.where(Proposal.round == round_id)
    if area_id is not None:
        proposal_query = proposal_query.where(Proposal.area == area_id)
    proposal_ids = [r["id"] for r in await proposal_query]
    condition: Any = Delivery.proposal.is_in(proposal_ids or [0])
    if round_id is not None and area_id is None:
        decision_ids = [r["id"] for r in await Decision.select(Decision.id).where(Decision.round == round_id)]
        if decision_ids:
            condition |= Delivery.decision.is_in(decision_ids)
    ids = {r["id"] for r in await Delivery.select(Delivery.id).where(condition)}
    # A project's parts belong wherever the project does.
    frontier = set(ids)
    while frontier:
        parts = {r["id"] for r in await Delivery.select(Delivery.id).where(Delivery.parent.is_in(list(frontier)))} - ids
        ids |= parts
        frontier = parts
    return sorted(ids)


async def deliveries(
    round_id: int | None = None, area_id: int | None = None, status: str | None = None, offset: int = 0, limit: int | None = None
) -> tuple[list[dict], int]:
    ids = await _delivery_ids(round_id, area_id)
    condition: Any = Delivery.id > 0
    if ids is not None:
        condition &= Delivery.id.is_in(ids or [0])
    if status:
        condition &= Delivery.status == status
    query = Delivery.select().where(condition).order_by(Delivery.id)
    if limit is not None:
        query = query.offset(offset).limit(limit)
    return await with_progress(await query), await Delivery.count().where(condition)


async def with_progress(rows: list[dict]) -> list[dict]:
    """Each delivery's progress as the tracker shows it: rolled up from its parts when it has any."""
    parts: dict[int, list[tuple[int, int]]] = {}
    if rows:
        for part in await Delivery.select(Delivery.parent, Delivery.progress, Delivery.allocated_pence).where(
            Delivery.parent.is_in([row["id"] for row in rows])
        ):
            parts.setdefault(part["parent"], []).append((part["progress"], part["allocated_pence"]))
    for row in rows:
        row["progress"] = rules.rolled_up_progress(row["progress"], parts.get(row["id"], []))
    return rows


async def delivery(delivery_id: int) -> dict | None:
    row = await Delivery.select().where(Delivery.id == delivery_id).first()
    return (await with_progress([row]))[0] if row else None


async def updates(delivery_ids: list[int] | None = None, newest_first: bool = True, limit: int | None = None) -> list[dict]:
    query = DeliveryUpdate.select(
        *UPDATE_COLUMNS,
        DeliveryUpdate.delivery.title_en.as_alias("delivery_title_en"),
        DeliveryUpdate.delivery.title_cy.as_alias("delivery_title_cy"),
        DeliveryUpdate.delivery.external_ref.as_alias("external_ref"),
    )
    if delivery_ids is not None:
        query = query.where(DeliveryUpdate.delivery.is_in(delivery_ids or [0]))
    query = query.order_by(DeliveryUpdate.at, ascending=not newest_first).order_by(DeliveryUpdate.id, ascending=not newest_first)
    if limit is not None:
        query = query.limit(limit)
    return await query


async def delivery_ids_for(round_id: int | None, area_id: int | None) -> list[int] | None:
    return await _delivery_ids(round_id, area_id)
