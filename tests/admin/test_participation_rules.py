"""The participation dashboard's rules, tested directly: weeks in UK time, counts and totals, and
what turnout each phase may show."""

from datetime import UTC, date, datetime, timedelta

import pytest

from pb.admin import participation_rules as rules
from pb.rounds import phases

pytestmark = pytest.mark.pure


def test_a_week_starts_on_monday_in_uk_time():
    assert rules.week_of(date(2027, 1, 4)) == date(2027, 1, 4)  # a Monday
    assert rules.week_of(date(2027, 1, 10)) == date(2027, 1, 4)  # the Sunday after it
    # 23:30 UTC on Sunday 27 June is already Monday 28 June in Wales (British Summer Time)
    assert rules.week_of(datetime(2027, 6, 27, 23, 30, tzinfo=UTC)) == date(2027, 6, 28)
    # in winter UK time is UTC: 23:30 on Sunday is still that Sunday's week
    assert rules.week_of(datetime(2027, 1, 10, 23, 30, tzinfo=UTC)) == date(2027, 1, 4)
    assert rules.week_of(datetime(2027, 1, 10, 23, 30)) == date(2027, 1, 4)  # naive is UTC


def test_weeks_between_runs_monday_to_monday_and_never_empty():
    assert rules.weeks_between(date(2027, 1, 6), date(2027, 1, 20)) == [date(2027, 1, 4), date(2027, 1, 11), date(2027, 1, 18)]
    assert rules.weeks_between(date(2027, 1, 6), date(2027, 1, 6)) == [date(2027, 1, 4)]
    assert rules.weeks_between(date(2027, 3, 1), date(2027, 1, 6)) == [date(2027, 3, 1)]  # not open yet
    many = rules.weeks_between(date(1990, 1, 1), date(2027, 1, 6))
    assert len(many) == rules.MAX_WEEKS and many[-1] == date(2027, 1, 4)


def test_the_period_runs_from_the_opening_to_the_close_or_today_and_covers_every_event():
    opens, today = date(2027, 1, 4), date(2027, 2, 3)
    assert rules.period(opens, None, today, [])[0] == date(2027, 1, 4)
    assert rules.period(opens, None, today, [])[-1] == date(2027, 2, 1)
    closed = rules.period(opens, date(2027, 1, 20), today, [])
    assert closed[-1] == date(2027, 1, 18)
    early = datetime(2026, 12, 30, 12, tzinfo=UTC)  # submitted before the planned opening
    late = datetime(2027, 2, 10, 12, tzinfo=UTC)  # a comment on the results
    weeks = rules.period(opens, date(2027, 1, 20), today, [early, late])
    assert weeks[0] == date(2026, 12, 28) and weeks[-1] == date(2027, 2, 8)


def test_the_vote_closed_when_the_round_left_voting_or_else_when_results_were_planned():
    planned = date(2027, 5, 3)
    for phase in ("draft", "proposals", "review", "shortlist", "voting"):
        assert rules.closed_on(phase, None, planned) is None
    assert rules.closed_on("counting", date(2027, 5, 1), planned) == date(2027, 5, 1)
    assert rules.closed_on("results", date(2027, 5, 10), planned) == date(2027, 5, 10)
    assert rules.closed_on("delivery", None, planned) == planned  # a round loaded whole has no log


def test_a_grid_counts_by_week_and_column_with_totals():
    weeks = [date(2027, 1, 4), date(2027, 1, 11)]
    monday = datetime(2027, 1, 4, 9, tzinfo=UTC)
    events = [("a", monday), ("a", monday + timedelta(days=6)), ("b", monday + timedelta(days=7)), ("b", date(2027, 1, 12))]
    grid = rules.grid(events, weeks, ["a", "b", "c"])
    assert grid.counts == [[2, 0, 0], [0, 2, 0]]
    assert grid.week_totals == [2, 2]
    assert grid.column_totals == [2, 2, 0]
    assert grid.total == 4
    assert grid.rows() == [(date(2027, 1, 4), [2, 0, 0], 2), (date(2027, 1, 11), [0, 2, 0], 2)]


def test_a_grid_keeps_every_event_and_refuses_one_it_has_no_column_for():
    weeks = [date(2027, 1, 4)]
    grid = rules.grid([("a", date(2020, 1, 1)), ("a", date(2030, 1, 1))], weeks, ["a"])
    assert grid.total == 2  # before the first week and after the last: counted, not lost
    with pytest.raises(ValueError):
        rules.grid([("z", date(2027, 1, 4))], weeks, ["a"])
    with pytest.raises(ValueError):
        rules.grid([], [], ["a"])
    assert rules.grid([], weeks, []).total == 0


def test_turnout_is_shown_only_as_each_phase_allows():
    shown = {phase: rules.turnout_shown(phase) for phase in phases.ALL_PHASES}
    assert shown == {
        "draft": "none",
        "proposals": "none",
        "review": "none",
        "shortlist": "none",
        "voting": "so_far",
        "counting": "so_far",
        "results": "by_area",
        "delivery": "by_area",
    }
    assert rules.turnout_shown("not-a-phase") == "none"


def test_turnout_by_channel_always_names_the_four_ways_of_voting():
    so_far = rules.turnout([(None, "online", 5), (None, "paper", 2)], [None])
    assert so_far.channels == ["online", "code", "paper", "assisted"]
    assert so_far.channel_totals == [5, 0, 2, 0]
    assert so_far.total == 7
    imported = rules.turnout([(1, "imported", 9), (2, "online", 1), (2, "kiosk-2", 0)], [1, 2])
    assert imported.channels == ["online", "code", "paper", "assisted", "imported"]
    assert imported.rows() == [(1, [0, 0, 0, 0, 9], 9), (2, [1, 0, 0, 0, 0], 1)]
    assert imported.area_totals == [9, 1]
    with pytest.raises(ValueError):
        rules.turnout([(3, "online", 1)], [1, 2])
