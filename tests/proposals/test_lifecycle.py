"""The proposal lifecycle, tested over every (from, to, actor, phase)."""

import itertools

import pytest

from pb.proposals import lifecycle
from pb.rounds.phases import PHASES

pytestmark = pytest.mark.pure

S = lifecycle.STATUSES
ACTORS = ("author", "officer", "system")


def expected_move(current, target, actor, phase):
    who = lifecycle.TRANSITIONS.get((current, target))
    if who != actor:
        return False
    if target == "submitted":
        return phase == "proposals"
    if target == "withdrawn":
        return phase in ("proposals", "review", "shortlist")
    if target == "shortlisted" or (current, target) == ("shortlisted", "eligible"):
        return phase in ("review", "shortlist")
    if actor == "officer":
        return phase in ("proposals", "review", "shortlist")
    return True


def test_every_move_by_every_actor_in_every_phase():
    cases = list(itertools.product(S, S, ACTORS, PHASES))
    wrong = [case for case in cases if lifecycle.can_move(*case) is not expected_move(*case)]
    assert len(cases) == 11 * 11 * 3 * 7
    assert wrong == []


def test_nothing_leaves_a_final_state():
    for final in ("withdrawn", "merged", "funded", "not_funded"):
        assert not any(source == final for source, _ in lifecycle.TRANSITIONS)


def test_residents_cannot_review_their_own_proposals():
    assert all(who != "author" or target in ("submitted", "withdrawn") for (_, target), who in lifecycle.TRANSITIONS.items())


@pytest.mark.parametrize(
    ("status", "phase", "expected"),
    [
        ("draft", "proposals", True),
        ("submitted", "proposals", True),
        ("under_review", "proposals", False),
        ("submitted", "review", False),
        ("draft", "review", False),
        ("eligible", "proposals", False),
    ],
)
def test_authors_edit_only_before_review(status, phase, expected):
    assert lifecycle.author_may_edit(status, phase) is expected


def test_officer_moves_in_review():
    assert lifecycle.officer_moves("submitted", "review") == ["under_review", "eligible", "not_eligible", "merged"]
    assert lifecycle.officer_moves("eligible", "shortlist") == ["not_eligible", "merged", "shortlisted"]
    assert lifecycle.officer_moves("eligible", "voting") == []


def test_names_and_tags_for_every_status():
    assert set(lifecycle.STATUS_NAMES) == set(S) == set(lifecycle.STATUS_TAG_CLASSES)
    assert lifecycle.needs_public_reason("not_eligible") and not lifecycle.needs_public_reason("eligible")
