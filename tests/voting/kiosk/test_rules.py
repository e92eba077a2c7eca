"""Reading the kiosk form, tested directly: a code or an account (not both), the area, the age."""

import pytest

from pb.voting.codes import alphabet
from pb.voting.kiosk.rules import validate_assisted

pytestmark = pytest.mark.pure


def test_a_code_or_an_account_but_not_both():
    code = alphabet.new_code(b"\x01" * 8)
    values, errors = validate_assisted({"code": code, "area": "3", "age": "yes"}, {3}, 16)
    assert errors == {} and values == {"code": code, "email": "", "area": 3}
    _, errors = validate_assisted({"code": code, "email": "a@example.org", "area": "3"}, {3}, 0)
    assert set(errors) == {"code"}
    _, errors = validate_assisted({"email": "a@example.org", "area": "3"}, {3}, 0)
    assert set(errors) == {"password"}  # the account's owner types their own password
    _, errors = validate_assisted({"area": "3"}, {3}, 0)
    assert set(errors) == {"code"}


def test_a_bad_code_area_or_missing_age_is_named_beside_its_field():
    values, errors = validate_assisted({"code": "not a code", "area": "²", "age": ""}, {3}, 16)
    assert set(errors) == {"code", "area", "age"}
    assert values["area"] is None
    assert validate_assisted({"code": alphabet.new_code(b"\x02" * 8), "area": "any"}, {3}, 0)[0]["area"] is None
