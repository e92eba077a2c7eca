"""Reading rounds and areas (no writes here)."""

from __future__ import annotations

from datetime import date
from typing import Any

from piccolo.query.functions.aggregate import Count
from piccolo.querystring import QueryString

from pb.registry import extensions
from pb.rounds import phases
from pb.rounds.tables import Area, AreaPostcode, PhaseChange, Round


async def get_round(round_id: int) -> dict | None:
    return await Round.select().where(Round.id == round_id).first()


async def areas_of(round_id: int) -> list[dict]:
    return await Area.select().where(Area.round == round_id).order_by(Area.position).order_by(Area.id)


# Whether the round has the council's postcode list, as a column of each of its areas (a postcode
# belongs to one of the round's areas, so a round without areas has no list either).
_HAS_POSTCODES = f'EXISTS (SELECT 1 FROM "{AreaPostcode._meta.tablename}" WHERE "round" = {{}})'


async def areas_and_postcodes(round_id: int) -> tuple[list[dict], bool]:
    """The round's areas (as areas_of) and whether a postcode list decides the area (as
    has_postcodes), in one query: the voting pages need both on every request."""
    rows = (
        await Area.select(*Area.all_columns(), QueryString(_HAS_POSTCODES, round_id).as_alias("pb_has_postcodes"))
        .where(Area.round == round_id)
        .order_by(Area.position)
        .order_by(Area.id)
    )
    listed = any(bool(row.pop("pb_has_postcodes")) for row in rows)
    return rows, listed


async def public_rounds() -> list[dict]:
    return await Round.select().where(Round.phase != "draft").order_by(Round.proposals_from, ascending=False)


async def all_rounds() -> list[dict]:
    return await Round.select().order_by(Round.id, ascending=False)


async def phase_log(round_id: int) -> list[dict]:
    return await PhaseChange.select().where(PhaseChange.round == round_id).order_by(PhaseChange.at)


def timeline(round_row: dict) -> list[dict]:
    """The round's phases as of today (see phases.timeline)."""
    return phases.timeline(round_row["phase"], {field: round_row[field] for field in phases.PHASE_DATE_FIELDS.values()}, today())


def total_budget(areas: list[dict]) -> int:
    return sum(area["budget_pence"] for area in areas)


def today() -> date:
    return date.today()


# Extension points for what capabilities above rounds add to rounds' pages (each function returns a
# dict merged into the page's context).
PAGE_CONTEXT = "rounds.page_context"  # async (round_row, user) -> dict, for the public round page
MANAGE_CONTEXT = "rounds.manage_context"  # async (round_row, target_phase) -> dict, for officers' pages


async def contributed(point: str, *args: Any) -> dict[str, Any]:
    """What every installed capability adds at this extension point, merged."""
    merged: dict[str, Any] = {}
    for contribute in extensions(point):
        merged.update(await contribute(*args))
    return merged


# Postcodes ---------------------------------------------------------------------------------------


async def has_postcodes(round_id: int) -> bool:
    return await AreaPostcode.exists().where(AreaPostcode.round == round_id)


async def area_of_postcode(round_id: int, postcode: str) -> int | None:
    """The area of the round this (normalised) postcode is in, by the council's list."""
    row = (
        await AreaPostcode.select(AreaPostcode.area)
        .where((AreaPostcode.round == round_id) & (AreaPostcode.postcode == postcode))
        .first()
    )
    return row["area"] if row else None


async def postcode_counts(round_id: int) -> dict[int, int]:
    """How many postcodes each area of the round has."""
    rows = await AreaPostcode.select(AreaPostcode.area, Count()).where(AreaPostcode.round == round_id).group_by(AreaPostcode.area)
    return {row["area"]: row["count"] for row in rows}


async def picture_files() -> set[str]:
    """The picture files rounds name (extension point "media.in_use")."""
    rows = await Round.select(Round.picture_full, Round.picture_thumb).where(Round.picture_full != "")
    return {name for row in rows for name in (row["picture_full"], row["picture_thumb"])}
