from datetime import date

import pytest

from pb.rounds.rules import validate_round

pytestmark = pytest.mark.pure

GOOD = {
    "title_en": "Neighbourhood Fund",
    "title_cy": "Cronfa'r Gymdogaeth",
    "description_en": "About",
    "description_cy": "Amdano",
    "ballot_method": "approval_budget",
    "counting_rule": "greedy",
    "min_age": "16",
    "allow_revote": "no",
    "proposals_from": "2027-01-04",
    "review_from": "2027-02-01",
    "shortlist_from": "2027-03-01",
    "voting_from": "2027-04-05",
    "results_from": "2027-05-03",
    "delivery_from": "2027-06-01",
    "area-0-name_en": "Riverside",
    "area-0-name_cy": "Glan yr Afon",
    "area-0-budget": "£50,000",
    "area-1-name_en": "",
    "area-1-name_cy": "",
    "area-1-budget": "",
}


def test_a_good_round():
    values, areas, errors = validate_round(GOOD)
    assert errors == {}
    assert values["voting_from"] == date(2027, 4, 5)
    assert areas == [
        {
            "id": None,
            "name_en": "Riverside",
            "name_cy": "Glan yr Afon",
            "budget_pence": 5_000_000,
            "index": 0,
            "budget_text": "£50,000",
        }
    ]


def errors_for(**change):
    return validate_round({**GOOD, **change})[2]


def test_titles_and_descriptions_are_needed_in_both_languages():
    assert set(errors_for(title_cy="", description_en="")) == {"title_cy", "description_en"}
    assert "title_en" in errors_for(title_en="x" * 201)


def test_dates_must_be_real_and_in_order():
    assert "voting_from" in errors_for(voting_from="2027-02-30")
    assert "voting_from" in errors_for(voting_from="next week")
    assert "results_from" in errors_for(results_from="2027-04-01")
    assert errors_for(results_from="2027-04-05") == {}  # same day is fine


def test_ballot_settings_match_the_method():
    assert "ballot_max_choices" in errors_for(ballot_method="k_approval")
    assert errors_for(ballot_method="k_approval", ballot_max_choices="5") == {}
    assert "ballot_min_choices" in errors_for(ballot_method="k_approval", ballot_max_choices="3", ballot_min_choices="4")
    assert "ballot_points" in errors_for(ballot_method="cumulative", ballot_max_points_per_project="3")
    assert "ballot_max_points_per_project" in errors_for(
        ballot_method="cumulative", ballot_points="10", ballot_max_points_per_project="11"
    )
    assert errors_for(ballot_method="cumulative", ballot_points="10", ballot_max_points_per_project="3") == {}
    assert "ballot_method" in errors_for(ballot_method="ranked")
    assert "counting_rule" in errors_for(counting_rule="borda")


def test_age():
    assert "min_age" in errors_for(min_age="-1")
    assert "min_age" in errors_for(min_age="200")
    assert "min_age" in errors_for(min_age="sixteen")
    assert errors_for(min_age="0") == {}


def test_areas():
    assert "area-0-name_en" in errors_for(**{"area-0-name_en": "", "area-0-name_cy": "", "area-0-budget": ""})
    assert "area-0-budget" in errors_for(**{"area-0-budget": "-5"})
    assert "area-0-budget" in errors_for(**{"area-0-budget": "lots"})
    assert "area-0-name_cy" in errors_for(**{"area-0-name_cy": ""})
    assert "area-1-budget" in errors_for(**{"area-1-name_en": "Hill", "area-1-name_cy": "Bryn"})


def test_an_area_with_proposals_cannot_be_removed():
    form = {**GOOD, "area-0-id": "7"}
    assert validate_round(form, locked_area_ids={7})[2] == {}
    assert "areas" in validate_round(GOOD, locked_area_ids={7})[2]


def test_re_voting_is_a_choice_the_officer_makes_and_defaults_to_off():
    values, _, errors = validate_round(GOOD)
    assert errors == {} and values["allow_revote"] is False
    assert validate_round({**GOOD, "allow_revote": "yes"})[0]["allow_revote"] is True
    assert "allow_revote" in validate_round({k: v for k, v in GOOD.items() if k != "allow_revote"})[2]
