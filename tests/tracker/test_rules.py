from datetime import UTC, datetime, timedelta

import pytest

from pb.tracker import rules

pytestmark = pytest.mark.pure

NOW = datetime(2027, 6, 1, tzinfo=UTC)


def test_loop_closure_figures():
    day = timedelta(days=1)
    inputs = [
        {"id": 1, "received_at": NOW - 30 * day, "responded_at": NOW - 20 * day},  # 10 days
        {"id": 2, "received_at": NOW - 30 * day, "responded_at": NOW - 10 * day},  # 20 days
        {"id": 3, "received_at": NOW - 40 * day, "responded_at": NOW - 36 * day},  # 4 days
        {"id": 4, "received_at": NOW - 50 * day, "responded_at": None},
        {"id": 5, "received_at": NOW - 5 * day, "responded_at": None},
    ]
    figures = rules.loop_closure(inputs, NOW, longest=1)
    assert figures["total"] == 5 and figures["answered"] == 3 and figures["percent"] == 60
    assert figures["median_days"] == 10.0
    assert [(item["id"], item["days"]) for item in figures["waiting_longest"]] == [(4, 50)]


def test_loop_closure_with_nothing():
    assert rules.loop_closure([], NOW) == {"total": 0, "answered": 0, "percent": None, "median_days": None, "waiting_longest": []}


@pytest.mark.parametrize(
    ("current", "target", "ok"),
    [
        ("not_started", "in_progress", True),
        ("not_started", "delivered", False),
        ("in_progress", "delivered", True),
        ("in_progress", "paused", True),
        ("paused", "in_progress", True),
        ("delivered", "in_progress", True),
        ("cancelled", "in_progress", False),
        ("cancelled", "cancelled", True),
        ("paused", "cancelled", True),
    ],
)
def test_delivery_moves(current, target, ok):
    assert rules.can_move_delivery(current, target) is ok


def test_delivery_change_checks():
    assert rules.check_delivery_change("in_progress", "delivered", 100, "", "") == {}
    assert "progress" in rules.check_delivery_change("in_progress", "delivered", 90, "", "")
    assert "progress" in rules.check_delivery_change("in_progress", "in_progress", 101, "", "")
    assert "cancel_reason_en" in rules.check_delivery_change("in_progress", "cancelled", 10, "", "")
    assert "cancel_reason_cy" in rules.check_delivery_change("in_progress", "cancelled", 10, "Land sold", "")
    assert rules.check_delivery_change("in_progress", "cancelled", 10, "Land sold", "Tir wedi'i werthu") == {}
    assert "status" in rules.check_delivery_change("cancelled", "in_progress", 10, "", "")
    assert "status" in rules.check_delivery_change("in_progress", "finished", 10, "", "")


def test_progress_rolls_up_weighted_by_money():
    assert rules.rolled_up_progress(5, []) == 5
    assert rules.rolled_up_progress(0, [(100, 3000), (0, 1000)]) == 75
    assert rules.rolled_up_progress(0, [(100, 0), (50, 0)]) == 75


GOOD = {
    "title_en": "Fund the play area",
    "title_cy": "Ariannu'r ardal chwarae",
    "body_en": "Funded.",
    "body_cy": "Ariannwyd.",
    "why_en": "Most support.",
    "why_cy": "Y gefnogaeth fwyaf.",
    "decided_by_en": "Cabinet",
    "decided_by_cy": "Y Cabinet",
    "decided_on": "2027-03-12",
    "minutes_url": "https://example.gov.wales/minutes/12",
}


def test_decision_validation():
    values, errors = rules.validate_decision(GOOD)
    assert errors == {} and values["decided_on"].isoformat() == "2027-03-12"
    assert set(rules.validate_decision({**GOOD, "title_cy": "", "why_en": ""})[1]) == {"title_cy", "why_en"}
    assert "decided_on" in rules.validate_decision({**GOOD, "decided_on": "12/03/2027"})[1]
    assert "minutes_url" in rules.validate_decision({**GOOD, "minutes_url": "javascript:alert(1)"})[1]
    assert "minutes_url" in rules.validate_decision({**GOOD, "minutes_url": 'https://x/"><script>'})[1]


def test_link_validation():
    good = {"input": "proposal:12", "effect": "adopted"}
    assert rules.validate_link(good) == (
        {"input_kind": "proposal", "input_id": 12, "effect": "adopted", "explanation_en": "", "explanation_cy": ""},
        {},
    )
    assert set(rules.validate_link({**good, "effect": "adapted"})[1]) == {"explanation_en", "explanation_cy"}
    for chosen in ("tweet:12", "proposal:x", "proposal:", "12", "", "proposal:１２", "proposal:12345678901", ":12"):
        assert "input" in rules.validate_link({**good, "input": chosen})[1], chosen
    assert "effect" in rules.validate_link({**good, "effect": "ignored"})[1]
