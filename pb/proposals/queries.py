"""Reading proposals: the listing, one proposal with its history and comments (no writes)."""

from __future__ import annotations

from typing import Any

from piccolo.query import OrderByRaw

from pb.accounts.tables import User
from pb.paging import paginate
from pb.proposals import listing
from pb.proposals.tables import Comment, Follow, Proposal, ProposalEvent, ProposalImage, ProposalTheme, Support
from pb.registry import extensions

LIST_COLUMNS = (
    Proposal.id,
    Proposal.area,
    Proposal.title_en,
    Proposal.title_cy,
    Proposal.summary_en,
    Proposal.summary_cy,
    Proposal.estimated_cost_pence,
    Proposal.revised_cost_pence,
    Proposal.status,
    Proposal.support_count,
    Proposal.submitted_at,
    Proposal.hidden,
)


# The listing's orders, as sort_rows gives them (pb.proposals.listing), for the database to sort:
# newest by submission (never-submitted last), then by id so equal keys keep one order.
ORDERS = {
    "newest": "submitted_at IS NULL, submitted_at DESC, id",
    "supported": "support_count DESC, id",
    "cost_low": "COALESCE(revised_cost_pence, estimated_cost_pence), id",
    "cost_high": "COALESCE(revised_cost_pence, estimated_cost_pence) DESC, id",
}


async def list_proposals(round_id: int, filters: listing.Filters) -> tuple[list[dict], int, int, int]:
    """The page of proposals matching the filters: (rows, page, pages, total). Filtered, counted,
    sorted and paged in the database, so a round of 16,000 proposals reads only the page's 12."""
    where = (
        (Proposal.round == round_id)
        & (Proposal.hidden == False)  # noqa: E712
        & Proposal.status.is_in(listing.matching_statuses(filters.status))
    )
    if filters.area:
        where &= Proposal.area == filters.area
    for word in listing.search_words(filters.q):
        where &= Proposal.search_text.like(f"%{word}%")
    if filters.theme:
        where &= Proposal.id.is_in(ProposalTheme.select(ProposalTheme.proposal).where(ProposalTheme.theme == filters.theme))
    pager = paginate(await Proposal.count().where(where), filters.page, listing.PAGE_SIZE)
    shown = (
        await Proposal.select(*LIST_COLUMNS)
        .where(where)
        .order_by(OrderByRaw(ORDERS[filters.sort]))
        .offset(pager.offset)
        .limit(listing.PAGE_SIZE)
    )
    themes = await themes_of([row["id"] for row in shown])
    images = await images_of([row["id"] for row in shown])
    for row in shown:
        row["themes"] = themes.get(row["id"], [])
        row["image"] = images.get(row["id"])
    return shown, pager.number, pager.pages, pager.total


async def images_of(proposal_ids: list[int]) -> dict[int, dict]:
    """Each proposal's picture (file names, sizes and alt text), by proposal id."""
    if not proposal_ids:
        return {}
    return {row["proposal"]: row for row in await ProposalImage.select().where(ProposalImage.proposal.is_in(proposal_ids))}


async def image_of(proposal_id: int) -> dict | None:
    return (await images_of([proposal_id])).get(proposal_id)


async def themes_of(proposal_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if proposal_ids:
        for row in await ProposalTheme.select().where(ProposalTheme.proposal.is_in(proposal_ids)):
            found.setdefault(row["proposal"], []).append(row["theme"])
    return found


async def get_proposal(proposal_id: int) -> dict | None:
    row = (
        await Proposal.select(*Proposal.all_columns(), Proposal.author.name.as_alias("author_name"))
        .where(Proposal.id == proposal_id)
        .first()
    )
    if row:
        row["themes"] = (await themes_of([proposal_id])).get(proposal_id, [])
    return row


async def history(proposal_id: int) -> list[dict]:
    return (
        await ProposalEvent.select()
        .where(ProposalEvent.proposal == proposal_id)
        .order_by(ProposalEvent.at)
        .order_by(ProposalEvent.id)
    )


async def titles(ids: list[int]) -> dict[int, dict]:
    if not ids:
        return {}
    rows = await Proposal.select(Proposal.id, Proposal.title_en, Proposal.title_cy).where(Proposal.id.is_in(ids))
    return {row["id"]: row for row in rows}


async def comments(proposal_id: int) -> list[dict]:
    rows = (
        await Comment.select(*Comment.all_columns(), Comment.author.name.as_alias("author_name"))
        .where(Comment.proposal == proposal_id)
        .order_by(Comment.created_at)
        .order_by(Comment.id)
    )
    return thread(rows)


def thread(rows: list[dict], max_depth: int = 3) -> list[dict]:
    """Comments in reading order, each with its depth (replies beyond max_depth stay at it)."""
    children: dict[int | None, list[dict]] = {}
    ids = {row["id"] for row in rows}
    for row in rows:
        parent = row["parent"] if row["parent"] in ids else None
        children.setdefault(parent, []).append(row)
    ordered: list[dict] = []

    def walk(parent: int | None, depth: int) -> None:
        for row in children.get(parent, []):
            ordered.append({**row, "depth": min(depth, max_depth)})
            walk(row["id"], depth + 1)

    walk(None, 0)
    return ordered


async def person_state(proposal_id: int, user_id: int | None) -> dict:
    if not user_id:
        return {"supports": False, "follows": False}
    return {
        "supports": await Support.exists().where((Support.proposal == proposal_id) & (Support.user == user_id)),
        "follows": await Follow.exists().where(
            (Follow.target_kind == "proposal") & (Follow.target_id == proposal_id) & (Follow.user == user_id)
        ),
    }


async def by_author(user_id: int) -> list[dict]:
    return (
        await Proposal.select(
            Proposal.id, Proposal.round, Proposal.title_en, Proposal.title_cy, Proposal.status, Proposal.updated_at
        )
        .where(Proposal.author == user_id)
        .order_by(Proposal.updated_at, ascending=False)
    )


async def for_review(round_id: int) -> list[dict]:
    return (
        await Proposal.select(*LIST_COLUMNS, Proposal.author.name.as_alias("author_name"))
        .where((Proposal.round == round_id) & (Proposal.status != "draft"))
        .order_by(Proposal.submitted_at)
    )


async def author_name(user_id: int) -> str:
    row = await User.select(User.name).where(User.id == user_id).first()
    return row["name"] if row else ""


# Capabilities above proposals add sections to a proposal's page (what the council decided and
# delivered, what community sessions said): each returns (template, the context it needs).
PAGE_SECTIONS = "proposals.page_sections"  # async (proposal_row) -> tuple[str, dict]


async def contributed_sections(proposal_row: dict) -> dict[str, Any]:
    templates: list[str] = []
    context: dict[str, Any] = {}
    for contribute in extensions(PAGE_SECTIONS):
        template, values = await contribute(proposal_row)
        templates.append(template)
        context.update(values)
    return {"section_templates": templates, **context}


async def picture_files() -> set[str]:
    """The picture files proposals name (extension point "media.in_use")."""
    rows = await ProposalImage.select(ProposalImage.full_name, ProposalImage.thumb_name)
    return {name for row in rows for name in (row["full_name"], row["thumb_name"])}
