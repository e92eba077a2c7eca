"""Sessions live in a store every worker shares, and the id changes at sign-in and sign-out."""

import httpx
import pytest

from pb.accounts.tables import SessionRecord
from tests.conftest import make_user, sign_in, submit


def session_cookie(client: httpx.AsyncClient) -> str | None:
    return client.cookies.get("pb_session")


async def _sign_in_twice_and_check_the_id_changed(client, app):
    """Sign in as A, keep A's session id, sign in as B in the same browser: the id must change and
    A's old id must no longer sign anyone in (a planted id is not kept past a sign-in)."""
    await make_user(email="a@example.org", name="Ann")
    await make_user(email="b@example.org", name="Bob")
    await sign_in(client, "a@example.org")
    old = session_cookie(client)
    assert old
    await sign_in(client, "b@example.org")
    new = session_cookie(client)
    assert new != old, "the session id was kept across a sign-in"
    assert await SessionRecord.count() == 1
    record = await SessionRecord.select().first()
    assert new not in record["key"] and old not in record["key"]  # only a keyed hash of the id is stored
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as other:
        other.cookies.set("pb_session", old)
        assert (await other.get("/en/account")).status_code == 303, "the old id still signs someone in"
    account = await client.get("/en/account")
    assert account.status_code == 200 and "b@example.org" in account.text


async def test_session_id_changes_at_sign_in(client, app):
    await _sign_in_twice_and_check_the_id_changed(client, app)


async def test_the_sign_in_test_catches_a_missing_rotation(client, app, monkeypatch):
    from pb.web import sessions

    monkeypatch.setattr(sessions, "rotate_session", lambda request: None)
    with pytest.raises(AssertionError, match="session id was kept"):
        await _sign_in_twice_and_check_the_id_changed(client, app)


async def test_an_unparseable_cookie_does_not_hide_the_session(client, app):
    await make_user()
    await sign_in(client)
    session_id = session_cookie(client)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as other:
        for header in (
            f'foo={{"a":1}}; pb_session={session_id}',
            f'pb_session={session_id}; bar="x\\y; z=[1,2]',
            f'x; pb_session="{session_id}"; y=1',
        ):
            response = await other.get("/en/account", headers={"cookie": header})
            assert response.status_code == 200, header
            assert "sam@example.org" in response.text


async def test_session_id_changes_at_sign_out_and_the_old_one_is_dead(client, app):
    await make_user()
    await sign_in(client)
    old = session_cookie(client)
    await submit(client, "/en/account", {}, action="/en/sign-out")
    assert await SessionRecord.count() == 0
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as other:
        other.cookies.set("pb_session", old)
        assert (await other.get("/en/account")).status_code == 303


async def test_a_second_app_instance_sharing_the_store_sees_the_session(client):
    from pb.app import create_app

    await make_user()
    await sign_in(client)
    second = create_app(run_outbox=False)  # another worker: same database, nothing in memory shared
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=second), base_url="http://testserver") as other:
        other.cookies.set("pb_session", session_cookie(client))
        response = await other.get("/en/account")
        assert response.status_code == 200
        assert "sam@example.org" in response.text


async def test_a_forged_session_cookie_is_ignored(client):
    client.cookies.set("pb_session", "x" * 40)
    assert (await client.get("/en/account")).status_code == 303


async def test_redis_store_round_trip():
    from pb.web.sessions import RedisSessionStore

    store = RedisSessionStore("redis://127.0.0.1:6379/15")
    try:
        await store.redis.ping()
    except Exception:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    from datetime import timedelta

    await store.save("k" * 64, {"user_id": 7}, timedelta(seconds=30))
    assert await store.load("k" * 64) == {"user_id": 7}
    await store.delete("k" * 64)
    assert await store.load("k" * 64) is None
    await store.redis.aclose()
