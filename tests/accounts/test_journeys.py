"""Accounts end to end through the ASGI app: register, confirm, sign in and out, reset, change."""

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from bs4 import BeautifulSoup

from pb.accounts.tables import EmailToken, User
from pb.web.templating import t
from tests.conftest import link_in, make_user, outbox_messages, sign_in, submit

NEW = {
    "name": "Ceri Evans",
    "email": "ceri@example.org",
    "password": "a long password",
    "password_confirm": "a long password",
    "language": "cy",
}


async def test_register_confirm_sign_in_and_out(client):
    response = await submit(client, "/en/register", NEW)
    assert response.status_code == 303
    assert response.headers["location"] == "/en/register/check-email"

    [message] = await outbox_messages()
    assert message["recipient"] == "ceri@example.org"
    assert message["language"] == "cy"  # the person's chosen language, not the page's
    assert message["subject"] == t("cy", "Confirm your email address") != "Confirm your email address"
    confirm_path = link_in(message["body"])
    assert confirm_path.startswith("/cy/confirm-email/")

    # Opening the link does not use it (mail scanners open links); the button does.
    page = await client.get(confirm_path)
    assert page.status_code == 200
    confirmed = await submit(client, confirm_path, {})
    assert confirmed.status_code == 303
    assert (await User.select(User.email_verified_at).where(User.email == "ceri@example.org").first())["email_verified_at"]

    await sign_in(client, "ceri@example.org", "a long password")
    account = await client.get("/en/account")
    assert account.status_code == 200
    assert "ceri@example.org" in account.text

    signed_out = await submit(client, "/en/account", {}, action="/en/sign-out")
    assert signed_out.status_code == 303
    assert (await client.get("/en/account")).status_code == 303  # back to sign-in


async def test_registration_errors_are_beside_the_fields_and_keep_what_was_typed(client):
    response = await submit(client, "/en/register", {**NEW, "email": "not an email", "password_confirm": "different one"})
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.title.text.startswith("Error:")
    assert soup.select_one(".govuk-error-summary")
    assert "Enter an email address in the correct format" in soup.select_one("#email-error").text
    assert soup.select_one("#password_confirm-error")
    assert soup.select_one("#name")["value"] == "Ceri Evans"
    assert soup.select_one("#email")["value"] == "not an email"
    assert soup.select_one("input[name=language][value=cy]").has_attr("checked")
    assert not soup.select_one("#password").get("value")  # passwords are never echoed back


async def test_registration_errors_in_welsh(client):
    response = await submit(client, "/cy/register", {**NEW, "name": ""})
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.html["lang"] == "cy"
    assert soup.select_one("#name-error").text.strip() != ""
    assert "Enter your name" not in response.text


async def test_hostile_input_is_stored_as_typed_and_escaped(client):
    response = await submit(client, "/en/register", {**NEW, "name": '<script>alert("x")</script>', "email": "bad"})
    assert response.status_code == 422
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert" in response.text


async def test_registering_an_existing_address_reveals_nothing_and_tells_the_owner(client):
    await make_user(email="ceri@example.org")
    response = await submit(client, "/en/register", NEW)
    assert response.status_code == 303
    assert response.headers["location"] == "/en/register/check-email"
    [message] = await outbox_messages()
    assert message["recipient"] == "ceri@example.org"
    assert message["subject"] == t(message["language"], "You already have an account")
    assert message["language"] == "en"  # the owner's language, not the one typed on the form
    assert "/confirm-email/" not in message["body"]
    assert "/en/sign-in" in message["body"] and "/en/password-reset" in message["body"]
    assert await User.count().where(User.email == "ceri@example.org") == 1


async def test_unconfirmed_account_cannot_sign_in_and_can_ask_again(client):
    await submit(client, "/en/register", NEW)
    response = await submit(client, "/en/sign-in", {"email": NEW["email"], "password": NEW["password"]})
    assert response.status_code == 422
    assert "Confirm your email address before you sign in" in response.text
    again = await submit(client, "/en/sign-in", {"email": NEW["email"]}, action="/en/resend-confirmation")
    assert again.status_code == 303
    assert len(await outbox_messages()) == 2


async def test_expired_confirmation_link_is_refused_with_a_clear_page(client):
    await submit(client, "/en/register", NEW)
    path = link_in((await outbox_messages())[0]["body"])
    await EmailToken.update({EmailToken.expires_at: datetime.now(UTC) - timedelta(minutes=1)}).where(EmailToken.id > 0)
    page = await client.get(path)
    assert page.status_code == 410
    assert t("cy", "This link has expired") in page.text  # the link is in the language the person chose


async def test_used_confirmation_link_is_refused(client):
    await submit(client, "/en/register", NEW)
    path = link_in((await outbox_messages())[0]["body"])
    assert (await submit(client, path, {})).status_code == 303
    again = await client.get(path)
    assert again.status_code == 410
    assert BeautifulSoup(again.text, "html.parser").h1.text.strip()


async def test_made_up_token_is_refused(client):
    response = await client.get("/en/confirm-email/not-a-real-token")
    assert response.status_code == 404
    assert "This link is not valid" in response.text


async def test_a_token_is_used_at_most_once_under_concurrency(client):
    from pb.accounts.actions import confirm_email

    await submit(client, "/en/register", NEW)
    token = link_in((await outbox_messages())[0]["body"]).rsplit("/", 1)[1]
    results = await asyncio.gather(*(confirm_email(token) for _ in range(10)))
    assert sum(result is None for result in results) == 1
    assert {result.reason for result in results if result} == {"used"}


async def test_password_reset_journey(client):
    await make_user(email="sam@example.org", password="old password 123")
    response = await submit(client, "/en/password-reset", {"email": "sam@example.org"})
    assert response.status_code == 303
    path = link_in((await outbox_messages())[0]["body"])
    assert path.startswith("/en/password-reset/")

    mismatch = await submit(client, path, {"password": "brand new password", "password_confirm": "nope"})
    assert mismatch.status_code == 422
    assert "The passwords do not match" in mismatch.text

    done = await submit(client, path, {"password": "brand new password", "password_confirm": "brand new password"})
    assert done.status_code == 303
    assert (await client.get(path)).status_code == 410  # single use
    bad = await submit(client, "/en/sign-in", {"email": "sam@example.org", "password": "old password 123"})
    assert bad.status_code == 422
    await sign_in(client, "sam@example.org", "brand new password")


async def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = await submit(client, "/en/password-reset", {"email": "nobody@example.org"})
    assert response.status_code == 303
    assert response.headers["location"] == "/en/password-reset/sent"
    assert await outbox_messages() == []


async def test_change_password(client):
    await make_user()
    await sign_in(client)
    wrong = await submit(
        client,
        "/en/account/password",
        {"current_password": "nope nope nope", "password": "another long one", "password_confirm": "another long one"},
    )
    assert wrong.status_code == 422
    assert "Your current password is not right" in wrong.text
    ok = await submit(
        client,
        "/en/account/password",
        {"current_password": "correct horse battery", "password": "another long one", "password_confirm": "another long one"},
    )
    assert ok.status_code == 303
    await submit(client, "/en/account", {}, action="/en/sign-out")
    await sign_in(client, password="another long one")


async def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client):
    await make_user()
    response = await submit(client, "/en/sign-in", {"email": "sam@example.org", "password": "wrong password"})
    assert response.status_code == 422
    unknown = await submit(client, "/en/sign-in", {"email": "nobody@example.org", "password": "wrong password"})
    assert "The email address or password is not right" in response.text
    assert "The email address or password is not right" in unknown.text


async def test_twenty_wrong_passwords_in_a_row_are_throttled(client):
    await make_user()
    statuses = []
    for _ in range(20):
        response = await submit(client, "/en/sign-in", {"email": "sam@example.org", "password": "wrong password"})
        statuses.append(response.status_code)
    assert statuses[:10] == [422] * 10
    assert statuses[10:] == [429] * 10
    assert "Too many failed attempts to sign in" in response.text
    # Even the right password is refused while the account is throttled.
    right = await submit(client, "/en/sign-in", {"email": "sam@example.org", "password": "correct horse battery"})
    assert right.status_code == 429


async def test_sign_in_returns_to_the_page_asked_for(client):
    await make_user()
    redirect = await client.get("/en/account")
    assert redirect.status_code == 303
    assert redirect.headers["location"] == "/en/sign-in?next=%2Fen%2Faccount"
    page = await client.get(redirect.headers["location"])
    assert 'value="/en/account"' in page.text
    response = await submit(
        client, "/en/sign-in", {"email": "sam@example.org", "password": "correct horse battery", "next": "/en/account"}
    )
    assert response.headers["location"] == "/en/account"
    evil = await submit(
        client, "/en/sign-in", {"email": "sam@example.org", "password": "correct horse battery", "next": "//evil.example"}
    )
    assert evil.headers["location"] == "/en/"


async def test_language_preference_can_be_changed(client):
    await make_user()
    await sign_in(client)
    response = await submit(client, "/en/account", {"language": "cy"}, action="/en/account/language")
    assert response.headers["location"] == "/cy/account?changed=1"
    assert (await User.select(User.language).first())["language"] == "cy"


async def test_a_password_reset_signs_out_every_other_session(client, app):
    await make_user(email="sam@example.org", password="old password 123")
    await sign_in(client, "sam@example.org", "old password 123")
    assert (await client.get("/en/account")).status_code == 200
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as other:
        await submit(other, "/en/password-reset", {"email": "sam@example.org"})
        path = link_in((await outbox_messages())[0]["body"])
        done = await submit(other, path, {"password": "brand new password", "password_confirm": "brand new password"})
        assert done.status_code == 303
    response = await client.get("/en/account")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/en/sign-in")
    assert response.headers["set-cookie"].startswith("pb_session=;")  # the stale session is dropped
    await sign_in(client, "sam@example.org", "brand new password")
    assert (await client.get("/en/account")).status_code == 200


async def test_a_password_change_keeps_this_session_and_ends_the_others(client, app):
    await make_user()
    await sign_in(client)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as other:
        await sign_in(other)
        before = client.cookies.get("pb_session")
        changed = await submit(
            client,
            "/en/account/password",
            {"current_password": "correct horse battery", "password": "another long one", "password_confirm": "another long one"},
        )
        assert changed.status_code == 303
        assert client.cookies.get("pb_session") != before  # rotated
        assert (await client.get("/en/account")).status_code == 200
        assert (await other.get("/en/account")).status_code == 303
    stale = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    async with stale:
        stale.cookies.set("pb_session", before)
        assert (await stale.get("/en/account")).status_code == 303


async def test_wrong_current_passwords_are_throttled_like_sign_ins(client):
    await make_user()
    await sign_in(client)
    statuses = []
    for _ in range(12):
        response = await submit(
            client,
            "/en/account/password",
            {"current_password": "not my password", "password": "another long one", "password_confirm": "another long one"},
        )
        statuses.append(response.status_code)
    assert statuses == [422] * 10 + [429] * 2  # the same limit as sign-in, for this account from this address
    assert "Too many failed attempts" in response.text
    right = await submit(
        client,
        "/en/account/password",
        {"current_password": "correct horse battery", "password": "another long one", "password_confirm": "another long one"},
    )
    assert right.status_code == 429  # from this address, even the right one waits
    from pb.accounts.passwords import verify_password

    assert await verify_password((await User.select(User.password_hash).first())["password_hash"], "correct horse battery")


async def test_registering_one_address_ten_times_at_once_makes_one_account():
    from pb.accounts.actions import register

    results = await asyncio.gather(
        *(register("Ceri", "ceri@example.org", "a long password", "cy") for _ in range(10)), return_exceptions=True
    )
    assert results == [None] * 10
    assert await User.count().where(User.email == "ceri@example.org") == 1
    subjects = [m["subject"] for m in await outbox_messages()]
    assert subjects.count(t("cy", "Confirm your email address")) == 1
    assert len(subjects) <= 3  # and the owner is not flooded (see the mail limit)
