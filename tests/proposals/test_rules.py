from datetime import UTC, datetime

import pytest

from pb.fields import format_pounds, parse_pounds
from pb.paging import page_of
from pb.proposals import listing, rules

pytestmark = pytest.mark.pure

BUDGETS = {1: 50_000_00, 2: 10_000_00}
GOOD = {
    "languages": "en",
    "title_en": "Benches",
    "summary_en": "Three benches.",
    "description_en": "By the river.",
    "area": "1",
    "estimated_cost": "1,500.50",
    "partners": "Friends of the Park\n\n Scouts ",
}


def check(change=None, themes=("green_spaces",), submitting=True):
    return rules.validate_proposal({**GOOD, **(change or {})}, list(themes), BUDGETS, submitting)


def test_a_good_proposal():
    values, errors = check()
    assert errors == {}
    assert values["estimated_cost_pence"] == 150_050
    assert values["area_id"] == 1
    assert values["partners"] == "Friends of the Park\nScouts"
    assert values["title_cy"] == ""


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("2500", 250_000),
        ("£2,500.5", 250_050),
        ("0.01", 1),
        (" 12 ", 1200),
        ("2500.505", None),
        ("-5", None),
        ("1e6", None),
        ("ten", None),
        ("", None),
        ("9" * 20, None),
    ],
)
def test_money(text, pence):
    assert parse_pounds(text) == pence


def test_format_pounds():
    assert format_pounds(150_050) == "1500.50" and format_pounds(100_000) == "1000" and format_pounds(None) == ""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title_en": ""}, "title_en"),
        ({"title_en": "x" * 121}, "title_en"),
        ({"summary_en": ""}, "summary_en"),
        ({"summary_en": "x" * 301}, "summary_en"),
        ({"description_en": ""}, "description_en"),
        ({"description_en": "x" * 10_001}, "description_en"),
        ({"estimated_cost": ""}, "estimated_cost"),
        ({"estimated_cost": "0"}, "estimated_cost"),
        ({"estimated_cost": "-100"}, "estimated_cost"),
        ({"estimated_cost": "a lot"}, "estimated_cost"),
        ({"estimated_cost": "50000.01"}, "estimated_cost"),  # over the area's budget
        ({"estimated_cost": "99999999999999999999"}, "estimated_cost"),  # absurd
        ({"area": "3"}, "area"),
        ({"area": "x"}, "area"),
        ({"area": ""}, "area"),
        ({"languages": "fr"}, "languages"),
        ({"partners": "x" * 501}, "partners"),
    ],
)
def test_errors(change, field):
    assert field in check(change)[1]


def test_both_languages_need_both_texts():
    errors = check({"languages": "both"})[1]
    assert {"title_cy", "summary_cy", "description_cy"} <= set(errors)


def test_welsh_only():
    values, errors = check(
        {"languages": "cy", "title_cy": "Meinciau", "summary_cy": "Tair mainc.", "description_cy": "Ger yr afon."}
    )
    assert errors == {}
    assert values["title_en"] == ""  # English text is dropped when writing in Welsh only


def test_themes():
    assert "themes" in check(themes=())[1]
    assert "themes" in check(themes=("green_spaces", "not-a-theme"))[1]
    assert check(themes=("green_spaces", "green_spaces"))[0]["themes"] == ["green_spaces"]
    assert len(rules.WELLBEING_GOALS) == 7


def test_a_draft_needs_only_a_title_and_an_area():
    values, errors = check({"summary_en": "", "description_en": "", "estimated_cost": ""}, themes=(), submitting=False)
    assert errors == {}
    assert values["area_id"] == 1 and values["estimated_cost_pence"] == 0
    assert set(check({"title_en": "", "area": ""}, submitting=False)[1]) == {"title_en", "area"}


def test_script_is_kept_as_typed():
    values, errors = check({"title_en": "<script>alert(1)</script>"})
    assert values["title_en"] == "<script>alert(1)</script>" and not errors


def test_comment_validation():
    assert rules.validate_comment({"body": "  hi  "}) == ("hi", {})
    assert "body" in rules.validate_comment({"body": ""})[1]
    assert "body" in rules.validate_comment({"body": "x" * 2001})[1]


def test_listing_filters_ignore_rubbish():
    f = listing.parse_filters(
        {"q": " swings ", "area": "2", "theme": "sport", "status": "eligible", "sort": "cost_low", "page": "3"}, {1, 2}
    )
    assert f == listing.Filters(q="swings", area=2, theme="sport", status="eligible", sort="cost_low", page=3)
    bad = listing.parse_filters({"area": "9", "theme": "x", "status": "draft", "sort": "random", "page": "-1"}, {1})
    assert bad == listing.Filters()


def test_listing_query_string_round_trips():
    f = listing.Filters(q="park bench", area=2, sort="supported", page=4)
    assert f.query() == "q=park+bench&area=2&sort=supported"
    assert f.query(page=5) == "q=park+bench&area=2&sort=supported&page=5"
    assert listing.parse_filters(
        dict(p.split("=") for p in f.query(page=5).replace("+", " ").split("&")), {2}
    ) == listing.Filters(q="park bench", area=2, sort="supported", page=5)


def test_sorting_and_paging():
    t = datetime(2027, 1, 1, tzinfo=UTC)
    rows = [
        {"id": 1, "submitted_at": t.replace(day=1), "support_count": 5, "estimated_cost_pence": 300, "revised_cost_pence": None},
        {"id": 2, "submitted_at": t.replace(day=3), "support_count": 9, "estimated_cost_pence": 100, "revised_cost_pence": 900},
        {"id": 3, "submitted_at": t.replace(day=2), "support_count": 5, "estimated_cost_pence": 200, "revised_cost_pence": None},
    ]
    assert [r["id"] for r in listing.sort_rows(rows, "newest")] == [2, 3, 1]
    assert [r["id"] for r in listing.sort_rows(rows, "supported")] == [2, 1, 3]
    assert [r["id"] for r in listing.sort_rows(rows, "cost_low")] == [3, 1, 2]  # the revised cost counts
    assert [r["id"] for r in listing.sort_rows(rows, "cost_high")] == [2, 1, 3]
    assert page_of(list(range(25)), 3, 12) == ([24], 3, 3)
    assert page_of(list(range(25)), 9, 12) == ([24], 3, 3)
    assert page_of([], 1, 12) == ([], 1, 1)


@pytest.mark.parametrize(
    ("status", "wanted", "expected"),
    [
        ("submitted", "", True),
        ("withdrawn", "", False),
        ("not_eligible", "", False),
        ("withdrawn", "all", True),
        ("draft", "all", False),
        ("eligible", "eligible", True),
        ("eligible", "funded", False),
    ],
)
def test_status_filter(status, wanted, expected):
    assert listing.status_matches(status, wanted) is expected


def test_comment_threads():
    from pb.proposals.queries import thread

    rows = [
        {"id": 1, "parent": None},
        {"id": 2, "parent": 1},
        {"id": 3, "parent": None},
        {"id": 4, "parent": 2},
        {"id": 5, "parent": 4},
        {"id": 6, "parent": 5},
        {"id": 7, "parent": 99},
    ]
    assert [(r["id"], r["depth"]) for r in thread(rows)] == [(1, 0), (2, 1), (4, 2), (5, 3), (6, 3), (3, 0), (7, 0)]
