"""The watch-list page for moderators: the terms, a form to add one, a button to remove each."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from pb.fields import parse_id
from pb.moderation import watch, watchlist
from pb.web.auth import moderator, signed_in_id
from pb.web.forms import read_form, see_other
from pb.web.templating import page, path_to


async def _page(request: Request, values: dict, errors: dict, status_code: int = 200, done: str = "") -> Template:
    return page(
        request,
        "moderation/watch_list.html",
        status_code=status_code,
        terms=await watch.terms(),
        values=values,
        errors=errors,
        done=done,
    )


@get("/moderation/watch-list", guards=[moderator], name="moderation.watch_list")
async def watch_list(request: Request, done: FromQuery[str | None] = None) -> Template:
    return await _page(request, {}, {}, done=done if done in ("added", "removed") else "")


@post("/moderation/watch-list", guards=[moderator], name="moderation.watch_add")
async def add_term(request: Request, lang: FromPath[str]) -> Template | Redirect:
    form = await read_form(request)
    term, errors = watchlist.validate_term(form)
    if not errors:
        try:
            await watch.add_term(signed_in_id(request), term)
        except watch.AlreadyListed as problem:
            errors = {"term": problem.message_id}
        else:
            return see_other(path_to(request, "moderation.watch_list", lang=lang) + "?done=added")
    return await _page(request, {"term": form.get("term", "")}, errors, status_code=422)


@post("/moderation/watch-list/remove", guards=[moderator], name="moderation.watch_remove")
async def remove_term(request: Request, lang: FromPath[str]) -> Redirect:
    form = await read_form(request)
    term_id = parse_id(form.get("term_id"))
    if term_id is not None:
        await watch.remove_term(signed_in_id(request), term_id)
    # Removing a term already gone (or never there) ends in the same place: it is not on the list.
    return see_other(path_to(request, "moderation.watch_list", lang=lang) + "?done=removed")


route_handlers = [watch_list, add_term, remove_term]
