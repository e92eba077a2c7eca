"""Phase rules, tested exhaustively over every pair of phases."""

import itertools
from datetime import date

import pytest

from pb.rounds import phases

pytestmark = pytest.mark.pure

P = phases.PHASES


def test_phase_order():
    assert P == ("draft", "proposals", "review", "shortlist", "voting", "results", "delivery")
    assert [phases.next_phase(p) for p in P] == [*P[1:], None]


@pytest.mark.parametrize(("current", "target"), list(itertools.product(P, P)))
def test_only_one_step_forward_or_reopening_proposals(current, target):
    expected = P.index(target) == P.index(current) + 1 or (current, target) == ("review", "proposals")
    assert phases.can_change_phase(current, target) is expected


def test_unknown_phases_never_change():
    assert not phases.can_change_phase("proposals", "bogus")
    assert not phases.can_change_phase("bogus", "proposals")


@pytest.mark.parametrize("phase", P)
def test_what_may_happen_in_each_phase(phase):
    assert phases.may_propose(phase) is (phase == "proposals")
    assert phases.may_review(phase) is (phase in ("proposals", "review", "shortlist"))
    assert phases.may_shortlist(phase) is (phase in ("review", "shortlist"))
    assert phases.may_support(phase) is (phase in ("proposals", "review", "shortlist"))
    assert phases.may_comment(phase) is (phase != "draft")
    assert phases.may_edit_round_setup(phase) is (phase in ("draft", "proposals", "review", "shortlist"))
    assert phases.is_public(phase) is (phase != "draft")


def test_every_phase_has_a_name_and_an_explanation():
    assert set(phases.PHASE_NAMES) == set(phases.ALL_PHASES) == set(phases.PHASE_EXPLANATIONS)
    assert set(phases.ALL_PHASES) - set(P) == {"counting"}  # passed through by the close, never chosen
    assert list(phases.PHASE_DATE_FIELDS) == list(P[1:])


def test_a_phase_whose_planned_date_has_passed_is_late_not_next():
    from datetime import date

    planned = {
        "proposals_from": date(2026, 1, 1),
        "review_from": date(2026, 2, 1),
        "shortlist_from": date(2026, 3, 1),
        "voting_from": date(2026, 4, 1),
        "results_from": date(2026, 5, 1),
        "delivery_from": date(2026, 6, 1),
    }
    on_time = {step["phase"]: step for step in phases.timeline("review", planned, date(2026, 2, 15))}
    assert on_time["proposals"]["done"] and on_time["review"]["current"]
    assert on_time["shortlist"]["next"] and not any(step["late"] for step in on_time.values())
    # The council is still reviewing in April: the shortlist and the vote are late; nothing is "next".
    behind = {step["phase"]: step for step in phases.timeline("review", planned, date(2026, 4, 10))}
    assert behind["shortlist"]["late"] and not behind["shortlist"]["next"]
    assert behind["voting"]["late"] and not behind["results"]["late"]
    assert not behind["review"]["late"] and not behind["proposals"]["late"]  # current and done are never late
    # While the votes are counted, the results are next (or late), never current.
    counting = {step["phase"]: step for step in phases.timeline("counting", planned, date(2026, 4, 20))}
    assert counting["voting"]["done"] and not counting["results"]["current"]
    assert counting["results"]["next"] and not counting["results"]["late"]
    # A date not yet set is never late.
    assert not phases.timeline("draft", {**planned, "voting_from": None}, date(2027, 1, 1))[3]["late"]


def test_open_now_says_what_residents_can_do_and_when_it_closes():
    planned = {
        "proposals_from": date(2026, 1, 1),
        "review_from": date(2026, 2, 1),
        "shortlist_from": date(2026, 3, 1),
        "voting_from": date(2026, 4, 1),
        "results_from": date(2026, 5, 1),
        "delivery_from": date(2026, 6, 1),
    }
    # Proposals close when the review is planned to start; the vote when the results are.
    assert phases.open_now("proposals", planned, date(2026, 1, 20)) == {
        "phase": "proposals",
        "closes": date(2026, 2, 1),
        "late": False,
    }
    assert phases.open_now("voting", planned, date(2026, 4, 10)) == {"phase": "voting", "closes": date(2026, 5, 1), "late": False}
    # Closing today is not late; a close that has passed is late, never shown as still to come.
    assert not phases.open_now("voting", planned, date(2026, 5, 1))["late"]
    assert phases.open_now("proposals", planned, date(2026, 2, 2))["late"]
    assert phases.open_now("proposals", {**planned, "review_from": None}, date(2027, 1, 1)) == {
        "phase": "proposals",
        "closes": None,
        "late": False,
    }
    # Nothing else is open to residents: not a draft, the review, counting or delivery.
    for phase in phases.ALL_PHASES:
        assert (phases.open_now(phase, planned, date(2026, 1, 20)) is not None) == (phase in ("proposals", "voting"))
