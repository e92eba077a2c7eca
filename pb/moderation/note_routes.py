"""Information from the council: the public list of council notes, and the officer's pages to add
one beside a proposal or comment and to withdraw one. Mounted under "/{lang}". Handlers stay thin:
note_rules validates, notes writes."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pb.moderation import note_rules, notes, rules
from pb.web.auth import officer, signed_in_id
from pb.web.forms import read_form, see_other
from pb.web.params import RequestedPage
from pb.web.templating import page, path_to

PAGE_SIZE = 25


@get("/council-notes", name="moderation_council_notes")
async def council_notes(request: Request, page_number: RequestedPage = 1) -> Template:
    found, pager = await notes.public_list(page_number, PAGE_SIZE)
    return page(
        request,
        "moderation/note_list.html",
        notes=found,
        page_number=pager.number,
        pages=pager.pages,
        total=pager.total,
        done=request.query_params.get("done", ""),
    )


async def _public_target(kind: str, target_id: int) -> dict:
    target = await notes.public_target(kind, target_id) if rules.is_kind(kind) else None
    if target is None:
        raise NotFoundException()  # a draft, hidden or held item gets no note
    return target


def _form_page(request: Request, target: dict, values: dict, errors: dict, status_code: int = 200) -> Template:
    return page(request, "moderation/note_new.html", status_code=status_code, target=target, values=values, errors=errors)


@get("/council-notes/new/{kind:str}/{target_id:int}", guards=[officer], name="moderation_council_note_form")
async def note_form(request: Request, kind: FromPath[str], target_id: FromPath[int]) -> Template:
    return _form_page(request, await _public_target(kind, target_id), values={}, errors={})


@post("/council-notes/new/{kind:str}/{target_id:int}", guards=[officer], name="moderation.add_council_note")
async def add_note(request: Request, lang: FromPath[str], kind: FromPath[str], target_id: FromPath[int]) -> Template | Redirect:
    target = await _public_target(kind, target_id)
    form = await read_form(request)
    values, errors = note_rules.validate_note(form)
    if errors:
        return _form_page(request, target, values=form, errors=errors, status_code=422)
    # A refusal (hidden meanwhile, or no longer an officer) is the translated error page with its status.
    await notes.add_note(signed_in_id(request), kind, target_id, values)
    return see_other(path_to(request, "moderation_council_notes", lang=lang) + "?done=added")


async def _note(note_id: int) -> dict:
    row = await notes.note_by_id(note_id)
    if row is None:
        raise NotFoundException()
    return row


@get("/council-notes/{note_id:int}/withdraw", guards=[officer], name="moderation_council_note_withdraw_form")
async def withdraw_form(request: Request, note_id: FromPath[int]) -> Template:
    return page(request, "moderation/note_withdraw.html", note=await _note(note_id))


@post("/council-notes/{note_id:int}/withdraw", guards=[officer], name="moderation.withdraw_council_note")
async def withdraw(request: Request, lang: FromPath[str], note_id: FromPath[int]) -> Redirect:
    await _note(note_id)
    await notes.withdraw_note(signed_in_id(request), note_id)
    return see_other(path_to(request, "moderation_council_notes", lang=lang) + "?done=withdrawn")


route_handlers = [council_notes, note_form, add_note, withdraw_form, withdraw]
