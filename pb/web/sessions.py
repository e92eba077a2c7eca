"""Server-side sessions shared by every worker, with the id rotated at sign-in and sign-out.

Litestar's session middleware keeps a client-supplied id, so pb has its own: the cookie holds a
random id; the store keeps the data under a keyed hash of that id (a database dump holds no live
session ids). The store is the database by default (pb.accounts.sessions), Redis when PB_REDIS_URL is set.

Handlers read and write `request.session` as usual; `rotate_session(request)` asks for a fresh id.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from pb.security import keyed_hash, new_token

ROTATE_FLAG = "pb.rotate_session"
# Where a store that reads the signed-in person with the session (the database store) leaves their
# rows for pb.accounts.guards, so that "who is asking" costs one query, not two.
PERSON_ROWS = "pb.person_rows"
SESSION_TTL = timedelta(hours=12)


class SessionStore(Protocol):
    async def load(self, key: str) -> dict[str, Any] | None: ...
    async def save(self, key: str, data: dict[str, Any], ttl: timedelta) -> None: ...
    async def delete(self, key: str) -> None: ...


class RedisSessionStore:
    def __init__(self, url: str) -> None:
        from redis.asyncio import Redis

        self.redis = Redis.from_url(url)

    async def load(self, key: str) -> dict[str, Any] | None:
        raw = await self.redis.get(f"pb:session:{key}")
        return json.loads(raw) if raw else None

    async def save(self, key: str, data: dict[str, Any], ttl: timedelta) -> None:
        await self.redis.set(f"pb:session:{key}", json.dumps(data), ex=int(ttl.total_seconds()))

    async def delete(self, key: str) -> None:
        await self.redis.delete(f"pb:session:{key}")


def _now() -> datetime:
    return datetime.now(UTC)


def rotate_session(request) -> None:
    """Ask for a new session id at the end of this request (sign-in, sign-out, privilege change)."""
    request.scope[ROTATE_FLAG] = True


def _cookie_value(scope: Scope, name: str) -> str | None:
    """One cookie's value from the request's Cookie headers, read pair by pair as browsers send them
    ("a=1; b=2"). Not http.cookies.SimpleCookie: it gives up on the whole header at the first pair it
    cannot parse (another site's `foo={"a":1}` on a shared domain would sign everyone out). With the
    name twice, the first is taken: browsers send the most specific path first."""
    for header, value in scope.get("headers", []):
        if header != b"cookie":
            continue
        for pair in value.decode("latin-1").split(";"):
            key, sep, cookie = pair.partition("=")
            if sep and key.strip() == name:
                cookie = cookie.strip()
                if len(cookie) >= 2 and cookie[0] == cookie[-1] == '"':
                    cookie = cookie[1:-1]
                return cookie
    return None


class SessionMiddleware:
    """ASGI middleware: loads the session before the handler, saves (or rotates) it after."""

    def __init__(self, app: ASGIApp, store: SessionStore, cookie_name: str, secure: bool) -> None:
        self.app = app
        self.store = store
        self.cookie_name = cookie_name
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session_id = _cookie_value(scope, self.cookie_name)
        if session_id and not (16 <= len(session_id) <= 128):
            session_id = None
        data = None
        if session_id:
            load_signed_in = getattr(self.store, "load_signed_in", None)
            if load_signed_in is not None:
                data, scope[PERSON_ROWS] = await load_signed_in(keyed_hash("session", session_id))  # type: ignore[literal-required]  # pb's own key
            else:
                data = await self.store.load(keyed_hash("session", session_id))
        if data is None:
            session_id = None
        original = json.dumps(data or {}, sort_keys=True)
        scope["session"] = dict(data or {})

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = await self._persist(scope, session_id, original)
                if cookie:
                    message.setdefault("headers", [])
                    message["headers"] = [*message["headers"], (b"set-cookie", cookie.encode("latin-1"))]
            await send(message)

        await self.app(scope, receive, send_wrapper)

    async def _persist(self, scope: Scope, session_id: str | None, original: str) -> str | None:
        session = scope.get("session")  # Empty, None, or the dict the app kept
        current: dict[str, Any] = session if isinstance(session, dict) else {}
        rotate = bool(scope.get(ROTATE_FLAG))
        if not current:
            if session_id:
                await self.store.delete(keyed_hash("session", session_id))
                return self._cookie("", max_age=0)
            return None
        serialised = json.dumps(current, sort_keys=True, default=str)
        if session_id and not rotate and serialised == original:
            return None
        if session_id and rotate:
            await self.store.delete(keyed_hash("session", session_id))
            session_id = None
        new_id = session_id or new_token(32)
        await self.store.save(keyed_hash("session", new_id), json.loads(serialised), SESSION_TTL)
        if new_id == session_id:
            return None
        return self._cookie(new_id, max_age=int(SESSION_TTL.total_seconds()))

    def _cookie(self, value: str, max_age: int) -> str:
        parts = [f"{self.cookie_name}={value}", "Path=/", "HttpOnly", "SameSite=Lax", f"Max-Age={max_age}"]
        if self.secure:
            parts.append("Secure")
        return "; ".join(parts)
