"""The public transparency log, and tension monitoring for officers and moderators. Mounted under
"/{lang}". Read-only pages; the figures come from pb.moderation.transparency and .tension."""

from __future__ import annotations

from typing import Literal

from litestar import Request, get
from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromQuery
from litestar.response import Template

from pb.moderation import measures, rules, tension, transparency
from pb.web.auth import SignInRequired, current_user
from pb.web.templating import page

Measure = Literal["reports", "hidden", "notes"]


def officers_and_moderators(connection: ASGIConnection, _: BaseRouteHandler | None = None) -> None:
    """Tension monitoring is for the council's officers and its moderators (and admins)."""
    user = current_user(connection)
    if user is None:
        raise SignInRequired()
    if not (user.has_role("officer") or user.has_role("moderator")):
        raise PermissionDeniedException()


def _rows(labels: dict[str, str], counts: dict[str, dict[str, int]]) -> list[tuple[str, str, dict[str, int]]]:
    return [(code, label, counts.get(code, {})) for code, label in labels.items()]


@get("/moderation/log", name="moderation_log")
async def transparency_log(request: Request) -> Template:
    figures = await transparency.figures()
    return page(
        request,
        "moderation/log.html",
        figures=figures,
        grounds=_rows(rules.GROUNDS, figures.by_ground),
        laws=_rows(rules.LAWS, figures.by_law),
        clauses=_rows(rules.REASONS, figures.by_clause),
        no_clause=figures.by_clause.get("", {}),
        visibilities=list(rules.ACTIONS),
        report_wait=measures.duration(figures.median_report_seconds),
        appeal_wait=measures.duration(figures.median_appeal_seconds),
    )


@get("/moderation/tension", guards=[officers_and_moderators], name="moderation_tension")
async def tension_page(request: Request, measure: FromQuery[Measure] = "reports") -> Template:
    found = await tension.tension(measure)
    return page(
        request,
        "moderation/tension.html",
        tension=found,
        measure=measure,
        measures=tension.MEASURES,
        reasons=rules.REASONS,
        spike_minimum=measures.SPIKE_MINIMUM,
        spike_factor=measures.SPIKE_FACTOR,
        baseline_weeks=measures.BASELINE_WEEKS,
    )


route_handlers = [transparency_log, tension_page]
