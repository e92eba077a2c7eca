"""The form-field layer and the pagination rule, tested directly (pure functions of plain values)."""

import pytest

from pb.fields import bilingual_text, form_text
from pb.paging import page_of, paginate

pytestmark = pytest.mark.pure


def test_form_text_strips_and_ignores_what_is_not_text():
    assert form_text({"title": "  Parc  "}, "title") == "Parc"
    assert form_text({"title": ["a", "b"]}, "title") == ""
    assert form_text({}, "title") == ""


def test_bilingual_text_requires_both_languages_only_when_asked_and_bounds_each():
    values, errors = bilingual_text({"title_en": " Park ", "title_cy": ""}, "title", 5, "too long", "missing")
    assert values == {"title_en": "Park", "title_cy": ""}
    assert errors == {"title_cy": "missing"}
    values, errors = bilingual_text({"title_en": "x" * 6}, "title", 5, "too long")
    assert errors == {"title_en": "too long"} and values["title_cy"] == ""


def test_a_page_past_the_end_shows_the_last_and_an_empty_listing_has_one_page():
    assert paginate(0, 1, 25).pages == 1
    pager = paginate(51, 9, 25)
    assert (pager.number, pager.pages, pager.offset, pager.has_next, pager.has_previous) == (3, 3, 50, False, True)
    assert paginate(51, 0, 25).number == 1
    assert page_of(list(range(51)), 3, 25) == ([50], 3, 3)
