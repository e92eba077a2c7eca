"""Facilitators' pages: their sessions and what to prepare for, scheduling, the page for the day
(attendance, agenda, recording outcomes, publishing) and the printable pack. Mounted under
"/{lang}"; every route needs the facilitator role (admins pass), and each session can be managed
only by its own facilitator or an admin (rules.may_manage)."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import Request, Router, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pb.deliberation import actions, queries, rules
from pb.fields import is_digits
from pb.rounds.tables import Round
from pb.web.auth import facilitator, roles_of, signed_in_id
from pb.web.forms import read_form, read_list, see_other
from pb.web.templating import N_, page, path_to


def _now() -> datetime:
    return datetime.now(UTC)


def _actor(request: Request) -> int:
    return signed_in_id(request)


async def managed_session(request: Request, session_id: int) -> dict:
    """The session, when the viewer runs it (its facilitator) or is an officer; else 404 or 403."""
    row = await queries.get_session(session_id)
    if row is None:
        raise NotFoundException()
    if not rules.may_manage(_actor(request), roles_of(request), row):
        raise PermissionDeniedException()
    return row


def _problem(request: Request, row: dict, message: str) -> Template:
    return page(request, "deliberation/manage/problem.html", status_code=409, session=row, problem=message)


def _not_recording(request: Request, row: dict) -> Template | None:
    """The 409 page when attendance and outcomes cannot be recorded now, else None."""
    if rules.recording_open(row, _now()):
        return None
    if row["outcomes_published_at"] is not None:
        return _problem(request, row, N_("The outcomes of this session have been published, so they can no longer be changed."))
    if row["status"] != "scheduled":
        return _problem(request, row, N_("This session was cancelled."))
    return _problem(request, row, N_("You can record attendance and outcomes from the day of the session."))


# Facilitators' overview ------------------------------------------------------------------------


@get("/manage/sessions", name="deliberation.dashboard")
async def dashboard(request: Request) -> Template:
    roles = roles_of(request)
    upcoming, past = await queries.facilitator_sessions(_actor(request), "admin" in roles, _now())

    voting = await Round.select(Round.id, Round.title_en, Round.title_cy).where(Round.phase == "voting").order_by(Round.id)
    return page(
        request,
        "deliberation/manage/dashboard.html",
        upcoming=upcoming,
        past=past,
        undiscussed=await queries.undiscussed_proposals(_now()),
        everyone="admin" in roles,
        voting=voting,
    )


# Scheduling ------------------------------------------------------------------------------------


async def _form_page(
    request: Request, row: dict | None, values: dict, errors: dict, features: list[str], status_code: int = 200
) -> Template:
    return page(
        request,
        "deliberation/manage/form.html",
        status_code=status_code,
        session=row,
        values=values,
        errors=errors,
        selected_features=features,
        choices=await queries.form_choices(),
    )


@get("/manage/sessions/new", name="deliberation.new_session")
async def new_session(request: Request) -> Template:
    values = {
        "format": "in_person",
        "language_mode": "bilingual",
        "capacity": "20",
        "round": request.query_params.get("round", ""),
    }
    return await _form_page(request, None, values, {}, ["step_free"])


@post("/manage/sessions/new", name="deliberation.create_session")
async def create_session(request: Request, lang: FromPath[str]) -> Template | Redirect:
    form = await read_form(request)
    features = await read_list(request, "features")
    choices = await queries.form_choices()
    values, errors = rules.validate_session(form, features, choices["round_ids"], choices["area_rounds"])
    if errors:
        return await _form_page(request, None, form, errors, features, status_code=422)
    session_id = await actions.save_session(_actor(request), None, values)
    return see_other(path_to(request, "deliberation.session_day", lang=lang, session_id=session_id) + "?saved=created")


@get("/manage/sessions/{session_id:int}/edit", name="deliberation.edit_session")
async def edit_session(request: Request, session_id: FromPath[int]) -> Template:
    row = await managed_session(request, session_id)
    if not rules.may_edit_plan(row):
        return _problem(request, row, N_("This session can no longer be changed."))
    return await _form_page(request, row, rules.form_values(row), {}, [f for f in rules.FEATURES if row[f]])


@post("/manage/sessions/{session_id:int}/edit", name="deliberation.update_session")
async def update_session(request: Request, lang: FromPath[str], session_id: FromPath[int]) -> Template | Redirect:
    row = await managed_session(request, session_id)
    form = await read_form(request)
    features = await read_list(request, "features")
    choices = await queries.form_choices()
    values, errors = rules.validate_session(
        form, features, choices["round_ids"], choices["area_rounds"], registered=row["registered"]
    )
    if not errors:
        try:
            await actions.save_session(_actor(request), session_id, values)
        except actions.NotAllowed as problem:
            errors = {"form": str(problem)}
        else:
            return see_other(path_to(request, "deliberation.session_day", lang=lang, session_id=session_id) + "?saved=plan")
    return await _form_page(request, row, form, errors, features, status_code=422)


@get("/manage/sessions/{session_id:int}/cancel", name="deliberation.confirm_cancel_session")
async def confirm_cancel_session(request: Request, session_id: FromPath[int]) -> Template:
    row = await managed_session(request, session_id)
    if not rules.may_edit_plan(row):
        return _problem(request, row, N_("This session can no longer be cancelled."))
    return page(request, "deliberation/manage/cancel.html", session=row, values={}, errors={})


@post("/manage/sessions/{session_id:int}/cancel", name="deliberation.cancel_session")
async def cancel_session(request: Request, lang: FromPath[str], session_id: FromPath[int]) -> Template | Redirect:
    row = await managed_session(request, session_id)
    form = await read_form(request)
    values, errors = rules.validate_cancellation(form)
    if not errors:
        try:
            await actions.cancel_session(_actor(request), session_id, values["reason_en"], values["reason_cy"])
        except actions.NotAllowed as problem:
            errors = {"form": str(problem)}
        else:
            return see_other(path_to(request, "deliberation.session_day", lang=lang, session_id=session_id) + "?saved=cancelled")
    return page(request, "deliberation/manage/cancel.html", status_code=422, session=row, values=form, errors=errors)


# The page for the day --------------------------------------------------------------------------


@get("/manage/sessions/{session_id:int}", name="deliberation.session_day")
async def session_day(request: Request, session_id: FromPath[int]) -> Template:
    row = await managed_session(request, session_id)
    registrations = await queries.registrations_for_facilitator(session_id)
    outcomes = queries.split_outcomes(await queries.outcomes(session_id))
    now = _now()
    return page(
        request,
        "deliberation/manage/session.html",
        session=row,
        registrations=registrations,
        access=rules.access_summary(registrations),
        agenda=await queries.agenda(session_id),
        outcomes=outcomes,
        recording=rules.recording_open(row, now),
        may_edit=rules.may_edit_plan(row),
        problems=rules.publication_problems(row, outcomes["summary"], now),
        attended=sum(1 for r in registrations if r["attended"]),
        saved=request.query_params.get("saved"),
    )


@get("/manage/sessions/{session_id:int}/registrations", name="deliberation.registrations")
async def registrations(request: Request, session_id: FromPath[int]) -> Template:
    row = await managed_session(request, session_id)
    found = await queries.registrations_for_facilitator(session_id)
    return page(
        request, "deliberation/manage/registrations.html", session=row, registrations=found, access=rules.access_summary(found)
    )


@get("/manage/sessions/{session_id:int}/agenda", name="deliberation.agenda_form")
async def agenda_form(request: Request, session_id: FromPath[int]) -> Template:
    row = await managed_session(request, session_id)
    if not rules.may_edit_plan(row):
        return _problem(request, row, N_("This session can no longer be changed."))
    chosen = [str(p["id"]) for p in await queries.agenda(session_id)]
    return page(
        request,
        "deliberation/manage/agenda.html",
        session=row,
        candidates=await queries.candidates(row),
        chosen=chosen,
        errors={},
    )


@post("/manage/sessions/{session_id:int}/agenda", name="deliberation.save_agenda")
async def save_agenda(request: Request, lang: FromPath[str], session_id: FromPath[int]) -> Template | Redirect:
    row = await managed_session(request, session_id)
    chosen = await read_list(request, "proposals")
    candidates = await queries.candidates(row)
    allowed = [p["id"] for p in candidates]
    wanted = {int(value) for value in chosen if is_digits(value)}
    if wanted - set(allowed) or len(wanted) != len(set(chosen)):
        return page(
            request,
            "deliberation/manage/agenda.html",
            status_code=422,
            session=row,
            candidates=candidates,
            chosen=chosen,
            errors={"proposals": N_("Choose proposals from the list")},
        )
    try:
        await actions.set_agenda(_actor(request), session_id, [p for p in allowed if p in wanted])
    except actions.NotAllowed as problem:
        return _problem(request, row, str(problem))
    return see_other(path_to(request, "deliberation.session_day", lang=lang, session_id=session_id) + "?saved=agenda#agenda")


@get("/manage/sessions/{session_id:int}/attendance", name="deliberation.attendance_form")
async def attendance_form(request: Request, session_id: FromPath[int]) -> Template:
    row = await managed_session(request, session_id)
    if problem := _not_recording(request, row):
        return problem
    found = [r for r in await queries.registrations_for_facilitator(session_id) if r["status"] == "registered"]
    values = {"attendance_count": "" if row["attendance_count"] is None else str(row["attendance_count"])}
    return page(
        request,
        "deliberation/manage/attendance.html",
        session=row,
        registrations=found,
        values=values,
        ticked=[str(r["id"]) for r in found if r["attended"]],
        errors={},
    )


@post("/manage/sessions/{session_id:int}/attendance", name="deliberation.save_attendance")
async def save_attendance(request: Request, lang: FromPath[str], session_id: FromPath[int]) -> Template | Redirect:
    row = await managed_session(request, session_id)
    if problem := _not_recording(request, row):
        return problem
    form = await read_form(request)
    ticked = await read_list(request, "attended")
    found = [r for r in await queries.registrations_for_facilitator(session_id) if r["status"] == "registered"]
    values, errors = rules.validate_attendance(form, ticked, {r["id"] for r in found})
    if not errors:
        try:
            await actions.record_attendance(_actor(request), session_id, values["attendance_count"], values["attended"])
        except actions.NotAllowed as problem:
            return _problem(request, row, str(problem))
        return see_other(
            path_to(request, "deliberation.session_day", lang=lang, session_id=session_id) + "?saved=attendance#attendance"
        )
    return page(
        request,
        "deliberation/manage/attendance.html",
        status_code=422,
        session=row,
        registrations=found,
        values=form,
        ticked=ticked,
        errors=errors,
    )


# Outcomes --------------------------------------------------------------------------------------


async def _outcome_page(
    request: Request, row: dict, outcome: dict | None, values: dict, linked: list[str], errors: dict, status_code: int = 200
) -> Template:
    return await _recording_form(request, "outcome_form", row, outcome, values, errors, status_code, linked=linked)


async def _recording_form(
    request: Request, form: str, row: dict, outcome: dict | None, values: dict, errors: dict, status_code: int, **context
) -> Template:
    """A form recording what a session produced (an outcome or a prioritisation), beside its agenda."""
    return page(
        request,
        f"deliberation/manage/{form}.html",
        status_code=status_code,
        session=row,
        outcome=outcome,
        values=values,
        errors=errors,
        agenda=await queries.agenda(row["id"]),
        **context,
    )


@get("/manage/sessions/{session_id:int}/outcomes/new", name="deliberation.new_outcome")
async def new_outcome(request: Request, session_id: FromPath[int]) -> Template:
    row = await managed_session(request, session_id)
    if problem := _not_recording(request, row):
        return problem
    kind = request.query_params.get("kind")
    return await _outcome_page(request, row, None, {"kind": kind if kind in ("theme", "recommendation") else ""}, [], {})


@post("/manage/sessions/{session_id:int}/outcomes/new", name="deliberation.add_outcome")
async def add_outcome(request: Request, lang: FromPath[str], session_id: FromPath[int]) -> Template | Redirect:
    return await _save_outcome(request, lang, session_id, None)


async def _managed_outcome(request: Request, session_id: int, outcome_id: int) -> tuple[dict, dict]:
    row = await managed_session(request, session_id)
    outcome = await queries.get_outcome(outcome_id)
    if outcome is None or outcome["session"] != session_id or outcome["kind"] == "summary":
        raise NotFoundException()
    return row, outcome


@get(
    "/manage/sessions/{session_id:int}/outcomes/{outcome_id:int}/edit",
    name="deliberation.edit_outcome",
)
async def edit_outcome(request: Request, session_id: FromPath[int], outcome_id: FromPath[int]) -> Template:
    row, outcome = await _managed_outcome(request, session_id, outcome_id)
    if problem := _not_recording(request, row):
        return problem
    if outcome["kind"] == "prioritisation":
        values = {
            "method": outcome["method"],
            "body_en": outcome["body_en"],
            "body_cy": outcome["body_cy"],
            "participants": "" if outcome["participants"] is None else str(outcome["participants"]),
            **{f"tally-{link['proposal']}": str(link["tally"]) for link in outcome["links"]},
        }
        return await _prioritisation_page(request, row, outcome, values, {})
    return await _outcome_page(request, row, outcome, outcome, [str(link["proposal"]) for link in outcome["links"]], {})


@post(
    "/manage/sessions/{session_id:int}/outcomes/{outcome_id:int}/edit",
    name="deliberation.update_outcome",
)
async def update_outcome(
    request: Request, lang: FromPath[str], session_id: FromPath[int], outcome_id: FromPath[int]
) -> Template | Redirect:
    row, outcome = await _managed_outcome(request, session_id, outcome_id)
    if outcome["kind"] == "prioritisation":
        return await _save_prioritisation(request, lang, row, outcome)
    return await _save_outcome(request, lang, session_id, outcome)


async def _save_outcome(request: Request, lang: str, session_id: int, outcome: dict | None) -> Template | Redirect:
    row = await managed_session(request, session_id)
    if problem := _not_recording(request, row):
        return problem
    form = await read_form(request)
    linked = await read_list(request, "proposals")
    agenda = await queries.agenda(session_id)
    values, errors = rules.validate_outcome(form, linked, {p["id"] for p in agenda})
    if not errors:
        try:
            if outcome is None:
                outcome_id = await actions.add_outcome(_actor(request), session_id, values)
            else:
                outcome_id = outcome["id"]
                await actions.update_outcome(_actor(request), outcome_id, values)
        except actions.NotAllowed as problem:
            return _problem(request, row, str(problem))
        return see_other(
            path_to(request, "deliberation.session_day", lang=lang, session_id=session_id)
            + f"?saved=outcome#outcome-{outcome_id}"
        )
    return await _outcome_page(request, row, outcome, form, linked, errors, status_code=422)


async def _prioritisation_page(
    request: Request, row: dict, outcome: dict | None, values: dict, errors: dict, status_code: int = 200
) -> Template:
    return await _recording_form(request, "prioritisation_form", row, outcome, values, errors, status_code)


@get("/manage/sessions/{session_id:int}/prioritisation/new", name="deliberation.new_prioritisation")
async def new_prioritisation(request: Request, session_id: FromPath[int]) -> Template:
    row = await managed_session(request, session_id)
    if problem := _not_recording(request, row):
        return problem
    return await _prioritisation_page(request, row, None, {"method": "dots"}, {})


@post("/manage/sessions/{session_id:int}/prioritisation/new", name="deliberation.add_prioritisation")
async def add_prioritisation(request: Request, lang: FromPath[str], session_id: FromPath[int]) -> Template | Redirect:
    row = await managed_session(request, session_id)
    return await _save_prioritisation(request, lang, row, None)


async def _save_prioritisation(request: Request, lang: str, row: dict, outcome: dict | None) -> Template | Redirect:
    if problem := _not_recording(request, row):
        return problem
    form = await read_form(request)
    agenda = await queries.agenda(row["id"])
    values, errors = rules.validate_prioritisation(form, [p["id"] for p in agenda])
    if not errors:
        try:
            if outcome is None:
                outcome_id = await actions.add_outcome(_actor(request), row["id"], values)
            else:
                outcome_id = outcome["id"]
                await actions.update_outcome(_actor(request), outcome_id, values)
        except actions.NotAllowed as problem:
            return _problem(request, row, str(problem))
        return see_other(
            path_to(request, "deliberation.session_day", lang=lang, session_id=row["id"]) + f"?saved=outcome#outcome-{outcome_id}"
        )
    return await _prioritisation_page(request, row, outcome, form, errors, status_code=422)


@get(
    "/manage/sessions/{session_id:int}/outcomes/{outcome_id:int}/delete",
    name="deliberation.confirm_delete_outcome",
)
async def confirm_delete_outcome(request: Request, session_id: FromPath[int], outcome_id: FromPath[int]) -> Template:
    row, outcome = await _managed_outcome(request, session_id, outcome_id)
    if problem := _not_recording(request, row):
        return problem
    return page(request, "deliberation/manage/delete_outcome.html", session=row, outcome=outcome)


@post(
    "/manage/sessions/{session_id:int}/outcomes/{outcome_id:int}/delete",
    name="deliberation.delete_outcome",
)
async def delete_outcome(
    request: Request, lang: FromPath[str], session_id: FromPath[int], outcome_id: FromPath[int]
) -> Template | Redirect:
    row, outcome = await _managed_outcome(request, session_id, outcome_id)
    await read_form(request)
    try:
        await actions.delete_outcome(_actor(request), outcome_id)
    except actions.NotAllowed as problem:
        return _problem(request, row, str(problem))
    return see_other(path_to(request, "deliberation.session_day", lang=lang, session_id=session_id) + "?saved=deleted#outcomes")


@get("/manage/sessions/{session_id:int}/summary", name="deliberation.summary_form")
async def summary_form(request: Request, session_id: FromPath[int]) -> Template:
    row = await managed_session(request, session_id)
    if problem := _not_recording(request, row):
        return problem
    summary = queries.split_outcomes(await queries.outcomes(session_id))["summary"] or {}
    values = {"summary_en": summary.get("body_en", ""), "summary_cy": summary.get("body_cy", "")}
    return page(request, "deliberation/manage/summary.html", session=row, values=values, errors={})


@post("/manage/sessions/{session_id:int}/summary", name="deliberation.save_summary")
async def save_summary(request: Request, lang: FromPath[str], session_id: FromPath[int]) -> Template | Redirect:
    row = await managed_session(request, session_id)
    if problem := _not_recording(request, row):
        return problem
    form = await read_form(request)
    values, errors = rules.validate_summary(form)
    if not errors:
        try:
            await actions.save_summary(_actor(request), session_id, values)
        except actions.NotAllowed as problem:
            return _problem(request, row, str(problem))
        return see_other(
            path_to(request, "deliberation.session_day", lang=lang, session_id=session_id) + "?saved=summary#summary"
        )
    return page(request, "deliberation/manage/summary.html", status_code=422, session=row, values=form, errors=errors)


@get("/manage/sessions/{session_id:int}/publish", name="deliberation.confirm_publish")
async def confirm_publish(request: Request, session_id: FromPath[int]) -> Template:
    row = await managed_session(request, session_id)
    outcomes = queries.split_outcomes(await queries.outcomes(session_id))
    return page(
        request,
        "deliberation/manage/publish.html",
        session=row,
        outcomes=outcomes,
        agenda=await queries.agenda(session_id),
        problems=rules.publication_problems(row, outcomes["summary"], _now()),
        errors={},
    )


@post("/manage/sessions/{session_id:int}/publish", name="deliberation.publish")
async def publish(request: Request, lang: FromPath[str], session_id: FromPath[int]) -> Template | Redirect:
    row = await managed_session(request, session_id)
    form = await read_form(request)
    errors = {} if form.get("confirm") == "yes" else {"confirm": N_("Confirm that the outcomes are ready to publish")}
    if not errors:
        try:
            await actions.publish(_actor(request), session_id)
        except actions.NotAllowed as problem:
            errors = {"form": str(problem)}
        else:
            return see_other(path_to(request, "deliberation.session_day", lang=lang, session_id=session_id) + "?saved=published")
    outcomes = queries.split_outcomes(await queries.outcomes(session_id))
    return page(
        request,
        "deliberation/manage/publish.html",
        status_code=422,
        session=row,
        outcomes=outcomes,
        agenda=await queries.agenda(session_id),
        problems=rules.publication_problems(row, outcomes["summary"], _now()),
        errors=errors,
    )


@get("/manage/sessions/{session_id:int}/pack", name="deliberation.pack")
async def pack(request: Request, session_id: FromPath[int]) -> Template:
    row = await managed_session(request, session_id)
    registered = [r for r in await queries.registrations_for_facilitator(session_id) if r["status"] == "registered"]
    return page(
        request,
        "deliberation/pack.html",
        session=row,
        agenda=await queries.agenda(session_id),
        registrations=registered,
        blank_rows=range(max(5, min(20, row["capacity"] - len(registered)))),
    )


# Every page here is for one audience: the guard is on the router, not on each handler.
route_handlers = [
    Router(
        path="/",
        guards=[facilitator],
        route_handlers=[
            dashboard,
            new_session,
            create_session,
            edit_session,
            update_session,
            confirm_cancel_session,
            cancel_session,
            session_day,
            registrations,
            agenda_form,
            save_agenda,
            attendance_form,
            save_attendance,
            new_outcome,
            add_outcome,
            edit_outcome,
            update_outcome,
            new_prioritisation,
            add_prioritisation,
            confirm_delete_outcome,
            delete_outcome,
            summary_form,
            save_summary,
            confirm_publish,
            publish,
            pack,
        ],
    )
]
