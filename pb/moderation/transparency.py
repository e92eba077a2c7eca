"""Reading for the public transparency log and the moderation open data: statements of reasons,
anonymised. Nothing here reads who reported, who decided, who appealed, what the content was, or
any text a moderator or resident wrote (facts, explanations and reasons may quote people), and no
ids of people or items leave this module. No writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from pb.moderation import measures, rules
from pb.moderation.tables import Appeal, ModerationDecision, Report

APPEAL_STATUSES = ("open", "upheld", "overturned")


@dataclass(frozen=True)
class Statement:
    """One decision's statement of reasons, anonymised: when (the day only), what kind of item, the
    visibility taken, the ground, law and guideline clause, whether anything automated was involved,
    whether it settled an appeal, and whether it was appealed and with what outcome."""

    day: date
    kind: str  # proposal, comment
    visibility: str  # hide, keep, note
    ground: str  # unlawful, guidelines, none
    law: str  # rules.LAWS code, or "" unless the ground is unlawful
    clause: str  # rules.REASONS code, or ""
    automated: bool
    settles_appeal: bool
    appealed: bool
    appeal_outcome: str | None  # open, upheld, overturned, or None when not appealed


@dataclass(frozen=True)
class Figures:
    """The counts the transparency log and the open-data summary publish."""

    total: int
    by_visibility: dict[str, int]
    by_ground: dict[str, dict[str, int]]  # {ground: {visibility: n}}
    by_law: dict[str, dict[str, int]]  # unlawful-ground decisions only
    by_clause: dict[str, dict[str, int]]  # "" for decisions naming no guideline
    automated: int
    appeals: dict[str, int]  # made, open, upheld, overturned
    report_waits: int  # how many decisions the median report-to-decision time is taken over
    median_report_seconds: float | None
    appeal_waits: int
    median_appeal_seconds: float | None


def _utc(value: datetime) -> datetime:
    # SQLite can hand back naive timestamps; pb stores UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


async def _decisions() -> list[dict]:
    return (
        await ModerationDecision.select(
            ModerationDecision.id,
            ModerationDecision.target_kind,
            ModerationDecision.action,
            ModerationDecision.ground,
            ModerationDecision.law,
            ModerationDecision.reason,
            ModerationDecision.automated,
            ModerationDecision.appeal_id,
            ModerationDecision.at,
        )
        .order_by(ModerationDecision.at)
        .order_by(ModerationDecision.id)
    )


async def _appeals() -> list[dict]:
    return await Appeal.select(Appeal.decision, Appeal.status, Appeal.created_at, Appeal.decided_at)


async def _first_reports() -> dict[int, datetime]:
    """When each decided item was first reported, by the decision that closed its reports."""
    rows = await Report.select(Report.decision_id, Report.created_at).where(Report.decision_id.is_not_null())
    return measures.first_by((row["decision_id"], _utc(row["created_at"])) for row in rows)


def _clause(reason: str) -> str:
    # A decision that named no guideline, or one outside the published list (a watch-list hold),
    # is counted as naming none rather than publishing an unknown code.
    return reason if reason in rules.REASONS else ""


def statements_from(decisions: list[dict], appeals: list[dict]) -> list[Statement]:
    """Anonymised statements of reasons from decision and appeal rows (pure: no I/O)."""
    statuses: dict[int, list[str]] = {}
    for appeal in appeals:
        statuses.setdefault(appeal["decision"], []).append(appeal["status"])
    return [
        Statement(
            day=_day(row["at"]),
            kind=row["target_kind"],
            visibility=row["action"],
            ground=row["ground"],
            law=row["law"] if row["ground"] == "unlawful" else "",
            clause=_clause(row["reason"]),
            automated=bool(row["automated"]),
            settles_appeal=row["appeal_id"] is not None,
            appealed=row["id"] in statuses,
            appeal_outcome=measures.appeal_outcome(statuses.get(row["id"], [])),
        )
        for row in decisions
    ]


def _day(moment: datetime) -> date:
    return _utc(moment).astimezone(measures.LOCAL_TIME).date()


def figures_from(decisions: list[dict], appeals: list[dict], first_reports: dict[int, datetime]) -> Figures:
    """The published counts and medians from decision, appeal and first-report rows (pure: no I/O)."""
    rows = [
        {
            "action": row["action"],
            "ground": row["ground"],
            "law": row["law"],
            "clause": _clause(row["reason"]),
        }
        for row in decisions
    ]
    report_waits = measures.waits((first_reports[row["id"]], _utc(row["at"])) for row in decisions if row["id"] in first_reports)
    appeal_waits = measures.waits(
        (_utc(row["created_at"]), _utc(row["decided_at"]) if row["decided_at"] else None) for row in appeals
    )
    appeal_counts = measures.count(row["status"] for row in appeals)
    return Figures(
        total=len(rows),
        by_visibility=measures.count(row["action"] for row in rows),
        by_ground=measures.tally(rows, "ground"),
        by_law=measures.tally([row for row in rows if row["ground"] == "unlawful" and row["law"]], "law"),
        by_clause=measures.tally(rows, "clause"),
        automated=sum(1 for row in decisions if row["automated"]),
        appeals={"made": len(appeals), **{status: appeal_counts.get(status, 0) for status in APPEAL_STATUSES}},
        report_waits=len(report_waits),
        median_report_seconds=measures.median(report_waits),
        appeal_waits=len(appeal_waits),
        median_appeal_seconds=measures.median(appeal_waits),
    )


async def figures() -> Figures:
    """What the transparency log publishes, read now."""
    return figures_from(await _decisions(), await _appeals(), await _first_reports())


async def statements() -> list[Statement]:
    """Every decision's anonymised statement of reasons, oldest first."""
    return statements_from(await _decisions(), await _appeals())
