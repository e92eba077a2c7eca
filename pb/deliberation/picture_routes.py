"""A session's picture, set by its facilitator or an officer: shown on the session's page and beside
it in the list of sessions.

Mounted under /{lang}: GET and POST /{lang}/manage/sessions/{id}/picture, POST .../picture/remove."""

from __future__ import annotations

from litestar import Request, Router, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pb import images
from pb.deliberation import actions
from pb.deliberation.manage import managed_session
from pb.web.auth import facilitator, signed_in_id
from pb.web.forms import see_other
from pb.web.pictures import MAX_REQUEST, picture_page, read_picture_form
from pb.web.templating import N_, path_to


def _picture_page(request: Request, row: dict, values: dict, errors: dict, status: int = 200) -> Template:
    lang = request.path_params["lang"]
    return picture_page(
        request,
        heading=N_("Picture of the session"),
        item_title={"text": row[f"title_{lang}"], "lang": lang},
        routes="deliberation",
        back="deliberation.session_day",
        params={"session_id": row["id"]},
        image=images.picture_of(row),
        languages=["cy", "en"],  # a session's title and description are in both languages
        values=values,
        errors=errors,
        status=status,
    )


@get("/manage/sessions/{session_id:int}/picture", name="deliberation.picture_form")
async def picture_form(request: Request, session_id: FromPath[int]) -> Template:
    row = await managed_session(request, session_id)
    return _picture_page(request, row, {"alt_en": row["picture_alt_en"], "alt_cy": row["picture_alt_cy"]}, {})


@post("/manage/sessions/{session_id:int}/picture", name="deliberation.save_picture", request_max_body_size=MAX_REQUEST)
async def save_picture(request: Request, lang: FromPath[str], session_id: FromPath[int]) -> Template | Redirect:
    row = await managed_session(request, session_id)
    sent = await read_picture_form(request, ["cy", "en"], bool(row["picture_full"]))
    if sent.errors:
        return _picture_page(request, row, sent.values, sent.errors, status=422)
    await actions.set_picture(signed_in_id(request), session_id, sent.files, sent.values["alt_en"], sent.values["alt_cy"])
    return see_other(path_to(request, "deliberation.session_day", lang=lang, session_id=session_id) + "?saved=picture")


@post("/manage/sessions/{session_id:int}/picture/remove", name="deliberation.remove_picture")
async def remove_picture(request: Request, lang: FromPath[str], session_id: FromPath[int]) -> Redirect:
    await managed_session(request, session_id)
    await actions.remove_picture(signed_in_id(request), session_id)
    return see_other(path_to(request, "deliberation.session_day", lang=lang, session_id=session_id) + "?saved=picture_removed")


route_handlers = [Router(path="/", guards=[facilitator], route_handlers=[picture_form, save_picture, remove_picture])]
