"""A proposal's picture: its author (or an officer) adds one, with alt text in each language the
proposal has, replaces it, changes its description or removes it. A plain multipart form; no
JavaScript needed. The picture is checked, turned upright, stripped of metadata and resized by
pb.images before anything is stored.

Mounted under /{lang}: GET and POST /{lang}/proposals/{id}/picture, POST .../picture/remove."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pb.accounts.guards import has_role, signed_in
from pb.proposals import actions, lifecycle, queries, rules
from pb.rounds.routes import public_round
from pb.web.auth import roles_of, signed_in_id
from pb.web.auth import user_id as viewer_id
from pb.web.forms import see_other
from pb.web.pictures import MAX_REQUEST, picture_page, read_picture_form
from pb.web.templating import N_, page, path_to, pick, t


class PictureClosed(Exception):
    """The author may no longer change the proposal (its status or the round's phase)."""

    def __init__(self, row: dict) -> None:
        super().__init__("closed")
        self.row = row


async def _editable(request: Request, proposal_id: int) -> dict:
    """The proposal, when the viewer may change its picture: an officer at any time, its author
    while they may still edit it (as the edit form)."""
    row = await queries.get_proposal(proposal_id)
    if row is None or (row["status"] == "draft" and row["author"] != viewer_id(request)):
        raise NotFoundException()
    row["round_row"] = await public_round(row["round"], request)
    if has_role(roles_of(request), "officer"):
        return row
    if row["author"] != viewer_id(request):
        raise PermissionDeniedException()
    if not lifecycle.author_may_edit(row["status"], row["round_row"]["phase"]):
        raise PictureClosed(row)
    return row


def _closed(request: Request, row: dict) -> Template:
    return page(request, "proposals/closed.html", status_code=409, round=row["round_row"], proposal=row)


def _picture_page(request: Request, row: dict, image: dict | None, values: dict, errors: dict, status: int = 200) -> Template:
    lang = request.path_params["lang"]
    title = pick(row, "title", lang)
    return picture_page(
        request,
        heading=N_("Picture of the proposal"),
        item_title={"text": title["text"] or t(lang, N_("Untitled draft")), "lang": title["lang"]},
        routes="proposals",
        back="proposals.proposal_page",
        params={"proposal_id": row["id"]},
        image=image,
        languages=rules.image_languages(row),
        values=values,
        errors=errors,
        status=status,
    )


@get("/proposals/{proposal_id:int}/picture", name="proposals.picture_form", guards=[signed_in])
async def picture_form(request: Request, proposal_id: FromPath[int]) -> Template:
    try:
        row = await _editable(request, proposal_id)
    except PictureClosed as closed:
        return _closed(request, closed.row)
    image = await queries.image_of(proposal_id)
    values = {"alt_en": image["alt_en"], "alt_cy": image["alt_cy"]} if image else {}
    return _picture_page(request, row, image, values, {})


@post(
    "/proposals/{proposal_id:int}/picture",
    name="proposals.save_picture",
    guards=[signed_in],
    request_max_body_size=MAX_REQUEST,
)
async def save_picture(request: Request, lang: FromPath[str], proposal_id: FromPath[int]) -> Template | Redirect:
    try:
        row = await _editable(request, proposal_id)
    except PictureClosed as closed:
        return _closed(request, closed.row)
    image = await queries.image_of(proposal_id)
    sent = await read_picture_form(request, rules.image_languages(row), image is not None)
    if sent.errors:
        return _picture_page(request, row, image, sent.values, sent.errors, status=422)
    actor = signed_in_id(request)
    if sent.files is not None:
        await actions.set_image(actor, proposal_id, sent.files, sent.values["alt_en"], sent.values["alt_cy"])
    else:
        await actions.set_image_alt(actor, proposal_id, sent.values["alt_en"], sent.values["alt_cy"])
    return see_other(path_to(request, "proposals.proposal_page", lang=lang, proposal_id=proposal_id) + "?picture=saved")


@post("/proposals/{proposal_id:int}/picture/remove", name="proposals.remove_picture", guards=[signed_in])
async def remove_picture(request: Request, lang: FromPath[str], proposal_id: FromPath[int]) -> Template | Redirect:
    try:
        await _editable(request, proposal_id)
    except PictureClosed as closed:
        return _closed(request, closed.row)
    await actions.remove_image(signed_in_id(request), proposal_id)
    return see_other(path_to(request, "proposals.proposal_page", lang=lang, proposal_id=proposal_id) + "?picture=removed")


route_handlers = [picture_form, save_picture, remove_picture]
