"""The optional equality questionnaire, as the GOV.UK "Equality information" pattern asks: first
whether the person wants to answer and why we ask; then age (which decides whether the questions
for people 16 and over are asked); then the rest, each with "Prefer not to say". Nothing is stored
until "Send answers"; leaving at any point sends nothing.

The invitation travels only in form fields (POST), never in a URL. Each page also answers GET with
the explanation of what is asked and why (so the language switch and a reload land somewhere).
Mounted under /{lang}.
"""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Template

from pb.equality import answers, invitations, questions
from pb.i18n import N_, tc
from pb.rounds.queries import today
from pb.rounds.tables import Round
from pb.web.forms import read_form, read_list
from pb.web.templating import page, request_language


async def _about(request: Request, problem: str = "", status_code: int = 200) -> Template:
    off = await answers.switched_off()
    return page(
        request,
        "equality/about.html",
        status_code=status_code,
        problem=problem,
        questions=[question for question in questions.QUESTIONS if question.key not in off],
        not_say=questions.NOT_SAY_LABEL,
    )


@get("/equality", name="equality.about")
async def about(request: Request) -> Template:
    return await _about(request)


async def _invitation(request: Request) -> tuple[invitations.Invitation | None, dict[str, str]]:
    form = await read_form(request)
    return invitations.read(form.get("invitation"), today()), form


async def _round_open(invitation: invitations.Invitation) -> dict | None:
    row = await Round.select(Round.id, Round.title_en, Round.title_cy, Round.phase).where(Round.id == invitation.round_id).first()
    return row if row is not None and row["phase"] in answers.OPEN_PHASES else None


EXPIRED = N_("This invitation to answer the equality questions has expired or is not valid. Nothing was recorded.")
CLOSED = N_("This round has closed, so its equality questions are closed too. Thank you for your time.")


async def _checked(request: Request) -> tuple[invitations.Invitation, dict, dict[str, str]] | Template:
    invitation, form = await _invitation(request)
    if invitation is None:
        return await _about(request, EXPIRED, status_code=400)
    row = await _round_open(invitation)
    if row is None:
        return await _about(request, CLOSED, status_code=409)
    return invitation, row, form


def _step(request: Request, template: str, form: dict[str, str], round_row: dict, **context) -> Template:
    return page(
        request,
        template,
        status_code=422 if context.get("errors") else 200,
        invitation=form.get("invitation", ""),
        round=round_row,
        not_say=questions.NOT_SAY_LABEL,
        **context,
    )


def _want_options(request: Request) -> list[tuple[str, str]]:
    lang = request_language(request)
    return [(value, tc(lang, label)) for value, label in questions.WANT_OPTIONS]


@get("/equality/start", name="equality.start_page")
async def start_page(request: Request) -> Template:
    return await _about(request)


@post("/equality/start", name="equality.start")
async def start(request: Request) -> Template:
    checked = await _checked(request)
    if isinstance(checked, Template):
        return checked
    _, row, form = checked
    return _step(request, "equality/start.html", form, row, values={}, errors={}, want_options=_want_options(request))


@get("/equality/want", name="equality.want_page")
async def want_page(request: Request) -> Template:
    return await _about(request)


@post("/equality/want", name="equality.want")
async def want(request: Request) -> Template:
    checked = await _checked(request)
    if isinstance(checked, Template):
        return checked
    invitation, row, form = checked
    choice = form.get("want", "")
    if choice == "no":
        return _step(request, "equality/declined.html", form, row, route=invitation.route)
    if choice != "yes":
        errors = {"want": N_("Select yes if you want to answer the equality questions")}
        return _step(request, "equality/start.html", form, row, values={}, errors=errors, want_options=_want_options(request))
    return _step(request, "equality/age.html", form, row, age=questions.AGE, values={}, errors={})


@get("/equality/age", name="equality.age_page")
async def age_page(request: Request) -> Template:
    return await _about(request)


@post("/equality/age", name="equality.age")
async def age(request: Request) -> Template:
    checked = await _checked(request)
    if isinstance(checked, Template):
        return checked
    _, row, form = checked
    given = form.get("age", "")
    if given and given not in questions.AGE.values:
        errors = {"age": N_("Choose one of the answers listed, or leave the question blank")}
        return _step(request, "equality/age.html", form, row, age=questions.AGE, values={}, errors=errors)
    return await _questions_page(request, form, row, {"age": given}, {})


async def _questions_page(request: Request, form: dict[str, str], row: dict, values: dict, errors: dict) -> Template:
    off = await answers.switched_off()
    asked = [
        question
        for question in questions.QUESTIONS
        if question.key != "age" and questions.asks(question, values.get("age") or None, off)
    ]
    return _step(request, "equality/questions.html", form, row, asked=asked, values=values, errors=errors)


@get("/equality/send", name="equality.send_page")
async def send_page(request: Request) -> Template:
    return await _about(request)


@post("/equality/send", name="equality.send")
async def send(request: Request) -> Template:
    checked = await _checked(request)
    if isinstance(checked, Template):
        return checked
    invitation, row, form = checked
    submitted = {question.key: await read_list(request, question.key) for question in questions.QUESTIONS}
    found, errors = questions.read_answers(submitted, await answers.switched_off())
    if errors:
        # What was chosen is kept: single answers as a value, checkboxes as a list.
        values = questions.kept(submitted)
        return await _questions_page(request, form, row, values, errors)
    try:
        await answers.send_answers(invitation, found)
    except answers.AnswersRefused as refused:
        return _step(request, "equality/thanks.html", form, row, refused=refused.message_id, route=invitation.route, answered=0)
    return _step(request, "equality/thanks.html", form, row, refused="", route=invitation.route, answered=len(found))


route_handlers = [about, start_page, start, want_page, want, age_page, age, send_page, send]
