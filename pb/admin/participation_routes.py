"""Staff dashboard of participation over time in a round, for officers (and admins), beside the
officer's round page. Counts only: no project's tally of votes before the results are published.

Mounted under /{lang}: GET /{lang}/manage/rounds/{id}/participation."""

from __future__ import annotations

from litestar import Request, Router, get
from litestar.params import FromPath
from litestar.response import Template

from pb.admin import participation, participation_rules
from pb.rounds import queries
from pb.rounds.manage import managed_round
from pb.web.auth import officer
from pb.web.templating import page


@get("/manage/rounds/{round_id:int}/participation", name="admin.round_participation")
async def round_participation(request: Request, round_id: FromPath[int]) -> Template:
    row = await managed_round(round_id)
    areas = await queries.areas_of(round_id)
    found = await participation.participation(row, [area["id"] for area in areas])
    return page(
        request,
        "admin/participation.html",
        round=row,
        areas={area["id"]: area for area in areas},
        found=found,
        measures=participation_rules.MEASURES,
        channels=participation_rules.CHANNELS,
    )


# The same audience as the officer's round pages: the guard is on the router.
route_handlers = [Router(path="/", guards=[officer], route_handlers=[round_participation])]
