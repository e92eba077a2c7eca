"""The pure rules of sessions: places and the waiting list, who may record, publication,
reminders, validation, privacy of access needs, and the calendar file's encoding."""

from datetime import UTC, date, datetime, timedelta

import pytest

from pb.deliberation import ics, rules

pytestmark = pytest.mark.pure

UTC = UTC
NOW = datetime(2027, 3, 2, 12, 0, tzinfo=UTC)


def session(**fields) -> dict:
    return {
        "id": 1,
        "status": "scheduled",
        "starts_at": NOW + timedelta(days=2),
        "ends_at": NOW + timedelta(days=2, hours=2),
        "facilitator": 7,
        "outcomes_published_at": None,
        "attendance_count": None,
        "capacity": 10,
        "language_mode": "bilingual",
        "step_free": False,
        "hearing_loop": False,
        "bsl": False,
        "childcare": False,
        "quiet_space": False,
        **fields,
    }


# Places and the waiting list


def test_a_place_while_any_are_left_then_the_waiting_list():
    assert rules.place_for(0, 1) == "registered"
    assert rules.place_for(9, 10) == "registered"
    assert rules.place_for(10, 10) == "waiting"
    assert rules.place_for(12, 10) == "waiting"  # after capacity was lowered below the places held


def test_promotions_go_to_the_longest_waiting_and_only_into_free_places():
    waiting = [
        {"id": 5, "queued_at": NOW + timedelta(minutes=2)},
        {"id": 3, "queued_at": NOW},
        {"id": 9, "queued_at": NOW + timedelta(minutes=1)},
        {"id": 4, "queued_at": NOW},
    ]
    assert [r["id"] for r in rules.promotions(8, 10, waiting)] == [3, 4]  # ties: by id
    assert [r["id"] for r in rules.promotions(10, 10, waiting)] == []
    assert [r["id"] for r in rules.promotions(11, 10, waiting)] == []
    assert [r["id"] for r in rules.promotions(0, 10, waiting)] == [3, 4, 9, 5]


def test_registration_is_open_for_scheduled_sessions_until_they_start():
    assert rules.registration_open(session(), NOW)
    assert not rules.registration_open(session(status="cancelled"), NOW)
    assert not rules.registration_open(session(starts_at=NOW), NOW)
    assert not rules.registration_open(session(starts_at=NOW - timedelta(minutes=1)), NOW)


def test_attendee_keys_fold_case_and_spaces():
    assert rules.attendee_key("  Mair   JONES ") == "mair jones"
    assert rules.attendee_key("") == ""


def test_registration_form():
    values, errors = rules.validate_registration(
        {"for_whom": "someone", "attendee_name": "  Mair  Jones ", "share_needs": "yes", "access_other": "A seat near the door"},
        ["bsl", "step_free", "bsl"],
    )
    assert errors == {}
    assert values["attendee_name"] == "Mair Jones" and values["needs"] == ["step_free", "bsl"] and values["share_needs"]
    _, errors = rules.validate_registration({"for_whom": "someone"}, ["rocket"])
    assert set(errors) == {"attendee_name", "needs"}
    _, errors = rules.validate_registration({"for_whom": "them", "access_other": "x" * 501}, [])
    assert set(errors) == {"for_whom", "access_other"}
    values, errors = rules.validate_registration({"for_whom": "me", "attendee_name": "ignored"}, [])
    assert errors == {} and values["attendee_name"] == "" and not values["share_needs"]


# Who may record, and publication


@pytest.mark.parametrize(
    ("user_id", "roles", "allowed"),
    [
        (7, frozenset({"resident", "facilitator"}), True),  # the session's own facilitator
        (8, frozenset({"resident", "facilitator"}), False),  # another facilitator
        (7, frozenset({"resident"}), False),  # no longer a facilitator
        (8, frozenset({"resident", "officer"}), False),
        (8, frozenset({"resident", "moderator"}), False),
        (9, frozenset({"resident", "admin"}), True),
        (None, frozenset(), False),
    ],
)
def test_who_may_manage_and_record(user_id, roles, allowed):
    on_the_day = session(starts_at=NOW + timedelta(hours=3))
    assert rules.may_manage(user_id, roles, on_the_day) is allowed
    assert rules.may_record(user_id, roles, on_the_day, NOW) is allowed


def test_recording_is_open_from_the_sessions_day_until_publication():
    owner = frozenset({"facilitator"})
    tomorrow = session(starts_at=NOW + timedelta(days=1))
    assert not rules.may_record(7, owner, tomorrow, NOW)
    # The day starts at midnight in Wales: 23:30 UTC on 1 July is already 2 July in summer time.
    summer = session(starts_at=datetime(2027, 7, 2, 9, 0, tzinfo=UTC))
    assert rules.may_record(7, owner, summer, datetime(2027, 7, 1, 23, 30, tzinfo=UTC))
    assert not rules.may_record(7, owner, summer, datetime(2027, 7, 1, 22, 59, tzinfo=UTC))
    assert rules.may_record(7, owner, session(starts_at=NOW - timedelta(days=30)), NOW)  # long after
    assert not rules.may_record(7, owner, session(starts_at=NOW - timedelta(days=1), outcomes_published_at=NOW), NOW)
    assert not rules.may_record(7, owner, session(starts_at=NOW - timedelta(days=1), status="cancelled"), NOW)


def test_what_publication_needs():
    held = session(starts_at=NOW - timedelta(hours=2), attendance_count=12)
    both = {"body_en": "We talked.", "body_cy": "Buom yn siarad."}
    assert rules.publication_problems(held, both, NOW) == []
    assert len(rules.publication_problems(held, None, NOW)) == 1
    assert len(rules.publication_problems(held, {"body_en": "We talked.", "body_cy": ""}, NOW)) == 1
    assert len(rules.publication_problems({**held, "attendance_count": None}, both, NOW)) == 1
    assert len(rules.publication_problems({**held, "starts_at": NOW + timedelta(hours=1)}, both, NOW)) == 1
    assert rules.publication_problems({**held, "attendance_count": 0}, both, NOW) == []  # nobody came is a result too
    assert len(rules.publication_problems({**held, "outcomes_published_at": NOW}, both, NOW)) == 1
    assert len(rules.publication_problems({**held, "status": "cancelled"}, both, NOW)) == 1


def test_reminders_go_the_day_before_unless_the_place_is_new():
    placed = NOW - timedelta(days=7)
    tomorrow_evening = datetime(2027, 3, 3, 18, 30, tzinfo=UTC)
    assert rules.reminder_due(tomorrow_evening, placed, NOW)
    assert rules.reminder_due(datetime(2027, 3, 3, 9, 0, tzinfo=UTC), placed, datetime(2027, 3, 2, 0, 5, tzinfo=UTC))
    assert rules.reminder_due(NOW + timedelta(hours=2), placed, NOW)  # today: the run was missed
    assert not rules.reminder_due(datetime(2027, 3, 4, 9, 0, tzinfo=UTC), placed, NOW)  # the day after tomorrow
    assert not rules.reminder_due(NOW - timedelta(minutes=1), placed, NOW)  # started
    assert not rules.reminder_due(tomorrow_evening, NOW - timedelta(hours=1), NOW)  # placed today: just emailed the details
    assert rules.reminder_due(tomorrow_evening, datetime(2027, 3, 1, 23, 59, tzinfo=UTC), NOW)  # placed the day before that


# Scheduling

FORM = {
    "title_en": "Riverside evening",
    "title_cy": "Noson glan yr afon",
    "description_en": "Talk.",
    "description_cy": "Siarad.",
    "format": "hybrid",
    "venue": "Town Hall",
    "online_url": "https://meet.example.org/x",
    "date": "2027-07-01",
    "start_time": "18:30",
    "end_time": "20:00",
    "capacity": "25",
    "language_mode": "cy",
    "round": "3",
    "area": "11",
    "access_notes_en": "Ramp at the side.",
    "access_notes_cy": "",
}


def test_a_good_session_form_gives_utc_times_from_uk_time():
    values, errors = rules.validate_session(FORM, ["step_free", "bsl"], {3}, {11: 3, 12: 4})
    assert errors == {}
    assert values["starts_at"] == datetime(2027, 7, 1, 17, 30, tzinfo=UTC)  # 18:30 British Summer Time
    assert values["ends_at"] == datetime(2027, 7, 1, 19, 0, tzinfo=UTC)
    assert values["step_free"] and values["bsl"] and not values["childcare"]
    assert values["round_id"] == 3 and values["area_id"] == 11 and values["capacity"] == 25
    winter, _ = rules.validate_session({**FORM, "date": "2027-01-12"}, [], {3}, {11: 3})
    assert winter["starts_at"] == datetime(2027, 1, 12, 18, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "features", "fields"),
    [
        ({"title_cy": "", "description_en": ""}, [], {"title_cy", "description_en"}),
        ({"end_time": "18:00"}, [], {"end_time"}),
        ({"start_time": "25:00", "end_time": "soon"}, [], {"start_time", "end_time"}),
        ({"date": "2027-02-30"}, [], {"date"}),
        ({"date": "9999-01-01"}, [], {"date"}),
        ({"format": "online", "online_url": ""}, [], {"online_url"}),
        ({"format": "in_person", "venue": ""}, [], {"venue"}),
        ({"online_url": "javascript:alert(1)"}, [], {"online_url"}),
        ({"online_url": "http://meet.example.org/plain"}, [], {"online_url"}),
        ({"capacity": "0"}, [], {"capacity"}),
        ({"capacity": "99999999999999999999"}, [], {"capacity"}),
        ({"round": "4"}, [], {"round", "area"}),
        ({"area": "12"}, [], {"area"}),
        ({"round": "", "area": "11"}, [], {"area"}),
        ({"language_mode": "fr", "format": "carrier pigeon"}, ["ramp"], {"language_mode", "format", "features"}),
        ({"title_en": "x" * 201, "access_notes_cy": "y" * 2001}, [], {"title_en", "access_notes_cy"}),
    ],
)
def test_session_form_errors(changes, features, fields):
    _, errors = rules.validate_session({**FORM, **changes}, features, {3}, {11: 3, 12: 4})
    assert set(errors) == fields


def test_capacity_cannot_drop_below_the_places_held():
    _, errors = rules.validate_session({**FORM, "capacity": "5"}, [], {3}, {11: 3}, registered=6)
    assert set(errors) == {"capacity"}
    _, errors = rules.validate_session({**FORM, "capacity": "6"}, [], {3}, {11: 3}, registered=6)
    assert errors == {}


def test_online_sessions_keep_no_venue_and_in_person_ones_no_link():
    online, errors = rules.validate_session({**FORM, "format": "online"}, [], {3}, {11: 3})
    assert not errors and online["venue"] == "" and online["online_url"]
    in_person, errors = rules.validate_session({**FORM, "format": "in_person"}, [], {3}, {11: 3})
    assert not errors and in_person["online_url"] == "" and in_person["venue"] == "Town Hall"


def test_form_values_show_uk_time():
    stored = session(
        starts_at=datetime(2027, 7, 1, 17, 30, tzinfo=UTC), ends_at=datetime(2027, 7, 1, 19, 0, tzinfo=UTC), round=None, area=None
    )
    values = rules.form_values(stored)
    assert (values["date"], values["start_time"], values["end_time"], values["round"]) == ("2027-07-01", "18:30", "20:00", "")


def test_when_text_is_in_uk_time():
    text = rules.when_text(datetime(2027, 7, 1, 17, 30, tzinfo=UTC), datetime(2027, 7, 1, 19, 0, tzinfo=UTC), "en")
    assert text == "Thursday 1 July 2027, 18:30 to 20:00"


# Recording


def test_attendance_must_count_everyone_ticked():
    values, errors = rules.validate_attendance({"attendance_count": "12"}, ["3", "4"], {3, 4, 5})
    assert errors == {} and values == {"attendance_count": 12, "attended": {3, 4}}
    _, errors = rules.validate_attendance({"attendance_count": "1"}, ["3", "4"], {3, 4})
    assert set(errors) == {"attendance_count"}
    _, errors = rules.validate_attendance({"attendance_count": "lots"}, ["99"], {3})
    assert set(errors) == {"attendance_count", "attended"}


def test_outcomes_need_words_in_either_language_and_link_only_to_the_agenda():
    values, errors = rules.validate_outcome({"kind": "theme", "body_cy": "Mwy o feinciau"}, ["4"], {4, 5})
    assert errors == {} and values["links"] == {4: None}
    _, errors = rules.validate_outcome({"kind": "summary", "body_en": " "}, ["6"], {4, 5})
    assert set(errors) == {"kind", "body_en", "proposals"}
    _, errors = rules.validate_outcome({"kind": "recommendation", "body_en": "x" * 2001}, [], set())
    assert set(errors) == {"body_en"}


def test_prioritisation_tallies():
    values, errors = rules.validate_prioritisation(
        {"method": "dots", "tally-4": "12", "tally-5": "", "tally-6": "0", "participants": "9"}, [4, 5, 6]
    )
    assert errors == {} and values["links"] == {4: 12} and values["participants"] == 9
    _, errors = rules.validate_prioritisation({"method": "dots", "tally-4": "-1", "tally-5": "1.5"}, [4, 5])
    assert set(errors) == {"tally-4", "tally-5"}
    _, errors = rules.validate_prioritisation({"method": "vibes"}, [4])
    assert set(errors) == {"method", "tally-4"}
    _, errors = rules.validate_prioritisation({"method": "ranking"}, [])
    assert set(errors) == {"tallies"}


def test_ranking_shares_ranks_on_ties():
    ranked = rules.ranked(
        [{"proposal": 3, "tally": 5}, {"proposal": 1, "tally": 9}, {"proposal": 2, "tally": 5}, {"proposal": 4, "tally": 1}]
    )
    assert [(r["proposal"], r["rank"]) for r in ranked] == [(1, 1), (2, 2), (3, 2), (4, 4)]


def test_summary_needs_both_languages():
    _, errors = rules.validate_summary({"summary_en": "We talked."})
    assert set(errors) == {"summary_cy"}
    values, errors = rules.validate_summary({"summary_en": "We talked.", "summary_cy": "Buom yn siarad."})
    assert errors == {} and values == {"body_en": "We talked.", "body_cy": "Buom yn siarad."}


# Privacy of access needs


def test_facilitators_see_counts_and_only_the_names_people_agreed_to_share():
    people = [
        {"name": "Aled", "status": "registered", "access_needs": "bsl,step_free", "access_other": "", "share_needs": False},
        {
            "name": "Bethan",
            "status": "registered",
            "access_needs": "step_free",
            "access_other": "Seat by the door",
            "share_needs": True,
        },
        {"name": "Carys", "status": "registered", "access_needs": "", "access_other": "An aisle seat", "share_needs": False},
        {"name": "Dewi", "status": "waiting", "access_needs": "childcare", "access_other": "", "share_needs": True},
        {"name": "Eurig", "status": "registered", "access_needs": "nonsense", "access_other": "", "share_needs": True},
    ]
    summary = rules.access_summary(people)
    assert summary["counts"] == {"step_free": 2, "bsl": 1}
    assert summary["notes"] == ["An aisle seat", "Seat by the door"]  # alphabetical, not by who
    assert [person["name"] for person in summary["named"]] == ["Bethan"]
    assert summary["people"] == 3
    assert "Aled" not in repr(summary) and "Carys" not in repr(summary)


# The listing's filters


def test_listing_filters_ignore_junk():
    filters = rules.parse_filters(
        {"when": "past", "area": "12", "format": "online", "from": "2027-01-01", "to": "nonsense", "page": "3"},
        ["bsl", "welsh", "teleport"],
        {12},
    )
    assert (filters.when, filters.area, filters.format, filters.date_from, filters.date_to, filters.access, filters.page) == (
        "past",
        12,
        "online",
        date(2027, 1, 1),
        None,
        ("bsl", "welsh"),
        3,
    )
    junk = rules.parse_filters({"when": "<x>", "area": "99", "format": "x", "from": "9999-12-31", "page": "-1"}, [], {12})
    assert (junk.when, junk.area, junk.format, junk.date_from, junk.page) == ("upcoming", None, "", None, 1)
    assert "access=bsl&access=welsh" in filters.query() and "page" not in filters.query()


# iCalendar encoding


def test_ics_escapes_text_and_folds_long_lines_without_splitting_characters():
    assert ics.escape("a, b; c\\d\ne") == "a\\, b\\; c\\\\d\\ne"
    line = "SUMMARY:" + "Sesiwn ŵyl âr ŷd " * 10
    folded = ics.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece[1:] if index else piece for index, piece in enumerate(pieces)) == line
    assert ics.fold("SHORT:x") == "SHORT:x"
