"""A round's picture, set by officers: shown on the round's page and beside it in the list of rounds.

Mounted under /{lang}: GET and POST /{lang}/manage/rounds/{id}/picture, POST .../picture/remove."""

from __future__ import annotations

from litestar import Request, Router, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pb import images
from pb.rounds import actions
from pb.rounds.manage import managed_round
from pb.web.auth import officer, signed_in_id
from pb.web.forms import see_other
from pb.web.pictures import MAX_REQUEST, picture_page, read_picture_form
from pb.web.templating import N_, path_to


def _picture_page(request: Request, row: dict, values: dict, errors: dict, status: int = 200) -> Template:
    lang = request.path_params["lang"]
    return picture_page(
        request,
        heading=N_("Picture of the round"),
        item_title={"text": row[f"title_{lang}"], "lang": lang},
        routes="rounds",
        back="rounds.manage_round",
        params={"round_id": row["id"]},
        image=images.picture_of(row),
        languages=["cy", "en"],  # a round is always written in both
        values=values,
        errors=errors,
        status=status,
    )


@get("/manage/rounds/{round_id:int}/picture", name="rounds.picture_form")
async def picture_form(request: Request, round_id: FromPath[int]) -> Template:
    row = await managed_round(round_id)
    return _picture_page(request, row, {"alt_en": row["picture_alt_en"], "alt_cy": row["picture_alt_cy"]}, {})


@post("/manage/rounds/{round_id:int}/picture", name="rounds.save_picture", request_max_body_size=MAX_REQUEST)
async def save_picture(request: Request, lang: FromPath[str], round_id: FromPath[int]) -> Template | Redirect:
    row = await managed_round(round_id)
    sent = await read_picture_form(request, ["cy", "en"], bool(row["picture_full"]))
    if sent.errors:
        return _picture_page(request, row, sent.values, sent.errors, status=422)
    await actions.set_picture(signed_in_id(request), round_id, sent.files, sent.values["alt_en"], sent.values["alt_cy"])
    return see_other(path_to(request, "rounds.manage_round", lang=lang, round_id=round_id) + "?picture=saved")


@post("/manage/rounds/{round_id:int}/picture/remove", name="rounds.remove_picture")
async def remove_picture(request: Request, lang: FromPath[str], round_id: FromPath[int]) -> Redirect:
    await managed_round(round_id)
    await actions.remove_picture(signed_in_id(request), round_id)
    return see_other(path_to(request, "rounds.manage_round", lang=lang, round_id=round_id) + "?picture=removed")


route_handlers = [Router(path="/", guards=[officer], route_handlers=[picture_form, save_picture, remove_picture])]
