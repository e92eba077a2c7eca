"""The sign-in throttle and the per-recipient email limit, straight through the actions."""

import asyncio
from datetime import UTC

import pytest

from pb.accounts import actions, rules
from pb.accounts.tables import LoginThrottle
from tests.conftest import make_user, outbox_messages, sign_in, submit

ATTACKER = "203.0.113.66"


@pytest.fixture
def checks(monkeypatch):
    """Count the password checks that really ran (argon2 verifications)."""
    counter = {"n": 0}
    real_verify, real_burn = actions.verify_password, actions.burn_time

    async def verify(stored, password):
        counter["n"] += 1
        return await real_verify(stored, password)

    async def burn(password):
        counter["n"] += 1
        await real_burn(password)

    monkeypatch.setattr(actions, "verify_password", verify)
    monkeypatch.setattr(actions, "burn_time", burn)
    return counter


async def test_forty_parallel_wrong_sign_ins_check_at_most_ten(checks):
    await make_user()
    results = await asyncio.gather(*(actions.sign_in("sam@example.org", "wrong password", ATTACKER) for _ in range(40)))
    throttled = [r for r in results if r.retry_after]
    assert checks["n"] <= 10
    assert len(throttled) >= 30
    assert all(r.user_id is None for r in results)


async def test_forty_parallel_tries_at_an_unknown_address_are_limited_the_same_way(checks):
    results = await asyncio.gather(*(actions.sign_in("nobody@example.org", "wrong password", ATTACKER) for _ in range(40)))
    assert checks["n"] <= 10
    assert sum(1 for r in results if r.retry_after) >= 30


async def test_a_locked_address_does_not_lock_the_owner_out():
    await make_user(roles={"admin"})
    for _ in range(20):
        await actions.sign_in("sam@example.org", "wrong password", ATTACKER)
    refused = await actions.sign_in("sam@example.org", "correct horse battery", ATTACKER)
    assert refused.retry_after and refused.user_id is None  # the guesser's own address stays locked
    owner = await actions.sign_in("sam@example.org", "correct horse battery", "198.51.100.7")
    assert owner.user_id is not None and owner.error is None


async def test_a_spread_out_attack_gets_one_guess_per_address_but_the_owner_still_signs_in(checks):
    await make_user()
    # More than the account's loose limit, from many addresses, none of them over its own limits.
    for n in range(rules.ACCOUNT_POLICY.limit):
        await actions.sign_in("sam@example.org", "wrong password", f"192.0.2.{n}")
    first = await actions.sign_in("sam@example.org", "wrong password", ATTACKER)
    assert first.retry_after is None  # checked: the account is now under attack, ...
    checked = checks["n"]
    second = await actions.sign_in("sam@example.org", "wrong password", ATTACKER)
    assert second.retry_after is not None  # ... so that address had its one guess
    assert checks["n"] == checked
    owner = await actions.sign_in("sam@example.org", "correct horse battery", "198.51.100.7")
    assert owner.user_id is not None


async def test_a_right_password_takes_its_attempt_back():
    await make_user()
    for _ in range(3):
        assert (await actions.sign_in("sam@example.org", "correct horse battery", ATTACKER)).user_id
    assert {row["failures"] for row in await LoginThrottle.select(LoginThrottle.failures)} == {0}
    assert await LoginThrottle.count() == 2  # the pair was cleared; address and account are back at 0


async def test_the_throttle_window_ends():
    from datetime import datetime, timedelta

    await make_user()
    for _ in range(11):
        await actions.sign_in("sam@example.org", "wrong password", ATTACKER)
    assert (await actions.sign_in("sam@example.org", "correct horse battery", ATTACKER)).retry_after
    await LoginThrottle.update({LoginThrottle.window_started_at: datetime.now(UTC) - timedelta(minutes=16)}).where(
        LoginThrottle.id > 0
    )
    assert (await actions.sign_in("sam@example.org", "correct horse battery", ATTACKER)).user_id


@pytest.mark.pure
def test_ipv6_addresses_are_counted_per_64():
    assert rules.address_bucket("2001:db8:1:2:aaaa::1") == rules.address_bucket("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert rules.address_bucket("2001:db8:1:3::1") != rules.address_bucket("2001:db8:1:2::1")
    assert rules.address_bucket("::ffff:192.0.2.1") == "192.0.2.1"
    assert rules.address_bucket("192.0.2.1") == "192.0.2.1"
    assert rules.address_bucket("unknown") == "unknown"


# The email limit: at most MAIL_POLICY.limit account emails to one recipient an hour, whichever form
# asks, with nothing on the page to tell the difference.


async def test_password_reset_emails_to_one_address_are_limited(client):
    await make_user()
    responses = [await submit(client, "/en/password-reset", {"email": "sam@example.org"}) for _ in range(6)]
    assert {(r.status_code, r.headers["location"]) for r in responses} == {(303, "/en/password-reset/sent")}
    assert len(await outbox_messages()) == rules.MAIL_POLICY.limit == 3


async def test_the_limit_is_shared_by_every_kind_of_account_email(client):
    from tests.accounts.test_journeys import NEW

    first = await submit(client, "/en/register", NEW)  # 1: confirm
    for _ in range(3):
        again = await submit(client, "/en/register/check-email", {"email": NEW["email"]}, action="/en/resend-confirmation")
        assert (again.status_code, again.headers["location"]) == (first.status_code, first.headers["location"])
    repeat = await submit(client, "/en/register", NEW)  # "you already have an account"
    assert (repeat.status_code, repeat.headers["location"]) == (first.status_code, first.headers["location"])
    await submit(client, "/en/password-reset", {"email": NEW["email"]})
    assert len(await outbox_messages()) == 3
    assert all(m["recipient"] == NEW["email"] for m in await outbox_messages())


async def test_registering_an_existing_address_cannot_flood_its_owner(client):
    from tests.accounts.test_journeys import NEW

    await make_user(email=NEW["email"])
    for _ in range(5):
        response = await submit(client, "/en/register", NEW)
        assert response.headers["location"] == "/en/register/check-email"
    assert len(await outbox_messages()) == 3


async def test_the_limit_is_per_recipient(client):
    await make_user(email="a@example.org")
    await make_user(email="b@example.org")
    for _ in range(4):
        await actions.request_password_reset("a@example.org")
    await actions.request_password_reset("b@example.org")
    recipients = [m["recipient"] for m in await outbox_messages()]
    assert recipients.count("a@example.org") == 3 and recipients.count("b@example.org") == 1


async def test_the_email_limit_does_not_touch_sign_in(client):
    await make_user()
    for _ in range(5):
        await actions.request_password_reset("sam@example.org")
    await sign_in(client)  # the mail counter is a different key from the sign-in counters
