import pytest

from pb.voting import ballots
from pb.voting.ballots import BallotRules, check_ballot, eligibility_problems, new_receipt, read_choices
from pb.voting.codes import rules as code_rules

pytestmark = pytest.mark.pure

COSTS = {1: 4_000_00, 2: 6_000_00, 3: 2_500_00}
BUDGET = BallotRules(method="approval_budget", budget_pence=10_000_00)


def messages(problems):
    return [p.message for p in problems]


def test_approval_within_budget():
    assert check_ballot({1: 1, 2: 1}, COSTS, BUDGET) == []
    [problem] = check_ballot({1: 1, 2: 1, 3: 1}, COSTS, BUDGET)
    assert problem.values == {"total": 12_500_00, "over": 2_500_00, "budget": 10_000_00}


def test_empty_and_unknown_choices():
    assert messages(check_ballot({}, COSTS, BUDGET)) == ["Choose at least one project"]
    assert "One of the choices is not a project on this ballot" in messages(check_ballot({9: 1}, COSTS, BUDGET))


def test_k_approval():
    rules = BallotRules(method="k_approval", budget_pence=0, max_choices=2, min_choices=2)
    assert check_ballot({1: 1, 2: 1}, COSTS, rules) == []
    assert check_ballot({1: 1, 2: 1, 3: 1}, COSTS, rules)[0].values == {"most": 2, "chosen": 3}
    assert check_ballot({1: 1}, COSTS, rules)[0].values == {"least": 2, "chosen": 1}


def test_cumulative():
    rules = BallotRules(method="cumulative", budget_pence=0, points=10, max_points_per_project=5)
    assert check_ballot({1: 5, 2: 5}, COSTS, rules) == []
    assert check_ballot({1: 5, 2: 5, 3: 1}, COSTS, rules)[0].values == {"given": 11, "points": 10}
    assert check_ballot({1: 6}, COSTS, rules)[0].values == {"most": 5}


def test_reading_forms_never_crashes():
    assert read_choices([("choice", "1"), ("choice", "3"), ("area", "2")], "approval_budget") == ({1: 1, 3: 1}, [])
    chosen, problems = read_choices([("choice", "x"), ("choice", "9" * 20)], "approval_budget")
    assert chosen == {} and len(problems) == 2
    chosen, problems = read_choices(
        [("points-1", "3"), ("points-2", ""), ("points-3", "0"), ("points-x", "2"), ("points-4", "-1")], "cumulative"
    )
    assert chosen == {1: 3} and len(problems) == 2


def test_eligibility():
    assert eligibility_problems(1, {1, 2}, True, 16) == {}
    assert set(eligibility_problems(3, {1, 2}, False, 16)) == {"area", "age"}
    assert eligibility_problems(1, {1}, False, 0) == {}


def test_receipts_are_readable_and_distinct():
    import secrets

    receipts = {new_receipt(secrets.token_bytes(12)) for _ in range(2000)}
    assert len(receipts) == 2000
    sample = next(iter(receipts))
    assert len(sample) == 14 and sample[4] == sample[9] == "-"
    assert not set(sample) & set("01OI")


def test_only_a_vote_cast_with_an_account_can_be_replaced_and_only_where_the_round_allows():
    assert ballots.may_replace(True, "online")
    for channel in ("code", "paper", "assisted"):
        assert not ballots.may_replace(True, channel)
    assert not ballots.may_replace(False, "online")


def test_a_used_code_is_refused_whatever_the_round_allows():
    assert code_rules.code_problem({"voided": False, "used": True}) == "This voting code has already been used to vote"
    assert code_rules.code_problem({"voided": False, "used": False}) is None
