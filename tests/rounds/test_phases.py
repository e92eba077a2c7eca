"""Phase rules, tested exhaustively over every pair of phases."""

import itertools

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
