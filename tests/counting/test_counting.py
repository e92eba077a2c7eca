"""The counting rules, on small elections worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from pb.counting import engine as counting
from pb.counting.engine import CountingError, Project, TieBreak, count, json_number

pytestmark = pytest.mark.pure

ENGINES = ["exact", "fast"] if counting._load_numpy() is not None else ["exact"]

# Ten voters, budget 100 (10 each): six "red" voters want R1 and R2, four "blue" voters B1 and B2.
RED_BLUE = [Project("R1", 50), Project("R2", 50), Project("B1", 50), Project("B2", 50)]
RED_BLUE_BALLOTS = [{"R1", "R2"}] * 6 + [{"B1", "B2"}] * 4


def test_greedy_takes_projects_by_votes_while_they_fit():
    result = count(RED_BLUE, RED_BLUE_BALLOTS, 100, "greedy")
    assert result.selected == ("R1", "R2")
    assert result.total_cost == 100
    assert result.votes == {"R1": 6, "R2": 6, "B1": 4, "B2": 4}
    r2 = result.outcomes["R2"]
    assert (r2.selected, r2.reason, r2.position, r2.money_left) == (True, "funded", 2, 50)
    b1 = result.outcomes["B1"]
    assert (b1.selected, b1.reason, b1.money_left, b1.cost) == (False, "did-not-fit", 0, 50)


def test_greedy_skips_what_does_not_fit_and_no_skip_stops_there():
    projects = [Project("big", 80), Project("mid", 30), Project("small", 20)]
    ballots = [{"big", "mid", "small"}] * 3 + [{"big", "mid"}] * 2 + [{"big"}]
    assert count(projects, ballots, 100, "greedy").selected == ("big", "small")
    no_skip = count(projects, ballots, 100, "greedy-no-skip")
    assert no_skip.selected == ("big",)
    assert no_skip.outcomes["mid"].reason == "did-not-fit"
    assert no_skip.outcomes["small"].reason == "not-reached"


def test_greedy_threshold_excludes_projects_below_it():
    result = count(RED_BLUE, RED_BLUE_BALLOTS, 200, "greedy-threshold", min_project_score_threshold=5)
    assert result.selected == ("R1", "R2")
    assert result.outcomes["B1"].reason == "below-threshold"
    assert result.outcomes["B1"].threshold == 5
    with pytest.raises(CountingError, match="min_project_score_threshold"):
        count(RED_BLUE, RED_BLUE_BALLOTS, 200, "greedy-threshold")


def test_nobody_voted_for_it_so_pb_does_not_fund_it_but_pabutools_does():
    projects = [Project("liked", 10), Project("ignored", 10)]
    assert count(projects, [{"liked"}], 100, "greedy").selected == ("liked",)
    assert count(projects, [{"liked"}], 100, "greedy").outcomes["ignored"].reason == "no-votes"
    assert count(projects, [{"liked"}], 100, "greedy", compat="pabutools").selected == ("liked", "ignored")


@pytest.mark.parametrize("engine", ENGINES)
def test_equal_shares_gives_the_majority_what_its_shares_pay_for(engine):
    result = count(RED_BLUE, RED_BLUE_BALLOTS, 100, "equalshares", engine=engine)
    assert result.selected == ("R1",)
    assert result.voter_share == 10
    r1 = result.outcomes["R1"]
    assert (r1.reason, r1.round, r1.price_per_supporter) == ("bought", 1, Fraction(50, 6))
    # The reds have 10 - 50/6 each left: 10 in all, not enough for R2; the blues have 40 for B1.
    assert result.outcomes["R2"].reason == "not-enough-money"
    assert result.outcomes["R2"].money_behind == 10
    assert result.outcomes["B1"].money_behind == 40


@pytest.mark.parametrize("engine", ENGINES)
def test_add_one_as_the_cities_did_raises_the_share_while_the_outcome_fits(engine):
    result = count(RED_BLUE, RED_BLUE_BALLOTS, 100, "equalshares/add1", engine=engine)
    # From 10 a voter up: at 13 the blues can buy B1; at 17 the reds could also buy R2, which no longer fits.
    assert result.selected == ("R1", "B1")
    assert result.voter_share == 16
    assert result.add1 == "cities"
    assert result.outcomes["B1"].round == 2
    assert result.outcomes["B1"].price_per_supporter == Fraction(25, 2)
    assert result.outcomes["R2"].money_behind == 6 * (16 - Fraction(50, 6))
    assert result.outcomes["B2"].money_behind == 4 * (16 - Fraction(25, 2))


@pytest.mark.parametrize("engine", ENGINES)
def test_add_one_as_pabutools_does_stops_at_the_first_exhaustive_outcome(engine):
    result = count(RED_BLUE, RED_BLUE_BALLOTS, 100, "equalshares/add1", compat="pabutools", engine=engine)
    assert result.selected == ("R1", "B1")  # R1 costs each red 50/6, B1 each blue 50/4
    assert result.voter_share == 13
    assert result.add1 == "pabutools"
    cities = count(RED_BLUE, RED_BLUE_BALLOTS, 100, "equalshares/add1", add1="pabutools", engine=engine)
    assert (cities.selected, cities.voter_share) == (("R1", "B1"), 13)


def test_the_comparison_step_switches_to_greedy_when_more_voters_prefer_it():
    result = count(RED_BLUE, RED_BLUE_BALLOTS, 100, "equalshares/add1-comparison")
    assert result.comparison.equal_shares == ("R1", "B1")
    assert result.comparison.greedy == ("R1", "R2")
    assert (result.comparison.prefer_equal_shares, result.comparison.prefer_greedy) == (4, 6)
    assert result.comparison.chose == "greedy"
    assert result.selected == ("R1", "R2")
    assert result.outcomes["R2"].reason == "funded"


def test_the_comparison_step_keeps_equal_shares_when_as_many_prefer_it():
    ballots = [{"R1", "R2"}] * 5 + [{"B1", "B2"}] * 5
    result = count(RED_BLUE, ballots, 100, "equalshares/add1-comparison")
    assert result.comparison.chose == "equalshares"
    assert set(result.selected) == {"R1", "B1"}


def test_utilitarian_completion_funds_what_is_left_by_votes():
    result = count(RED_BLUE, RED_BLUE_BALLOTS, 100, "equalshares", completion="utilitarian")
    assert result.selected == ("R1", "R2")
    r2 = result.outcomes["R2"]
    assert (r2.reason, r2.money_left, r2.position) == ("completed", 50, 2)
    with pytest.raises(CountingError, match="Equal Shares"):
        count(RED_BLUE, RED_BLUE_BALLOTS, 100, "greedy", completion="utilitarian")


def test_default_ties_go_to_the_cheaper_project_then_more_votes_then_the_lot():
    projects = [Project("A", 20), Project("B", 10), Project("C", 10)]
    ballots = [{"A", "B", "C"}] * 3
    assert count(projects, ballots, 20, "greedy").selected == ("B", "C")
    assert count(projects, ballots, 20, "greedy", tie_break=TieBreak(("max-cost",))).selected == ("A",)
    lot = TieBreak(("min-cost", "max-votes", "lot"), lot=("C", "B", "A"))
    assert count(projects, ballots, 10, "greedy", tie_break=lot).selected == ("C",)
    # Equal Shares: A and B cost each supporter the same share of their cost (rho 1/3): B is cheaper.
    assert count(projects, ballots, 30, "equalshares").selected[0] == "B"


def test_pabutools_breaks_ties_by_project_id_as_text():
    projects = [Project("2", 10), Project("10", 10)]
    ballots = [{"2", "10"}]
    assert count(projects, ballots, 10, "greedy", compat="pabutools").selected == ("10",)
    assert count(projects, ballots, 10, "greedy").selected == ("2",)  # the lot: the order given
    assert count(projects, ballots, 10, "equalshares", compat="pabutools").selected == ("10",)


def test_more_votes_break_a_tie_in_points():
    projects = [Project("few", 10), Project("many", 10)]
    ballots = [{"few": 2}, {"many": 1}, {"many": 1}]
    result = count(projects, ballots, 10, "greedy")
    assert result.points == {"few": 2, "many": 2}
    assert result.selected == ("many",)


def test_cumulative_ballots_count_by_points():
    projects = [Project("A", 10), Project("B", 10)]
    ballots = [{"A": 3}, {"B": 1}, {"B": 1}]
    result = count(projects, ballots, 10, "greedy")
    assert result.selected == ("A",)
    assert result.points == {"A": 3, "B": 2}
    assert result.votes == {"A": 1, "B": 2}
    # pabutools reads points as approval: B has more voters.
    assert count(projects, ballots, 10, "greedy", compat="pabutools").selected == ("B",)


def test_in_equal_shares_a_supporter_who_gave_two_points_pays_twice_as_much():
    result = count([Project("A", 30)], [{"A": 2}, {"A": 1}], 60, "equalshares")
    assert result.selected == ("A",)
    assert result.outcomes["A"].price_per_supporter == 10  # per point: 20 and 10


@pytest.mark.parametrize("engine", ENGINES)
def test_exact_thirds_and_a_supporter_left_with_exactly_nothing(engine):
    projects = [Project("all", 100), Project("more", 1)]
    result = count(projects, [{"all", "more"}, {"all"}, {"all"}], 100, "equalshares", engine=engine)
    assert result.voter_share == Fraction(100, 3)
    assert result.selected == ("all",)
    assert result.outcomes["all"].price_per_supporter == Fraction(100, 3)
    assert result.outcomes["more"].money_behind == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_budgets_and_costs_with_fractions(engine):
    projects = [Project("a", Decimal("33.5")), Project("b", Fraction(67, 2))]
    result = count(projects, [{"a"}, {"b"}], Fraction(135, 2), "equalshares", engine=engine)
    assert result.selected == ("a", "b")
    assert result.total_cost == 67
    assert json_number(result.budget) == "67.5"


def test_the_fast_engine_matches_the_exact_one_on_a_mixed_election():
    if "fast" not in ENGINES:
        pytest.skip("numpy is not installed")
    projects = [Project(str(i), cost) for i, cost in enumerate([40, 25, 25, 60, 10, 35, 50, 15])]
    ballots = [
        {"0", "1"},
        {"0", "2", "5"},
        {"1", "3"},
        {"3", "4", "6"},
        {"0", "7"},
        {"2", "5", "6"},
        {"4"},
        {"6", "7", "0"},
        {"1", "2"},
        set(),
        {"3"},
        {"5", "6", "7"},
    ] * 3
    for rule in ("equalshares", "equalshares/add1", "equalshares/add1-comparison"):
        for compat in ("pb", "pabutools"):
            fast = count(projects, ballots, 150, rule, compat=compat, engine="fast")
            exact = count(projects, ballots, 150, rule, compat=compat, engine="exact")
            assert fast == exact


def test_no_voters_no_projects():
    assert count(RED_BLUE, [], 100, "equalshares/add1").selected == ()
    assert count([], [], 100, "greedy").selected == ()


def test_results_as_json():
    data = count(RED_BLUE, RED_BLUE_BALLOTS, 100, "equalshares/add1").to_dict()
    assert data["selected"] == ["R1", "B1"]
    assert data["total_cost"] == 100
    projects = {p["project_id"]: p for p in data["projects"]}
    assert projects["R1"]["price_per_supporter"] == "25/3"
    assert projects["B1"]["price_per_supporter"] == "12.5"
    assert projects["R2"] == {
        "project_id": "R2",
        "cost": 50,
        "votes": 6,
        "points": 6,
        "selected": False,
        "reason": "not-enough-money",
        "money_behind": 46,
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rule": "borda"}, "unknown rule"),
        ({"compat": "other"}, "unknown compat"),
        ({"add1": "other"}, "unknown add1"),
        ({"completion": "greedy"}, "unknown completion"),
        ({"engine": "gpu"}, "unknown engine"),
        ({"budget": 10.5}, "exact"),
        ({"projects": [Project("R1", 5.0)]}, "exact"),
        ({"projects": [Project("R1", -5)]}, "negative"),
        ({"projects": [Project("R1", 5), Project("R1", 6)]}, "same id"),
        ({"ballots": [{"nope"}]}, "unknown project"),
        ({"ballots": ["R1"]}, "not a string"),
        ({"ballots": [{"R1"}, {"R1": 1}]}, "mix"),
        ({"ballots": [{"R1": -1}]}, "negative"),
    ],
)
def test_what_cannot_be_counted_is_refused(kwargs, message):
    args = {"projects": RED_BLUE, "ballots": RED_BLUE_BALLOTS, "budget": 100, "rule": "equalshares/add1"}
    args.update(kwargs)
    with pytest.raises(CountingError, match=message):
        count(args.pop("projects"), args.pop("ballots"), args.pop("budget"), args.pop("rule"), **args)


def test_tie_break_criteria_are_checked():
    with pytest.raises(CountingError, match="tie-break"):
        TieBreak(("coin-toss",))
