"""Staff enter the equality slips torn off paper ballots, one after another, as they open a box.

Each form carries a fresh one-use invitation for a paper slip, so a double click or a resent form
enters a slip once. The area is read off the slip. Mounted under /{lang}; facilitators and officers.
"""

from __future__ import annotations

from litestar import Request, Router, get, post
from litestar.params import FromPath
from litestar.response import Template

from pb.equality import answers, invitations, questions
from pb.fields import parse_id
from pb.i18n import N_
from pb.rounds import queries
from pb.rounds.manage import managed_round
from pb.web.auth import staff
from pb.web.forms import read_form, read_list
from pb.web.templating import page


async def _slip_page(
    request: Request, round_id: int, values: dict, errors: dict, entered: bool = False, problem: str = ""
) -> Template:
    row = await managed_round(round_id)
    off = await answers.switched_off()
    return page(
        request,
        "equality/slips.html",
        status_code=422 if errors else (409 if problem else 200),
        round=row,
        areas=await queries.areas_of(round_id),
        asked=[question for question in questions.QUESTIONS if question.key not in off],
        invitation=invitations.invite(round_id, None, "paper", queries.today()),
        values=values,
        errors=errors,
        entered=entered,
        problem=problem,
        open=row["phase"] in answers.OPEN_PHASES,
        waiting=await answers.waiting(round_id),
        not_say=questions.NOT_SAY_LABEL,
    )


ALREADY_ENTERED = N_("This slip has already been entered (the form was sent twice). Enter the next slip.")


@get("/manage/rounds/{round_id:int}/equality-slips", name="equality.slips")
async def slips(request: Request, round_id: FromPath[int]) -> Template:
    return await _slip_page(request, round_id, {}, {})


@post("/manage/rounds/{round_id:int}/equality-slips", name="equality.enter_slip")
async def enter_slip(request: Request, round_id: FromPath[int]) -> Template:
    await managed_round(round_id)
    form = await read_form(request)
    submitted = {question.key: await read_list(request, question.key) for question in questions.QUESTIONS}
    values: dict = questions.kept(submitted)
    values["area"] = form.get("area", "")
    found, errors = questions.read_answers(submitted, await answers.switched_off())
    area_ids = {area["id"] for area in await queries.areas_of(round_id)}
    area_id = parse_id(form.get("area"))
    if area_id not in area_ids:
        errors = {"area": N_("Select the area written on the slip"), **errors}
    invitation = invitations.read(form.get("invitation"), queries.today())
    if invitation is None or invitation.round_id != round_id or invitation.route != "paper":
        return await _slip_page(request, round_id, values, {}, problem=N_("The form had expired. Enter the slip again."))
    if errors:
        return await _slip_page(request, round_id, values, errors)
    try:
        await answers.send_answers(invitation, found, area_id=area_id)
    except answers.AnswersRefused as refused:
        problem = ALREADY_ENTERED if refused.message_id == answers.ALREADY_SENT else refused.message_id
        return await _slip_page(request, round_id, {"area": values["area"]}, {}, problem=problem)
    # The next slip: the area stays chosen, the answers are cleared.
    return await _slip_page(request, round_id, {"area": values["area"]}, {}, entered=True)


route_handlers = [Router(path="/", guards=[staff], route_handlers=[slips, enter_slip])]
