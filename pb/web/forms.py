"""Small helpers for plain HTML forms: read fields, keep what was typed, make safe redirects."""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes, urlsplit

from litestar import Request
from litestar.exceptions import ClientException
from litestar.response import Redirect

from pb.i18n import N_

# C0 control characters other than tab, line feed and carriage return. No one types them; NUL
# cannot even be stored by PostgreSQL. Refused rather than stripped: a password must be taken
# exactly as typed or not at all.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class FormRejected(ClientException):
    """A form pb cannot read: answered with the 400 page. `message_id` says why, for that page."""

    status_code = 400

    def __init__(self, message_id: str) -> None:
        super().__init__(detail="form rejected")
        self.message_id = message_id


UNREADABLE = N_(
    "The form could not be read. It may contain characters that cannot be used. Go back, check what you entered and try again."
)


def _check_urlencoded(body: bytes) -> None:
    """Raise UnicodeDecodeError unless every name and value of a url-encoded body is UTF-8."""
    for pair in body.split(b"&"):
        for part in pair.split(b"=", 1):
            unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")


async def _form(request: Request):
    try:
        form = await request.form()
        if request.content_type[0] == "application/x-www-form-urlencoded":
            # Litestar decodes url-encoded forms leniently: a raw byte above 127 becomes a Latin-1
            # character and bad UTF-8 after a % becomes U+FFFD. Browsers send ASCII with UTF-8
            # %-escapes, so anything else is refused rather than stored garbled.
            body = await request.body()
            if not body.isascii():
                raise FormRejected(UNREADABLE)
            if any("\ufffd" in value for value in form.values() if isinstance(value, str)):
                _check_urlencoded(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormRejected(UNREADABLE) from exc
    for key, value in form.multi_items():
        if CONTROL.search(key) or (isinstance(value, str) and CONTROL.search(value)):
            raise FormRejected(UNREADABLE)
    return form


async def read_form(request: Request) -> dict[str, str]:
    """The form's fields as single strings (the last value wins), ignoring the CSRF token.
    A body that is not UTF-8, or a value with a control character, is a 400 (FormRejected)."""
    form = await _form(request)
    return {key: value for key, value in form.items() if isinstance(value, str) and key != "_csrf_token"}


async def read_list(request: Request, name: str) -> list[str]:
    form = await _form(request)
    return [value for value in form.getall(name) if isinstance(value, str)] if name in form else []


def safe_next(target: str | None, lang: str) -> str:
    """A local path to go to after signing in; anything else becomes the home page."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return f"/{lang}/"


def see_other(path: str) -> Redirect:
    """POST/redirect/GET: a 303 so the browser follows with a GET."""
    return Redirect(path=path, status_code=303)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
