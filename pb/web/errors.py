"""Error pages in the request's language, for every status pb answers with; never a bare 500."""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Redirect

from pb.refusal import Refusal
from pb.web.auth import SignInRequired
from pb.web.templating import page, path_to, request_language

log = logging.getLogger("pb.errors")

KNOWN = {400, 403, 404, 405, 409, 410, 413, 422, 429, 500, 503}

# Path segments that are secrets: the token after these, and anything that looks like a token.
_TOKEN_AFTER = re.compile(r"(/(?:password-reset|confirm-email)/)(?!sent(?:/|$))[^/]+")
_TOKEN_LIKE = re.compile(r"(?<=/)[A-Za-z0-9_-]{24,}(?=/|$)")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def redact_path(path: str) -> str:
    """A request path fit for a log: email tokens (and anything token-shaped) replaced."""
    return _TOKEN_LIKE.sub("[redacted]", _TOKEN_AFTER.sub(r"\1[redacted]", path))


def describe(exc: BaseException) -> str:
    """An exception's type and stack, without its message or any cause's message: messages can carry
    personal data (a database driver's "Key (email)=(someone@example.org) already exists")."""
    parts = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        name = f"{type(current).__module__}.{type(current).__qualname__}"
        frames = "".join(traceback.format_list(traceback.extract_tb(current.__traceback__)))
        parts.append(f"{name} (message withheld)\nTraceback (most recent call last):\n{frames}")
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return "\nwhich was raised while handling\n".join(parts)


def _render(request: Request, status: int, **context) -> Response:
    status_page = status if status in KNOWN else (500 if status >= 500 else 400)
    response = page(request, "errors/error.html", status_code=status, status=status_page, **context)
    return response


def http_error(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if request.url.path.startswith(("/api/", "/static/")):
        return Response({"status": status, "detail": exc.detail}, status_code=status, media_type=MediaType.JSON)
    # `detail` is a message id when pb raised the error itself (pb.web.forms.FormRejected).
    response = _render(request, status, detail=getattr(exc, "message_id", None))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def _bad_request_input(request: Request, exc: Exception) -> bool:
    """Whether an exception is the client's doing: a form body that is not UTF-8 (Litestar's form
    parser raises UnicodeDecodeError, before any handler, when CSRF reads the form), or text
    PostgreSQL cannot store (a NUL character in a search box)."""
    if isinstance(exc, UnicodeDecodeError):
        return request.headers.get("content-type", "").lower().startswith(_FORM_TYPES)
    return type(exc).__name__ in {"CharacterNotInRepertoireError", "UntranslatableCharacterError"}


def server_error(request: Request, exc: Exception) -> Response:
    path = redact_path(request.url.path)
    if _bad_request_input(request, exc):
        log.warning("refused %s on %s %s: input that cannot be read or stored", type(exc).__name__, request.method, path)
        return _render(request, 400)
    log.error("unhandled %s on %s %s\n%s", type(exc).__name__, request.method, path, describe(exc))
    return _render(request, 500)


def refused(request: Request, exc: Refusal) -> Response:
    """A refusal no handler caught: the error page with its message, in the person's language."""
    if request.url.path.startswith("/api/"):
        return Response(
            {"status": exc.status_code, "detail": exc.message_id}, status_code=exc.status_code, media_type=MediaType.JSON
        )
    return _render(request, exc.status_code, detail=exc.message_id, detail_values=exc.values)


def sign_in_required(request: Request, _: SignInRequired) -> Response:
    lang = request_language(request)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(path=path_to(request, "sign_in", lang=lang) + f"?next={quote(target, safe='')}", status_code=303)


exception_handlers: dict[Any, Any] = {
    SignInRequired: sign_in_required,
    Refusal: refused,
    HTTPException: http_error,
    Exception: server_error,
}
