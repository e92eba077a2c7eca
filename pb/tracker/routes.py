"""Public "You said, we did" pages: the tracker, decisions, delivery, and unsubscribing."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from pb.accounts.guards import signed_in
from pb.fields import parse_id
from pb.proposals.actions import set_following
from pb.proposals.rules import THEMES
from pb.rounds.queries import areas_of
from pb.rounds.routes import public_round
from pb.rounds.tables import Area
from pb.tracker import actions, queries, rules
from pb.web.auth import signed_in_id, user_id
from pb.web.forms import read_form, see_other
from pb.web.params import RequestedPage
from pb.web.templating import page, path_to, wants_fragment


@get("/you-said-we-did", name="tracker.tracker")
async def tracker(request: Request) -> Template:
    return page(
        request,
        "tracker/tracker.html",
        round=None,
        figures=await queries.loop_figures(),
        decisions=await queries.decisions(),
        deliveries=await queries.deliveries(),
    )


@get("/rounds/{round_id:int}/you-said-we-did", name="tracker.round_tracker")
async def round_tracker(
    request: Request,
    round_id: FromPath[int],
    area_text: Annotated[str | None, QueryParameter(name="area", max_length=12)] = None,
    theme: Annotated[str | None, QueryParameter(max_length=40)] = None,
    answered: Annotated[str | None, QueryParameter(max_length=10)] = None,
    page_number: RequestedPage = 1,
) -> Template:

    row = await public_round(round_id, request)
    answered_inputs = await queries.answered_inputs()  # read once, for the figures and the list
    figures = await queries.loop_figures(round_id, answered_inputs)
    areas = await areas_of(round_id)
    # A filter naming nothing (an old link, a hand-typed address) is dropped, not refused.
    area_id = parse_id(area_text)  # "" is the filter form's "all areas"
    area = area_id if area_id in {a["id"] for a in areas} else None
    theme = theme if theme in THEMES else ""
    answered = answered if answered in ("yes", "no") else ""
    shown, number, pages, total = await queries.inputs_page(
        round_id, area, theme, answered, page_number, 20, answered_inputs, figures["total"]
    )
    filters = {"area": area or "", "theme": theme, "answered": answered}
    context: dict[str, Any] = dict(
        round=row,
        figures=figures,
        decisions=await queries.decisions(round_id),
        deliveries=await queries.deliveries(round_id),
        areas=areas,
        inputs=shown,
        page_number=number,
        pages=pages,
        total=total,
        filters=filters,
        query="&".join(f"{k}={v}" for k, v in filters.items() if v),
    )
    if wants_fragment(request, "inputs"):
        return page(request, "tracker/_inputs.html", **context)
    return page(request, "tracker/tracker.html", **context)


@get("/decisions/{decision_id:int}", name="tracker.decision_page")
async def decision_page(request: Request, decision_id: FromPath[int]) -> Template:
    return page(request, "tracker/decision.html", **await _decision_context(request, decision_id))


async def _decision_context(request: Request, decision_id: int, **form: Any) -> dict[str, Any]:
    row = await queries.decision(decision_id)
    if row is None or row["status"] != "published":
        raise NotFoundException()  # drafts are for officers only
    links = await queries.links_of(decision_id)
    viewer = user_id(request)
    answering: dict[int, dict] = {}  # for a signed-in person: each response they may answer, with their answer
    if viewer is not None:
        given = await queries.own_feedback(viewer, [link["id"] for link in links])
        for link in links:
            gave, followers = await actions.who_may_answer(link, row["round"])
            if link["id"] in given or rules.may_give_feedback(viewer, gave, followers):
                answering[link["id"]] = {"given": given.get(link["id"])}
    revisions = await queries.revisions(decision_id)  # newest first
    after = row
    for revision in revisions:  # the earlier impact assessment is shown where an edit changed it
        before = revision["before"]
        revision["impact_changed"] = rules.impact_of(before) != rules.impact_of(after)
        revision["had_impact"] = rules.has_impact(before)
        revision["goals"] = rules.goals_of(before.get("wellbeing_goals") or "")
        after = before
    return dict(
        decision=row,
        has_impact=rules.has_impact(row),
        goals=rules.goals_of(row["wellbeing_goals"]),
        wellbeing_goals=rules.WELLBEING_GOALS,
        links=links,
        revisions=revisions,
        answering=answering,
        answered=request.query_params.get("answered", ""),
        feedback_link=form.get("link_id"),
        feedback_values=form.get("values", {}),
        feedback_errors=form.get("errors", {}),
    )


def _link(context: dict[str, Any], link_id: int) -> dict:
    found = next((link for link in context["links"] if link["id"] == link_id), None)
    if found is None:
        raise NotFoundException()
    return found


@post("/decisions/{decision_id:int}/responses/{link_id:int}/feedback", name="tracker.give_feedback", guards=[signed_in])
async def give_feedback(
    request: Request, lang: FromPath[str], decision_id: FromPath[int], link_id: FromPath[int]
) -> Template | Redirect:
    form = await read_form(request)
    values, errors = rules.validate_feedback(form)
    if not errors:
        try:
            await actions.give_feedback(signed_in_id(request), link_id, values["answer"], values["comment"])
        except actions.AlreadyAnswered:
            pass  # answered already (perhaps in another tab): the page shows the answer given
        except actions.TrackerError as problem:
            if problem.status_code in (403, 404):
                raise
            errors = {"answer": str(problem)}
    in_place = wants_fragment(request, f"response-{link_id}")  # htmx: just this response is sent back
    if errors:
        context = await _decision_context(request, decision_id, link_id=link_id, values=form, errors=errors)
        if in_place:  # 200, since htmx swaps in only successful answers; the messages are beside the fields
            return page(request, "tracker/_response.html", link=_link(context, link_id), **context)
        return page(request, "tracker/decision.html", status_code=422, errors=errors, **context)
    if in_place:
        context = await _decision_context(request, decision_id)
        return page(request, "tracker/_response.html", link=_link(context, link_id), **{**context, "answered": str(link_id)})
    return see_other(
        path_to(request, "tracker.decision_page", lang=lang, decision_id=decision_id) + f"?answered={link_id}#response-{link_id}"
    )


@get("/delivery/{delivery_id:int}", name="tracker.delivery_page")
async def delivery_page(request: Request, delivery_id: FromPath[int]) -> Template:
    row = await queries.delivery(delivery_id)
    if row is None:
        raise NotFoundException()
    return page(request, "tracker/delivery.html", delivery=row)


@get("/unsubscribe/{token:str}", name="tracker.unsubscribe_form")
async def unsubscribe_form(request: Request, token: FromPath[str]) -> Template:
    if actions.read_unsubscribe_token(token) is None:
        raise NotFoundException()
    return page(request, "tracker/unsubscribe.html", token=token, done=False)


@post("/unsubscribe/{token:str}", name="tracker.unsubscribe")
async def unsubscribe(request: Request, lang: FromPath[str], token: FromPath[str]) -> Template:
    found = actions.read_unsubscribe_token(token)
    if found is None:
        raise NotFoundException()
    await actions.unsubscribe(*found)
    return page(request, "tracker/unsubscribe.html", token=token, done=True)


@post("/follow/{kind:str}/{target_id:int}", name="tracker.follow", guards=[signed_in])
async def follow(request: Request, lang: FromPath[str], kind: FromPath[str], target_id: FromPath[int]) -> Template | Redirect:
    """Follow (or stop following) a round or an area, to hear of its decisions and delivery."""

    if kind == "round":
        await public_round(target_id, request)
        round_id = target_id
    elif kind == "area":
        area = await Area.select(Area.round).where(Area.id == target_id).first()
        if area is None:
            raise NotFoundException()
        await public_round(area["round"], request)
        round_id = area["round"]
    else:
        raise NotFoundException()
    form = await read_form(request)
    await set_following(signed_in_id(request), kind, target_id, form.get("follow") != "no")
    return see_other(path_to(request, "rounds.round_page", lang=lang, round_id=round_id) + "#follow")


route_handlers = [follow, tracker, round_tracker, decision_page, give_feedback, delivery_page, unsubscribe_form, unsubscribe]
