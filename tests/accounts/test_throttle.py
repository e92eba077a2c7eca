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

    async def burn(password, stored_hash=None):
        if stored_hash is None:  # no account: the dummy check stands for the real one (else it pads a real one)
            counter["n"] += 1
        await real_burn(password, stored_hash)

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


async def test_guessing_spread_over_many_addresses_is_bounded_per_account_and_the_owner_gets_back_in():
    """130 guesses at one account from 130 addresses: after the day's limit no password is checked,
    from anywhere, even the right one; each attempt is in the audit log, without the password; an
    emailed reset link lets the owner in again."""
    from pb.accounts import actions as account_actions
    from pb.accounts import rules as account_rules
    from pb.audit.tables import AuditEvent
    from tests.conftest import link_in, make_user, outbox_messages

    await make_user(email="owner@example.org")
    checked = 0
    real_verify = account_actions.verify_password

    async def counting_verify(stored, password):
        nonlocal checked
        checked += 1
        return await real_verify(stored, password)

    account_actions.verify_password = counting_verify
    try:
        for i in range(130):
            await account_actions.sign_in("owner@example.org", f"guess {i}", f"203.0.{i // 250}.{i % 250 + 1}")
        refused = await account_actions.sign_in("owner@example.org", "correct horse battery", "198.51.100.7")
    finally:
        account_actions.verify_password = real_verify
    assert checked <= account_rules.ACCOUNT_DAY_POLICY.limit
    assert refused.user_id is None and refused.retry_after is not None
    events = await AuditEvent.select(AuditEvent.action, AuditEvent.details).where(AuditEvent.action.like("account.sign_in_%"))
    assert len(events) == 131 and {e["action"] for e in events} == {"account.sign_in_failed", "account.sign_in_throttled"}
    assert not any("guess" in e["details"] or "203.0." in e["details"] for e in events)
    await account_actions.request_password_reset("owner@example.org")
    token = link_in((await outbox_messages())[-1]["body"]).rsplit("/", 1)[1]
    assert await account_actions.reset_password(token, "a brand new passphrase", "198.51.100.7") is None
    back = await account_actions.sign_in("owner@example.org", "a brand new passphrase", "198.51.100.7")
    assert back.user_id is not None
