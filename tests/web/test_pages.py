"""Every public page, in both languages: 200, the language switch, the right lang attribute."""

from datetime import UTC

import pytest
from bs4 import BeautifulSoup

PUBLIC = [
    "/",
    "/accessibility",
    "/privacy",
    "/community-guidelines",
    "/sign-in",
    "/register",
    "/register/check-email",
    "/password-reset",
    "/password-reset/sent",
]


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("path", PUBLIC)
async def test_public_pages_exist_in_both_languages_with_a_switch(client, lang, path):
    response = await client.get(f"/{lang}{path}")
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.html["lang"] == lang
    assert soup.h1 and soup.h1.text.strip()
    other = "cy" if lang == "en" else "en"
    switch = soup.select_one(f'a[hreflang="{other}"][lang="{other}"]')
    assert switch is not None
    assert switch["href"] == f"/{other}{path}"
    assert soup.select_one("a.govuk-skip-link[href='#main-content']")
    assert soup.select_one("main#main-content")
    footer_links = {a["href"] for a in soup.select("footer a")}
    assert {f"/{lang}/accessibility", f"/{lang}/privacy", f"/{lang}/community-guidelines"} <= footer_links


async def test_welsh_and_english_pages_differ(client):
    en = BeautifulSoup((await client.get("/en/accessibility")).text, "html.parser").h1.text
    cy = BeautifulSoup((await client.get("/cy/accessibility")).text, "html.parser").h1.text
    assert en != cy


async def test_switch_keeps_the_query(client):
    soup = BeautifulSoup((await client.get("/en/sign-in?next=%2Fen%2Faccount")).text, "html.parser")
    assert soup.select_one('a[hreflang="cy"]')["href"] == "/cy/sign-in?next=%2Fen%2Faccount"


async def test_root_follows_the_remembered_choice_then_the_browser(client):
    response = await client.get("/", headers={"accept-language": "cy-GB,cy;q=0.9,en;q=0.8"})
    assert response.status_code == 303 and response.headers["location"] == "/cy/"
    await client.get("/en/privacy")  # choosing a language remembers it
    assert client.cookies.get("pb_lang") == "en"
    again = await client.get("/", headers={"accept-language": "cy"})
    assert again.headers["location"] == "/en/"


async def test_no_gov_uk_branding(client):
    html = (await client.get("/en/")).text
    assert "GOV.UK" not in html
    assert "govuk-logo" not in html and "crown" not in html.lower()
    assert "Test County Council" in html
    assert "Cyngor Sir Prawf" in (await client.get("/cy/")).text


@pytest.mark.parametrize("path", ["/en/nothing-here", "/xx/", "/cy/nothing-here"])
async def test_not_found_is_a_page_in_the_right_language(client, path):
    response = await client.get(path)
    assert response.status_code == 404
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.html["lang"] == ("cy" if path.startswith("/cy") else "en")
    assert soup.h1.text.strip()


async def test_method_not_allowed_is_a_page(client):
    from tests.conftest import csrf_from

    token = csrf_from((await client.get("/en/sign-in")).text)
    response = await client.put("/en/privacy", headers={"x-csrftoken": token})  # past CSRF, to a GET-only page
    assert response.status_code == 405
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.html["lang"] == "en"
    assert "That action is not allowed here" in soup.h1.text


async def test_bad_query_value_is_a_400_page_not_a_500(client):
    from tests.conftest import make_user, sign_in

    await make_user(roles={"admin"})
    await sign_in(client)
    response = await client.get("/en/admin/users?page=abc")
    assert response.status_code == 400
    assert BeautifulSoup(response.text, "html.parser").h1


async def test_oversized_body_is_refused_cleanly(client):
    from tests.conftest import csrf_from

    token = csrf_from((await client.get("/en/register")).text)
    response = await client.post(
        "/en/register",
        content=b"a=" + b"x" * 2_000_000,
        headers={"content-type": "application/x-www-form-urlencoded", "x-csrftoken": token},
    )
    assert response.status_code == 413
    assert "What you sent is too large" in BeautifulSoup(response.text, "html.parser").h1.text


def _multipart(fields: dict[str, bytes]) -> tuple[bytes, str]:
    body = b"".join(
        b'--XYZ\r\nContent-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n' + value + b"\r\n"
        for name, value in fields.items()
    )
    return body + b"--XYZ--\r\n", "multipart/form-data; boundary=XYZ"


async def _token(client) -> str:
    from tests.conftest import csrf_from

    return csrf_from((await client.get("/en/sign-in")).text)


def _is_bad_request_page(response) -> bool:
    soup = BeautifulSoup(response.text, "html.parser")
    return response.status_code == 400 and "Sorry, there is a problem with that request" in soup.h1.text


async def test_a_multipart_form_that_is_not_utf8_is_a_400_page(client):
    from tests.conftest import make_user

    await make_user()
    token = await _token(client)
    body, content_type = _multipart({"_csrf_token": token.encode(), "email": b"sam\xff@example.org", "password": b"x" * 12})
    # With the token in the form, Litestar's CSRF check reads the form before any handler ...
    assert _is_bad_request_page(await client.post("/en/sign-in", content=body, headers={"content-type": content_type}))
    # ... with the token in a header, the handler reads it (pb.web.forms).
    response = await client.post("/en/sign-in", content=body, headers={"content-type": content_type, "x-csrftoken": token})
    assert _is_bad_request_page(response)


async def test_a_url_encoded_form_that_is_not_utf8_is_a_400_page(client):
    token = await _token(client)
    for password in (b"abc%FF%FEdefghij", b"abc\xff\xfedefghij"):
        body = b"_csrf_token=" + token.encode() + b"&email=sam%40example.org&password=" + password
        response = await client.post("/en/sign-in", content=body, headers={"content-type": "application/x-www-form-urlencoded"})
        assert _is_bad_request_page(response), password


async def test_utf8_typed_by_people_is_fine(client):
    from urllib.parse import quote

    token = await _token(client)
    password = quote("Siân \ufffd ŵŷ passw0rd")  # as a browser sends it (even a typed U+FFFD)
    body = "_csrf_token=" + token + "&email=si%C3%A2n%40example.org&password=" + password
    response = await client.post(
        "/en/sign-in", content=body.encode(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 422  # no such account: read and checked, not refused
    assert "siân@example.org" in response.text
    body, content_type = _multipart({"_csrf_token": token.encode(), "email": "siân@example.org".encode(), "password": b"x" * 12})
    response = await client.post("/en/sign-in", content=body, headers={"content-type": content_type})
    assert response.status_code == 422


async def test_control_characters_in_a_form_are_a_400_page_not_a_500(client):
    from tests.conftest import make_user, submit

    await make_user()
    for fields in (
        {"email": "sam\x00@example.org", "password": "correct horse battery"},  # was a 500 on PostgreSQL
        {"email": "sam@example.org", "password": "correct horse\x00battery"},  # never silently stripped
        {"email": "sam@example.org\x1b", "password": "whatever password"},
    ):
        response = await submit(client, "/en/sign-in", fields)
        assert _is_bad_request_page(response), fields
    from pb.accounts.tables import SessionRecord

    assert await SessionRecord.count() == 0
    ok = await submit(
        client,
        "/en/register",
        {
            "name": "Ann\tJones",
            "email": "ann@example.org",
            "password": "line one\r\nline two",
            "password_confirm": "line one\r\nline two",
            "language": "en",
        },
    )
    assert ok.status_code == 303  # tab, CR and LF are allowed


async def test_a_nul_in_a_search_is_a_400_page_not_a_500(client):
    from tests.conftest import ENGINE, make_user, sign_in

    await make_user(roles={"admin"})
    await sign_in(client)
    response = await client.get("/en/admin/users?q=a%00b")
    if ENGINE == "postgres":  # PostgreSQL refuses a NUL in text: the client's doing, so a 400
        assert _is_bad_request_page(response)
    else:
        assert response.status_code == 200


async def test_an_unexpected_error_is_logged_without_its_message_or_tokens(client, monkeypatch, caplog):
    from pb.accounts import actions

    detail = "Key (email)=(secret.person@example.org) already exists"

    async def broken(*_args, **_kwargs):
        raise RuntimeError(detail)

    monkeypatch.setattr(actions, "check_token", broken)
    token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abc"
    with caplog.at_level("INFO", logger="pb.errors"):
        response = await client.get(f"/en/password-reset/{token}")
        assert response.status_code == 500
        response = await client.get(f"/cy/confirm-email/{token}")
        assert response.status_code == 500
    records = [r for r in caplog.records if r.name.startswith("pb")]  # not the test client's own log
    logged = "\n".join(r.getMessage() for r in records)
    assert "RuntimeError" in logged
    assert "in reset_form" in logged and "in confirm_email_form" in logged  # the stack is there
    assert "secret.person" not in logged
    assert token not in logged
    assert "/en/password-reset/[redacted]" in logged and "/cy/confirm-email/[redacted]" in logged
    assert records and all(record.exc_info is None for record in records)


def test_redacted_paths():
    from pb.web.errors import redact_path

    assert redact_path("/en/password-reset/sent") == "/en/password-reset/sent"
    assert redact_path("/en/password-reset/abc") == "/en/password-reset/[redacted]"
    assert redact_path("/cy/confirm-email/abc/extra") == "/cy/confirm-email/[redacted]/extra"
    assert redact_path("/en/x/" + "a" * 43) == "/en/x/[redacted]"
    assert redact_path("/en/proposals/12") == "/en/proposals/12"


async def test_a_database_conflict_carries_no_personal_data():
    import pytest

    from pb.accounts.tables import User
    from pb.db import Conflict, transaction
    from tests.conftest import make_user

    await make_user(email="secret.person@example.org")
    with pytest.raises(Conflict) as caught:
        async with transaction():
            await User.insert(User(name="X", email="secret.person@example.org", password_hash="x"))
    assert "secret.person" not in str(caught.value) and "secret.person" not in repr(caught.value)
    assert "email" in str(caught.value)  # the constraint's name (SQLite: pb_user.email; PostgreSQL: pb_user_email_key)


def test_dates_are_the_date_in_wales():
    from datetime import date, datetime

    from pb import i18n

    late = datetime(2027, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 July in London (BST)
    assert i18n.date(late, "en") == "1 July 2027"
    assert i18n.date(late, "cy") == i18n.date(date(2027, 7, 1), "cy")
    assert i18n.date(datetime(2027, 1, 31, 23, 30, tzinfo=UTC), "en") == "31 January 2027"  # GMT in winter
    assert i18n.date(date(2027, 6, 30), "en") == "30 June 2027"


async def test_healthz(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok"


async def test_healthz_is_503_when_the_database_is_down(monkeypatch, client):
    from pb import db

    class Broken:
        async def run_ddl(self, *_):
            raise OSError("connection refused")

    monkeypatch.setattr(db, "engine", lambda: Broken())
    response = await client.get("/healthz")
    assert response.status_code == 503
