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


def _values(counts: list[list[int]]) -> dict[Cell, int]:
    rows, columns = len(counts), len(counts[0]) if counts else 0
    value: dict[Cell, int] = {("cell", r, c): counts[r][c] for r in range(rows) for c in range(columns)}
    for r in range(rows):
        value[("row", r, 0)] = sum(counts[r])
    for c in range(columns):
        value[("column", 0, c)] = sum(counts[r][c] for r in range(rows))
    value[("total", 0, 0)] = sum(value[("row", r, 0)] for r in range(rows))
    return value


def _close_relations(value: dict[Cell, int], withheld: set[Cell], relations: list[tuple[list[Cell], Cell]]) -> None:
    """Withhold more until no relation has exactly one withheld member: the smallest count still
    shown, a cell before a total (cells carry less of what people come to the table for)."""
    changed = True
    while changed:
        changed = False
        for members, total in relations:
            if sum(key in withheld for key in [*members, total]) != 1:
                continue
            candidates = [key for key in members if key not in withheld] or [total]
            withheld.add(min(candidates, key=lambda key: (value[key], key)))
            changed = True


SLACK = ROUNDING // 2  # a shown count is within this of the truth
PROTECTION = 3  # what an attacker can work out about a withheld count must span at least this
_UNKNOWN = 10**9


def _attack(
    values: list[dict[Cell, int]], withheld: list[set[Cell]], shape: list[tuple[int, int]], shared: bool
) -> dict[tuple[int, Cell], tuple[int, int]]:
    """What an attacker can work out from the published tables: an interval for each value, from
    the rounded figures (each within SLACK of the truth) narrowed along every sum, again and again;
    tables published together share their row totals and grand total."""

    def ident(t: int, key: Cell) -> tuple[int, Cell]:
        return (-1, key) if shared and key[0] in ("row", "total") else (t, key)

    low: dict[tuple[int, Cell], int] = {}
    high: dict[tuple[int, Cell], int] = {}
    for t, value in enumerate(values):
        for key, count in value.items():
            k = ident(t, key)
            if key in withheld[t]:
                low.setdefault(k, 0)
                high.setdefault(k, _UNKNOWN)
            else:
                shown = rounded(count)
                low[k] = max(low.get(k, 0), shown - SLACK, 0)
                high[k] = min(high.get(k, _UNKNOWN), shown + SLACK)
    relations = [(t, relation) for t, (rows, columns) in enumerate(shape) for relation in _relations(rows, columns)]
    for _ in range(30):
        changed = False
        for t, (members, total) in relations:
            ids = [ident(t, m) for m in members]
            tid = ident(t, total)
            new_low, new_high = max(low[tid], sum(low[i] for i in ids)), min(high[tid], sum(high[i] for i in ids))
            if (new_low, new_high) != (low[tid], high[tid]):
                low[tid], high[tid], changed = new_low, new_high, True
            for i in ids:
                others_low = sum(low[o] for o in ids) - low[i]
                others_high = sum(high[o] for o in ids) - high[i]
                new_low, new_high = max(low[i], low[tid] - others_high), min(high[i], high[tid] - others_low)
                if (new_low, new_high) != (low[i], high[i]):
                    low[i], high[i], changed = new_low, new_high, True
        if not changed:
            break
    return {k: (low[k], high[k]) for k in low}


def _withhold_all(
    counts_list: list[list[list[int]]], initially: list[frozenset[Cell]], shared: bool
) -> list[tuple[dict[Cell, int], set[Cell]]]:
    """Primary suppression, closing every relation, sharing withheld totals between tables of the same
    groups, then an attacker's audit: wherever what is published would narrow a withheld count to
    less than PROTECTION, one more count of a sum it is in is withheld, until nothing is that narrow."""
    shape = [(len(counts), len(counts[0]) if counts else 0) for counts in counts_list]
    values = [_values(counts) for counts in counts_list]
    withheld = [{key for key, count in value.items() if count < THRESHOLD} | set(initially[t]) for t, value in enumerate(values)]
    relations = [_relations(rows, columns) for rows, columns in shape]
    while True:
        for t in range(len(values)):
            _close_relations(values[t], withheld[t], relations[t])
        if shared:
            common = {key for t in range(len(values)) for key in withheld[t] if key[0] in ("row", "total")}
            if any(not common <= withheld[t] for t in range(len(values))):
                for t in range(len(values)):
                    withheld[t] |= common
                continue
        bounds = _attack(values, withheld, shape, shared)
        weak = [
            (t, key)
            for t in range(len(values))
            for key in sorted(withheld[t])
            if (lambda b: b[1] - b[0] < PROTECTION)(bounds[(-1, key) if shared and key[0] in ("row", "total") else (t, key)])
        ]
        added = False
        for t, key in weak:
            for members, total in relations[t]:
                involved = [*members, total]
                if key not in involved:
                    continue
                shown = [m for m in members if m not in withheld[t]] or ([total] if total not in withheld[t] else [])
                if shown:
                    withheld[t].add(min(shown, key=lambda m: (values[t][m], m)))
                    added = True
                    break
            if added:
                break
        if not added:
            return [(values[t], withheld[t]) for t in range(len(values))]


def _published(value: dict[Cell, int], withheld: set[Cell], rows: int, columns: int) -> Published:
    def shown(key: Cell) -> int | None:
        return None if key in withheld else rounded(value[key])

    return Published(
        cells=[[shown(("cell", r, c)) for c in range(columns)] for r in range(rows)],
        row_totals=[shown(("row", r, 0)) for r in range(rows)],
        column_totals=[shown(("column", 0, c)) for c in range(columns)],
        total=shown(("total", 0, 0)),
    )


def suppress(counts: list[list[int]], forced: frozenset[Cell] = frozenset()) -> Published:
    """The table as it may be published: primary suppression (under THRESHOLD), secondary suppression
    until no relation has exactly one withheld member and no withheld count can be narrowed to less
    than PROTECTION from what is shown, then rounding of the rest. `forced`: values withheld anyway
    (because another published table withholds them)."""
    [(value, withheld)] = _withhold_all([counts], [forced], shared=False)
    return _published(value, withheld, len(counts), len(counts[0]) if counts else 0)


def suppress_together(tables: list[list[list[int]]], initially: list[frozenset[Cell]] | None = None) -> list[Published]:
    """Tables of the same groups (rows) by different things (areas, ways of voting) share their row
    totals and grand total: a total shown in one and withheld in another would let the difference
    between the two tables give a withheld count away. So a shared total withheld in any of them is
    withheld in all, and the attacker's audit works on both tables at once. `initially`: values of
    each table withheld anyway (because another report withholds them)."""
    found = _withhold_all(tables, initially or [frozenset()] * len(tables), shared=True)
    return [
        _published(value, withheld, len(table), len(table[0]) if table else 0)
        for (value, withheld), table in zip(found, tables, strict=True)
    ]


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
