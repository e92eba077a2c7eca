"""Every route, sent what an attacker or a confused keyboard sends, answers without a server error.

With the demo loaded (rounds in every phase, proposals, sessions, decisions, ballots) and signed in
as the demo admin (every role), each route of the app is requested:
- with every integer path parameter replaced by digit-like Unicode, huge, negative and junk values;
- (GET) with those values in every query parameter the handler declares and in the names pages use;
- (POST) with those values in every field of the forms its page shows, with a valid CSRF token.
Anything may be refused (400, 403, 404, 409, 422 …) but nothing may be a 5xx. This is the property
test the structural issue asks for; values that look like digits ("²", "٣", "１") are the ones
`str.isdigit()` lets through and `int()` then rejects.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.routes import HTTPRoute

from pb.fields import parse_date, parse_id, parse_int, parse_pounds
from tests.conftest import csrf_from, restart_ids, sign_in

HOSTILE = [
    "²",  # superscript two: isdigit() is true, int() fails
    "٣",  # Arabic-Indic three: int() accepts it
    "１２",  # full-width digits
    "2147483648",  # one past PostgreSQL's integer
    "99999999999999999999999",
    "-1",
    "0",
    "1e3",
    "1.5",
    " 7 ",
    "",
    "\x00",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "x" * 5000,
]
MISSING_ID = "987654"
# Query names pages read; sent to every GET route whether or not it declares them.
COMMON_QUERY = (
    "page",
    "per_page",
    "area",
    "round",
    "status",
    "theme",
    "sort",
    "q",
    "since",
    "parent",
    "proposal",
    "session",
    "batch",
    "phase",
    "language",
    "format",
    "next",
)
# Routes that end the signed-in session; sweeping them would sign the sweep out.
SKIP_POST = re.compile(r"/(sign-out|sessions/revoke|account/delete)")
FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
NOT_SENT = {"_csrf_token"}


def _routes(app) -> list[tuple[str, dict, set[str], set[str]]]:
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        methods: set[str] = set()
        query: set[str] = set()
        for handler in route.route_handlers:
            methods |= set(handler.http_methods) - {"OPTIONS", "HEAD"}
            for name in handler.parsed_fn_signature.parameters:
                if name not in route.path_parameters and name not in {
                    "request",
                    "data",
                    "state",
                    "scope",
                    "headers",
                    "cookies",
                    "socket",
                }:
                    query.add(name)
        found.append((route.path, route.path_parameters, methods, query))
    return found


def _fill(path: str, params: dict, value: str | None) -> str:
    """The path with `lang` as English and every other parameter as `value` (or 1, a demo id)."""
    for name, definition in params.items():
        if name == "lang":
            text = "en"
        elif value is None:
            text = "1" if definition.type is int else "x"
        else:
            text = value
        path = path.replace("{" + definition.full + "}", text)
    return path


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")


async def _signed_in_as_admin(client) -> str:
    await sign_in(client, email="admin@demo.pb.cymru", password="admin-demo-2026")
    page = await client.get("/en/account")
    assert page.status_code == 200
    return csrf_from(page.text)


async def test_no_route_answers_hostile_input_with_a_server_error(app, client):
    from pb.demo import load_demo

    await restart_ids()  # "1" below is a demo row on both engines, whatever ran before
    await load_demo()
    token = await _signed_in_as_admin(client)
    failures: list[str] = []

    async def check(method: str, url: str, data: dict | None = None) -> None:
        nonlocal token
        if method == "GET":
            response = await client.get(url)
        else:
            response = await client.post(url, data={"_csrf_token": token, **(data or {})})
        if response.status_code >= 500:
            sent = next(iter((data or {}).values()), "")[:12]
            failures.append(f"{method} {url[:160]} {sorted((data or {}).keys())[:6]}={sent!r} -> {response.status_code}")
        if response.status_code in (302, 303) and "sign-in" in response.headers.get("location", ""):
            token = await _signed_in_as_admin(client)

    routes = _routes(app)
    assert len(routes) > 100, "the sweep must see the whole app"
    for path, params, methods, declared in routes:
        if path.startswith("/static"):
            continue
        base = _fill(path, params, None)
        # Beside the hostile values, an id that parses but names nothing: an action that refuses a
        # missing row must answer 404/409, never let its refusal escape as a 500.
        wrong = [*HOSTILE[:9], MISSING_ID]
        variants = [base] + ([_quote(_fill(path, params, value)) for value in wrong] if len(params) > 1 else [])
        for method in sorted(methods):
            if method == "POST" and SKIP_POST.search(path):
                continue
            if method == "GET":
                for url in variants:
                    await check("GET", url)
                names = sorted(declared | set(COMMON_QUERY))
                for value in HOSTILE:
                    await check("GET", base + "?" + urlencode({name: value[:300] for name in names}))
            elif method == "POST":
                page = await client.get(base)
                fields = sorted(set(FIELD.findall(page.text)) - NOT_SENT) if page.status_code == 200 else []
                fields = fields or ["id", "page", "area", "proposal"]
                for url in variants[1:]:
                    await check("POST", url, {})
                for value in HOSTILE:
                    await check("POST", base, {name: value for name in fields})
    assert not failures, "\n".join(failures)


# The form-field layer itself, for any text at all.

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(HOSTILE)


@pytest.mark.pure
@settings(max_examples=500, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXT)
def test_field_parsers_never_raise_and_only_accept_ascii_digits(text):
    for parse in (parse_int, parse_id, parse_pounds, parse_date):
        parse(text)  # never raises
    number = parse_int(text)
    if number is not None:
        assert text.strip().lstrip("+-").isascii() and text.strip().lstrip("+-").isdigit()
    ident = parse_id(text)
    if ident is not None:
        assert 1 <= ident <= 2**31 - 1


# The cases the review named, each on its own so a regression names itself.


async def test_a_digit_like_page_number_is_not_a_server_error(client):
    from tests.conftest import make_round

    round_id, _ = await make_round()
    for page in ("²", "٣", "2147483648", "-1", "0"):
        response = await client.get(f"/en/rounds/{round_id}/proposals", params={"page": page})
        assert response.status_code in (200, 400), (page, response.status_code)


async def test_a_comment_replying_to_an_impossible_parent_is_not_a_server_error(client):
    from tests.conftest import make_proposal, make_round, make_user, submit

    round_id, areas = await make_round()
    author = await make_user()
    proposal_id = await make_proposal(round_id, areas[0], author)
    await sign_in(client)
    for parent in ("2147483648", "99999999999999999999", "²", "-1"):
        response = await submit(
            client, f"/en/proposals/{proposal_id}", {"body": "A reply", "parent": parent}, f"/en/proposals/{proposal_id}/comments"
        )
        assert response.status_code < 500, (parent, response.status_code)
