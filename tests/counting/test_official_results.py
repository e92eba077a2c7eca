"""pb reproduces what the cities funded, counting each Pabulib file by its own META rule.

The PROJECTS `selected` column records the official outcome. The files cover every rule the cities
used: greedy-threshold (Katowice by points, Łódź, Warszawa), greedy-no-skip (Wrocław),
equalshares/add1 (Assen, Świecie) and equalshares/add1-comparison (Wieliczka). The add-one here is
the cities' (start at floor(budget / voters), keep the largest share whose outcome fits): pabutools'
add-one funds 31 projects in Wieliczka, where the city funded 30 (see ../shared/data/README.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pb.counting.engine import count
from pb.counting.pabulib import election_from_pabulib, read_pabulib

pytestmark = [
    pytest.mark.pure,
    pytest.mark.skipif(
        os.environ.get("PB_TEST_DATABASE") == "postgres",
        reason="counting is database-independent: checked once, in the SQLite pass",
    ),
]

DATA = Path(os.environ.get("PB_PABULIB_DIR", Path(__file__).resolve().parents[3] / "shared" / "data" / "pabulib"))

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
    if not (DATA / name).exists():
        pytest.skip(f"{name} is not in {DATA}")
    election = election_from_pabulib(read_pabulib(DATA / name))
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
    if not (DATA / name).exists():
        pytest.skip(f"{name} is not in {DATA}")
    election = election_from_pabulib(read_pabulib(DATA / name))
    result = count(election.projects, election.ballots, election.budget, "equalshares/add1-comparison")
    assert result.comparison.chose == "equalshares"
    assert result.comparison.prefer_equal_shares > result.comparison.prefer_greedy
    pabutools_way = count(election.projects, election.ballots, election.budget, "equalshares/add1", compat="pabutools")
    assert len(pabutools_way.selected) == 31  # pabutools' add-one: one more than the city funded
