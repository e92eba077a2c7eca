"""The open-data routes under /api/: JSON with an OpenAPI schema, CSV downloads and Atom feeds.

Read-only and public. Wiring (in pb/app.py): put `api_router` in the app's route handlers, pass
`openapi_config=openapi_config()` and `include_in_schema=False` to `Litestar(...)`; the router sets
`include_in_schema=True` for itself, so only the API appears in the schema at /api/schema.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from litestar import Request, Response, Router, get
from litestar.connection import ASGIConnection
from litestar.datastructures import ResponseHeader
from litestar.exceptions import NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import File, Template

from pb.config import get_settings
from pb.fields import MAX_ID
from pb.i18n import N_, t
from pb.moderation import transparency
from pb.opendata import feeds, queries, schema, serialise
from pb.opendata.serialise import DEFAULT_PER_PAGE, MAX_PER_PAGE, utc
from pb.proposals.lifecycle import PublicStatus
from pb.tracker.rules import DELIVERY_STATUSES, DeliveryStatus, goals_of
from pb.voting import ballot_exports
from pb.voting.pabulib_io import PabulibExportError, export_file, file_name, published_votes
from pb.web import csvfile
from pb.web.templating import page

API_VERSION = "1.0.0"
FEED_SIZE = 100
FEED_TAG_DATE = "2025"  # the tag: date of pb's feed ids (fixed: an id never changes)

Language = Literal["en", "cy"]

PageNumber = Annotated[int, QueryParameter(ge=1, le=100_000, description="Which page, from 1.")]
PerPage = Annotated[int, QueryParameter(ge=1, le=MAX_PER_PAGE, description="Items per page, at most 100.")]
RoundFilter = Annotated[int | None, QueryParameter(name="round", ge=1, le=MAX_ID, description="Only this round.")]
AreaFilter = Annotated[int | None, QueryParameter(name="area", ge=1, le=MAX_ID, description="Only this area (ward).")]

ERRORS = {
    400: ResponseSpec(data_container=schema.ApiError, description="A query parameter is not valid.", generate_examples=False),
    404: ResponseSpec(
        data_container=schema.ApiError, description="There is no public item with that id.", generate_examples=False
    ),
}


def valid_ids(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """An id in the path must be one a row could have; anything else names nothing (404, not a 500)."""
    for value in connection.path_params.values():
        if isinstance(value, int) and not 0 < value <= MAX_ID:
            raise NotFoundException()


def _base() -> str:
    return get_settings().base_url.rstrip("/")


async def _check_filters(round_id: int | None, area_id: int | None) -> dict | None:
    """404 unless the round and area asked for are public; the area's row, when one was asked for."""
    if round_id is not None and await queries.public_round(round_id) is None:
        raise NotFoundException("There is no public round with that id.")
    area = None if area_id is None else await queries.public_area(area_id)
    if area_id is not None and area is None:
        raise NotFoundException("There is no public area with that id.")
    return area


# JSON ----------------------------------------------------------------------------------------------


@get("/", name="opendata.index", tags=["index"], sync_to_thread=False)
def index() -> schema.Index:
    """Where each part of the open data is."""
    base = _base()
    return schema.Index(
        title="pb open data",
        schema_url=f"{base}/api/schema/openapi.json",
        endpoints={
            name: f"{base}/api/{name}"
            for name in ("rounds", "decisions", "delivery", "moderation/summary", "moderation/statements")
        },
        csv={
            name: f"{base}/api/{name}.csv"
            for name in (
                "proposals",
                "decisions",
                "delivery",
                "delivery-updates",
                "moderation/statements",
                "moderation/summary",
            )
        },
        feeds={name: f"{base}/api/feeds/{name}.atom" for name in ("decisions", "delivery")},
    )


@get("/rounds", name="opendata.round_list", responses=ERRORS, tags=["rounds"])
async def round_list(page: PageNumber = 1, per_page: PerPage = DEFAULT_PER_PAGE) -> schema.RoundList:
    """Public rounds (participatory budgeting processes) with their areas and budgets, oldest first."""
    base = _base()
    rows, total = await queries.rounds((page - 1) * per_page, per_page)
    areas = await queries.areas_of([row["id"] for row in rows])
    return schema.RoundList(
        items=[serialise.round_(row, areas[row["id"]], base) for row in rows],
        **serialise.pagination(base, "/api/rounds", page, per_page, total),
    )


@get("/rounds/{round_id:int}", name="opendata.round_detail", responses=ERRORS, tags=["rounds"])
async def round_detail(round_id: FromPath[int]) -> schema.Round:
    """One public round."""
    row = await queries.public_round(round_id)
    if row is None:
        raise NotFoundException("There is no public round with that id.")
    return serialise.round_(row, (await queries.areas_of([round_id]))[round_id], _base())


@get("/rounds/{round_id:int}/proposals", name="opendata.round_proposals", responses=ERRORS, tags=["proposals"])
async def round_proposals(
    round_id: FromPath[int],
    page: PageNumber = 1,
    per_page: PerPage = DEFAULT_PER_PAGE,
    area_id: AreaFilter = None,
    status: FromQuery[PublicStatus | None] = None,
) -> schema.ProposalList:
    """A round's public proposals, in the order they were made. Authors are residents and are not named."""
    if await queries.public_round(round_id) is None:
        raise NotFoundException("There is no public round with that id.")
    base = _base()
    rows, total = await queries.proposals(round_id, area_id, status, (page - 1) * per_page, per_page)
    themes = await queries.themes_of([row["id"] for row in rows])
    return schema.ProposalList(
        items=[serialise.proposal_summary(row, themes.get(row["id"], []), base) for row in rows],
        **serialise.pagination(
            base, f"/api/rounds/{round_id}/proposals", page, per_page, total, {"area": area_id, "status": status}
        ),
    )


@get("/proposals/{proposal_id:int}", name="opendata.proposal_detail", responses=ERRORS, tags=["proposals"])
async def proposal_detail(proposal_id: FromPath[int]) -> schema.Proposal:
    """One public proposal with its public history (status changes, cost revisions, merges)."""
    row = await queries.proposal(proposal_id)
    if row is None:
        raise NotFoundException("There is no public proposal with that id.")
    themes = (await queries.themes_of([proposal_id])).get(proposal_id, [])
    return serialise.proposal(row, themes, await queries.proposal_history(proposal_id), _base())


@get("/decisions", name="opendata.decision_list", responses=ERRORS, tags=["decisions"])
async def decision_list(
    page: PageNumber = 1, per_page: PerPage = DEFAULT_PER_PAGE, round_id: RoundFilter = None
) -> schema.DecisionList:
    """Published decisions, in the order they were recorded."""
    await _check_filters(round_id, None)
    base = _base()
    rows, total = await queries.decisions(round_id, None, (page - 1) * per_page, per_page)
    return schema.DecisionList(
        items=[serialise.decision_summary(row, base) for row in rows],
        **serialise.pagination(base, "/api/decisions", page, per_page, total, {"round": round_id}),
    )


@get("/decisions/{decision_id:int}", name="opendata.decision_detail", responses=ERRORS, tags=["decisions"])
async def decision_detail(decision_id: FromPath[int]) -> schema.Decision:
    """One published decision, with how each piece of community input shaped it, and its earlier wording."""
    row = await queries.decision(decision_id)
    if row is None:
        raise NotFoundException("There is no published decision with that id.")
    links = (await queries.links_of([decision_id]))[decision_id]
    return serialise.decision(row, links, await queries.revisions(decision_id), _base())


@get("/delivery", name="opendata.delivery_list", responses=ERRORS, tags=["delivery"])
async def delivery_list(
    page: PageNumber = 1,
    per_page: PerPage = DEFAULT_PER_PAGE,
    round_id: RoundFilter = None,
    area_id: AreaFilter = None,
    status: FromQuery[DeliveryStatus | None] = None,
) -> schema.DeliveryList:
    """Projects being delivered: status, progress (rolled up from their parts) and money."""
    await _check_filters(round_id, area_id)
    base = _base()
    rows, total = await queries.deliveries(round_id, area_id, status, (page - 1) * per_page, per_page)
    return schema.DeliveryList(
        items=[serialise.delivery_summary(row, base) for row in rows],
        **serialise.pagination(
            base, "/api/delivery", page, per_page, total, {"round": round_id, "area": area_id, "status": status}
        ),
    )


@get("/delivery/{delivery_id:int}", name="opendata.delivery_detail", responses=ERRORS, tags=["delivery"])
async def delivery_detail(delivery_id: FromPath[int]) -> schema.Delivery:
    """One project's delivery with its dated updates, newest first."""
    row = await queries.delivery(delivery_id)
    if row is None:
        raise NotFoundException("There is no delivery with that id.")
    return serialise.delivery(row, await queries.updates([delivery_id]), _base())


# CSV -----------------------------------------------------------------------------------------------


def _csv(name: str, header: list[str], rows: list[list]) -> Response[bytes]:
    return Response(
        csvfile.to_csv(header, rows),
        media_type=csvfile.MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _file_name(stem: str, round_id: int | None, area_id: int | None) -> str:
    return stem + (f"-round-{round_id}" if round_id else "") + (f"-area-{area_id}" if area_id else "") + ".csv"


@get("/proposals.csv", name="opendata.proposals_csv", media_type="text/csv", responses=ERRORS, tags=["csv"])
async def proposals_csv(round_id: RoundFilter = None, area_id: AreaFilter = None) -> Response[bytes]:
    """Public proposals as a spreadsheet (UTF-8 with a byte-order mark; formula-safe)."""
    await _check_filters(round_id, area_id)
    base = _base()
    rows, _ = await queries.proposals(round_id, area_id)
    themes = await queries.themes_of([row["id"] for row in rows])
    areas = await queries.area_names(sorted({row["area"] for row in rows}))
    header = [
        "id",
        "round_id",
        "area_id",
        "area_en",
        "area_cy",
        "title_en",
        "title_cy",
        "summary_en",
        "summary_cy",
        "status",
        "estimated_cost_pounds",
        "revised_cost_pounds",
        "support_count",
        "themes",
        "submitted_at",
        "url_en",
        "url_cy",
    ]
    body = [
        [
            row["id"],
            row["round"],
            row["area"],
            areas.get(row["area"], {}).get("name_en", ""),
            areas.get(row["area"], {}).get("name_cy", ""),
            row["title_en"],
            row["title_cy"],
            row["summary_en"],
            row["summary_cy"],
            row["status"],
            csvfile.pounds(row["estimated_cost_pence"]),
            csvfile.pounds(row["revised_cost_pence"]),
            row["support_count"],
            ";".join(sorted(themes.get(row["id"], []))),
            row["submitted_at"],
            f"{base}/en/proposals/{row['id']}",
            f"{base}/cy/proposals/{row['id']}",
        ]
        for row in rows
    ]
    return _csv(_file_name("proposals", round_id, area_id), header, body)


@get("/decisions.csv", name="opendata.decisions_csv", media_type="text/csv", responses=ERRORS, tags=["csv"])
async def decisions_csv(round_id: RoundFilter = None) -> Response[bytes]:
    """Published decisions as a spreadsheet, each with the inputs it answers (kind:id effect)."""
    await _check_filters(round_id, None)
    base = _base()
    rows, _ = await queries.decisions(round_id)
    links = await queries.links_of([row["id"] for row in rows])
    header = [
        "id",
        "round_id",
        "title_en",
        "title_cy",
        "decided_by_en",
        "decided_by_cy",
        "decided_on",
        "published_at",
        "body_en",
        "body_cy",
        "why_en",
        "why_cy",
        "minutes_url",
        "inputs",
        "url_en",
        "url_cy",
        # The impact assessment summary, after the columns older files had, so their positions hold.
        "impact_protected_en",
        "impact_protected_cy",
        "impact_welsh_en",
        "impact_welsh_cy",
        "impact_socioeconomic_en",
        "impact_socioeconomic_cy",
        "wellbeing_goals",
    ]
    body = [
        [
            row["id"],
            row["round"],
            row["title_en"],
            row["title_cy"],
            row["decided_by_en"],
            row["decided_by_cy"],
            row["decided_on"],
            row["published_at"],
            row["body_en"],
            row["body_cy"],
            row["why_en"],
            row["why_cy"],
            row["minutes_url"],
            "; ".join(f"{link['input_kind']}:{link['input_id']} {link['effect']}" for link in links[row["id"]]),
            f"{base}/en/decisions/{row['id']}",
            f"{base}/cy/decisions/{row['id']}",
            row["impact_protected_en"],
            row["impact_protected_cy"],
            row["impact_welsh_en"],
            row["impact_welsh_cy"],
            row["impact_socioeconomic_en"],
            row["impact_socioeconomic_cy"],
            ";".join(goals_of(row["wellbeing_goals"])),
        ]
        for row in rows
    ]
    return _csv(_file_name("decisions", round_id, None), header, body)


@get("/delivery.csv", name="opendata.delivery_csv", media_type="text/csv", responses=ERRORS, tags=["csv"])
async def delivery_csv(round_id: RoundFilter = None, area_id: AreaFilter = None) -> Response[bytes]:
    """Delivery of every project as a spreadsheet; external_ref is the column the officers' import uses."""
    await _check_filters(round_id, area_id)
    base = _base()
    rows, _ = await queries.deliveries(round_id, area_id)
    header = [
        "id",
        "external_ref",
        "proposal_id",
        "decision_id",
        "parent_id",
        "title_en",
        "title_cy",
        "status",
        "progress",
        "allocated_pounds",
        "spent_pounds",
        "expected_on",
        "delivered_on",
        "updated_at",
        "url_en",
        "url_cy",
    ]
    body = [
        [
            row["id"],
            row["external_ref"],
            row["proposal"],
            row["decision"],
            row["parent"],
            row["title_en"],
            row["title_cy"],
            row["status"],
            row["progress"],
            csvfile.pounds(row["allocated_pence"]),
            csvfile.pounds(row["spent_pence"]),
            row["expected_on"],
            row["delivered_on"],
            row["updated_at"],
            f"{base}/en/delivery/{row['id']}",
            f"{base}/cy/delivery/{row['id']}",
        ]
        for row in rows
    ]
    return _csv(_file_name("delivery", round_id, area_id), header, body)


@get("/delivery-updates.csv", name="opendata.delivery_updates_csv", media_type="text/csv", responses=ERRORS, tags=["csv"])
async def delivery_updates_csv(round_id: RoundFilter = None, area_id: AreaFilter = None) -> Response[bytes]:
    """Every dated delivery update as a spreadsheet, oldest first."""
    await _check_filters(round_id, area_id)
    rows = await queries.updates(await queries.delivery_ids_for(round_id, area_id), newest_first=False)
    header = ["id", "delivery_id", "external_ref", "at", "status", "progress", "update_en", "update_cy"]
    body = [
        [
            row["id"],
            row["delivery"],
            row["external_ref"],
            row["at"],
            row["status"],
            row["progress"],
            row["body_en"],
            row["body_cy"],
        ]
        for row in rows
    ]
    return _csv(_file_name("delivery-updates", round_id, area_id), header, body)


# Moderation ----------------------------------------------------------------------------------------

MODERATION_TAG = "moderation"


@get("/moderation/summary", name="opendata.moderation_summary", tags=[MODERATION_TAG])
async def moderation_summary() -> schema.ModerationSummary:
    """The moderation transparency log's figures: decisions by visibility, ground, law and community
    guideline clause, how many involved automation, appeals and their outcomes, and the median waits."""
    return serialise.moderation_summary(await transparency.figures(), _base())


@get("/moderation/statements", name="opendata.moderation_statements", responses=ERRORS, tags=[MODERATION_TAG])
async def moderation_statements(page: PageNumber = 1, per_page: PerPage = DEFAULT_PER_PAGE) -> schema.ModerationStatementList:
    """Every moderation decision's statement of reasons, anonymised, oldest first: the day, the kind of
    item, the visibility taken, the ground, law and clause, automation, and any appeal's outcome. The
    facts and explanations moderators write are left out: they may quote or name people."""
    found = await transparency.statements()
    start = (page - 1) * per_page
    return schema.ModerationStatementList(
        items=[serialise.moderation_statement(s) for s in found[start : start + per_page]],
        **serialise.pagination(_base(), "/api/moderation/statements", page, per_page, len(found)),
    )


@get("/moderation/statements.csv", name="opendata.moderation_statements_csv", media_type="text/csv", tags=["csv", MODERATION_TAG])
async def moderation_statements_csv() -> Response[bytes]:
    """Every moderation decision's anonymised statement of reasons as a spreadsheet, oldest first."""
    rows = [serialise.statement_csv_row(s) for s in await transparency.statements()]
    return _csv("moderation-statements.csv", serialise.STATEMENT_CSV_HEADER, rows)


@get("/moderation/summary.csv", name="opendata.moderation_summary_csv", media_type="text/csv", tags=["csv", MODERATION_TAG])
async def moderation_summary_csv() -> Response[bytes]:
    """The moderation transparency log's figures as one long table (table, code, labels, counts)."""
    summary = serialise.moderation_summary(await transparency.figures(), _base())
    return _csv("moderation-summary.csv", serialise.SUMMARY_CSV_HEADER, serialise.summary_csv_rows(summary))


# Pabulib -------------------------------------------------------------------------------------------

PABULIB_MEDIA_TYPE = "text/plain"  # Litestar adds "; charset=utf-8" to text types

_NO_VOTES = {
    404: ResponseSpec(
        data_container=schema.ApiError,
        generate_examples=False,
        description="No public round or area with those ids, or voting has not closed.",
    )
}


@get(
    "/rounds/{round_id:int}/areas/{area_id:int}/votes.pb",
    name="opendata.area_votes_pabulib",
    media_type=PABULIB_MEDIA_TYPE,
    tags=["votes"],
    response_description="A Pabulib file (UTF-8 text), as an attachment named pb-round-R-area-A.pb.",
    responses=_NO_VOTES,
)
async def area_votes_pabulib(round_id: FromPath[int], area_id: FromPath[int]) -> File:
    """The anonymised votes of one area of a round, in the Pabulib format (https://pabulib.org), published
    once voting has closed (404 before: no counts anywhere before the close). META says how the round was
    counted; PROJECTS has each project's cost in pounds, its votes and whether it was funded (`selected`, the
    frozen result); VOTES has one line per ballot, numbered in a random order, with the way of voting
    (internet or paper) and nothing else about the voter."""

    try:
        path = await export_file(round_id, area_id)
    except PabulibExportError:
        raise NotFoundException("There are no published votes for that round and area.") from None
    # Streamed from the file written once (pb.voting.pabulib_io.export_file): memory stays flat.
    return File(
        path,
        filename=file_name(round_id, area_id),
        media_type=PABULIB_MEDIA_TYPE,
        content_disposition_type="attachment",
    )


async def _ballots_file(round_id: int, area_id: int, kind: str) -> File:
    try:
        path = await ballot_exports.ballots_file(round_id, area_id, kind)
    except PabulibExportError:
        raise NotFoundException("There are no published votes for that round and area.") from None
    return File(
        path,
        filename=ballot_exports.file_name(round_id, area_id, kind),
        media_type=ballot_exports.FORMATS[kind],
        content_disposition_type="attachment",
    )


@get(
    "/rounds/{round_id:int}/areas/{area_id:int}/ballots.csv",
    name="opendata.area_ballots_csv",
    media_type="text/csv",
    tags=["votes", "csv"],
    response_description="CSV with a header row: ballot, projects (project ids separated by spaces), points (cumulative "
    "rounds), voting_method.",
    responses=_NO_VOTES,
)
async def area_ballots_csv(round_id: FromPath[int], area_id: FromPath[int]) -> File:
    """The same anonymised ballots as the Pabulib file, one row per ballot, published once voting has closed.
    Streamed from a file written once: memory does not grow with the number of ballots."""
    return await _ballots_file(round_id, area_id, "csv")


@get(
    "/rounds/{round_id:int}/areas/{area_id:int}/ballots.json",
    name="opendata.area_ballots_json",
    media_type="application/json",
    tags=["votes"],
    response_description='{"round": R, "area": A, "ballots": [{"ballot": 1, "projects": [ids], "points": [..], '
    '"voting_method": "internet"}, …]}',
    responses=_NO_VOTES,
)
async def area_ballots_json(round_id: FromPath[int], area_id: FromPath[int]) -> File:
    """The same anonymised ballots as the Pabulib file, as JSON, published once voting has closed. Streamed
    from a file written once: memory does not grow with the number of ballots."""
    return await _ballots_file(round_id, area_id, "json")


# Atom ----------------------------------------------------------------------------------------------


def _pick(row: dict, field: str, lang: str) -> feeds.Text:
    other = "cy" if lang == "en" else "en"
    for code in (lang, other):
        if row.get(f"{field}_{code}"):
            return feeds.Text(row[f"{field}_{code}"], code)
    return feeds.Text("", lang)


def _alternates(base: str, path: str) -> list[feeds.Link]:
    return [feeds.Link(f"{base}/en{path}", hreflang="en"), feeds.Link(f"{base}/cy{path}", hreflang="cy")]


async def _feed_context(kind: str, round_id: int | None, area_id: int | None, lang: str) -> tuple[str, list[feeds.Link]]:
    """The feed's id and its own links: itself, the same feed in the other language, and the tracker pages."""
    area = await _check_filters(round_id, area_id)
    base = _base()
    tracker_round = area["round"] if area else round_id
    tracker = f"/rounds/{tracker_round}/you-said-we-did" if tracker_round else "/you-said-we-did"
    filters = "".join(f"&{name}={value}" for name, value in (("round", round_id), ("area", area_id)) if value is not None)
    other = "cy" if lang == "en" else "en"
    path = f"{base}/api/feeds/{kind}.atom"
    links = [
        feeds.Link(f"{path}?lang={lang}{filters}", rel="self", type="application/atom+xml"),
        feeds.Link(f"{path}?lang={other}{filters}", rel="alternate", type="application/atom+xml", hreflang=other),
        *_alternates(base, tracker),
    ]
    specific = f"feeds/{kind}" + (f"/round-{round_id}" if round_id else "") + (f"/area-{area_id}" if area_id else "") + f"/{lang}"
    return feeds.tag_uri(base, FEED_TAG_DATE, specific), links


def _atom(body: bytes) -> Response[bytes]:
    return Response(body, media_type=feeds.MEDIA_TYPE)


@get("/feeds/decisions.atom", name="opendata.decisions_feed", media_type="application/atom+xml", responses=ERRORS, tags=["feeds"])
async def decisions_feed(
    round_id: RoundFilter = None, area_id: AreaFilter = None, lang: FromQuery[Language] = "en"
) -> Response[bytes]:
    """An Atom feed with one entry per published decision, newest first (at most 100)."""
    feed_id, links = await _feed_context("decisions", round_id, area_id, lang)
    base = _base()
    rows, _ = await queries.decisions(round_id, area_id, 0, FEED_SIZE, newest_first=True)
    entries = [
        feeds.Entry(
            id=feeds.tag_uri(base, row["published_at"] or row["updated_at"], f"decision/{row['id']}"),
            title=_pick(row, "title", lang),
            updated=max(utc(row["updated_at"]), utc(row["published_at"] or row["updated_at"])),
            published=row["published_at"],
            summary=_pick(row, "body", lang),
            links=_alternates(base, f"/decisions/{row['id']}"),
        )
        for row in rows
    ]
    settings = get_settings()
    return _atom(
        feeds.atom_feed(
            feed_id=feed_id,
            title=f"{settings.council_name(lang)}: {t(lang, N_('Decisions'))}",
            lang=lang,
            author=settings.council_name(lang),
            links=links,
            entries=entries,
            empty_updated=datetime.now(UTC),
        )
    )


@get("/feeds/delivery.atom", name="opendata.delivery_feed", media_type="application/atom+xml", responses=ERRORS, tags=["feeds"])
async def delivery_feed(
    round_id: RoundFilter = None, area_id: AreaFilter = None, lang: FromQuery[Language] = "en"
) -> Response[bytes]:
    """An Atom feed with one entry per dated delivery update, newest first (at most 100)."""
    feed_id, links = await _feed_context("delivery", round_id, area_id, lang)
    base = _base()
    rows = await queries.updates(await queries.delivery_ids_for(round_id, area_id), limit=FEED_SIZE)
    entries = [
        feeds.Entry(
            id=feeds.tag_uri(base, row["at"], f"delivery-update/{row['id']}"),
            title=_pick(row, "delivery_title", lang),
            updated=row["at"],
            published=row["at"],
            summary=_pick(row, "body", lang),
            links=_alternates(base, f"/delivery/{row['delivery']}"),
            categories=[(row["status"], t(lang, DELIVERY_STATUSES[row["status"]]))] if row["status"] in DELIVERY_STATUSES else [],
        )
        for row in rows
    ]
    settings = get_settings()
    return _atom(
        feeds.atom_feed(
            feed_id=feed_id,
            title=f"{settings.council_name(lang)}: {t(lang, N_('Delivery'))}",
            lang=lang,
            author=settings.council_name(lang),
            links=links,
            entries=entries,
            empty_updated=datetime.now(UTC),
        )
    )


# Wiring ----------------------------------------------------------------------------------------------

route_handlers = [
    index,
    round_list,
    round_detail,
    round_proposals,
    proposal_detail,
    decision_list,
    decision_detail,
    delivery_list,
    delivery_detail,
    proposals_csv,
    decisions_csv,
    delivery_csv,
    delivery_updates_csv,
    moderation_summary,
    moderation_statements,
    moderation_statements_csv,
    moderation_summary_csv,
    decisions_feed,
    delivery_feed,
    area_votes_pabulib,
    area_ballots_csv,
    area_ballots_json,
]

# Read-only GETs: no CSRF cookie is needed, so none is set on API answers. Any web page may read the
# data (it is public and the same for everyone; browsers send no cookies to a "*" origin).
api_router = Router(
    path="/api",
    route_handlers=route_handlers,
    guards=[valid_ids],
    include_in_schema=True,
    opt={"exclude_from_csrf": True},
    response_headers=[
        ResponseHeader(name="Access-Control-Allow-Origin", value="*", description="Open data: readable from any web page.")
    ],
)


def openapi_config() -> OpenAPIConfig:
    """The schema at /api/schema (and /api/schema/openapi.json): JSON only, no UI loaded from a CDN."""
    return OpenAPIConfig(
        title="pb open data",
        version=API_VERSION,
        description=(
            "Public data of a participatory budgeting service: rounds, proposals, decisions and their "
            "delivery, and anonymised moderation statements of reasons, in Welsh and English. Read-only; no personal data."
        ),
        path="/api/schema",
        render_plugins=[JsonRenderPlugin()],
        use_handler_docstrings=True,
    )


@get("/open-data", name="open_data")
async def open_data_page(request: Request) -> Template:
    """The open-data page: what is published and where (under /{lang}/)."""
    return page(request, "pages/open_data.html", pabulib_rounds=await published_votes())
