"""Reading for tension monitoring (officers and moderators): reports, hidden items and council notes
counted by category, area and week, with spikes marked by the pure rule in pb.moderation.measures.

Counts only: nothing here reads who reported, wrote or decided anything, or what the content says.
No writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from pb.i18n import N_
from pb.moderation import measures, rules
from pb.moderation.tables import CouncilNote, ModerationDecision, Report
from pb.proposals.tables import Comment, Proposal
from pb.rounds.tables import Area, Round

MEASURES: dict[str, str] = {
    "reports": N_("Reports"),
    "hidden": N_("Items hidden"),
    "notes": N_("Council notes"),
}
# Council notes are information, not a complaint: they have no category.
CATEGORISED = ("reports", "hidden")
WEEKS_SHOWN = 8
OTHER = ""  # a category outside the guidelines (a watch-list hold), or an item with no area found


@dataclass(frozen=True)
class Cell:
    count: int
    spike: bool


@dataclass(frozen=True)
class Row:
    key: object  # a measure, an area id or a category code
    cells: list[Cell]  # newest week first

    @property
    def spike_now(self) -> bool:
        return self.cells[0].spike

    @property
    def total(self) -> int:
        return sum(cell.count for cell in self.cells)


@dataclass(frozen=True)
class Alert:
    """A spike this week: which measure, where (an area id, a category code, or None for everything),
    this week's count and the average of the weeks before it."""

    measure: str
    area: int | None
    category: str | None
    count: int
    average: float


@dataclass(frozen=True)
class Tension:
    weeks: list[date]  # the Mondays of the weeks shown, newest first
    totals: list[Row]  # one per measure
    by_area: list[Row]  # the chosen measure, areas with anything in the weeks looked at
    by_category: list[Row]  # the chosen measure (none for council notes)
    areas: dict[int, dict]  # id -> name_en, name_cy, round_title_en, round_title_cy
    alerts: list[Alert]


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _row(key: object, series: list[int]) -> Row:
    """A series over the baseline and shown weeks (oldest first) as a row of shown cells, newest first."""
    counts = series[measures.BASELINE_WEEKS :]
    flags = measures.spikes(series)
    return Row(key, [Cell(n, spike) for n, spike in zip(reversed(counts), reversed(flags), strict=True)])


def _average(series: list[int]) -> float:
    previous = series[-1 - measures.BASELINE_WEEKS : -1]
    return sum(previous) / len(previous)


async def _areas_of(targets: Iterable[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """The area of each item: a proposal's own, a comment's through its proposal."""
    targets = set(targets)
    comment_ids = [target_id for kind, target_id in targets if kind == "comment"]
    comments = (
        {
            row["id"]: row["proposal"]
            for row in await Comment.select(Comment.id, Comment.proposal).where(Comment.id.is_in(comment_ids))
        }
        if comment_ids
        else {}
    )
    proposal_ids = {target_id for kind, target_id in targets if kind == "proposal"} | set(comments.values())
    areas = (
        {
            row["id"]: row["area"]
            for row in await Proposal.select(Proposal.id, Proposal.area).where(Proposal.id.is_in(list(proposal_ids)))
        }
        if proposal_ids
        else {}
    )
    found = {}
    for kind, target_id in targets:
        proposal_id = target_id if kind == "proposal" else comments.get(target_id)
        if proposal_id in areas:
            found[(kind, target_id)] = areas[proposal_id]
    return found


async def _area_names(area_ids: list[int]) -> dict[int, dict]:
    if not area_ids:
        return {}
    rows = await Area.select(Area.id, Area.name_en, Area.name_cy, Area.round, Area.position).where(Area.id.is_in(area_ids))
    rounds = {
        row["id"]: row
        for row in await Round.select(Round.id, Round.title_en, Round.title_cy).where(
            Round.id.is_in(list({row["round"] for row in rows}))
        )
    }
    return {
        row["id"]: {
            "id": row["id"],
            "name_en": row["name_en"],
            "name_cy": row["name_cy"],
            "round_title_en": rounds[row["round"]]["title_en"],
            "round_title_cy": rounds[row["round"]]["title_cy"],
            "order": (row["round"], row["position"], row["id"]),
        }
        for row in rows
    }


async def _events(since: datetime) -> list[tuple[str, str, int, str, date]]:
    """(measure, item kind, item id, category, Monday of its week) of everything since `since`."""
    events = []
    for row in await Report.select(Report.target_kind, Report.target_id, Report.reason, Report.created_at).where(
        Report.created_at >= since
    ):
        events.append(("reports", row["target_kind"], row["target_id"], row["reason"], measures.week_of(_utc(row["created_at"]))))
    for row in await ModerationDecision.select(
        ModerationDecision.target_kind, ModerationDecision.target_id, ModerationDecision.reason, ModerationDecision.at
    ).where((ModerationDecision.action == "hide") & (ModerationDecision.at >= since)):
        events.append(("hidden", row["target_kind"], row["target_id"], row["reason"], measures.week_of(_utc(row["at"]))))
    for row in await CouncilNote.select(CouncilNote.target_kind, CouncilNote.target_id, CouncilNote.created_at).where(
        CouncilNote.created_at >= since
    ):
        events.append(("notes", row["target_kind"], row["target_id"], OTHER, measures.week_of(_utc(row["created_at"]))))
    return events


def _category(reason: str) -> str:
    return reason if reason in rules.REASONS else OTHER


async def tension(measure: str = "reports", now: datetime | None = None) -> Tension:
    """The weeks up to this one (WEEKS_SHOWN of them), counted; `measure` chooses what the tables by
    area and by category count."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    weeks = measures.weeks_to(measures.week_of(now or datetime.now(UTC)), WEEKS_SHOWN + measures.BASELINE_WEEKS)
    events = await _events(measures.week_start(weeks[0]))
    area_of = await _areas_of((kind, target_id) for _, kind, target_id, _, _ in events)

    totals = measures.weekly(((what, monday) for what, _, _, _, monday in events), weeks)
    chosen = [event for event in events if event[0] == measure]
    by_area = measures.weekly(((area_of.get((kind, target_id), 0), monday) for _, kind, target_id, _, monday in chosen), weeks)
    by_category = (
        measures.weekly(((_category(reason), monday) for _, _, _, reason, monday in chosen), weeks)
        if measure in CATEGORISED
        else {}
    )
    areas = await _area_names([area_id for area_id in by_area if area_id])
    # Alerts look at every measure, so a spike is seen whichever table is chosen.
    alerts = []
    for what in MEASURES:
        picked = [event for event in events if event[0] == what]
        scopes: list[tuple[int | None, str | None, list[int]]] = []
        if what in totals:
            scopes.append((None, None, totals[what]))
        area_series = measures.weekly(((area_of.get((k, i), 0), monday) for _, k, i, _, monday in picked), weeks)
        scopes += [(area_id, None, series) for area_id, series in area_series.items()]
        if what in CATEGORISED:
            category_series = measures.weekly(((_category(reason), monday) for _, _, _, reason, monday in picked), weeks)
            scopes += [(None, category, series) for category, series in category_series.items()]
        for area_id, category, series in scopes:
            if measures.spikes(series)[-1]:
                alerts.append(Alert(what, area_id, category, series[-1], _average(series)))
    areas |= await _area_names([alert.area for alert in alerts if alert.area and alert.area not in areas])

    def by_order(item: tuple[int, list[int]]) -> tuple:
        area = areas.get(item[0])
        return (0, area["order"]) if area else (1, ())

    category_order = [*rules.REASONS, OTHER]
    area_rows = [_row(area_id, series) for area_id, series in sorted(by_area.items(), key=by_order)]
    category_rows = [_row(code, by_category[code]) for code in category_order if code in by_category]
    return Tension(
        weeks=list(reversed(weeks[measures.BASELINE_WEEKS :])),
        totals=[_row(what, totals.get(what, [0] * len(weeks))) for what in MEASURES],
        # Rows with nothing in the weeks shown (only in the weeks before them) are left out.
        by_area=[row for row in area_rows if row.total],
        by_category=[row for row in category_rows if row.total],
        areas=areas,
        alerts=alerts,
    )
