"""Rows to public shapes: pure functions that copy named public fields only, never a whole row.

A field left out here cannot leak: authors, emails, user ids, feasibility notes, partners, actor ids
and drafts have no way into an answer."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from pb.opendata import schema
from pb.rounds.phases import PHASE_DATE_FIELDS
from pb.web.csvfile import utc

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20


def bilingual(row: dict, field: str) -> schema.Bilingual:
    return schema.Bilingual(en=row.get(f"{field}_en") or "", cy=row.get(f"{field}_cy") or "")


def pages_for(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def pagination(base_url: str, path: str, page: int, per_page: int, total: int, params: dict | None = None) -> dict:
    """The paging fields of a list answer, with absolute next/previous addresses keeping the filters."""
    pages = pages_for(total, per_page)
    kept = {key: value for key, value in (params or {}).items() if value not in (None, "")}

    def link(number: int) -> str:
        query = {**kept, "page": number} | ({"per_page": per_page} if per_page != DEFAULT_PER_PAGE else {})
        return f"{base_url}{path}?{urlencode(query)}"

    return {
        "total": total,
        "page": page,
        "per_page": per_page,
        "pages": pages,
        "next": link(page + 1) if page < pages else None,
        "previous": link(min(page - 1, pages)) if page > 1 else None,
    }


def html_urls(base_url: str, path: str) -> schema.Bilingual:
    return schema.Bilingual(en=f"{base_url}/en{path}", cy=f"{base_url}/cy{path}")


def area(row: dict) -> schema.Area:
    return schema.Area(id=row["id"], name=bilingual(row, "name"), budget_pence=row["budget_pence"])


def round_(row: dict, areas: list[dict], base_url: str) -> schema.Round:
    return schema.Round(
        id=row["id"],
        title=bilingual(row, "title"),
        description=bilingual(row, "description"),
        phase=row["phase"],
        phase_dates=schema.PhaseDates(**{phase: row[field] for phase, field in PHASE_DATE_FIELDS.items()}),
        ballot_method=row["ballot_method"],
        counting_rule=row["counting_rule"],
        budget_pence=sum(a["budget_pence"] for a in areas),
        areas=[area(a) for a in areas],
        html_url=html_urls(base_url, f"/rounds/{row['id']}"),
        proposals_url=f"{base_url}/api/rounds/{row['id']}/proposals",
    )


def _proposal_fields(row: dict, themes: list[str], base_url: str) -> dict:
    return dict(
        id=row["id"],
        round_id=row["round"],
        area_id=row["area"],
        title=bilingual(row, "title"),
        summary=bilingual(row, "summary"),
        status=row["status"],
        status_reason=bilingual(row, "status_reason"),
        estimated_cost_pence=row["estimated_cost_pence"],
        revised_cost_pence=row["revised_cost_pence"],
        merged_into=row["merged_into"],
        themes=sorted(themes),
        support_count=row["support_count"],
        submitted_at=utc(row["submitted_at"]),
        updated_at=utc(row["updated_at"]),
        html_url=html_urls(base_url, f"/proposals/{row['id']}"),
        api_url=f"{base_url}/api/proposals/{row['id']}",
    )


def proposal_summary(row: dict, themes: list[str], base_url: str) -> schema.ProposalSummary:
    return schema.ProposalSummary(**_proposal_fields(row, themes, base_url))


def proposal_event(row: dict) -> schema.ProposalEvent:
    return schema.ProposalEvent(
        at=utc(row["at"]),
        kind=row["kind"],
        from_status=row["from_status"] or None,
        to_status=row["to_status"] or None,
        reason=bilingual(row, "reason"),
        related_id=row["related_id"],
        amount_pence=row["amount_pence"],
    )


def proposal(row: dict, themes: list[str], events: list[dict], base_url: str) -> schema.Proposal:
    return schema.Proposal(
        **_proposal_fields(row, themes, base_url),
        description=bilingual(row, "description"),
        cost_reason=bilingual(row, "cost_reason"),
        history=[proposal_event(e) for e in events],
    )


def _decision_fields(row: dict, base_url: str) -> dict:
    return dict(
        id=row["id"],
        round_id=row["round"],
        title=bilingual(row, "title"),
        body=bilingual(row, "body"),
        why=bilingual(row, "why"),
        decided_by=bilingual(row, "decided_by"),
        decided_on=row["decided_on"],
        minutes_url=row["minutes_url"] or None,
        published_at=utc(row["published_at"] or row["updated_at"]),
        updated_at=utc(row["updated_at"]),
        html_url=html_urls(base_url, f"/decisions/{row['id']}"),
        api_url=f"{base_url}/api/decisions/{row['id']}",
    )


def decision_summary(row: dict, base_url: str) -> schema.DecisionSummary:
    return schema.DecisionSummary(**_decision_fields(row, base_url))


def decision_link(row: dict) -> schema.DecisionLink:
    return schema.DecisionLink(
        input_kind=row["input_kind"], input_id=row["input_id"], effect=row["effect"], explanation=bilingual(row, "explanation")
    )


def decision_revision(row: dict) -> schema.DecisionRevision:
    try:
        before = json.loads(row["snapshot"])
    except ValueError:
        before = {}
    if not isinstance(before, dict):
        before = {}
    text = {key: str(value) for key, value in before.items() if value is not None}
    return schema.DecisionRevision(
        replaced_at=utc(row["replaced_at"]),
        title=bilingual(text, "title"),
        body=bilingual(text, "body"),
        why=bilingual(text, "why"),
        decided_by=bilingual(text, "decided_by"),
        decided_on=text.get("decided_on", ""),
        minutes_url=text.get("minutes_url") or None,
    )


def decision(row: dict, links: list[dict], revisions: list[dict], base_url: str) -> schema.Decision:
    return schema.Decision(
        **_decision_fields(row, base_url),
        links=[decision_link(link) for link in links],
        revisions=[decision_revision(r) for r in revisions],
    )


def _clamp_percent(value: int | None) -> int:
    return max(0, min(100, value or 0))


def _delivery_fields(row: dict, base_url: str) -> dict:
    return dict(
        id=row["id"],
        proposal_id=row["proposal"],
        decision_id=row["decision"],
        parent_id=row["parent"],
        external_ref=row["external_ref"] or None,
        title=bilingual(row, "title"),
        status=row["status"],
        progress=_clamp_percent(row["progress"]),
        allocated_pence=row["allocated_pence"],
        spent_pence=row["spent_pence"],
        expected_on=row["expected_on"],
        delivered_on=row["delivered_on"],
        cancel_reason=bilingual(row, "cancel_reason"),
        updated_at=utc(row["updated_at"]),
        html_url=html_urls(base_url, f"/delivery/{row['id']}"),
        api_url=f"{base_url}/api/delivery/{row['id']}",
    )


def delivery_summary(row: dict, base_url: str) -> schema.DeliverySummary:
    return schema.DeliverySummary(**_delivery_fields(row, base_url))


def delivery_update(row: dict) -> schema.DeliveryUpdate:
    return schema.DeliveryUpdate(
        id=row["id"],
        at=utc(row["at"]),
        body=bilingual(row, "body"),
        status=row["status"] or None,
        progress=None if row["progress"] is None else _clamp_percent(row["progress"]),
    )


def delivery(row: dict, updates: list[dict], base_url: str) -> schema.Delivery:
    return schema.Delivery(**_delivery_fields(row, base_url), updates=[delivery_update(u) for u in updates])
