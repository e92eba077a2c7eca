"""The participation report, per round and council-wide, as a page (SVG charts with the figures in
tables beside them) and as CSV with the same suppression.

A round's report is public once its voting has closed: before that the answers are sealed, so there
is nothing to show anyone, officers included, beyond how many have been sent. The council-wide
report covers every round whose voting has closed. Mounted under /{lang}.
"""

from __future__ import annotations

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from pb.equality import answers, report
from pb.equality.queries import baseline_of, baseline_source
from pb.i18n import tc
from pb.rounds import queries as round_queries
from pb.rounds.routes import public_round
from pb.rounds.tables import Round
from pb.web import csvfile
from pb.web.templating import page, request_language

CLOSED = ("results", "delivery")


def _rows(found: list[dict]) -> list[report.Row]:
    return [report.Row(row["area"], row["route"], row["answers"]) for row in found]


async def _round_report(round_id: int, found: list[dict] | None = None, baseline: dict | None = None) -> report.Report:
    """A round's report; the council-wide report passes the answers and baseline it has already read."""
    areas = await round_queries.areas_of(round_id)
    found = await answers.answers_of(round_id) if found is None else found
    baseline = await baseline_of(round_id) if baseline is None else baseline
    return report.build(_rows(found), [(area["id"], area["name_en"]) for area in areas], baseline)


@get("/rounds/{round_id:int}/participation", name="equality.round_report")
async def round_report(request: Request, round_id: FromPath[int]) -> Template:
    row = await public_round(round_id, request)
    areas = {str(area["id"]): area for area in await round_queries.areas_of(round_id)}
    closed = row["phase"] in CLOSED
    return page(
        request,
        "equality/report.html",
        round=row,
        areas=areas,
        closed=closed,
        waiting=0 if closed else await answers.waiting(round_id),
        report=await _round_report(round_id) if closed else None,
        source=await baseline_source(round_id),
    )


@get("/rounds/{round_id:int}/participation.csv", name="equality.round_report_csv")
async def round_report_csv(request: Request, round_id: FromPath[int]) -> Response[bytes]:
    row = await public_round(round_id, request)
    if row["phase"] not in CLOSED:
        raise NotFoundException()
    lang = request_language(request)
    areas = {str(area["id"]): area[f"name_{lang}"] for area in await round_queries.areas_of(round_id)}
    found = await _round_report(round_id)
    rows = report.csv_rows(found, lambda key, label: areas.get(key) or tc(lang, label))
    return Response(
        csvfile.to_csv(rows[0], rows[1:]),
        media_type=csvfile.MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="participation-round-{round_id}.csv"'},
    )


async def _council_report() -> tuple[report.Report, list[dict]]:
    """Every closed round together: the "area" columns are the rounds, and each round's baseline
    adds to the population."""
    closed = (
        await Round.select(Round.id, Round.title_en, Round.title_cy).where(Round.phase.is_in(list(CLOSED))).order_by(Round.id)
    )
    rows: list[report.Row] = []
    baseline: dict[tuple[int, str, str], int] = {}
    each: list[report.Report] = []  # what each round's report withholds, the council's must too
    for round_row in closed:
        given, round_baseline = await answers.answers_of(round_row["id"]), await baseline_of(round_row["id"])
        each.append(await _round_report(round_row["id"], given, round_baseline))
        rows += [report.Row(round_row["id"], row["route"], row["answers"]) for row in given]
        for (_, measure, group), people in round_baseline.items():
            if measure != report.DEPRIVATION:  # an area's fifth does not add up across rounds
                key = (round_row["id"], measure, group)
                baseline[key] = baseline.get(key, 0) + people
    found = report.build(
        rows, [(round_row["id"], round_row["title_en"]) for round_row in closed], baseline, report.withheld_in_council(each)
    )
    return found, closed


@get("/participation", name="equality.council_report")
async def council_report(request: Request) -> Template:
    found, closed = await _council_report()
    return page(
        request,
        "equality/report.html",
        round=None,
        areas={str(r["id"]): {"name_en": r["title_en"], "name_cy": r["title_cy"]} for r in closed},
        closed=True,
        waiting=0,
        report=found,
        source=None,
    )


@get("/participation.csv", name="equality.council_report_csv")
async def council_report_csv(request: Request) -> Response[bytes]:
    lang = request_language(request)
    found, closed = await _council_report()
    titles = {str(r["id"]): r[f"title_{lang}"] for r in closed}
    rows = report.csv_rows(found, lambda key, label: titles.get(key) or tc(lang, label))
    return Response(
        csvfile.to_csv(rows[0], rows[1:]),
        media_type=csvfile.MEDIA_TYPE,
        headers={"Content-Disposition": 'attachment; filename="participation.csv"'},
    )


route_handlers = [round_report, round_report_csv, council_report, council_report_csv]
