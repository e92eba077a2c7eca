"""Statistical disclosure control for the participation report, as UK official statistics do it:
counts under 10 are not shown, the others are rounded to the nearest 5, and enough further cells are
withheld (secondary suppression) that no withheld count can be worked out from what is published,
totals included. Pure functions of plain data; tested exhaustively and by property tests.

A table is a grid of counts — one row per group (an age band, say), one column per area or way of
voting — with its row totals, column totals and grand total, all published under the same rules.
Each sum (a row with its total, a column with its total, the row totals with the grand total, the
column totals with the grand total) is a relation: if exactly one of its members were withheld,
subtracting the others from the total would reveal it. So every relation has none withheld, or at
least two.
"""

from __future__ import annotations

from dataclasses import dataclass

THRESHOLD = 10  # a count under this is never shown
ROUNDING = 5  # a count shown is rounded to the nearest multiple of this
UNDER_REPRESENTED = 0.8  # a group whose share of participants is under 80 % of its share of the population


def rounded(count: int) -> int:
    """To the nearest 5, halves up (12 -> 10, 13 -> 15)."""
    return ROUNDING * ((count + ROUNDING // 2) // ROUNDING)


@dataclass(frozen=True)
class Published:
    """What may be shown: each value rounded, or None where it is withheld."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None


Cell = tuple[str, int, int]  # ("cell", row, column), ("row", row, 0), ("column", 0, column), ("total", 0, 0)


def _relations(rows: int, columns: int) -> list[tuple[list[Cell], Cell]]:
    """Each sum in the table: (its members, its total)."""
    relations: list[tuple[list[Cell], Cell]] = []
    for r in range(rows):
        relations.append(([("cell", r, c) for c in range(columns)], ("row", r, 0)))
    for c in range(columns):
        relations.append(([("cell", r, c) for r in range(rows)], ("column", 0, c)))
    relations.append(([("row", r, 0) for r in range(rows)], ("total", 0, 0)))
    relations.append(([("column", 0, c) for c in range(columns)], ("total", 0, 0)))
    return relations


def suppress(counts: list[list[int]], forced: frozenset[Cell] = frozenset()) -> Published:
    """The table as it may be published: primary suppression (under THRESHOLD), secondary suppression
    until no relation has exactly one withheld member, then rounding of the rest. `forced`: row totals
    or the grand total withheld because another published table sharing them withholds them."""
    rows, columns = len(counts), len(counts[0]) if counts else 0
    value: dict[Cell, int] = {("cell", r, c): counts[r][c] for r in range(rows) for c in range(columns)}
    for r in range(rows):
        value[("row", r, 0)] = sum(counts[r])
    for c in range(columns):
        value[("column", 0, c)] = sum(counts[r][c] for r in range(rows))
    value[("total", 0, 0)] = sum(value[("row", r, 0)] for r in range(rows))
    withheld = {key for key, count in value.items() if count < THRESHOLD} | set(forced)
    relations = _relations(rows, columns)
    changed = True
    while changed:
        changed = False
        for members, total in relations:
            involved = [*members, total]
            if sum(key in withheld for key in involved) != 1:
                continue
            # Withhold one more: the smallest count still shown, a cell before a total (cells carry
            # less of what people come to the table for), so as little as possible is lost.
            candidates = [key for key in members if key not in withheld] or [total]
            withheld.add(min(candidates, key=lambda key: (value[key], key)))
            changed = True

    def shown(key: Cell) -> int | None:
        return None if key in withheld else rounded(value[key])

    return Published(
        cells=[[shown(("cell", r, c)) for c in range(columns)] for r in range(rows)],
        row_totals=[shown(("row", r, 0)) for r in range(rows)],
        column_totals=[shown(("column", 0, c)) for c in range(columns)],
        total=shown(("total", 0, 0)),
    )


def suppress_together(tables: list[list[list[int]]]) -> list[Published]:
    """Tables of the same groups (rows) by different things (areas, ways of voting) share their row
    totals and grand total: a total shown in one and withheld in another would let the difference
    between the two tables give a withheld count away. So a shared total withheld in any of them is
    withheld in all, until that settles."""
    forced: frozenset[Cell] = frozenset()
    while True:
        published = [suppress(table, forced) for table in tables]
        shared = frozenset(
            key
            for result in published
            for key in [("row", r, 0) for r, shown in enumerate(result.row_totals) if shown is None]
            + ([("total", 0, 0)] if result.total is None else [])
        )
        if shared <= forced:
            return published
        forced = forced | shared


def share(part: int | None, whole: int | None) -> float | None:
    """A share in 0..1, or None when either is withheld or the whole is nothing."""
    if part is None or not whole:
        return None
    return part / whole


def representation_ratio(participant_share: float | None, population_share: float | None) -> float | None:
    """A group's share of participants over its share of the population: 1 is as many as expected,
    under 1 fewer; None when either share is unknown or the group has no population."""
    if participant_share is None or not population_share:
        return None
    return participant_share / population_share


def under_represented(ratio: float | None) -> bool:
    return ratio is not None and ratio < UNDER_REPRESENTED
