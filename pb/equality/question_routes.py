"""Officers choose which equality questions the council asks (all are asked unless switched off).

Mounted under /{lang}: GET and POST /{lang}/manage/equality-questions."""

from __future__ import annotations

from litestar import Request, Router, get, post
from litestar.response import Redirect, Template

from pb.equality import actions, answers, questions
from pb.i18n import N_
from pb.web.auth import officer, signed_in_id
from pb.web.forms import read_list, see_other
from pb.web.templating import page, path_to, request_language


async def _page(request: Request, asked: set[str], errors: dict, saved: bool = False) -> Template:
    return page(
        request,
        "equality/questions_asked.html",
        status_code=422 if errors else 200,
        questions=questions.QUESTIONS,
        asked=asked,
        errors=errors,
        saved=saved,
    )


@get("/manage/equality-questions", name="equality.questions_asked")
async def questions_asked(request: Request) -> Template:
    off = await answers.switched_off()
    keys = {question.key for question in questions.QUESTIONS}
    return await _page(request, keys - off, {}, saved=request.query_params.get("saved") == "1")


@post("/manage/equality-questions", name="equality.save_questions_asked")
async def save_questions_asked(request: Request) -> Template | Redirect:
    chosen = await read_list(request, "asked")
    keys = {question.key for question in questions.QUESTIONS}
    if any(key not in keys for key in chosen):
        return await _page(request, {key for key in chosen if key in keys}, {"asked": N_("Choose from the questions listed")})
    await actions.set_questions_asked(signed_in_id(request), keys - set(chosen))
    return see_other(path_to(request, "equality.questions_asked", lang=request_language(request)) + "?saved=1")


route_handlers = [Router(path="/", guards=[officer], route_handlers=[questions_asked, save_questions_asked])]
