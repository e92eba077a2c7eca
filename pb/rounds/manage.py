"""Officers' pages for setting up rounds and moving them through their phases."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pb.fields import format_pounds
from pb.rounds import actions, phases, queries, rules
from pb.web.auth import officer, signed_in_id
from pb.web.forms import read_form, see_other
from pb.web.templating import N_, page, path_to

BLANK_AREA_ROWS = 3


async def managed_round(round_id: int) -> dict:
    """The round an officer or facilitator page is about, or 404."""
    row = await queries.get_round(round_id)
    if row is None:
        raise NotFoundException()
    return row


def _area_rows(areas: list[dict]) -> list[dict]:
    """Form rows for the areas, plus a few blank ones for new areas (no JavaScript needed)."""
    rows = [
        {
            "id": a.get("id") or "",
            "name_en": a["name_en"],
            "name_cy": a["name_cy"],
            "budget": a.get("budget_text", format_pounds(a["budget_pence"])),
        }
        for a in areas
    ]
    return rows + [{"id": "", "name_en": "", "name_cy": "", "budget": ""}] * min(BLANK_AREA_ROWS, rules.MAX_AREAS - len(rows))


def _values_from_round(row: dict) -> dict:
    values = {key: ("" if value is None else str(value)) for key, value in row.items()}
    return values | {"allow_revote": "yes" if row.get("allow_revote") else "no"}


@get("/manage/rounds", name="rounds.manage_rounds")
async def manage_rounds(request: Request) -> Template:
    return page(request, "rounds/manage_list.html", rounds=await queries.all_rounds())


@get("/manage/rounds/new", name="rounds.new_round")
async def new_round(request: Request) -> Template:
    defaults = {"ballot_method": "approval_budget", "counting_rule": "greedy", "min_age": "16", "allow_revote": "no"}
    return page(request, "rounds/form.html", round=None, values=defaults, errors={}, area_rows=_area_rows([]))


@post("/manage/rounds/new", name="rounds.create_round")
async def create_round(request: Request, lang: FromPath[str]) -> Template | Redirect:
    form = await read_form(request)
    values, areas, errors = rules.validate_round(form)
    if errors:
        return page(
            request, "rounds/form.html", status_code=422, round=None, values=form, errors=errors, area_rows=_area_rows(areas)
        )
    round_id = await actions.save_round(signed_in_id(request), None, values, areas)
    return see_other(path_to(request, "rounds.manage_round", lang=lang, round_id=round_id))


async def _contributed(row: dict, target: str | None) -> dict[str, Any]:
    """What capabilities above rounds show on officers' pages (proposal counts, the shortlist,
    paper batches waiting), with what the pages need when none is installed."""
    defaults: dict[str, Any] = {"counts": {}, "shortlisted": 0, "waiting": 0, "locked_area_ids": set(), "counting": None}
    return {**defaults, **await queries.contributed(queries.MANAGE_CONTEXT, row, target)}


@get("/manage/rounds/{round_id:int}", name="rounds.manage_round")
async def manage_round(request: Request, round_id: FromPath[int]) -> Template:
    row = await managed_round(round_id)
    areas = await queries.areas_of(round_id)
    return page(
        request,
        "rounds/manage.html",
        round=row,
        areas=areas,
        total=queries.total_budget(areas),
        timeline=queries.timeline(row),
        log=await queries.phase_log(round_id),
        **await _contributed(row, None),
        next_phase=phases.next_phase(row["phase"]),
        may_edit=phases.may_edit_round_setup(row["phase"]),
    )


@get("/manage/rounds/{round_id:int}/edit", name="rounds.edit_round")
async def edit_round(request: Request, round_id: FromPath[int]) -> Template:
    row = await managed_round(round_id)
    if not phases.may_edit_round_setup(row["phase"]):
        return page(request, "rounds/locked.html", status_code=409, round=row)
    areas = await queries.areas_of(round_id)
    return page(request, "rounds/form.html", round=row, values=_values_from_round(row), errors={}, area_rows=_area_rows(areas))


@post("/manage/rounds/{round_id:int}/edit", name="rounds.update_round")
async def update_round(request: Request, lang: FromPath[str], round_id: FromPath[int]) -> Template | Redirect:
    row = await managed_round(round_id)
    form = await read_form(request)
    existing = await queries.areas_of(round_id)
    locked = (await _contributed(row, None))["locked_area_ids"]
    values, areas, errors = rules.validate_round(form, locked_area_ids=locked)
    for area in areas:  # only this round's areas can be edited through this form
        if area["id"] is not None and area["id"] not in {a["id"] for a in existing}:
            area["id"] = None
    if not errors:
        try:
            await actions.save_round(signed_in_id(request), round_id, values, areas)
        except actions.PhaseError:
            return page(request, "rounds/locked.html", status_code=409, round=row)
        return see_other(path_to(request, "rounds.manage_round", lang=lang, round_id=round_id) + "?saved=1")
    return page(request, "rounds/form.html", status_code=422, round=row, values=form, errors=errors, area_rows=_area_rows(areas))


@get("/manage/rounds/{round_id:int}/phase", name="rounds.confirm_phase")
async def confirm_phase(request: Request, round_id: FromPath[int]) -> Template:
    row = await managed_round(round_id)
    target = request.query_params.get("to") or phases.next_phase(row["phase"])
    if not target or not phases.can_change_phase(row["phase"], target):
        raise NotFoundException()
    return page(request, "rounds/phase.html", round=row, target=target, errors={}, **await _contributed(row, target))


@post("/manage/rounds/{round_id:int}/phase", name="rounds.change_phase")
async def change_phase(request: Request, lang: FromPath[str], round_id: FromPath[int]) -> Template | Redirect:
    row = await managed_round(round_id)
    form = await read_form(request)
    target = form.get("to", "")
    if not phases.can_change_phase(row["phase"], target):  # a stale or forged form
        return page(request, "rounds/locked.html", status_code=409, round=row)
    if form.get("confirm") != "yes":
        return page(
            request,
            "rounds/phase.html",
            status_code=422,
            round=row,
            target=target,
            errors={"confirm": N_("Confirm that you want to change the phase")},
            **{**await _contributed(row, target), "waiting": 0},
        )
    try:
        await actions.change_phase(signed_in_id(request), round_id, target)
    except actions.PhaseError:
        return page(request, "rounds/locked.html", status_code=409, round=row)
    except actions.PaperBatchesWaiting as waiting:
        return page(
            request,
            "rounds/phase.html",
            status_code=409,
            round=row,
            target=target,
            errors={},
            **{**await _contributed(row, target), "waiting": waiting.waiting},
        )
    return see_other(path_to(request, "rounds.manage_round", lang=lang, round_id=round_id) + "?phase_changed=1")


# Every page here is for one audience: the guard is on the router, not on each handler.
route_handlers = [
    Router(
        path="/",
        guards=[officer],
        route_handlers=[
            manage_rounds,
            new_round,
            create_round,
            manage_round,
            edit_round,
            update_round,
            confirm_phase,
            change_phase,
        ],
    )
]
