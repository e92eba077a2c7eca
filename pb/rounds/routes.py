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
    following: set[tuple[str, int]] = set()
    user = current_user(request)
    if user:
        from pb.proposals.tables import Follow

        following = {
            (f["target_kind"], f["target_id"])
            for f in await Follow.select(Follow.target_kind, Follow.target_id).where(
                (Follow.user == user["id"]) & Follow.target_kind.is_in(["round", "area"])
            )
        }
    lot = []
    if row["phase"] in ("voting", "results", "delivery"):
        from pb.voting.results import lot_of

        lot = await lot_of(round_id)
    return page(
        request,
        "rounds/round.html",
        round=row,
        areas=areas,
        total=queries.total_budget(areas),
        timeline=queries.timeline(row),
        may_propose=phases.may_propose(row["phase"]),
        following=following,
        results={"lot": lot},
    )


route_handlers = [rounds, round_page]
