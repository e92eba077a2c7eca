"""Rows to public shapes: pure functions that copy named public fields only, never a whole row.

A field left out here cannot leak: authors, emails, user ids, feasibility notes, partners, actor ids
and drafts have no way into an answer."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import msgspec

from pb.i18n import N_, t
from pb.moderation.rules import GROUNDS, LAWS, REASONS
from pb.moderation.transparency import Figures, Statement
from pb.opendata import schema
from pb.rounds.phases import PHASE_DATE_FIELDS
from pb.tracker.rules import goals_of
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


def impact_assessment(row: dict) -> schema.ImpactAssessment:
    return schema.ImpactAssessment(
        protected_characteristics=bilingual(row, "impact_protected"),
        welsh_language=bilingual(row, "impact_welsh"),
        socioeconomic=bilingual(row, "impact_socioeconomic"),
        wellbeing_goals=goals_of(row.get("wellbeing_goals") or ""),
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
        impact_assessment=impact_assessment(row),
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
        impact_assessment=impact_assessment(text),  # empty in a revision saved before decisions had one
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


# Moderation (statements of reasons and the transparency log's figures, anonymised upstream by
# pb.moderation.transparency: these copy codes, days and counts only).

MODERATION_VISIBILITIES = ("hide", "keep", "note")
NO_CLAUSE = N_("No guideline named")
STATEMENT_CSV_HEADER = [
    "decided_on",
    "item_kind",
    "visibility",
    "ground",
    "law",
    "clause",
    "automated",
    "settles_appeal",
    "appealed",
    "appeal_outcome",
]


def visibility_counts(found: dict[str, int]) -> schema.VisibilityCounts:
    counts = {visibility: found.get(visibility, 0) for visibility in MODERATION_VISIBILITIES}
    return schema.VisibilityCounts(**counts, total=sum(found.values()))


def moderation_counts(labels: dict[str, str], counts: dict[str, dict[str, int]]) -> list[schema.ModerationCount]:
    """One entry per code in `labels` (every clause, even with none), in the published order."""
    return [
        schema.ModerationCount(
            code=code or None,
            label=schema.Bilingual(en=t("en", label), cy=t("cy", label)),
            **msgspec.structs.asdict(visibility_counts(counts.get(code, {}))),
        )
        for code, label in labels.items()
    ]


def _wait(seconds: float | None, measured: int) -> schema.Wait:
    return schema.Wait(median_hours=None if seconds is None else round(seconds / 3600, 1), measured=measured)


def moderation_summary(figures: Figures, base_url: str) -> schema.ModerationSummary:
    clauses = {**REASONS, "": NO_CLAUSE} if figures.by_clause.get("") else REASONS
    return schema.ModerationSummary(
        decisions=visibility_counts(figures.by_visibility),
        automated=figures.automated,
        by_ground=moderation_counts(GROUNDS, figures.by_ground),
        by_law=moderation_counts(LAWS, figures.by_law),
        by_clause=moderation_counts(clauses, figures.by_clause),
        appeals=schema.AppealCounts(**figures.appeals),
        report_to_decision=_wait(figures.median_report_seconds, figures.report_waits),
        appeal_to_decision=_wait(figures.median_appeal_seconds, figures.appeal_waits),
        statements_url=f"{base_url}/api/moderation/statements",
        statements_csv_url=f"{base_url}/api/moderation/statements.csv",
        html_url=html_urls(base_url, "/moderation/log"),
    )


def moderation_statement(statement: Statement) -> schema.ModerationStatement:
    return schema.ModerationStatement(
        decided_on=statement.day,
        item_kind=statement.kind,
        visibility=statement.visibility,
        ground=statement.ground,
        law=statement.law or None,
        clause=statement.clause or None,
        automated=statement.automated,
        settles_appeal=statement.settles_appeal,
        appealed=statement.appealed,
        appeal_outcome=statement.appeal_outcome,
    )


def statement_csv_row(statement: Statement) -> list:
    return [
        statement.day,
        statement.kind,
        statement.visibility,
        statement.ground,
        statement.law,
        statement.clause,
        statement.automated,
        statement.settles_appeal,
        statement.appealed,
        statement.appeal_outcome or "",
    ]


SUMMARY_CSV_HEADER = ["table", "code", "label_en", "label_cy", "hide", "keep", "note", "total"]


def summary_csv_rows(summary: schema.ModerationSummary) -> list[list]:
    """The figures as one long table: a row per ground, law and clause, then the totals, the appeals and
    the median waits (in hours), so that a spreadsheet needs no JSON."""
    rows: list[list] = [["decisions", "all", "", "", *_counts_cells(summary.decisions)]]
    for table, entries in (("ground", summary.by_ground), ("law", summary.by_law), ("clause", summary.by_clause)):
        rows += [[table, entry.code or "", entry.label.en, entry.label.cy, *_counts_cells(entry)] for entry in entries]
    rows.append(["automated", "", "", "", "", "", "", summary.automated])
    for status in ("made", "open", "upheld", "overturned"):
        rows.append(["appeals", status, "", "", "", "", "", getattr(summary.appeals, status)])
    for name, wait in (("report_to_decision", summary.report_to_decision), ("appeal_to_decision", summary.appeal_to_decision)):
        rows.append(["median_hours", name, "", "", "", "", "", "" if wait.median_hours is None else wait.median_hours])
    return rows


def _counts_cells(counts: schema.VisibilityCounts) -> list[int]:
    return [counts.hide, counts.keep, counts.note, counts.total]
