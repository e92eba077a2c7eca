"""The shapes the JSON API answers with. Litestar builds the OpenAPI schema from these classes, so
the schema is exactly what is served. Each shape lists public fields only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from msgspec import Meta

Pence = Annotated[int, Meta(ge=0, description="An amount of money in pence (GBP).")]
Percent = Annotated[int, Meta(ge=0, le=100, description="Progress in percent, 0 to 100.")]


class Bilingual(msgspec.Struct, kw_only=True):
    """Text the council publishes in Welsh and English. Either may be empty when only one was given."""

    en: str
    cy: str


class Pagination(msgspec.Struct, kw_only=True):
    total: Annotated[int, Meta(ge=0, description="How many items match, on all pages.")]
    page: Annotated[int, Meta(ge=1)]
    per_page: Annotated[int, Meta(ge=1, le=100)]
    pages: Annotated[int, Meta(ge=1)]
    next: Annotated[str | None, Meta(description="The next page's address, or null on the last page.")]
    previous: Annotated[str | None, Meta(description="The previous page's address, or null on the first page.")]


class Area(msgspec.Struct, kw_only=True):
    id: int
    name: Bilingual
    budget_pence: Pence


class PhaseDates(msgspec.Struct, kw_only=True):
    """The date each phase of the round starts."""

    proposals: date
    review: date
    shortlist: date
    voting: date
    results: date
    delivery: date


class Round(msgspec.Struct, kw_only=True):
    id: int
    title: Bilingual
    description: Bilingual
    phase: Annotated[str, Meta(description="proposals, review, shortlist, voting, results or delivery.")]
    phase_dates: PhaseDates
    ballot_method: str
    counting_rule: str
    budget_pence: Pence
    areas: list[Area]
    html_url: Annotated[Bilingual, Meta(description="The round's public page in each language.")]
    proposals_url: str


class RoundList(Pagination, kw_only=True):
    items: list[Round]


class ProposalSummary(msgspec.Struct, kw_only=True):
    id: int
    round_id: int
    area_id: int
    title: Bilingual
    summary: Bilingual
    status: Annotated[
        str,
        Meta(
            description="submitted, under_review, eligible, not_eligible, merged, withdrawn, "
            "shortlisted, on_ballot, funded or not_funded."
        ),
    ]
    status_reason: Bilingual
    estimated_cost_pence: Pence
    revised_cost_pence: Pence | None
    merged_into: int | None
    themes: list[str]
    support_count: Annotated[int, Meta(ge=0, description="How many residents support the proposal (not votes).")]
    submitted_at: datetime | None
    updated_at: datetime
    html_url: Bilingual
    api_url: str


class ProposalEvent(msgspec.Struct, kw_only=True):
    """One step of a proposal's public history: a status change, a cost revision or a merge."""

    at: datetime
    kind: str
    from_status: str | None
    to_status: str | None
    reason: Bilingual
    related_id: int | None
    amount_pence: Pence | None


class Proposal(ProposalSummary, kw_only=True):
    description: Bilingual
    cost_reason: Bilingual
    history: list[ProposalEvent]


class ProposalList(Pagination, kw_only=True):
    items: list[ProposalSummary]


class ImpactAssessment(msgspec.Struct, kw_only=True):
    """The summary of the decision's integrated impact assessment, published with it. A part not
    filled in is empty text; no goals is an empty list."""

    protected_characteristics: Annotated[
        Bilingual, Meta(description="Its effect on people with protected characteristics (Equality Act 2010).")
    ]
    welsh_language: Annotated[
        Bilingual,
        Meta(description="Its effect on opportunities to use Welsh and on treating Welsh no less favourably than English."),
    ]
    socioeconomic: Annotated[
        Bilingual,
        Meta(description="The socio-economic duty: its effect on inequalities of outcome from socio-economic disadvantage."),
    ]
    wellbeing_goals: Annotated[
        list[str],
        Meta(
            description="The well-being goals (Well-being of Future Generations (Wales) Act 2015) it contributes to: "
            "prosperous, resilient, healthier, more_equal, cohesive_communities, culture_welsh_language, globally_responsible."
        ),
    ]


class DecisionSummary(msgspec.Struct, kw_only=True):
    id: int
    round_id: int | None
    title: Bilingual
    body: Bilingual
    why: Bilingual
    decided_by: Bilingual
    decided_on: date
    minutes_url: str | None
    impact_assessment: ImpactAssessment
    published_at: datetime
    updated_at: datetime
    html_url: Bilingual
    api_url: str


class DecisionLink(msgspec.Struct, kw_only=True):
    """How one piece of community input shaped the decision."""

    input_kind: Annotated[str, Meta(description="proposal, comment or session_outcome.")]
    input_id: int
    effect: Annotated[str, Meta(description="adopted, adapted or not_taken_forward.")]
    explanation: Bilingual


class DecisionRevision(msgspec.Struct, kw_only=True):
    """What a published decision said before it was edited."""

    replaced_at: datetime
    title: Bilingual
    body: Bilingual
    why: Bilingual
    decided_by: Bilingual
    decided_on: str
    minutes_url: str | None
    impact_assessment: ImpactAssessment


class Decision(DecisionSummary, kw_only=True):
    links: list[DecisionLink]
    revisions: list[DecisionRevision]


class DecisionList(Pagination, kw_only=True):
    items: list[DecisionSummary]


class DeliverySummary(msgspec.Struct, kw_only=True):
    id: int
    proposal_id: int | None
    decision_id: int | None
    parent_id: Annotated[int | None, Meta(description="The project this is a part of, if any.")]
    external_ref: Annotated[str | None, Meta(description="The council's own reference for the project.")]
    title: Bilingual
    status: Annotated[str, Meta(description="not_started, in_progress, paused, delivered or cancelled.")]
    progress: Percent
    allocated_pence: Pence
    spent_pence: Pence
    expected_on: date | None
    delivered_on: date | None
    cancel_reason: Bilingual
    updated_at: datetime
    html_url: Bilingual
    api_url: str


class DeliveryUpdate(msgspec.Struct, kw_only=True):
    id: int
    at: datetime
    body: Bilingual
    status: str | None
    progress: Percent | None


class Delivery(DeliverySummary, kw_only=True):
    updates: list[DeliveryUpdate]


class DeliveryList(Pagination, kw_only=True):
    items: list[DeliverySummary]


class ApiError(msgspec.Struct, kw_only=True):
    status: int
    detail: str


class Index(msgspec.Struct, kw_only=True):
    """Where everything is."""

    title: str
    schema_url: str
    endpoints: dict[str, str]
    csv: dict[str, str]
    feeds: dict[str, str]


class VisibilityCounts(msgspec.Struct, kw_only=True):
    """Moderation decisions counted by the visibility taken."""

    hide: Annotated[int, Meta(ge=0, description="Hidden.")]
    keep: Annotated[int, Meta(ge=0, description="Kept visible.")]
    note: Annotated[int, Meta(ge=0, description="Kept visible with a public note from the moderators.")]
    total: Annotated[int, Meta(ge=0)]


class ModerationCount(VisibilityCounts, kw_only=True):
    """Decisions under one ground, law or guideline clause."""

    code: Annotated[str | None, Meta(description="The ground, law or clause; null for decisions that named no guideline.")]
    label: Bilingual


class AppealCounts(msgspec.Struct, kw_only=True):
    made: Annotated[int, Meta(ge=0)]
    open: Annotated[int, Meta(ge=0, description="Waiting for a decision.")]
    upheld: Annotated[int, Meta(ge=0, description="The decision stood.")]
    overturned: Annotated[int, Meta(ge=0, description="The appeal succeeded.")]


class Wait(msgspec.Struct, kw_only=True):
    median_hours: Annotated[
        float | None, Meta(description="The median wait in hours (one decimal), or null with nothing measured.")
    ]
    measured: Annotated[int, Meta(ge=0, description="How many waits the median is taken over.")]


class ModerationSummary(msgspec.Struct, kw_only=True):
    """The moderation transparency log's figures. No names, no content, no ids of people or items."""

    decisions: VisibilityCounts
    automated: Annotated[int, Meta(ge=0, description="Decisions where something automated (the watch list) was involved.")]
    by_ground: list[ModerationCount]
    by_law: Annotated[list[ModerationCount], Meta(description="Decisions on the ground of unlawful content, by law.")]
    by_clause: Annotated[list[ModerationCount], Meta(description="Decisions by community guideline clause.")]
    appeals: AppealCounts
    report_to_decision: Annotated[Wait, Meta(description="From an item's first report to the decision on it.")]
    appeal_to_decision: Annotated[Wait, Meta(description="From an appeal to its decision.")]
    statements_url: str
    statements_csv_url: str
    html_url: Bilingual


class ModerationStatement(msgspec.Struct, kw_only=True):
    """One moderation decision's statement of reasons, anonymised: no names, no ids of people or items,
    and none of the free text (facts, explanations, notes), which is written by people and may quote people."""

    decided_on: Annotated[date, Meta(description="The day of the decision (UK time).")]
    item_kind: Annotated[str, Meta(description="proposal or comment.")]
    visibility: Annotated[str, Meta(description="hide, keep, or note (kept visible with a public note).")]
    ground: Annotated[str, Meta(description="unlawful, guidelines, or none (no breach found).")]
    law: Annotated[str | None, Meta(description="The law, when the ground is unlawful content.")]
    clause: Annotated[str | None, Meta(description="The community guideline clause, if one was named.")]
    automated: Annotated[bool, Meta(description="Whether anything automated (the watch list) was involved.")]
    settles_appeal: Annotated[bool, Meta(description="Whether this decision settled an appeal.")]
    appealed: bool
    appeal_outcome: Annotated[str | None, Meta(description="open, upheld or overturned; null when not appealed.")]


class ModerationStatementList(Pagination, kw_only=True):
    items: list[ModerationStatement]
