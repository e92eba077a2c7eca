"""pb reproduces what the cities funded, counting each Pabulib file by its own META rule.

The PROJECTS `selected` column records the official outcome. The files cover every rule the cities
used: greedy-threshold (Katowice by points, Łódź, Warszawa), greedy-no-skip (Wrocław),
equalshares/add1 (Assen, Świecie) and equalshares/add1-comparison (Wieliczka). The add-one here is
the cities' (start at floor(budget / voters), keep the largest share whose outcome fits): pabutools'
add-one funds 31 projects in Wieliczka, where the city funded 30 (see ../shared/data/README.md).
"""

from __future__ import annotations

import os

import pytest

from pb.counting.engine import count
from pb.counting.pabulib import election_from_pabulib, read_pabulib
from tests.pabulib_data import EXPECTED, find, pabulib_path

pytestmark = [
    pytest.mark.pure,
    pytest.mark.skipif(
        os.environ.get("PB_TEST_DATABASE") == "postgres",
        reason="counting is database-independent: checked once, in the SQLite pass",
    ),
]


OFFICIAL = {
    "Poland_Katowice_2023.pb": ("greedy-threshold", 6),
    "Poland_Lodz_2022.pb": ("greedy-threshold", 16),
    "Poland_Warszawa_2026.pb": ("greedy-threshold", 17),
    "Poland_Wroclaw_2015_150_-_500.pb": ("greedy-no-skip", 15),
    "Netherlands_Assen_2024.pb": ("equalshares/add1", 9),
    "Poland_Swiecie_2023.pb": ("equalshares/add1", 17),
    "Poland_Wieliczka_2023_Green_Budget.pb": ("equalshares/add1-comparison", 30),
}


@pytest.mark.parametrize("name", list(OFFICIAL))
def test_pb_selects_what_the_city_selected(name):
    election = election_from_pabulib(read_pabulib(pabulib_path(name)))
    rule, funded = OFFICIAL[name]
    assert election.rule == rule
    result = count(
        election.projects,
        election.ballots,
        election.budget,
        election.rule,
        min_project_score_threshold=election.min_project_score_threshold,
    )
    assert len(election.official_selected) == funded
    assert set(result.selected) == election.official_selected
    assert result.total_cost <= election.budget
    for project_id, outcome in result.outcomes.items():
        assert outcome.selected == (project_id in election.official_selected)


def test_wieliczka_keeps_equal_shares_in_the_comparison_with_greedy():
    name = "Poland_Wieliczka_2023_Green_Budget.pb"
    election = election_from_pabulib(read_pabulib(pabulib_path(name)))
    result = count(election.projects, election.ballots, election.budget, "equalshares/add1-comparison")
    assert result.comparison.chose == "equalshares"
    assert result.comparison.prefer_equal_shares > result.comparison.prefer_greedy
    pabutools_way = count(election.projects, election.ballots, election.budget, "equalshares/add1", compat="pabutools")
    assert len(pabutools_way.selected) == 31  # pabutools' add-one: one more than the city funded


def test_the_pabulib_data_is_here():
    """All ten files: in CI a missing one fails here (and in its own tests), elsewhere it is skipped."""
    missing = [name for name in EXPECTED if find(name) is None]
    if missing and not os.environ.get("CI"):
        pytest.skip(f"not here: {', '.join(missing)} (the benchmark data beside the checkout)")
    assert not missing
