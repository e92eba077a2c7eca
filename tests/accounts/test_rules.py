"""The account rules are pure: every branch is tested directly."""

from datetime import UTC, datetime, timedelta

import pytest

from pb.accounts import rules
from pb.i18n import negotiate
from pb.web.forms import safe_next

pytestmark = pytest.mark.pure

GOOD = {
    "name": "Sam",
    "email": "Sam@Example.org ",
    "password": "long enough pw",
    "password_confirm": "long enough pw",
    "language": "cy",
}


def test_valid_registration_is_cleaned():
    values, errors = rules.validate_registration(GOOD)
    assert errors == {}
    assert values["email"] == "sam@example.org"
    assert values["language"] == "cy"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "Enter your name"),
        ({"name": "x" * 101}, "name", "Name must be 100 characters or fewer"),
        ({"email": ""}, "email", "Enter your email address"),
        ({"email": "not-an-email"}, "email", "Enter an email address in the correct format, like name@example.com"),
        ({"email": "a@b"}, "email", "Enter an email address in the correct format, like name@example.com"),
        ({"email": "<script>@x.org"}, "email", "Enter an email address in the correct format, like name@example.com"),
        ({"email": "a" * 250 + "@x.org"}, "email", "Email address must be 254 characters or fewer"),
        ({"password": "", "password_confirm": ""}, "password", "Enter a password"),
        ({"password": "short", "password_confirm": "short"}, "password", "Password must be at least 10 characters"),
        ({"password": "p" * 257, "password_confirm": "p" * 257}, "password", "Password must be 256 characters or fewer"),
        (
            {"password": "sam@example.org", "password_confirm": "sam@example.org"},
            "password",
            "Password must not be your email address",
        ),
        ({"password_confirm": "something else"}, "password_confirm", "The passwords do not match"),
        ({"language": "fr"}, "language", "Choose the language you would like us to use"),
        ({"language": ""}, "language", "Choose the language you would like us to use"),
    ],
)
def test_registration_errors_name_the_field(change, field, message):
    _, errors = rules.validate_registration({**GOOD, **change})
    assert errors[field] == message


def test_non_string_values_are_treated_as_empty():
    _, errors = rules.validate_registration({"name": ["x"], "email": None})
    assert {"name", "email", "password", "language"} <= errors.keys()


def test_sign_in_validation():
    assert rules.validate_sign_in({"email": "a@b.org", "password": "x"})[1] == {}
    assert set(rules.validate_sign_in({})[1]) == {"email", "password"}


NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
POLICY = rules.ThrottlePolicy(limit=10, window=timedelta(minutes=15))


def test_throttle_allows_below_the_limit():
    assert rules.blocked_until(9, NOW, NOW, POLICY) is None


def test_throttle_blocks_at_the_limit_until_the_window_ends():
    assert rules.blocked_until(10, NOW, NOW + timedelta(minutes=5), POLICY) == NOW + timedelta(minutes=15)


def test_throttle_lifts_when_the_window_ends():
    assert rules.blocked_until(50, NOW, NOW + timedelta(minutes=15), POLICY) is None
    assert rules.window_expired(NOW, NOW + timedelta(minutes=15), POLICY)
    assert not rules.window_expired(NOW, NOW + timedelta(minutes=14), POLICY)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "en"),
        ("", "en"),
        ("cy", "cy"),
        ("cy-GB,en;q=0.5", "cy"),
        ("en-GB,cy;q=0.9", "en"),
        ("fr,cy;q=0.3", "cy"),
        ("fr,de", "en"),
        ("en;q=0.2,cy;q=0.8", "cy"),
        ("cy;q=bad,en", "en"),
    ],
)
def test_language_negotiation(header, expected):
    assert negotiate(header) == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/en/account", "/en/account"),
        ("/cy/admin?x=1", "/cy/admin?x=1"),
        (None, "/en/"),
        ("", "/en/"),
        ("https://evil.example/", "/en/"),
        ("//evil.example/", "/en/"),
        ("/\\evil.example", "/en/"),
        ("javascript:alert(1)", "/en/"),
    ],
)
def test_next_only_goes_to_local_pages(target, expected):
    assert safe_next(target, "en") == expected
