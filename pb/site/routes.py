"""The admins' site settings page: the council's own details, in both languages."""

from __future__ import annotations

from datetime import date

from litestar import Request, Router, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pb.db import Conflict
from pb.site import actions, rules
from pb.web.auth import admin, signed_in_id
from pb.web.forms import read_form, see_other
from pb.web.templating import N_, page, path_to


def _shown(row: dict | None) -> dict:
    if not row:
        return {}
    return {key: ("" if value is None else str(value)) for key, value in row.items()}


@get("/admin/site", name="site.settings")
async def settings_form(request: Request) -> Template:
    return page(request, "site/settings.html", values=_shown(await actions.saved()), errors={})


@post("/admin/site", name="site.save")
async def save_settings(request: Request, lang: FromPath[str]) -> Template | Redirect:
    form = await read_form(request)
    values, errors = rules.validate(form, date.today())
    if not errors:
        try:
            await actions.save(signed_in_id(request), values)
        except Conflict:
            errors = {"council_name_en": N_("Someone else saved the settings at the same moment. Check them and save again.")}
    if errors:
        return page(request, "site/settings.html", status_code=422, values=form, errors=errors)
    return see_other(path_to(request, "site.settings", lang=lang) + "?saved=1")


route_handlers = [Router(path="/", guards=[admin], route_handlers=[settings_form, save_settings])]
