"""Officers record decisions, link them to community input, publish them, and track delivery."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Request, Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from pb.fields import format_pounds, is_digits, parse_id, parse_pounds
from pb.proposals.tables import Proposal
from pb.rounds import queries as round_queries
from pb.tracker import actions, queries, rules
from pb.tracker.tables import Delivery
from pb.web.auth import officer, signed_in_id
from pb.web.forms import read_form, read_list, see_other
from pb.web.templating import N_, page, path_to


def _uid(request: Request) -> int:
    return signed_in_id(request)


@get("/manage/decisions", name="tracker.decision_list")
async def decision_list(request: Request) -> Template:
    return page(
        request,
        "tracker/manage_decisions.html",
        decisions=await queries.decisions(published_only=False),
        deliveries=await queries.deliveries(),
    )


async def _decision_page(
    request: Request,
    decision_id: int | None,
    status_code: int = 200,
    errors=None,
    values=None,
    link_errors=None,
    link_values=None,
    search: dict[str, str] | None = None,
    goals: list[str] | None = None,
) -> Template:
    row = await queries.decision(decision_id) if decision_id else None
    if decision_id and row is None:
        raise NotFoundException()
    if values is None:
        values = {k: ("" if v is None else str(v)) for k, v in (row or {}).items()}
        values.setdefault("decided_on", date.today().isoformat())
    if goals is None:
        goals = rules.goals_of(row["wellbeing_goals"]) if row else []
    links = await queries.links_of(decision_id) if decision_id else []
    search = search or {"find": "", "kind": "", "area": ""}
    areas = await round_queries.areas_of(row["round"]) if row and row["round"] else []
    area_id = parse_id(search["area"])
    area_id = area_id if any(area["id"] == area_id for area in areas) else None
    found = (
        await queries.find_inputs(
            search["find"], search["kind"] if search["kind"] in rules.INPUT_KINDS else "", row["round"], area_id
        )
        if row
        else []
    )
    return page(
        request,
        "tracker/decision_form.html",
        status_code=status_code,
        decision=row,
        values=values,
        errors=errors or {},
        goals=goals,
        wellbeing_goals=rules.WELLBEING_GOALS,
        links=links,
        linked={(link["input_kind"], link["input_id"]) for link in links},
        search=search,
        areas=areas,
        area_names={area["id"]: area for area in areas},
        found=found,
        link_errors=link_errors or {},
        link_values=link_values or {},
        rounds=await round_queries.all_rounds(),
    )


@get("/manage/decisions/new", name="tracker.new_decision")
async def new_decision(request: Request) -> Template:
    return await _decision_page(request, None)


# The search for the input a decision answers: words, a kind and an area ("" for any).
FindText = Annotated[str, QueryParameter(name="find", max_length=100)]
FindKind = Annotated[str, QueryParameter(name="kind", max_length=20)]
FindArea = Annotated[str, QueryParameter(name="area", max_length=12)]


@get("/manage/decisions/{decision_id:int}", name="tracker.edit_decision")
async def edit_decision(
    request: Request, decision_id: FromPath[int], find: FindText = "", kind: FindKind = "", area: FindArea = ""
) -> Template:
    return await _decision_page(request, decision_id, search={"find": find.strip(), "kind": kind, "area": area})


async def _save(request: Request, lang: str, decision_id: int | None) -> Template | Redirect:
    form = await read_form(request)
    goals = await read_list(request, "wellbeing_goals")
    values, errors = rules.validate_decision(form, goals)
    round_text = form.get("round", "")
    round_id = int(round_text) if is_digits(round_text) and await round_queries.get_round(int(round_text)) else None
    if errors:  # what was ticked is kept, even a goal not on the list (it is shown unticked, refused beside the field)
        return await _decision_page(request, decision_id, 422, errors, form, goals=goals)
    decision_id = await actions.save_decision(_uid(request), decision_id, round_id, values)
    return see_other(path_to(request, "tracker.edit_decision", lang=lang, decision_id=decision_id) + "?saved=1")


@post("/manage/decisions/new", name="tracker.create_decision")
async def create_decision(request: Request, lang: FromPath[str]) -> Template | Redirect:
    return await _save(request, lang, None)


@post("/manage/decisions/{decision_id:int}", name="tracker.update_decision")
async def update_decision(request: Request, lang: FromPath[str], decision_id: FromPath[int]) -> Template | Redirect:
    if await queries.decision(decision_id) is None:
        raise NotFoundException()
    return await _save(request, lang, decision_id)


@post("/manage/decisions/{decision_id:int}/links", name="tracker.add_link")
async def add_link(request: Request, lang: FromPath[str], decision_id: FromPath[int]) -> Template | Redirect:
    if await queries.decision(decision_id) is None:
        raise NotFoundException()
    form = await read_form(request)
    values, errors = rules.validate_link(form)
    if not errors:
        try:
            await actions.link_input(_uid(request), decision_id, values)
        except actions.TrackerError as problem:
            errors = {"input": str(problem)}
    if errors:
        search = {name: form.get(name, "")[:100] for name in ("find", "kind", "area")}
        return await _decision_page(request, decision_id, 422, link_errors=errors, link_values=form, search=search)
    return see_other(path_to(request, "tracker.edit_decision", lang=lang, decision_id=decision_id) + "?linked=1#links")


@post("/manage/decisions/{decision_id:int}/links/{link_id:int}/delete", name="tracker.remove_link")
async def remove_link(
    request: Request, lang: FromPath[str], decision_id: FromPath[int], link_id: FromPath[int]
) -> Template | Redirect:
    await actions.unlink_input(_uid(request), decision_id, link_id)
    return see_other(path_to(request, "tracker.edit_decision", lang=lang, decision_id=decision_id) + "#links")


@post("/manage/decisions/{decision_id:int}/publish", name="tracker.publish")
async def publish(request: Request, lang: FromPath[str], decision_id: FromPath[int]) -> Template | Redirect:
    try:
        await actions.publish_decision(_uid(request), decision_id)
    except actions.TrackerError as problem:
        return await _decision_page(request, decision_id, 422, errors={"form": str(problem)})
    return see_other(path_to(request, "tracker.decision_page", lang=lang, decision_id=decision_id))


def _delivery_values(form: dict) -> tuple[dict, dict]:
    errors: dict[str, str] = {}
    values: dict = {}
    for field in ("title_en", "title_cy"):
        values[field] = form.get(field, "").strip()
        if not values[field]:
            errors[field] = N_("Enter the project's name in Welsh and English")
        elif len(values[field]) > 200:
            errors[field] = N_("This must be 200 characters or fewer")
    for field in ("allocated_pence", "spent_pence"):
        text = form.get(field.replace("_pence", ""), "").strip()
        pence = parse_pounds(text) if text else 0
        if pence is None:
            errors[field.replace("_pence", "")] = N_("Enter an amount in pounds, like 2500")
        values[field] = pence or 0
    ref = form.get("external_ref", "").strip()
    if len(ref) > 60:
        errors["external_ref"] = N_("The reference must be 60 characters or fewer")
    values["external_ref"] = ref or None
    expected = form.get("expected_on", "").strip()
    try:
        values["expected_on"] = date.fromisoformat(expected) if expected else None
    except ValueError:
        errors["expected_on"] = N_("Enter a real date, like 2027-03-31")
    return values, errors


@get("/manage/delivery/new", name="tracker.new_delivery")
async def new_delivery(request: Request) -> Template:
    proposal_text = request.query_params.get("proposal", "")
    proposal = (
        await Proposal.select().where(Proposal.id == int(proposal_text)).first()
        if is_digits(proposal_text) and len(proposal_text) < 10
        else None
    )
    values = {
        "title_en": proposal["title_en"] if proposal else "",
        "title_cy": proposal["title_cy"] if proposal else "",
        "allocated": format_pounds(proposal["revised_cost_pence"] or proposal["estimated_cost_pence"]) if proposal else "",
        "proposal": proposal["id"] if proposal else "",
    }
    return page(request, "tracker/delivery_form.html", delivery=None, values=values, errors={})


@post("/manage/delivery/new", name="tracker.create_delivery")
async def create_delivery(request: Request, lang: FromPath[str]) -> Template | Redirect:
    form = await read_form(request)
    values, errors = _delivery_values(form)
    proposal_text = form.get("proposal", "")
    values["proposal"] = int(proposal_text) if is_digits(proposal_text) and len(proposal_text) < 10 else None
    if values["proposal"] and not await Proposal.exists().where(Proposal.id == values["proposal"]):
        values["proposal"] = None
    if values["external_ref"] and await Delivery.exists().where(Delivery.external_ref == values["external_ref"]):
        errors["external_ref"] = N_("Another project already has this reference")
    if errors:
        return page(request, "tracker/delivery_form.html", status_code=422, delivery=None, values=form, errors=errors)
    delivery_id = await actions.save_delivery(_uid(request), None, values)
    return see_other(path_to(request, "tracker.manage_delivery", lang=lang, delivery_id=delivery_id))


async def _delivery_manage_page(request: Request, delivery_id: int, status_code=200, errors=None, values=None) -> Template:
    row = await queries.delivery(delivery_id)
    if row is None:
        raise NotFoundException()
    return page(
        request,
        "tracker/delivery_manage.html",
        status_code=status_code,
        delivery=row,
        errors=errors or {},
        values=values or {"status": row["status"], "progress": str(row["progress"]), "spent": format_pounds(row["spent_pence"])},
        moves=[s for s in rules.DELIVERY_STATUSES if rules.can_move_delivery(row["status"], s)],
        linkable=await queries.funded_without_delivery() if row["proposal"] is None else [],
        linked=status_code == 200 and request.query_params.get("linked") == "1",
    )


@get("/manage/delivery/{delivery_id:int}", name="tracker.manage_delivery")
async def manage_delivery(request: Request, delivery_id: FromPath[int]) -> Template:
    return await _delivery_manage_page(request, delivery_id)


@post("/manage/delivery/{delivery_id:int}/updates", name="tracker.add_update")
async def add_update(request: Request, lang: FromPath[str], delivery_id: FromPath[int]) -> Template | Redirect:
    row = await queries.delivery(delivery_id)
    if row is None:
        raise NotFoundException()
    form = await read_form(request)
    progress_text = form.get("progress", "").strip()
    progress = int(progress_text) if is_digits(progress_text) and len(progress_text) < 4 else -1
    values: dict[str, Any] = {
        "status": form.get("status", ""),
        "progress": progress,
        "body_en": form.get("body_en", "").strip(),
        "body_cy": form.get("body_cy", "").strip(),
        "cancel_reason_en": form.get("cancel_reason_en", "").strip(),
        "cancel_reason_cy": form.get("cancel_reason_cy", "").strip(),
    }
    errors = rules.check_delivery_change(
        row["status"], values["status"], progress, values["cancel_reason_en"], values["cancel_reason_cy"]
    )
    spent_text = form.get("spent", "").strip()
    if spent_text:
        values["spent_pence"] = parse_pounds(spent_text)
        if values["spent_pence"] is None:
            errors["spent"] = N_("Enter an amount in pounds, like 2500")
    for field, message in (("body_en", N_("Write the update in English")), ("body_cy", N_("Write the update in Welsh"))):
        if not values[field]:
            errors[field] = message
        elif len(values[field]) > 5000:
            errors[field] = N_("This must be 5,000 characters or fewer")
    if values["status"] == "delivered":
        values["delivered_on"] = date.today()
    if not errors:
        try:
            await actions.post_update(_uid(request), delivery_id, values)
        except actions.TrackerError as problem:
            errors = {"status": str(problem)}
    if errors:
        return await _delivery_manage_page(request, delivery_id, 422, errors, form)
    return see_other(path_to(request, "tracker.delivery_page", lang=lang, delivery_id=delivery_id))


@post("/manage/delivery/{delivery_id:int}/link", name="tracker.link_delivery")
async def link_delivery(request: Request, lang: FromPath[str], delivery_id: FromPath[int]) -> Template | Redirect:
    form = await read_form(request)
    chosen = form.get("proposal", "")
    if not (is_digits(chosen) and len(chosen) < 10):
        return await _delivery_manage_page(request, delivery_id, 422, {"proposal": N_("Choose a funded project")}, form)
    try:
        await actions.link_delivery(_uid(request), delivery_id, int(chosen))
    except actions.TrackerError as problem:
        if problem.status_code == 404:
            raise NotFoundException() from problem
        return await _delivery_manage_page(request, delivery_id, 422, {"proposal": str(problem)}, form)
    return see_other(path_to(request, "tracker.manage_delivery", lang=lang, delivery_id=delivery_id) + "?linked=1")


@get("/manage/feedback", name="tracker.feedback_follow_up")
async def feedback_follow_up(request: Request) -> Template:
    return page(request, "tracker/feedback_manage.html", answers=await queries.feedback_to_follow_up())


# Every page here is for one audience: the guard is on the router, not on each handler.
route_handlers = [
    Router(
        path="/",
        guards=[officer],
        route_handlers=[
            decision_list,
            new_decision,
            edit_decision,
            create_decision,
            update_decision,
            add_link,
            remove_link,
            publish,
            new_delivery,
            create_delivery,
            manage_delivery,
            add_update,
            link_delivery,
            feedback_follow_up,
        ],
    )
]
