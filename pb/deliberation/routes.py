"""Public and residents' session pages: the listing, each session (with its published outcomes),
its calendar file, registering (for yourself or someone you care for), cancelling, and your
sessions. Mounted under "/{lang}". Handlers stay thin: rules validate, actions write."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pb.accounts.guards import has_role, signed_in
from pb.config import get_settings
from pb.db import Conflict
from pb.deliberation import actions, ics, queries, rules
from pb.equality import answers as equality
from pb.equality import handover
from pb.web.auth import roles_of, signed_in_id
from pb.web.auth import user_id as viewer_id  # None when signed out
from pb.web.forms import read_form, read_list, see_other
from pb.web.templating import N_, page, path_to, pick, t, wants_fragment


def _now() -> datetime:
    return datetime.now(UTC)


async def _session(session_id: int) -> dict:
    row = await queries.get_session(session_id)
    if row is None:
        raise NotFoundException()
    return row


@get("/sessions", name="deliberation.session_list")
async def session_list(request: Request) -> Template:
    areas = await queries.filter_areas()
    params = dict(request.query_params)
    filters = rules.parse_filters(params, request.query_params.getall("access", []), {a["id"] for a in areas})
    rows, page_number, pages, total = await queries.listing(filters, _now())
    context: dict[str, Any] = dict(sessions=rows, filters=filters, areas=areas, page_number=page_number, pages=pages, total=total)
    if wants_fragment(request, "session-results"):
        return page(request, "deliberation/_results.html", **context)
    return page(request, "deliberation/list.html", **context)


async def _session_page(request: Request, row: dict, status_code: int = 200, **extra) -> Template:
    user_id = viewer_id(request)
    roles = roles_of(request)
    mine = await queries.person_registrations(row["id"], user_id)
    for registration in mine:
        registration["position"] = await queries.waiting_position(registration) if registration["status"] == "waiting" else None
    published = row["outcomes_published_at"] is not None
    outcomes = queries.split_outcomes(await queries.outcomes(row["id"])) if published else None
    managing = rules.may_manage(user_id, roles, row)
    return page(
        request,
        "deliberation/session.html",
        status_code=status_code,
        session=row,
        agenda=await queries.agenda(row["id"]),
        outcomes=outcomes,
        mine=mine,
        may_register=rules.registration_open(row, _now()),
        show_link=managing or any(r["status"] == "registered" for r in mine),
        may_manage=managing,
        is_officer=has_role(roles, "officer"),
        **extra,
    )


@get("/sessions/{session_id:int}", name="deliberation.session_page")
async def session_page(request: Request, session_id: FromPath[int]) -> Template:
    row = await _session(session_id)
    done = request.query_params.get("registered")
    shown = await _session_page(
        request,
        row,
        registered=done if done in ("registered", "waiting") else None,
        cancelled=bool(request.query_params.get("cancelled")),
        invitation=handover.offered(request, row["round"]) if row["round"] is not None else "",
    )
    return handover.taken(request, shown)


@get("/sessions/{session_id:int}/calendar.ics", name="deliberation.calendar_file", media_type="text/calendar")
async def calendar_file(request: Request, lang: FromPath[str], session_id: FromPath[int]) -> Response:
    row = await _session(session_id)
    settings = get_settings()
    host = urlsplit(settings.base_url).hostname or "pb"
    url = f"{settings.base_url}/{lang}/sessions/{session_id}"
    description = pick(row, "description", lang)["text"]
    if row["format"] in ("online", "hybrid"):
        description += "\n\n" + t(lang, N_("The link to join online is in the email confirming your place."))
    location = {"online": t(lang, N_("Online")), "hybrid": t(lang, N_("%(place)s, or online"), place=row["venue"])}.get(
        row["format"], row["venue"]
    )
    body = ics.calendar(
        [
            {
                "uid": f"session-{session_id}@{host}",
                "sequence": row["sequence"],
                "starts_at": row["starts_at"],
                "ends_at": row["ends_at"],
                "summary": pick(row, "title", lang)["text"],
                "description": f"{description}\n\n{url}",
                "location": location,
                "url": url,
                "cancelled": row["status"] == "cancelled",
            }
        ],
        stamp=_now(),
    )
    return Response(
        body.encode("utf-8"),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="session-{session_id}.ics"'},
    )


async def _register_page(
    request: Request, row: dict, values: dict, errors: dict, needs: list[str], status_code: int = 200
) -> Template:
    mine = await queries.person_registrations(row["id"], viewer_id(request))
    return page(
        request,
        "deliberation/register.html",
        status_code=status_code,
        session=row,
        values=values,
        errors=errors,
        selected_needs=needs,
        self_registered=any(not r["attendee_name"] for r in mine),
    )


@get("/sessions/{session_id:int}/register", name="deliberation.register_form", guards=[signed_in])
async def register_form(request: Request, session_id: FromPath[int]) -> Template:
    row = await _session(session_id)
    if not rules.registration_open(row, _now()):
        return page(request, "deliberation/closed.html", status_code=409, session=row)
    mine = await queries.person_registrations(row["id"], viewer_id(request))
    default = "someone" if any(not r["attendee_name"] for r in mine) else "me"
    return await _register_page(request, row, {"for_whom": default}, {}, [])


@post("/sessions/{session_id:int}/register", name="deliberation.register", guards=[signed_in])
async def register(request: Request, lang: FromPath[str], session_id: FromPath[int]) -> Template | Redirect:
    row = await _session(session_id)
    form = await read_form(request)
    needs = await read_list(request, "needs")
    values, errors = rules.validate_registration(form, needs)
    if not errors:
        try:
            result = await actions.register(signed_in_id(request), session_id, values)
        except actions.NotAllowed as problem:
            errors = {"form": str(problem)}
        except Conflict:
            errors = {"form": N_("You have already registered for this session")}
        else:
            shown = see_other(
                path_to(request, "deliberation.session_page", lang=lang, session_id=session_id)
                + f"?registered={result['status']}#your-place"
            )
            if row["round"] is not None:  # invited to the equality questions (once per round, however they take part)
                person = f"user:{signed_in_id(request)}"
                handover.hand_over(shown, await equality.invite_once(row["round"], row["area"], "session", person))
            return shown
    return await _register_page(request, row, form, errors, values.get("needs", []), status_code=422)


async def _own_registration(request: Request, registration_id: int) -> tuple[dict, dict]:
    registration = await queries.get_registration(registration_id)
    if registration is None or registration["user"] != viewer_id(request) or registration["status"] == "cancelled":
        raise NotFoundException()
    return registration, await _session(registration["session"])


@get("/registrations/{registration_id:int}/cancel", name="deliberation.confirm_cancel", guards=[signed_in])
async def confirm_cancel(request: Request, registration_id: FromPath[int]) -> Template:
    registration, row = await _own_registration(request, registration_id)
    return page(request, "deliberation/cancel_registration.html", registration=registration, session=row, errors={})


@post("/registrations/{registration_id:int}/cancel", name="deliberation.cancel", guards=[signed_in])
async def cancel(request: Request, lang: FromPath[str], registration_id: FromPath[int]) -> Template | Redirect:
    registration, row = await _own_registration(request, registration_id)
    await read_form(request)
    try:
        await actions.cancel_registration(signed_in_id(request), registration_id)
    except actions.NotAllowed as problem:
        return page(
            request,
            "deliberation/cancel_registration.html",
            status_code=409,
            registration=registration,
            session=row,
            errors={"form": str(problem)},
        )
    return see_other(path_to(request, "deliberation.session_page", lang=lang, session_id=row["id"]) + "?cancelled=1")


@get("/your-sessions", name="deliberation.your_sessions", guards=[signed_in])
async def your_sessions(request: Request) -> Template:
    rows = await queries.registrations_of(signed_in_id(request))
    now = _now()
    return page(
        request,
        "deliberation/yours.html",
        upcoming=[r for r in rows if r["session_row"]["ends_at"] >= now][::-1],
        past=[r for r in rows if r["session_row"]["ends_at"] < now],
    )


route_handlers = [session_list, session_page, calendar_file, register_form, register, confirm_cancel, cancel, your_sessions]
