"""The participation report: who answered, by group, against the population, by area and by way of
taking part, with small numbers protected (pb.equality.rules). Pure: plain rows in, figures out.

For each measure (age, sex, …, and the area's deprivation when the baseline gives it) two tables
are published: groups by area and groups by way of taking part. They share their group totals and
grand total, so they are suppressed together. Shares are worked out from the published (rounded)
figures only, so nothing withheld leaks through a percentage.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pb.equality import baselines, rules
from pb.equality.questions import MEASURES, ROUTES, Answers, Measure
from pb.i18n import N_

DEPRIVATION = baselines.DEPRIVATION.key


@dataclass(frozen=True)
class Row:
    """One person's readable answers: the area (None when not known), the way in, the answers."""

    area: int | None
    route: str
    answers: Answers


@dataclass(frozen=True)
class Line:
    group: str
    label: str | tuple[str, str]
    count: int | None  # published: rounded, or None where withheld
    share: float | None  # of the people who answered this measure
    population_share: float | None
    ratio: float | None
    under: bool


@dataclass(frozen=True)
class Cross:
    """Groups by columns (areas, or ways of taking part) as published, with each column's shares."""

    columns: list[tuple[str, str | tuple[str, str]]]  # (key, label)
    published: rules.Published
    shares: list[list[float | None]]  # [group][column]
    population_shares: list[list[float | None]]  # [group][column]; None where no baseline applies
    under: list[list[bool]]


@dataclass(frozen=True)
class MeasureReport:
    key: str
    title: str
    lines: list[Line]
    answered: int | None  # published total of people who answered this measure
    by_area: Cross
    by_route: Cross
    has_population: bool


@dataclass(frozen=True)
class Report:
    respondents: int  # everyone who sent answers (rounded; withheld as 0 if under the threshold)
    respondents_shown: bool
    measures: list[MeasureReport] = field(default_factory=list)

    @property
    def under_represented(self) -> list[tuple[MeasureReport, Line]]:
        return [(measure, line) for measure in self.measures for line in measure.lines if line.under]


def deprivation_measure(baseline: Mapping[tuple[int, str, str], int]) -> tuple[Measure, Callable[[Row], str | None]] | None:
    """The deprivation measure, when the baseline gives each area's quintile: a person is counted in
    their area's fifth (from the council's area data; it is never asked)."""
    quintile = {area: group for (area, measure, group), people in baseline.items() if measure == DEPRIVATION and people > 0}
    if not quintile:
        return None
    return baselines.DEPRIVATION, lambda row: quintile.get(row.area) if row.area is not None else None


def _population(
    baseline: Mapping[tuple[int, str, str], int], measure: str, groups: Sequence[str], areas: Sequence[int]
) -> list[float | None]:
    counts = [sum(baseline.get((area, measure, group), 0) for area in areas) for group in groups]
    whole = sum(counts)
    return [rules.share(count, whole) if whole else None for count in counts]


def _cross(
    counts: list[list[int]],
    published: rules.Published,
    columns: list[tuple[str, str | tuple[str, str]]],
    population: list[list[float | None]],  # [column][group]
) -> Cross:
    shares: list[list[float | None]] = [[None] * len(columns) for _ in counts]
    populations: list[list[float | None]] = [[None] * len(columns) for _ in counts]
    under: list[list[bool]] = [[False] * len(columns) for _ in counts]
    for c in range(len(columns)):
        column_population = population[c]
        for g in range(len(counts)):
            share = rules.share(published.cells[g][c], published.column_totals[c])
            shares[g][c] = share
            populations[g][c] = column_population[g]
            under[g][c] = rules.under_represented(rules.representation_ratio(share, column_population[g]))
    return Cross(columns, published, shares, populations, under)


def _by_answers(measure: Measure) -> Callable[[Row], str | None]:
    return lambda row: measure.classify(row.answers)


def build(
    rows: Sequence[Row],
    areas: Sequence[tuple[int, str | tuple[str, str]]],
    baseline: Mapping[tuple[int, str, str], int],
    withheld_elsewhere: Mapping[str, tuple[frozenset[rules.Cell], frozenset[rules.Cell]]] | None = None,
) -> Report:
    """The report over these people's answers, for these areas (id, name), against this baseline
    ((area, measure, group) -> people). `withheld_elsewhere`: per measure, what must be withheld in
    its area table and its route table because another published report withholds the same count
    (the council-wide report, after each round's)."""
    area_ids = [area for area, _ in areas]
    area_index = {area: i for i, area in enumerate(area_ids)}
    # People whose area is not known (a session with no area) get a column of their own, so that both
    # tables of a measure have the same totals and neither gives the other's withheld counts away.
    unknown = any(row.area not in area_index for row in rows) or not area_ids
    columns_of_areas: list[tuple[str, str | tuple[str, str]]] = [(str(area), name) for area, name in areas]
    if unknown:
        columns_of_areas.append(("", N_("Area not known")))
    route_index = {route: i for i, (route, _) in enumerate(ROUTES)}
    respondents = len(rows)
    measures: list[tuple[Measure, Callable[[Row], str | None]]] = [(measure, _by_answers(measure)) for measure in MEASURES]
    deprivation = deprivation_measure(baseline)
    if deprivation is not None:
        measures.append(deprivation)
    reports = []
    for measure, classify in measures:
        groups = [group for group, _ in measure.groups]
        index = {group: i for i, group in enumerate(groups)}
        by_area = [[0] * len(columns_of_areas) for _ in groups]
        by_route = [[0] * len(ROUTES) for _ in groups]
        for row in rows:
            group = classify(row)
            if group is None or group not in index:
                continue
            by_area[index[group]][area_index[row.area] if row.area in area_index else len(columns_of_areas) - 1] += 1
            if row.route in route_index:
                by_route[index[group]][route_index[row.route]] += 1
        elsewhere = (withheld_elsewhere or {}).get(measure.key, (frozenset(), frozenset()))
        published_area, published_route = rules.suppress_together([by_area, by_route], list(elsewhere))
        population = _population(baseline, measure.key, groups, area_ids)
        has_population = any(share is not None for share in population)
        area_population = [_population(baseline, measure.key, groups, [area]) for area in area_ids]
        if unknown:
            area_population.append([None] * len(groups))
        lines = []
        for g, (group, label) in enumerate(measure.groups):
            count = published_route.row_totals[g]
            share = rules.share(count, published_route.total)
            ratio = rules.representation_ratio(share, population[g])
            lines.append(Line(group, label, count, share, population[g], ratio, rules.under_represented(ratio)))
        reports.append(
            MeasureReport(
                key=measure.key,
                title=measure.title,
                lines=lines,
                answered=published_route.total,
                by_area=_cross(by_area, published_area, columns_of_areas, area_population),
                by_route=_cross(by_route, published_route, list(ROUTES), [population] * len(ROUTES)),
                has_population=has_population,
            )
        )
    shown = respondents >= rules.THRESHOLD
    return Report(respondents=rules.rounded(respondents) if shown else 0, respondents_shown=shown, measures=reports)


def csv_rows(report: Report, column_name: Callable[[str, str | tuple[str, str]], str]) -> list[list[str]]:
    """The report as CSV rows, with the same suppression: "[c]" where a figure is withheld (as UK
    official statistics mark it), shares as percentages to one decimal place."""

    def figure(value: int | None) -> str:
        return "[c]" if value is None else str(value)

    def percent(value: float | None) -> str:
        return "" if value is None else f"{value * 100:.1f}"

    out = [["measure", "group", "by", "column", "people", "share_percent", "population_share_percent", "under_represented"]]
    for measure in report.measures:
        for g, line in enumerate(measure.lines):
            out.append(
                [
                    measure.key,
                    line.group,
                    "all",
                    "",
                    figure(line.count),
                    percent(line.share),
                    percent(line.population_share),
                    "yes" if line.under else "",
                ]
            )
            for by, cross in (("area", measure.by_area), ("route", measure.by_route)):
                for c, (key, column) in enumerate(cross.columns):
                    out.append(
                        [
                            measure.key,
                            line.group,
                            by,
                            key if by == "route" else column_name(key, column),
                            figure(cross.published.cells[g][c]),
                            percent(cross.shares[g][c]),
                            percent(cross.population_shares[g][c]),
                            "yes" if cross.under[g][c] else "",
                        ]
                    )
    return out


def withheld_in_council(round_reports: Sequence[Report]) -> dict[str, tuple[frozenset[rules.Cell], frozenset[rules.Cell]]]:
    """What the council-wide report must withhold so that it gives away nothing a round's report
    withholds: its "area" columns are the rounds (in this order), and its figures are sums of the
    rounds' figures. A group total withheld in any round withholds the council's total for that
    group and that round's cell; a route cell or route total withheld in any round withholds the
    council's; a round's withheld grand total withholds its column and the council's grand total."""
    found: dict[str, tuple[set[rules.Cell], set[rules.Cell]]] = {}
    for column, round_report in enumerate(round_reports):
        for measure in round_report.measures:
            by_round, by_route = found.setdefault(measure.key, (set(), set()))
            route = measure.by_route.published
            for g, total in enumerate(route.row_totals):
                if total is None:
                    by_round |= {("cell", g, column), ("row", g, 0)}
                    by_route.add(("row", g, 0))
                for c, shown in enumerate(route.cells[g]):
                    if shown is None:
                        by_route.add(("cell", g, c))
            for c, shown in enumerate(route.column_totals):
                if shown is None:
                    by_route.add(("column", 0, c))
            if route.total is None:
                by_round |= {("column", 0, column), ("total", 0, 0)}
                by_route.add(("total", 0, 0))
    return {key: (frozenset(area), frozenset(route)) for key, (area, route) in found.items()}
