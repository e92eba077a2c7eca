"""Disclosure control for the participation report, attacked: random tables, and everything published
about them, never pin down a withheld count."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pb.equality import rules

pytestmark = pytest.mark.pure

tables = st.integers(1, 5).flatmap(
    lambda rows: st.integers(1, 5).flatmap(
        lambda columns: st.lists(st.lists(st.integers(0, 60), min_size=columns, max_size=columns), min_size=rows, max_size=rows)
    )
)


def _bounds(counts, published):
    """What an attacker can work out: for each withheld value, the range of counts consistent with
    everything published (each shown value is within 2 of the truth; a withheld one could be
    anything from 0, since a count withheld to protect another may be large), narrowed again and
    again along every sum in the table."""
    rows, columns = len(counts), len(counts[0])
    low, high = {}, {}

    def know(key, shown):
        low[key], high[key] = (0, 10**6) if shown is None else (max(0, shown - 2), shown + 2)

    for r in range(rows):
        for c in range(columns):
            know(("cell", r, c), published.cells[r][c])
        know(("row", r, 0), published.row_totals[r])
    for c in range(columns):
        know(("column", 0, c), published.column_totals[c])
    know(("total", 0, 0), published.total)
    return _narrow(counts, low, high)


def _narrow(counts, low, high):
    """Tighten every bound along every sum of the table until nothing changes (20 passes)."""
    relations = rules._relations(len(counts), len(counts[0]))
    for _ in range(20):
        for members, total in relations:
            low[total] = max(low[total], sum(low[m] for m in members))
            high[total] = min(high[total], sum(high[m] for m in members))
            for m in members:
                others_low = sum(low[o] for o in members if o != m)
                others_high = sum(high[o] for o in members if o != m)
                low[m] = max(low[m], low[total] - others_high)
                high[m] = min(high[m], high[total] - others_low)
    return low, high
    return low, high


def test_rounding():
    assert [rules.rounded(n) for n in (10, 12, 13, 17, 18, 22, 25)] == [10, 10, 15, 15, 20, 20, 25]


def test_a_small_cell_and_the_one_that_would_give_it_away_are_withheld():
    published = rules.suppress([[40, 3, 27], [55, 61, 48]])
    assert published.cells[0][1] is None  # 3: under 10
    assert sum(cell is None for cell in published.cells[0]) >= 2  # its row shows a total
    assert sum(published.cells[r][1] is None for r in range(2)) >= 2  # and so does its column
    assert published.total == 235  # 234, rounded


def test_nothing_small_means_nothing_withheld():
    published = rules.suppress([[40, 33], [55, 61]])
    assert published.cells == [[40, 35], [55, 60]] and published.row_totals == [75, 115] and published.total == 190


@settings(max_examples=400, deadline=None)
@given(tables)
def test_no_published_table_reveals_a_withheld_count(counts):
    published = rules.suppress(counts)
    shown = [v for row in published.cells for v in row] + published.row_totals + published.column_totals + [published.total]
    assert all(v is None or (v >= rules.THRESHOLD and v % rules.ROUNDING == 0) for v in shown)
    # Every sum has none withheld, or at least two.
    rows, columns = len(counts), len(counts[0])

    def is_withheld(key):
        kind, r, c = key
        return {
            "cell": lambda: published.cells[r][c],
            "row": lambda: published.row_totals[r],
            "column": lambda: published.column_totals[c],
            "total": lambda: published.total,
        }[kind]() is None

    for members, total in rules._relations(rows, columns):
        assert sum(map(is_withheld, [*members, total])) != 1
    # And what an attacker can narrow a withheld cell to always leaves more than one possibility.
    low, high = _bounds(counts, published)
    for r in range(rows):
        for c in range(columns):
            if published.cells[r][c] is None:
                assert low[("cell", r, c)] <= counts[r][c] <= high[("cell", r, c)]  # the bounds are sound
                assert high[("cell", r, c)] - low[("cell", r, c)] >= rules.PROTECTION, (counts, published)


def test_ratios_and_who_is_under_represented():
    assert rules.share(15, 60) == 0.25 and rules.share(None, 60) is None and rules.share(5, 0) is None
    ratio = rules.representation_ratio(0.1, 0.2)
    assert ratio == 0.5 and rules.under_represented(ratio)
    assert not rules.under_represented(rules.representation_ratio(0.19, 0.2))
    assert rules.representation_ratio(0.1, 0) is None and not rules.under_represented(None)


@st.composite
def two_tables_of_the_same_groups(draw):
    """The same people counted two ways (by area, by way of voting): the same row totals."""
    first = draw(tables)
    columns = draw(st.integers(1, 4))
    second = []
    for row in first:
        left, cells = sum(row), []
        for _ in range(columns - 1):
            part = draw(st.integers(0, left))
            cells.append(part)
            left -= part
        second.append([*cells, left])
    return first, second


@settings(max_examples=300, deadline=None)
@given(two_tables_of_the_same_groups())
# Found by this test: empty groups beside large ones, where the rounded totals left the empty rows
# no room at all, until the attacker's audit withheld more.
@example(([[0, 0], [0, 0], [16, 32], [16, 32]], [[0], [0], [48], [48]]))
def test_two_tables_of_the_same_people_do_not_give_each_other_away(pair):
    first, second = pair
    published = rules.suppress_together([first, second])
    # Shared totals are shown in both or withheld in both.
    assert [v is None for v in published[0].row_totals] == [v is None for v in published[1].row_totals]
    assert (published[0].total is None) == (published[1].total is None)
    # Attack both at once: the row totals and grand total are the same unknowns in both tables.
    low1, high1 = _bounds(first, published[0])
    low2, high2 = _bounds(second, published[1])
    shared = [("row", r, 0) for r in range(len(first))] + [("total", 0, 0)]
    for _ in range(5):
        for key in shared:
            low1[key] = low2[key] = max(low1[key], low2[key])
            high1[key] = high2[key] = min(high1[key], high2[key])
        low1, high1 = _narrow(first, low1, high1)
        low2, high2 = _narrow(second, low2, high2)
    for counts, result, low, high in ((first, published[0], low1, high1), (second, published[1], low2, high2)):
        for r, row in enumerate(counts):
            for c, count in enumerate(row):
                if result.cells[r][c] is None:
                    assert low[("cell", r, c)] <= count <= high[("cell", r, c)]
                    assert high[("cell", r, c)] - low[("cell", r, c)] >= rules.PROTECTION, (first, second, published)
