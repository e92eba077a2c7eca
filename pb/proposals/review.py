"""Officers' review of proposals: feasibility notes, revised costs, eligibility, merging, shortlist."""

from __future__ import annotations

from litestar import Request, Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pb.fields import is_digits, parse_pounds
from pb.proposals import actions, lifecycle, listing, queries, rules, translation
from pb.rounds import queries as round_queries
from pb.rounds.manage import managed_round
from pb.web.auth import officer, signed_in_id
from pb.web.forms import read_form, see_other
from pb.web.templating import N_, page, path_to, request_language


@get("/manage/rounds/{round_id:int}/proposals", name="proposals.review_queue")
async def review_queue(request: Request, round_id: FromPath[int]) -> Template:
    row = await managed_round(round_id)
    areas = {a["id"]: a for a in await round_queries.areas_of(round_id)}
    return page(request, "proposals/review_queue.html", round=row, proposals=await queries.for_review(round_id), areas=areas)


async def _review_page(
    request: Request, proposal_id: int, status_code: int = 200, errors: dict | None = None, values: dict | None = None
) -> Template:
    row = await queries.get_proposal(proposal_id)
    if row is None or row["status"] == "draft":
        raise NotFoundException()
    round_row = await round_queries.get_round(row["round"])
    if round_row is None:
        raise NotFoundException()
    candidates = [
        p
        for p in await queries.for_review(row["round"])
        if p["id"] != proposal_id and p["status"] in lifecycle.OPEN_FOR_MERGE_TARGET
    ]
    return page(
        request,
        "proposals/review.html",
        status_code=status_code,
        proposal=row,
        round=round_row,
        area={a["id"]: a for a in await round_queries.areas_of(row["round"])}.get(row["area"]),
        moves=lifecycle.officer_moves(row["status"], round_row["phase"]),
        merge_candidates=candidates,
        events=await queries.history(proposal_id),
        errors=errors or {},
        values=values or {},
        cost=listing.current_cost(row),
        may_merge=lifecycle.can_move(row["status"], "merged", "officer", round_row["phase"]),
    )


@get("/manage/translations", name="proposals.translations")
async def translations(request: Request) -> Template:
    """What waits for its Welsh or English, round by round."""
    rounds: dict[int, dict] = {}
    for row in await translation.waiting():
        rounds.setdefault(row["round"], {"title_en": row["round_title_en"], "title_cy": row["round_title_cy"], "items": []})[
            "items"
        ].append(row)
    return page(request, "proposals/translations.html", rounds=rounds)


async def _translate_page(request: Request, proposal_id: int, status_code: int = 200, errors=None, values=None) -> Template:
    row = await queries.get_proposal(proposal_id)
    if row is None or row["status"] not in translation.LIVE:
        raise NotFoundException()
    missing = rules.missing_language(row)
    return page(
        request,
        "proposals/translate.html",
        status_code=status_code,
        proposal=row,
        into=missing or ("cy" if request_language(request) == "cy" else "en"),
        missing=missing,
        errors=errors or {},
        values=values if values is not None else {k: row.get(k, "") for k in row},
    )


@get("/manage/proposals/{proposal_id:int}/translate", name="proposals.translate_form")
async def translate_form(request: Request, proposal_id: FromPath[int]) -> Template:
    return await _translate_page(request, proposal_id)


@post("/manage/proposals/{proposal_id:int}/translate", name="proposals.translate")
async def translate(request: Request, lang: FromPath[str], proposal_id: FromPath[int]) -> Template | Redirect:
    row = await queries.get_proposal(proposal_id)
    if row is None or row["status"] not in translation.LIVE:
        raise NotFoundException()
    form = await read_form(request)
    into = form.get("into", "")
    if into not in ("en", "cy"):
        raise NotFoundException()
    values, errors = rules.validate_translation(form, into, row)
    if errors:
        return await _translate_page(request, proposal_id, 422, errors, {**row, **form})
    await translation.add_translation(signed_in_id(request), proposal_id, into, values)
    return see_other(path_to(request, "proposals.translations", lang=lang) + "?translated=1")


@get("/manage/proposals/{proposal_id:int}", name="proposals.review_page")
async def review_page(request: Request, proposal_id: FromPath[int]) -> Template:
    return await _review_page(request, proposal_id)


def _reasons(form: dict, prefix: str = "") -> tuple[str, str]:
    return form.get(f"{prefix}reason_en", "").strip(), form.get(f"{prefix}reason_cy", "").strip()


@post("/manage/proposals/{proposal_id:int}/notes", name="proposals.save_notes")
async def save_notes(request: Request, lang: FromPath[str], proposal_id: FromPath[int]) -> Template | Redirect:
    form = await read_form(request)
    notes = form.get("notes", "").strip()
    if len(notes) > 10_000:
        return await _review_page(request, proposal_id, 422, {"notes": N_("Notes must be 10,000 characters or fewer")}, form)
    await actions.save_notes(signed_in_id(request), proposal_id, notes)
    return see_other(path_to(request, "proposals.review_page", lang=lang, proposal_id=proposal_id) + "?saved=notes")


@post("/manage/proposals/{proposal_id:int}/cost", name="proposals.revise_cost")
async def revise_cost(request: Request, lang: FromPath[str], proposal_id: FromPath[int]) -> Template | Redirect:
    form = await read_form(request)
    errors = {}
    pence = parse_pounds(form.get("revised_cost", ""))
    if pence is None or pence <= 0:
        errors["revised_cost"] = N_("Enter the cost in pounds, like 2500 or 2500.50")
    reason_en, reason_cy = _reasons(form, "cost_")
    if not reason_en:
        errors["cost_reason_en"] = N_("Give the reason in English")
    if not reason_cy:
        errors["cost_reason_cy"] = N_("Give the reason in Welsh")
    if not errors and pence is not None:
        try:
            await actions.revise_cost(signed_in_id(request), proposal_id, pence, reason_en, reason_cy)
        except actions.NotAllowed as problem:
            errors["revised_cost"] = str(problem)
    if errors:
        return await _review_page(
            request, proposal_id, 422, errors, {**form, "cost_reason_en": reason_en, "cost_reason_cy": reason_cy}
        )
    return see_other(path_to(request, "proposals.review_page", lang=lang, proposal_id=proposal_id) + "?saved=cost")


@post("/manage/proposals/{proposal_id:int}/status", name="proposals.change_status")
async def change_status(request: Request, lang: FromPath[str], proposal_id: FromPath[int]) -> Template | Redirect:
    form = await read_form(request)
    target = form.get("status", "")
    reason_en, reason_cy = _reasons(form)
    errors = {}
    if target not in lifecycle.STATUSES:
        errors["status"] = N_("Choose what happens to this proposal")
    elif lifecycle.needs_public_reason(target):
        if not reason_en:
            errors["reason_en"] = N_("Give the reason in English")
        if not reason_cy:
            errors["reason_cy"] = N_("Give the reason in Welsh")
    if not errors:
        try:
            await actions.change_status(signed_in_id(request), proposal_id, target, reason_en, reason_cy)
        except actions.NotAllowed as problem:
            errors["status"] = str(problem)
    if errors:
        return await _review_page(request, proposal_id, 422, errors, form)
    return see_other(path_to(request, "proposals.review_page", lang=lang, proposal_id=proposal_id) + "?saved=status")


@post("/manage/proposals/{proposal_id:int}/merge", name="proposals.merge")
async def merge(request: Request, lang: FromPath[str], proposal_id: FromPath[int]) -> Template | Redirect:
    form = await read_form(request)
    target = form.get("into", "")
    reason_en, reason_cy = _reasons(form, "merge_")
    errors = {}
    if not is_digits(target):
        errors["into"] = N_("Choose the proposal to merge this one into")
    if not reason_en:
        errors["merge_reason_en"] = N_("Give the reason in English")
    if not reason_cy:
        errors["merge_reason_cy"] = N_("Give the reason in Welsh")
    if not errors:
        try:
            await actions.merge(signed_in_id(request), proposal_id, int(target), reason_en, reason_cy)
        except actions.NotAllowed as problem:
            errors["into"] = str(problem)
    if errors:
        return await _review_page(
            request, proposal_id, 422, errors, {**form, "merge_reason_en": reason_en, "merge_reason_cy": reason_cy}
        )
    return see_other(path_to(request, "proposals.review_page", lang=lang, proposal_id=proposal_id) + "?saved=merged")


# Every page here is for one audience: the guard is on the router, not on each handler.
route_handlers = [
    Router(
        path="/",
        guards=[officer],
        route_handlers=[
            review_queue,
            translations,
            translate_form,
            translate,
            review_page,
            save_notes,
            revise_cost,
            change_status,
            merge,
        ],
    )
]
