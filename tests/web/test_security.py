"""CSRF on every state change, guards on privileged pages, security headers on every response."""

import pytest

from pb.accounts.tables import User
from tests.conftest import make_user, sign_in, submit

STATE_CHANGING = [
    "/en/register",
    "/en/sign-in",
    "/en/sign-out",
    "/en/password-reset",
    "/en/account/password",
    "/en/admin/users/1/roles",
    "/en/resend-confirmation",
]


@pytest.mark.parametrize("path", STATE_CHANGING)
async def test_a_post_without_a_csrf_token_is_refused(client, path):
    await client.get("/en/sign-in")  # has the CSRF cookie, but sends no token
    response = await client.post(path, data={"email": "a@b.org", "password": "whatever123"})
    assert response.status_code == 403


async def test_a_post_with_a_wrong_csrf_token_is_refused(client):
    await client.get("/en/sign-in")
    response = await client.post("/en/sign-in", data={"_csrf_token": "forged", "email": "a@b.org", "password": "x"})
    assert response.status_code == 403


async def test_csrf_header_works_for_htmx_requests(client):
    from tests.conftest import csrf_from

    token = csrf_from((await client.get("/en/sign-in")).text)
    response = await client.post(
        "/en/sign-in", data={"email": "a@b.org", "password": "whatever123"}, headers={"x-csrftoken": token, "hx-request": "true"}
    )
    assert response.status_code == 422


ADMIN_PAGES = ["/en/admin", "/en/admin/users", "/en/admin/audit", "/en/admin/outbox", "/cy/admin/users"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
async def test_a_resident_cannot_open_admin_pages(client, path):
    await make_user()
    await sign_in(client)
    response = await client.get(path)
    assert response.status_code == 403
    assert "<h1" in response.text


@pytest.mark.parametrize("role", ["facilitator", "moderator", "officer"])
async def test_other_roles_cannot_open_admin_pages_either(client, role):
    await make_user(roles={role})
    await sign_in(client)
    assert (await client.get("/en/admin/users")).status_code == 403


async def test_a_resident_cannot_change_roles(client):
    user_id = await make_user()
    await sign_in(client)
    response = await submit(client, "/en/account", {"roles": "admin"}, action=f"/en/admin/users/{user_id}/roles")
    assert response.status_code == 403
    from pb.accounts.tables import UserRole

    assert {r["role"] for r in await UserRole.select(UserRole.role)} == {"resident"}


async def test_a_visitor_is_sent_to_sign_in(client):
    response = await client.get("/en/admin/users")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/en/sign-in?next=")


@pytest.mark.parametrize("path", ["/en/", "/en/nothing", "/static/pb.css", "/healthz"])
async def test_security_headers_on_every_response(client, path):
    response = await client.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


async def test_pages_have_no_inline_script_or_style(client):
    html = (await client.get("/en/register")).text
    assert "<script>" not in html and "style=" not in html and "<style" not in html
    assert 'src="/static/vendor/htmx-2.0.11.min.js"' in html
    assert "https://" not in html.split("<body")[0]  # nothing from a CDN


async def test_session_cookie_is_httponly_and_lax(client):
    await make_user()
    response = await sign_in(client)
    cookie = [v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("pb_session=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


async def test_production_cookies_are_host_prefixed_and_secure():
    import os

    import httpx

    from pb.app import create_app
    from pb.config import load_settings, set_settings
    from tests.conftest import csrf_from

    settings = load_settings(
        {
            **os.environ,
            "PB_ENV": "production",
            "PB_BASE_URL": "https://pb.example",
            "PB_ARGON2_PROFILE": "standard",
            "PB_SMTP_HOST": "smtp.example",
            "PB_MAIL_FROM": "pb@council.example",
        }
    )
    app = create_app(settings, run_outbox=False)
    try:
        await make_user()  # hashed with the production (standard) argon2 profile
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as http:
            response = await http.get("/en/sign-in")
            cookies = " ".join(v for k, v in response.headers.multi_items() if k == "set-cookie")
            assert "__Host-pb_csrf=" in cookies and "Secure" in cookies
            assert "strict-transport-security" in response.headers
            signed_in = await http.post(
                "/en/sign-in",
                data={"_csrf_token": csrf_from(response.text), "email": "sam@example.org", "password": "correct horse battery"},
            )
            assert signed_in.status_code == 303
            [session] = [v for k, v in signed_in.headers.multi_items() if k == "set-cookie" and "pb_session" in v]
            assert session.startswith("__Host-pb_session=")
            attributes = [part.strip() for part in session.split(";")]
            assert "Secure" in attributes and "HttpOnly" in attributes and "Path=/" in attributes
            assert not any(part.lower().startswith("domain=") for part in attributes)  # __Host- forbids one
            assert (await http.get("/en/account")).status_code == 200
    finally:
        set_settings(load_settings())


async def test_signing_in_and_out_rotates_the_csrf_token():
    import httpx

    from pb.app import create_app

    await make_user()
    app = create_app(run_outbox=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        await http.get("/en/sign-in")
        before = http.cookies.get("pb_csrf")
        await submit(http, "/en/sign-in", {"email": "sam@example.org", "password": "correct horse battery"})
        after = http.cookies.get("pb_csrf")
        assert before and after and before != after
        out = await submit(http, "/en/account", {}, action="/en/sign-out")
        assert out.status_code == 303 and http.cookies.get("pb_csrf") is None


async def test_a_csrf_pair_not_issued_to_the_session_is_refused_once_signed_in(client):
    """Someone who plants their own valid token and cookie in a signed-in browser (a sibling
    subdomain, a shared computer) cannot post as that person: the pair is not the session's."""
    import httpx

    from pb.app import create_app
    from tests.conftest import csrf_from

    await make_user()
    await sign_in(client)
    own = (await client.get("/en/account")).text
    assert (await client.post("/en/account/language", data={"_csrf_token": csrf_from(own), "language": "cy"})).status_code == 303
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(run_outbox=False)), base_url="http://testserver"
    ) as attacker:
        planted = csrf_from((await attacker.get("/en/sign-in")).text)  # a valid pair, the attacker's own
    client.cookies.set("pb_csrf", planted)
    forged = await client.post("/en/account/language", data={"_csrf_token": planted, "language": "en"})
    # Not carried out: the session ends and the person is asked to sign in again.
    assert forged.status_code == 303 and "/en/sign-in" in forged.headers["location"]
    assert (await User.select(User.language).where(User.email == "sam@example.org").first())["language"] == "cy"
    assert (await client.get("/en/account")).status_code == 303  # signed out


async def test_a_browser_restart_keeps_the_bound_csrf_cookie_as_long_as_the_session(client):
    await make_user()
    signed_in = await sign_in(client)
    cookies = [v for k, v in signed_in.headers.multi_items() if k == "set-cookie" and v.startswith("pb_csrf=")]
    assert cookies and "Max-Age=43200" in cookies[0]
