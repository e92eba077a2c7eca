"""Appeal pages: a person appeals a decision; moderators see open appeals and decide them.
Mounted under "/{lang}". Handlers stay thin: appeal_rules validate, appeals write."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import Request, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pb.accounts.guards import signed_in
from pb.moderation import appeal_rules, appeals, rules
from pb.web.auth import moderator, signed_in_id
from pb.web.forms import read_form, see_other
from pb.web.templating import page, path_to


async def _appeal_page(request: Request, decision_id: int, values: dict, errors: dict, status_code: int = 200) -> Template:
    context = await appeals.decision_context(decision_id)
    if context is None:
        raise NotFoundException()
    user_id = signed_in_id(request)
    role = appeals.role_in(user_id, context)
    previous = await appeals.own_appeal(user_id, decision_id)
    if role is None and previous is None:
        raise PermissionDeniedException()  # not theirs to appeal
    decided_at = context["decision"]["at"]
    return page(
        request,
        "moderation/appeal_new.html",
        status_code=status_code,
        context=context,
        decision=context["decision"],
        target=context["target"],
        role=role,
        previous=previous,
        in_time=appeal_rules.in_time(decided_at, datetime.now(UTC)),
        deadline=appeal_rules.deadline(decided_at),
        values=values,
        errors=errors,
        reasons=rules.REASONS,
        laws=rules.LAWS,
        grounds=rules.GROUNDS,
        days=rules.APPEAL_DAYS,
        appealed=bool(request.query_params.get("appealed")),
    )


@get("/appeals/new/{decision_id:int}", guards=[signed_in], name="moderation_appeal")
async def appeal_form(request: Request, decision_id: FromPath[int]) -> Template:
    return await _appeal_page(request, decision_id, values={}, errors={})


@post("/appeals/new/{decision_id:int}", guards=[signed_in], name="moderation.appeal")
async def appeal(request: Request, lang: FromPath[str], decision_id: FromPath[int]) -> Template | Redirect:
    form = await read_form(request)
    values, errors = appeal_rules.validate_appeal(form)
    if errors:
        return await _appeal_page(request, decision_id, values=form, errors=errors, status_code=422)
    try:
        await appeals.appeal(signed_in_id(request), decision_id, values["reason"])
    except (appeals.TooLate, appeals.AlreadyAppealed) as problem:
        # The page then says the time has passed, or shows the appeal already made, instead of the form.
        return await _appeal_page(request, decision_id, values=form, errors={}, status_code=problem.status_code)
    return see_other(path_to(request, "moderation_appeal", lang=lang, decision_id=decision_id) + "?appealed=1")


@get("/moderation/appeals", guards=[moderator], name="moderation_appeals")
async def appeal_queue(request: Request) -> Template:
    decided = bool(request.query_params.get("decided"))
    return page(request, "moderation/appeal_queue.html", items=await appeals.open_appeals(), decided=decided)


async def _decide_page(request: Request, appeal_id: int, values: dict, errors: dict, status_code: int = 200) -> Template:
    context = await appeals.appeal_context(appeal_id)
    if context is None:
        raise NotFoundException()
    row = context["appeal"]
    may_decide = appeal_rules.can_decide_appeal(
        signed_in_id(request),
        context["decision"]["moderator_id"],
        row["appellant"],
        context["target"]["author"],
        context["all_reporter_ids"],
    )
    return page(
        request,
        "moderation/appeal_decide.html",
        status_code=status_code,
        context=context,
        appeal=row,
        decision=context["decision"],
        target=context["target"],
        may_decide=may_decide,
        values=values,
        errors=errors,
        outcomes=appeal_rules.OUTCOMES,
        reasons=rules.REASONS,
        laws=rules.LAWS,
        grounds=rules.GROUNDS,
    )


@get("/moderation/appeals/{appeal_id:int}", guards=[moderator], name="moderation_appeal_item")
async def decide_form(request: Request, appeal_id: FromPath[int]) -> Template:
    return await _decide_page(request, appeal_id, values={}, errors={})


@post("/moderation/appeals/{appeal_id:int}", guards=[moderator], name="moderation.decide_appeal")
async def decide(request: Request, lang: FromPath[str], appeal_id: FromPath[int]) -> Template | Redirect:
    context = await appeals.appeal_context(appeal_id)
    if context is None:
        raise NotFoundException()
    if not appeal_rules.can_decide_appeal(
        signed_in_id(request),
        context["decision"]["moderator_id"],
        context["appeal"]["appellant"],
        context["target"]["author"],
        context["all_reporter_ids"],
    ):
        raise PermissionDeniedException()  # self-review
    form = await read_form(request)
    values, errors = appeal_rules.validate_appeal_decision(form)
    if errors:
        return await _decide_page(request, appeal_id, values=form, errors=errors, status_code=422)
    await appeals.decide_appeal(signed_in_id(request), appeal_id, values["outcome"], values["outcome_reason"])
    return see_other(path_to(request, "moderation_appeals", lang=lang) + "?decided=1")


route_handlers = [appeal_form, appeal, appeal_queue, decide_form, decide]
