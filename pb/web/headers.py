"""Security headers on every response, including error pages and static files."""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def security_headers(production: bool):
    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        headers["Content-Security-Policy"] = CSP
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        if production:
            headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        path = scope.get("path", "")
        if path.startswith("/api/"):
            headers["Cache-Control"] = "public, max-age=300"  # open data: public, and cacheable briefly
        elif path.startswith("/media/") and message.get("status") == 200:
            pass  # pictures under content-hash names: cached for a year by pb.web.media
        elif not path.startswith("/static/"):
            # Pages can show personal data and forms; shared computers must not keep them.
            headers["Cache-Control"] = "no-store"
        if path.startswith(("/en/", "/cy/")) and scope.get("method") == "GET":
            lang = path[1:3]
            if f"pb_lang={lang}" not in _cookie_header(scope):
                headers.add(
                    "Set-Cookie", f"pb_lang={lang}; Path=/; Max-Age=31536000; SameSite=Lax" + ("; Secure" if production else "")
                )

    return before_send


def _cookie_header(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            return value.decode("latin-1")
    return ""
