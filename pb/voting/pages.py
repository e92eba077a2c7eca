"""Page helpers shared by the officers' pages of the voting channels (codes and paper)."""

from __future__ import annotations

from litestar import Request
from litestar.response import Template

from pb.rounds import queries as round_queries
from pb.rounds.manage import managed_round
from pb.web.templating import page


async def batches_page(
    request: Request, template: str, round_id: int, batches: list[dict], status_code: int = 200, **context
) -> Template:
    """A round's batches (of codes or of paper ballots) with the form to add one: the officer's
    round (object-level check), its areas by id, and the form's values and errors if any."""
    row = await managed_round(round_id)
    areas = await round_queries.areas_of(round_id)
    context.setdefault("values", {})
    context.setdefault("errors", {})
    return page(
        request,
        template,
        status_code=status_code,
        round=row,
        areas=areas,
        area_names={a["id"]: a for a in areas},
        batches=batches,
        **context,
    )
