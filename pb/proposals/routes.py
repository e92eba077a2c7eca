"""Residents' proposal pages: listing, reading, proposing, supporting, following, commenting."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Request, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pb.accounts.guards import has_role, signed_in
from pb.equality import answers as equality
from pb.equality import handover
from pb.fields import format_pounds, is_digits
from pb.proposals import actions, lifecycle, listing, queries, rules
from pb.proposals.tables import Comment
from pb.rounds import phases
from pb.rounds import queries as round_queries
from pb.rounds.routes import public_round
from pb.web.auth import roles_of, signed_in_id
from pb.web.auth import user_id as viewer_id  # None when signed out
from pb.web.forms import read_form, read_list, see_other
from pb.web.templating import page, path_to, request_language, wants_fragment


@get("/rounds/{round_id:int}/proposals", name="proposals.proposal_list")
async def proposal_list(request: Request, round_id: FromPath[int]) -> Template:
    row = await public_round(round_id, request)
    areas = await round_queries.areas_of(round_id)
    filters = listing.parse_filters(dict(request.query_params), {area["id"] for area in areas})
    found, page_number, pages, total = await queries.list_proposals(round_id, filters)
    context: dict[str, Any] = dict(
        round=row,
        areas=areas,
        area_names={a["id"]: a for a in areas},
        proposals=found,
        filters=filters,
        page_number=page_number,
        pages=pages,
        total=total,
        may_propose=phases.may_propose(row["phase"]),
    )
    # htmx asks for the results only; a plain request gets the whole page with the same results.
    if wants_fragment(request, "results"):
        return page(request, "proposals/_results.html", **context)
    return page(request, "proposals/list.html", **context)


async def _visible(request: Request, proposal_id: int) -> dict:
    row = await queries.get_proposal(proposal_id)
    if row is None:
        raise NotFoundException()
    if row["status"] == "draft" and row["author"] != viewer_id(request):
        raise NotFoundException()  # a draft is its author's alone
    round_row = await public_round(row["round"], request)
    row["round_row"] = round_row
    return row


@get("/proposals/{proposal_id:int}", name="proposals.proposal_page")
async def proposal_page(request: Request, proposal_id: FromPath[int]) -> Template:
    row = await _visible(request, proposal_id)
    user_id = viewer_id(request)
    events = await queries.history(proposal_id)
    related = await queries.titles(
        [e["related_id"] for e in events if e["related_id"]] + ([row["merged_into"]] if row["merged_into"] else [])
    )
    areas = {a["id"]: a for a in await round_queries.areas_of(row["round"])}
    roles = roles_of(request)
    phase = row["round_row"]["phase"]
    shown = page(
        request,
        "proposals/proposal.html",
        proposal=row,
        round=row["round_row"],
        area=areas.get(row["area"]),
        events=events,
        related=related,
        comments=await queries.comments(proposal_id),
        state=await queries.person_state(proposal_id, user_id),
        now=datetime.now(UTC),
        is_author=user_id == row["author"],
        may_edit=user_id == row["author"] and lifecycle.author_may_edit(row["status"], phase),
        may_withdraw=user_id == row["author"] and lifecycle.can_move(row["status"], "withdrawn", "author", phase),
        may_support=phases.may_support(phase) and row["status"] not in ("withdrawn", "merged", "not_eligible", "draft"),
        may_comment=phases.may_comment(phase) and row["status"] != "draft",
        is_officer=has_role(roles, "officer"),
        image=await queries.image_of(proposal_id),
        may_picture=has_role(roles, "officer") or (user_id == row["author"] and lifecycle.author_may_edit(row["status"], phase)),
        may_edit_comment=actions.may_edit_comment,
        reported=bool(request.query_params.get("reported")),
        comment_errors={},
        comment_values={"language": request_language(request)},
        cost=listing.current_cost(row),
        invitation=handover.offered(request, row["round"]) if user_id == row["author"] else "",
        **await queries.contributed_sections(row),
    )
    return handover.taken(request, shown)


def _form_context(areas: list[dict], values: dict, errors: dict, selected_themes: list[str]) -> dict:
    return dict(areas=areas, values=values, errors=errors, selected_themes=selected_themes)


@get("/rounds/{round_id:int}/propose", name="proposals.new_proposal", guards=[signed_in])
async def new_proposal(request: Request, round_id: FromPath[int]) -> Template:
    row = await public_round(round_id, request)
    areas = await round_queries.areas_of(round_id)
    if not phases.may_propose(row["phase"]):
        return page(request, "proposals/closed.html", status_code=409, round=row)
    return page(
        request,
        "proposals/form.html",
        round=row,
        proposal=None,
        **_form_context(areas, {"languages": request.path_params["lang"]}, {}, []),
    )


@post("/rounds/{round_id:int}/propose", name="proposals.create_proposal", guards=[signed_in])
async def create_proposal(request: Request, lang: FromPath[str], round_id: FromPath[int]) -> Template | Redirect:
    return await _save(request, lang, round_id, None)


@get("/proposals/{proposal_id:int}/edit", name="proposals.edit_proposal", guards=[signed_in])
async def edit_proposal(request: Request, proposal_id: FromPath[int]) -> Template:
    row = await _visible(request, proposal_id)
    if row["author"] != viewer_id(request):
        raise PermissionDeniedException()
    areas = await round_queries.areas_of(row["round"])
    if not lifecycle.author_may_edit(row["status"], row["round_row"]["phase"]):
        return page(request, "proposals/closed.html", status_code=409, round=row["round_row"], proposal=row)
    languages = "both" if (row["title_en"] and row["title_cy"]) else ("cy" if row["title_cy"] else "en")
    values = {
        **row,
        "languages": languages,
        "area": str(row["area"]),
        "estimated_cost": format_pounds(row["estimated_cost_pence"]) if row["estimated_cost_pence"] else "",
    }
    return page(
        request, "proposals/form.html", round=row["round_row"], proposal=row, **_form_context(areas, values, {}, row["themes"])
    )


@post("/proposals/{proposal_id:int}/edit", name="proposals.update_proposal", guards=[signed_in])
async def update_proposal(request: Request, lang: FromPath[str], proposal_id: FromPath[int]) -> Template | Redirect:
    row = await _visible(request, proposal_id)
    if row["author"] != viewer_id(request):
        raise PermissionDeniedException()
    return await _save(request, lang, row["round"], row)


async def _save(request: Request, lang: str, round_id: int, existing: dict | None) -> Template | Redirect:
    round_row = await public_round(round_id, request)
    areas = await round_queries.areas_of(round_id)
    form = await read_form(request)
    themes = await read_list(request, "themes")
    submitting = form.get("action") == "submit"
    values, errors = rules.validate_proposal(form, themes, {a["id"]: a["budget_pence"] for a in areas}, submitting)
    if not errors:
        try:
            proposal_id = await actions.save_proposal(
                signed_in_id(request), round_id, existing["id"] if existing else None, values, submit=submitting
            )
        except (actions.NotAllowed, actions.TooMany) as problem:
            errors = {"form": str(problem)}
        else:
            shown = see_other(
                path_to(request, "proposals.proposal_page", lang=lang, proposal_id=proposal_id)
                + f"?saved={'submitted' if submitting else 'draft'}"
            )
            if submitting:  # just after submitting, the author is invited to the equality questions (once per round)
                author = f"user:{signed_in_id(request)}"
                handover.hand_over(shown, await equality.invite_once(round_id, values["area_id"], "proposal", author))
            return shown
    return page(
        request,
        "proposals/form.html",
        status_code=422,
        round=round_row,
        proposal=existing,
        **_form_context(areas, form, errors, themes),
    )


@get("/proposals/{proposal_id:int}/withdraw", name="proposals.confirm_withdraw", guards=[signed_in])
async def confirm_withdraw(request: Request, proposal_id: FromPath[int]) -> Template:
    row = await _visible(request, proposal_id)
    if row["author"] != viewer_id(request):
        raise PermissionDeniedException()
    return page(request, "proposals/withdraw.html", proposal=row)


@post("/proposals/{proposal_id:int}/withdraw", name="proposals.withdraw", guards=[signed_in])
async def withdraw(request: Request, lang: FromPath[str], proposal_id: FromPath[int]) -> Template | Redirect:
    row = await _visible(request, proposal_id)
    if row["author"] != viewer_id(request):
        raise PermissionDeniedException()
    try:
        await actions.withdraw(signed_in_id(request), proposal_id)
    except actions.NotAllowed as problem:
        return page(request, "proposals/withdraw.html", status_code=409, proposal=row, problem=str(problem))
    return see_other(path_to(request, "proposals.proposal_page", lang=lang, proposal_id=proposal_id))


@post("/proposals/{proposal_id:int}/support", name="proposals.support", guards=[signed_in])
async def support(request: Request, lang: FromPath[str], proposal_id: FromPath[int]) -> Template | Redirect:
    await _visible(request, proposal_id)
    form = await read_form(request)
    try:
        await actions.set_support(signed_in_id(request), proposal_id, form.get("support") != "no")
    except actions.NotAllowed:
        pass  # the page shows why supporting is closed
    return see_other(path_to(request, "proposals.proposal_page", lang=lang, proposal_id=proposal_id) + "#support")


@post("/proposals/{proposal_id:int}/follow", name="proposals.follow", guards=[signed_in])
async def follow(request: Request, lang: FromPath[str], proposal_id: FromPath[int]) -> Template | Redirect:
    await _visible(request, proposal_id)
    form = await read_form(request)
    await actions.set_following(signed_in_id(request), "proposal", proposal_id, form.get("follow") != "no")
    return see_other(path_to(request, "proposals.proposal_page", lang=lang, proposal_id=proposal_id) + "#support")


@post("/proposals/{proposal_id:int}/comments", name="proposals.comment", guards=[signed_in])
async def comment(request: Request, lang: FromPath[str], proposal_id: FromPath[int]) -> Template | Redirect:
    row = await _visible(request, proposal_id)
    form = await read_form(request)
    body, errors = rules.validate_comment(form)
    parent = form.get("parent", "")
    parent_id = int(parent) if is_digits(parent) else None
    if not errors:
        try:
            language = rules.comment_language(form, lang)
            comment_id = await actions.add_comment(signed_in_id(request), proposal_id, body, parent_id, language)
        except (actions.NotAllowed, actions.TooMany) as problem:  # beside the comment, keeping it
            errors = {"body": str(problem)}
        else:
            return see_other(
                path_to(request, "proposals.proposal_page", lang=lang, proposal_id=proposal_id) + f"#comment-{comment_id}"
            )
    return page(
        request,
        "proposals/comment_error.html",
        status_code=422,
        proposal=row,
        errors=errors,
        values={"body": form.get("body", ""), "language": rules.comment_language(form, lang)},
        parent=parent_id,
    )


@get("/comments/{comment_id:int}/edit", name="proposals.edit_comment_form", guards=[signed_in])
async def edit_comment_form(request: Request, comment_id: FromPath[int]) -> Template:
    found = await _own_comment(request, comment_id)
    values = {"body": found["body"], "language": found["language"] or request_language(request)}
    return page(request, "proposals/comment_edit.html", comment=found, values=values, errors={})


@post("/comments/{comment_id:int}/edit", name="proposals.edit_comment", guards=[signed_in])
async def edit_comment(request: Request, lang: FromPath[str], comment_id: FromPath[int]) -> Template | Redirect:
    found = await _own_comment(request, comment_id)
    form = await read_form(request)
    body, errors = rules.validate_comment(form)
    if not errors:
        try:
            proposal_id = await actions.edit_comment(signed_in_id(request), comment_id, body, rules.comment_language(form, lang))
        except actions.NotAllowed as problem:
            errors = {"body": str(problem)}
        else:
            return see_other(
                path_to(request, "proposals.proposal_page", lang=lang, proposal_id=proposal_id) + f"#comment-{comment_id}"
            )
    return page(request, "proposals/comment_edit.html", status_code=422, comment=found, values=form, errors=errors)


async def _own_comment(request: Request, comment_id: int) -> dict:

    found = await Comment.select().where(Comment.id == comment_id).first()
    if found is None:
        raise NotFoundException()
    if found["author"] != viewer_id(request):
        raise PermissionDeniedException()
    return found


@get("/your-proposals", name="proposals.your_proposals", guards=[signed_in])
async def your_proposals(request: Request) -> Template:
    return page(request, "proposals/yours.html", proposals=await queries.by_author(signed_in_id(request)))


route_handlers = [
    proposal_list,
    proposal_page,
    new_proposal,
    create_proposal,
    edit_proposal,
    update_proposal,
    confirm_withdraw,
    withdraw,
    support,
    follow,
    comment,
    edit_comment_form,
    edit_comment,
    your_proposals,
]
