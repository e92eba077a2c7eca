"""Public round pages: the list of rounds and each round's page."""

from __future__ import annotations

from litestar import Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from pb.accounts.guards import has_role
from pb.rounds import phases, queries
from pb.web.auth import current_user, roles_of
from pb.web.templating import page


async def public_round(round_id: int, request: Request) -> dict:
    """The round, if the public may see it (officers also see drafts)."""
    row = await queries.get_round(round_id)
    if row is None or (not phases.is_public(row["phase"]) and not has_role(roles_of(request), "officer")):
        raise NotFoundException()
    return row


@get("/rounds", name="rounds.rounds")
async def rounds(request: Request) -> Template:
    return page(request, "rounds/list.html", rounds=await queries.public_rounds())


@get("/rounds/{round_id:int}", name="rounds.round_page")
async def round_page(request: Request, round_id: FromPath[int]) -> Template:
    row = await public_round(round_id, request)
    areas = await queries.areas_of(round_id)
    # Following (proposals) and the lot drawn for the vote (voting) come from the capabilities above.
    contributed = await queries.contributed(queries.PAGE_CONTEXT, row, current_user(request))
    return page(
        request,
        "rounds/round.html",
        round=row,
        areas=areas,
        total=queries.total_budget(areas),
        timeline=queries.timeline(row),
        may_propose=phases.may_propose(row["phase"]),
        **{"following": set(), "results": {"lot": []}, **contributed},
    )


route_handlers = [rounds, round_page]
