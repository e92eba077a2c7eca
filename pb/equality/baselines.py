"""Population baselines: who lives in each area, to compare with who took part. Pure: no I/O.

An officer uploads a CSV file with a header row naming the columns `area,measure,group,people` (any
case, any order; other columns are ignored), then one line per area, measure and group: how many
people of that area are in that group (Census 2021 tables are the usual source). The area is named
as on the round (in English or Welsh, any case) or given by its number; the measures and groups are
those of the participation report (pb.equality.questions.MEASURES) and `deprivation`, the Welsh
Index of Multiple Deprivation quintile of the area as a whole (q1 the most deprived fifth), whose
line gives the area's whole population. The whole file is checked before anything is kept: one bad
line and nothing changes, and every problem is reported with its line number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pb.equality.questions import MEASURES, Answers, Measure
from pb.i18n import N_

COLUMNS = ("area", "measure", "group", "people")
MAX_PEOPLE = 10_000_000  # more than live in Wales
MAX_LINES = 100_000  # far more than 12 areas x every group of every measure
NUMBER = re.compile(r"[0-9]{1,12}")  # ASCII digits only: no sign, no decimals, no other scripts' digits


def _by_area(answers: Answers) -> str | None:
    return None  # the quintile is the area's, not the person's: the report takes it from the area


DEPRIVATION = Measure(
    "deprivation",
    N_("Deprivation of the area (WIMD quintile)"),
    (
        ("q1", N_("Most deprived fifth of Wales (WIMD quintile 1)")),
        ("q2", N_("WIMD quintile 2")),
        ("q3", N_("WIMD quintile 3")),
        ("q4", N_("WIMD quintile 4")),
        ("q5", N_("Least deprived fifth of Wales (WIMD quintile 5)")),
    ),
    _by_area,
)

BASELINE_MEASURES: tuple[Measure, ...] = (*MEASURES, DEPRIVATION)
BASELINE_BY_KEY = {measure.key: measure for measure in BASELINE_MEASURES}

Problem = tuple[int, str, dict]  # (line, message id, values)
Row = tuple[int, str, str, int]  # (area id, measure, group, people)


@dataclass
class Reading:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_people(text: str) -> int | None:
    """A number of people written with the digits 0 to 9 (spaces around allowed), or None."""
    text = text.strip(" \t")
    if not NUMBER.fullmatch(text):
        return None
    return int(text)


def _area_finder(areas: list[dict]) -> dict[str, int]:
    """Each way of naming an area (English name, Welsh name, number), folded -> its id."""
    names: dict[str, int] = {}
    for area in areas:
        names[str(area["id"])] = area["id"]
    for area in areas:
        for name in (area["name_en"], area["name_cy"]):
            if name:
                names[name.strip().casefold()] = area["id"]
    return names


def _cells(lines: Iterator[list[str]]) -> Iterator[list[str] | None]:
    """The lines' cells, then None if the rest cannot be read (an unclosed quotation mark)."""
    try:
        yield from lines
    except csv.Error:
        yield None


def read_baseline(text: str, areas: list[dict]) -> Reading:
    """Read a baseline file for these areas (each with id, name_en, name_cy)."""
    found = Reading()
    if not text.strip():
        found.problems.append((1, N_("The file is empty"), {}))
        return found
    names = _area_finder(areas)
    lines = csv.reader(io.StringIO(text))
    try:
        header = [cell.strip().casefold() for cell in next(lines)]
    except csv.Error:
        header = []
    if any(header.count(column) != 1 for column in COLUMNS):
        found.problems.append((1, N_("The first line must be the headings: area,measure,group,people"), {}))
        return found
    at = {column: header.index(column) for column in COLUMNS}
    width = max(at.values()) + 1
    seen: dict[tuple[int, str, str], int] = {}
    quintile: dict[int, int] = {}
    for number, cells in enumerate(_cells(lines), start=2):
        if cells is None:
            found.problems.append((number, N_("This line cannot be read: check its quotation marks"), {}))
            break
        if number > MAX_LINES + 1:
            found.problems.append((number, N_("The file has too many lines"), {}))
            break
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if len(cells) < width:
            found.problems.append(
                (number, N_("Give an area, a measure, a group and a number of people, separated by commas"), {})
            )
            continue
        area_text, measure_text, group_text, people_text = (cells[at[column]].strip() for column in COLUMNS)
        area = names.get(area_text.casefold())
        if area is None:
            found.problems.append((number, N_("“%(value)s” is not one of this round's areas"), {"value": area_text[:60]}))
        measure = BASELINE_BY_KEY.get(measure_text.casefold())
        group = group_text.casefold()
        if measure is None:
            found.problems.append((number, N_("“%(value)s” is not one of the measures listed"), {"value": measure_text[:40]}))
        elif group not in dict(measure.groups):
            found.problems.append(
                (
                    number,
                    N_("“%(value)s” is not a group of the measure %(measure)s"),
                    {"value": group_text[:40], "measure": measure.key},
                )
            )
        people = read_people(people_text)
        if people is None:
            found.problems.append(
                (
                    number,
                    N_("“%(value)s” is not a number of people: write a whole number with the digits 0 to 9 only"),
                    {"value": people_text[:20]},
                )
            )
        elif people > MAX_PEOPLE:
            found.problems.append((number, N_("The number of people must be 10,000,000 or fewer"), {}))
        if area is None or measure is None or group not in dict(measure.groups) or people is None or people > MAX_PEOPLE:
            continue
        key = (area, measure.key, group)
        if key in seen:
            found.problems.append(
                (
                    number,
                    N_("%(area)s, %(measure)s, %(group)s is already on line %(line)s"),
                    {"area": area_text[:60], "measure": measure.key, "group": group, "line": seen[key]},
                )
            )
            continue
        if measure is DEPRIVATION and area in quintile:
            found.problems.append(
                (
                    number,
                    N_("An area is in one deprivation quintile: %(area)s already has one on line %(line)s"),
                    {"area": area_text[:60], "line": quintile[area]},
                )
            )
            continue
        seen[key] = number
        if measure is DEPRIVATION:
            quintile[area] = number
        found.rows.append((area, measure.key, group, people))
    if not found.rows and not found.problems:
        found.problems.append((2, N_("The file has no figures"), {}))
    return found
