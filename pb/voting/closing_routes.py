"""The officer's one action on a count running as a job: start it again once it failed or stalled."""

from __future__ import annotations

from litestar import Request, Router, post
from litestar.params import FromPath
from litestar.response import Redirect

from pb.rounds.manage import managed_round
from pb.voting import closing
from pb.web.auth import officer
from pb.web.forms import read_form, see_other
from pb.web.templating import path_to


@post("/manage/rounds/{round_id:int}/count", name="voting.restart_count")
async def restart_count(request: Request, lang: FromPath[str], round_id: FromPath[int]) -> Redirect:
    await managed_round(round_id)
    await read_form(request)
    try:
        await closing.restart(round_id)
    except closing.NotStalled:
        return see_other(path_to(request, "rounds.manage_round", lang=lang, round_id=round_id) + "?count_running=1")
    return see_other(path_to(request, "rounds.manage_round", lang=lang, round_id=round_id) + "?count_restarted=1")


route_handlers = [Router(path="/", guards=[officer], route_handlers=[restart_count])]
