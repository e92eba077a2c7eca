"""Moderation pages: report an item, the moderators' queue and deciding on an item (the public
transparency log is in transparency_routes). Mounted under "/{lang}". Handlers stay thin: rules
validate, actions write."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from pb.accounts.guards import signed_in
from pb.accounts.posting import TooMany
from pb.moderation import actions, rules, watch
from pb.web.auth import moderator, signed_in_id
from pb.web.forms import read_form, see_other
from pb.web.params import RequestedPage
from pb.web.templating import page, path_to

PAGE_SIZE = 25


def _user_id(request: Request) -> int:
    return signed_in_id(request)


async def _target(kind: str, target_id: int) -> dict:
    target = await actions.find_target(kind, target_id) if rules.is_kind(kind) else None
    if target is None:
        raise NotFoundException()
    return target


async def _report_page(request: Request, target: dict, values: dict, errors: dict, status_code: int = 200) -> Template:
    previous = None if errors else await actions.own_report(_user_id(request), target["kind"], target["id"])
    return page(
        request,
        "moderation/report.html",
        status_code=status_code,
        target=target,
        values=values,
        errors=errors,
        previous=previous,
        reasons=rules.REASONS,
    )


@get("/report/{kind:str}/{target_id:int}", guards=[signed_in], name="moderation_report")
async def report_form(request: Request, kind: FromPath[str], target_id: FromPath[int]) -> Template:
    return await _report_page(request, await _target(kind, target_id), values={}, errors={})


@post("/report/{kind:str}/{target_id:int}", name="moderation.report", guards=[signed_in])
async def report(request: Request, lang: FromPath[str], kind: FromPath[str], target_id: FromPath[int]) -> Template | Redirect:
    target = await _target(kind, target_id)
    form = await read_form(request)
    values, errors = rules.validate_report(form)
    if errors:
        return await _report_page(request, target, values=form, errors=errors, status_code=422)
    try:
        result = await actions.report(_user_id(request), kind, target_id, values["reason"], values["details"])
    except TooMany as problem:  # beside the reason, keeping what was typed
        return await _report_page(request, target, values=form, errors={"reason": problem.message_id}, status_code=429)
    return see_other(path_to(request, "proposals.proposal_page", lang=lang, proposal_id=result.proposal_id) + "?reported=1")


@get("/moderation", guards=[moderator], name="moderation_queue")
async def moderation_queue(
    request: Request,
    decided: FromQuery[str | None] = None,
    page_number: RequestedPage = 1,
) -> Template:
    items, pager = await actions.queue(page_number, PAGE_SIZE)
    return page(
        request,
        "moderation/queue.html",
        items=items,
        total=pager.total,
        page_number=pager.number,
        pages=pager.pages,
        first=pager.offset,
        decided=bool(decided),
        reasons=rules.REASONS,
    )


async def _decide_page(request: Request, target: dict, values: dict | None, errors: dict, status_code: int = 200) -> Template:
    reports, decisions = await actions.item_history(target["kind"], target["id"])
    if values is None:
        # To start with, the guideline it is hidden under, else the one most open reports name.
        values = {"reason": target["hidden_reason"] or rules.most_reported(r["reason"] for r in reports if r["status"] == "open")}
    values = {"note_language": request.path_params["lang"], **values}
    may_decide = rules.can_decide(_user_id(request), await actions.reporter_ids(target["kind"], target["id"]), target["author"])
    return page(
        request,
        "moderation/decide.html",
        status_code=status_code,
        target=target,
        reports=reports,
        decisions=decisions,
        may_decide=may_decide,
        values=values,
        errors=errors,
        reasons=rules.REASONS,
        grounds=rules.GROUNDS,
        laws=rules.LAWS,
        matched=await watch.matched_in(target) if target["hidden_reason"] == rules.HELD else [],
    )


@get("/moderation/{kind:str}/{target_id:int}", guards=[moderator], name="moderation_item")
async def decide_form(request: Request, kind: FromPath[str], target_id: FromPath[int]) -> Template:
    return await _decide_page(request, await _target(kind, target_id), values=None, errors={})


@post("/moderation/{kind:str}/{target_id:int}", name="moderation.decide", guards=[moderator])
async def decide(request: Request, lang: FromPath[str], kind: FromPath[str], target_id: FromPath[int]) -> Template | Redirect:
    target = await _target(kind, target_id)
    if not rules.can_decide(_user_id(request), await actions.reporter_ids(kind, target_id), target["author"]):
        raise PermissionDeniedException()  # their own content, or they reported it
    form = await read_form(request)
    values, errors = rules.validate_decision(form, lang)
    if errors:
        return await _decide_page(request, target, values=form, errors=errors, status_code=422)
    # A refusal (gone meanwhile, or not theirs to decide) is the translated error page with its status.
    await actions.decide(
        _user_id(request),
        kind,
        target_id,
        values["action"],
        values["reason"],
        values["explanation"],
        facts=values["facts"],
        ground=values["ground"],
        law=values["law"],
        public_note=values["public_note"],
        note_language=values["note_language"],
    )
    return see_other(path_to(request, "moderation_queue", lang=lang) + "?decided=1")


route_handlers = [report_form, report, moderation_queue, decide_form, decide]
