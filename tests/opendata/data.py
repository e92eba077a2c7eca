"""Public and private things side by side, so tests can show only the public ones come out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tests.conftest import make_proposal, make_round, make_user

FORMULA = "=cmd|' /C calc'!A0"
SECRETS = (
    "author-secret@example.org",
    "Ms Secret Author",
    "Private feasibility note",
    "Partner Person Name",
    "Draft proposal title",
    "Hidden proposal title",
    "Draft round title",
    "Proposal in a draft round",
    "Unpublished decision title",
    "officer-secret@example.org",
    "Officer Secret Name",
)


@dataclass
class World:
    round_id: int
    areas: list[int]
    draft_round: int
    proposals: list[int]
    formula_proposal: int
    draft_proposal: int
    hidden_proposal: int
    draft_round_proposal: int
    decision: int
    draft_decision: int
    delivery: int
    part: int
    officer: int


async def make_world() -> World:
    from pb.proposals.tables import ProposalEvent
    from pb.tracker import actions
    from pb.tracker.tables import Decision, DecisionRevision, Delivery

    officer = await make_user(email="officer-secret@example.org", name="Officer Secret Name", roles={"officer"})
    author = await make_user(email="author-secret@example.org", name="Ms Secret Author")
    round_id, areas = await make_round(phase="delivery")
    draft_round, draft_areas = await make_round(phase="draft", title_en="Draft round title")
    proposals = [
        await make_proposal(
            round_id,
            areas[0],
            author,
            title_en="Play area",
            title_cy="Ardal chwarae",
            status="funded",
            feasibility_notes="Private feasibility note",
            partners="Partner Person Name",
        ),
        await make_proposal(
            round_id,
            areas[1],
            author,
            title_en="Benches",
            title_cy="Meinciau",
            status="not_eligible",
            status_reason_en="Not on council land",
            status_reason_cy="Nid ar dir y cyngor",
        ),
        await make_proposal(
            round_id,
            areas[1],
            author,
            title_en='Trees <&> "quotes"',
            title_cy="Coed",
            status="eligible",
            revised_cost_pence=9_000_00,
            cost_reason_en="Cheaper trees",
            cost_reason_cy="Coed rhatach",
        ),
    ]
    formula = await make_proposal(
        round_id,
        areas[0],
        author,
        title_en=FORMULA,
        title_cy="+SUM(1,2)",
        status="submitted",
        summary_en="-2+3",
        summary_cy="@risk",
    )
    draft = await make_proposal(round_id, areas[0], author, title_en="Draft proposal title", status="draft")
    hidden = await make_proposal(round_id, areas[0], author, title_en="Hidden proposal title", hidden=True, hidden_reason="abuse")
    in_draft_round = await make_proposal(draft_round, draft_areas[0], author, title_en="Proposal in a draft round")
    await ProposalEvent.insert(
        ProposalEvent(
            proposal=proposals[1],
            actor_id=officer,
            kind="status",
            from_status="submitted",
            to_status="not_eligible",
            reason_en="Not on council land",
            reason_cy="Nid ar dir y cyngor",
        )
    )

    def decision_values(title_en: str, title_cy: str, body_en: str) -> dict:
        return {
            "title_en": title_en,
            "title_cy": title_cy,
            "body_en": body_en,
            "body_cy": "Penderfynwyd.",
            "why_en": "Support was strong.",
            "why_cy": "Roedd cefnogaeth gref.",
            "decided_by_en": "Cabinet",
            "decided_by_cy": "Y Cabinet",
            "decided_on": date(2027, 3, 12),
            "minutes_url": "https://example.gov.wales/m/12",
        }

    decision = await actions.save_decision(
        officer,
        None,
        round_id,
        decision_values("Fund the play area", "Ariannu'r ardal chwarae", "Cabinet funded it <b>now</b> & more."),
    )
    for input_id, effect in ((proposals[0], "adopted"), (proposals[1], "not_taken_forward")):
        await actions.link_input(
            officer,
            decision,
            {
                "input_kind": "proposal",
                "input_id": input_id,
                "effect": effect,
                "explanation_en": "" if effect == "adopted" else "Not council land",
                "explanation_cy": "" if effect == "adopted" else "Nid tir y cyngor",
            },
        )
    await actions.publish_decision(officer, decision)
    await actions.save_decision(
        officer,
        decision,
        round_id,
        decision_values("Fund the play area", "Ariannu'r ardal chwarae", "Cabinet funded it, with changes."),
    )
    assert await DecisionRevision.count() == 1
    draft_decision = await actions.save_decision(
        officer, None, round_id, decision_values("Unpublished decision title", "Drafft", "x")
    )

    delivery = await actions.save_delivery(
        officer,
        None,
        {
            "proposal": proposals[0],
            "title_en": "Play area",
            "title_cy": "Ardal chwarae",
            "allocated_pence": 12_000_00,
            "spent_pence": 0,
            "external_ref": "PLAY-1",
            "expected_on": date(2027, 9, 30),
        },
    )
    part = await actions.save_delivery(
        officer,
        None,
        {"title_en": "Swings", "title_cy": "Siglenni", "allocated_pence": 4_000_00, "spent_pence": 0, "external_ref": "PLAY-1a"},
    )
    await Delivery.update({Delivery.parent: delivery}).where(Delivery.id == part)
    start = datetime(2027, 6, 1, 9, tzinfo=UTC)
    for days, status, progress, text in (
        (0, "in_progress", 10, "Work started"),
        (30, "in_progress", 50, "Halfway <there> & on budget"),
    ):
        await actions.post_update(
            officer,
            delivery,
            {
                "status": status,
                "progress": progress,
                "body_en": text,
                "body_cy": "Diweddariad",
                "at": start + timedelta(days=days),
                "notify": False,
            },
        )
    await actions.post_update(
        officer,
        part,
        {
            "status": "in_progress",
            "progress": 40,
            "body_en": FORMULA,
            "body_cy": "Siglenni",
            "at": start + timedelta(days=40),
            "notify": False,
        },
    )
    assert await Decision.count() == 2
    return World(
        round_id,
        areas,
        draft_round,
        proposals,
        formula,
        draft,
        hidden,
        in_draft_round,
        decision,
        draft_decision,
        delivery,
        part,
        officer,
    )
