"""Online voting: declare eligibility, fill the ballot (with a live running total under htmx and a
server-side check without it), review, cast, and get a receipt."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from pb import i18n
from pb.config import get_settings
from pb.equality import answers as equality
from pb.equality import handover
from pb.fields import parse_id
from pb.proposals.tables import Proposal
from pb.rounds import postcodes
from pb.rounds import queries as round_queries
from pb.rounds.routes import public_round
from pb.voting import actions, ballots, sealing, voters
from pb.voting.results import results_of
from pb.voting.tables import Ballot, BallotChoice
from pb.web import site
from pb.web.auth import user_id
from pb.web.forms import see_other
from pb.web.templating import language_context, page, path_to, request_language


async def _ballot_projects(round_id: int, area_id: int) -> list[dict]:
    return (
        await Proposal.select(
            Proposal.id,
            Proposal.title_en,
            Proposal.title_cy,
            Proposal.summary_en,
            Proposal.summary_cy,
            Proposal.estimated_cost_pence,
            Proposal.revised_cost_pence,
        )
        .where((Proposal.round == round_id) & (Proposal.area == area_id) & (Proposal.status == "on_ballot"))
        .order_by(Proposal.id)
    )


def _cost(project: dict) -> int:
    return project["revised_cost_pence"] if project["revised_cost_pence"] is not None else project["estimated_cost_pence"]


def _shown(problems: list[ballots.Problem], lang: str) -> list[dict]:
    """Problems with money values formatted for the page's language."""
    return [
        {"message": problem.message, "values": i18n.money_fields(problem.values, ballots.MONEY_VALUES, lang)}
        for problem in problems
    ]


def _page(request: Request, template: str, voter: voters.Voter | None, status_code: int = 200, **context) -> Template:
    """A ballot-journey page: it knows who is voting, and at a kiosk shows the assisted-voting banner
    instead of the site's navigation (which would expose the facilitator's account)."""
    return page(
        request,
        template,
        status_code=status_code,
        voter=voter,
        kiosk_device=voters.is_kiosk_device(request),
        kiosk=voter.facilitator if voter and voter.channel == "assisted" else None,
        **context,
    )


AREA_SETTLED = "_area_settled"  # not a form field: marks an area the way in settled


def _fixed(params: Mapping[str, Any], voter: voters.Voter | None) -> dict:
    """What the way in already settled overrides what the form says: a code's area, or the area and
    age a facilitator checked."""
    params = {key: value for key, value in params.items() if key != AREA_SETTLED}
    if voter and voter.area is not None:
        params["area"] = str(voter.area)
        params[AREA_SETTLED] = True
    if voter and voter.age_confirmed:
        params["age"] = "yes"
    return params


async def _context(request: Request, round_id: int, params: dict) -> tuple[dict, dict, dict]:
    """The round, the declared area and the eligibility problems, from query or form values. Where
    the round has the council's postcode list, the area follows from the postcode given (whatever
    area the form says), unless the way in settled it (a code for one area, a facilitator)."""
    row = await public_round(round_id, request)
    all_areas, listed = await round_queries.areas_and_postcodes(round_id)
    areas = [a for a in all_areas if a["residents_eligible"]]
    eligible = {a["id"] for a in areas}
    by_postcode = not params.get(AREA_SETTLED) and listed
    if by_postcode:
        typed = params.get("postcode", "") if isinstance(params.get("postcode"), str) else ""
        postcode = postcodes.normalise(typed)
        area_id = await round_queries.area_of_postcode(round_id, postcode) if postcode else None
        problems = ballots.eligibility_problems(area_id, eligible, params.get("age") == "yes", row["min_age"])
        problems.pop("area", None)
        wrong = ballots.postcode_problem(typed, postcode, area_id, eligible)
        if wrong:
            problems = {"postcode": wrong, **problems}
        params["postcode"] = postcode or typed[:20]
    else:
        area_id = parse_id(params.get("area", ""))
        problems = ballots.eligibility_problems(area_id, eligible, params.get("age") == "yes", row["min_age"])
    area = next((a for a in areas if a["id"] == area_id), None)
    return row, {"areas": areas, "area": area, "by_postcode": by_postcode, "postcode": params.get("postcode", "")}, problems


@get("/rounds/{round_id:int}/vote", name="voting.start")
async def start(request: Request, round_id: FromPath[int]) -> Template:
    row = await public_round(round_id, request)
    all_areas, by_postcode = await round_queries.areas_and_postcodes(round_id)
    areas = [a for a in all_areas if a["residents_eligible"]]
    voter = await voters.current_voter(request, round_id)
    voted = voter is not None and await actions.has_voted(round_id, voter.voter_key)
    return _page(
        request,
        "voting/start.html",
        voter,
        round=row,
        areas=areas,
        voted=voted,
        values=_fixed({}, voter),
        errors={},
        by_postcode=by_postcode,
    )


@get("/rounds/{round_id:int}/vote/ballot", name="voting.ballot")
async def ballot(request: Request, round_id: FromPath[int]) -> Template | Redirect:
    voter = await voters.current_voter(request, round_id)
    params = _fixed(request.query_params, voter)
    row, where, problems = await _context(request, round_id, params)
    if row["phase"] != "voting" or voter is None:
        return see_other(f"/{request_language(request)}/rounds/{round_id}/vote")
    if problems:
        return _page(
            request,
            "voting/start.html",
            voter,
            status_code=422,
            round=row,
            areas=where["areas"],
            voted=False,
            values=params,
            errors=problems,
            by_postcode=where["by_postcode"],
        )
    projects = await _ballot_projects(round_id, where["area"]["id"])
    return _page(
        request,
        "voting/ballot.html",
        voter,
        round=row,
        area=where["area"],
        projects=projects,
        chosen={},
        problems=[],
        cost=_cost,
        total=0,
        rules=ballots.ballot_rules(row, where["area"]),
        postcode=where["postcode"],
    )


async def _read_ballot(request: Request, round_id: int, voter: voters.Voter | None = None):
    form = await request.form()
    items = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    params = _fixed({k: v for k, v in items}, voter)
    row, where, eligibility = await _context(request, round_id, params)
    lang = request_language(request)
    if where["area"] is None:
        return row, where, eligibility, {}, [], [], lang
    projects = await _ballot_projects(round_id, where["area"]["id"])
    chosen, problems = ballots.read_choices(items, row["ballot_method"])
    problems += ballots.check_ballot(chosen, {p["id"]: _cost(p) for p in projects}, ballots.ballot_rules(row, where["area"]))
    return row, where, eligibility, chosen, projects, problems, lang


@post("/rounds/{round_id:int}/vote/total", name="voting.running_total")
async def running_total(request: Request, round_id: FromPath[int]) -> Template:
    """htmx: the running total and what is left, as the voter ticks projects."""
    voter = await voters.current_voter(request, round_id)
    row, where, _, chosen, projects, problems, lang = await _read_ballot(request, round_id, voter)
    costs = {p["id"]: _cost(p) for p in projects}
    total = sum(costs.get(project, 0) for project in chosen)
    return page(
        request,
        "voting/_total.html",
        round=row,
        area=where["area"],
        chosen=chosen,
        total=total,
        rules=ballots.ballot_rules(row, where["area"]) if where["area"] else None,
    )


@post("/rounds/{round_id:int}/vote/review", name="voting.review")
async def review(request: Request, round_id: FromPath[int]) -> Template | Redirect:
    voter = await voters.current_voter(request, round_id)
    row, where, eligibility, chosen, projects, problems, lang = await _read_ballot(request, round_id, voter)
    if row["phase"] != "voting" or eligibility or voter is None:
        return see_other(path_to(request, "voting.start", lang=lang, round_id=round_id))
    form = await request.form()
    if form.get("change"):  # back from the review page to the ballot, choices kept
        problems = []
    template = "voting/ballot.html" if problems or form.get("change") else "voting/review.html"
    return _ballot_page(request, template, voter, row, where, projects, chosen, problems, lang)


def _ballot_page(
    request: Request,
    template: str,
    voter: voters.Voter | None,
    row: dict,
    where: dict,
    projects: list[dict],
    chosen: Mapping[int, int],
    problems: list,
    lang: str,
) -> Template:
    """The ballot (with its problems beside it, 422) or the review page, the choices kept."""
    return _page(
        request,
        template,
        voter,
        status_code=422 if problems else 200,
        round=row,
        area=where["area"],
        projects=projects,
        chosen=chosen,
        problems=_shown(problems, lang),
        cost=_cost,
        total=sum(_cost(p) for p in projects if p["id"] in chosen),
        rules=ballots.ballot_rules(row, where["area"]),
        postcode=where["postcode"],
        # One token per review page: a cast sent again with it (a double click, a retry after a lost
        # answer) shows the same receipt instead of "already voted".
        cast_token=sealing.new_cast_token(),
    )


RECEIPT_VALUE = re.compile(r"([0-9]{1,10})\.([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\.([01])([01])")
EQUALITY_ROUTE = {"online": "online", "code": "code", "assisted": "kiosk"}
# The invitation to the equality questions reaches the "vote cast" page as the receipt does: in a
# short-lived cookie on the voter's own browser, shown once (pb.equality.handover).


def _with_receipt(response: Redirect, round_id: int, result: actions.Cast, kiosk: bool, invitation: str) -> Redirect:
    value = f"{round_id}.{result.receipt}.{int(result.replaced)}{int(kiosk)}"
    secure = get_settings().production
    response.set_cookie(voters.RECEIPT_COOKIE, value, max_age=600, path="/", httponly=True, samesite="lax", secure=secure)
    handover.hand_over(response, invitation)
    return response


@post("/rounds/{round_id:int}/vote/cast", name="voting.cast")
async def cast(request: Request, round_id: FromPath[int]) -> Template | Redirect:
    voter = await voters.current_voter(request, round_id)
    row, where, eligibility, chosen, projects, problems, lang = await _read_ballot(request, round_id, voter)
    if row["phase"] != "voting" or eligibility or voter is None:
        return see_other(path_to(request, "voting.start", lang=lang, round_id=round_id))
    if problems:
        return _ballot_page(request, "voting/ballot.html", voter, row, where, projects, chosen, problems, lang)
    form_token = (await request.form()).get("cast_token")
    try:
        # An assisted vote never replaces a ballot: a kiosk must not be able to overwrite a vote.
        result = await actions.cast_ballot(
            round_id,
            where["area"]["id"],
            voter.voter_key,
            chosen,
            voter.channel,
            row["allow_revote"],  # cast_ballot replaces only a vote cast with an account
            code_id=voter.code_id,
            cast_token=form_token,
        )
    except actions.VotingError as problem:
        return _page(
            request,
            "voting/start.html",
            voter,
            status_code=409,
            round=row,
            areas=where["areas"],
            voted=True,
            values={},
            errors={"form": str(problem)},
            by_postcode=where["by_postcode"],
        )
    voters.after_cast(request, voter)
    done_page = see_other(path_to(request, "voting.done", lang=lang, round_id=round_id))
    # Once per person per round: an account is the same person when it proposes or comes to a session.
    person = f"user:{user_id(request)}" if voter.channel == "online" else f"voter:{voter.voter_key}"
    invitation = await equality.invite_once(round_id, where["area"]["id"], EQUALITY_ROUTE[voter.channel], person, open_round=True)
    return _with_receipt(done_page, round_id, result, voter.channel == "assisted", invitation)


@get("/rounds/{round_id:int}/vote/done", name="voting.done")
async def done(request: Request, round_id: FromPath[int]) -> Template | Redirect:
    row = await public_round(round_id, request)
    found = RECEIPT_VALUE.fullmatch(request.cookies.get(voters.RECEIPT_COOKIE, ""))
    if not found or int(found.group(1)) != round_id:
        return see_other(f"/{request_language(request)}/rounds/{round_id}/vote")
    receipt = {"code": found.group(2), "replaced": found.group(3) == "1"}
    kiosk = found.group(4) == "1" and voters.may_facilitate(request)
    invitation = handover.offered(request, round_id)
    shown = page(request, "voting/done.html", round=row, receipt=receipt, kiosk=kiosk, invitation=invitation)
    shown.delete_cookie(voters.RECEIPT_COOKIE, path="/")  # shown once: the next person at a shared computer cannot
    return handover.taken(request, shown)


@get("/rounds/{round_id:int}/results", name="voting.results")
async def results(request: Request, round_id: FromPath[int]) -> Template:

    row = await public_round(round_id, request)
    areas = await round_queries.areas_of(round_id)
    if row["phase"] not in ("results", "delivery"):
        # No counts anywhere before the close: the page says when results come, nothing more.
        return page(request, "voting/results_pending.html", round=row)
    found = await results_of(round_id)
    lang = request_language(request)
    for lines in found["areas"].values():
        for line in lines:
            line["why_shown"] = i18n.money_fields(line["why_values"], ("left", "behind", "cost"), lang)
    return page(request, "voting/results.html", round=row, areas=areas, results=found)


@get("/rounds/{round_id:int}/results/{area_id:int}/notice", name="voting.results_notice")
async def results_notice(request: Request, round_id: FromPath[int], area_id: FromPath[int]) -> Template:
    """One area's results on one printed page for a noticeboard or a library: Welsh first, then
    English (as the voting-code letters), with the address of the full results."""
    row = await public_round(round_id, request)
    area = next((a for a in await round_queries.areas_of(round_id) if a["id"] == area_id), None)
    if area is None or row["phase"] not in ("results", "delivery"):
        raise NotFoundException()
    found = await results_of(round_id)
    lines = found["areas"].get(area_id, [])
    funded = [line for line in lines if line["funded"]]
    langs = ["cy", "en"]
    base = get_settings().base_url
    return page(
        request,
        "voting/results_notice.html",
        round=row,
        area=area,
        funded=funded,
        allocated=sum(line["cost_pence"] for line in funded),
        voted=found["turnout_by_area"].get(area_id, 0),
        on_ballot=len(lines),
        notice_langs=langs,
        notice_text={lang: language_context(lang) for lang in langs},
        notice_site={lang: site.details(lang) for lang in langs},
        notice_address={lang: f"{base}/{lang}/rounds/{round_id}/results#area-{area_id}" for lang in langs},
    )


@get("/rounds/{round_id:int}/ballots", name="voting.published_ballots")
async def published_ballots(
    request: Request,
    round_id: FromPath[int],
    receipt_text: Annotated[str | None, QueryParameter(name="receipt", max_length=40)] = None,
    after: Annotated[str | None, QueryParameter(max_length=40)] = None,
    before: Annotated[str | None, QueryParameter(max_length=40)] = None,
) -> Template:
    """After the close: every ballot with its receipt code, so each voter can check theirs was
    counted as cast, and anyone can recount. Before the close: nothing. Pages follow the receipt
    order (random) from the last receipt shown (keyset): the last page costs what the first does."""

    row = await public_round(round_id, request)
    if row["phase"] not in ("results", "delivery"):
        return page(request, "voting/results_pending.html", round=row)
    receipt = (receipt_text or "").strip().upper()[:20]
    after_receipt = (after or "").strip().upper()[:20]
    before_receipt = (before or "").strip().upper()[:20]
    query = Ballot.select(Ballot.id, Ballot.receipt, Ballot.area, Ballot.channel).where(Ballot.round == round_id)
    if receipt:
        found = await query.where(Ballot.receipt == receipt)
        more_before = more_after = False
    elif before_receipt:
        found = list(
            reversed(
                await query.where(Ballot.receipt < before_receipt).order_by(Ballot.receipt, ascending=False).limit(PER_PAGE + 1)
            )
        )
        more_before = len(found) > PER_PAGE
        more_after = await Ballot.exists().where((Ballot.round == round_id) & (Ballot.receipt >= before_receipt))
        found = found[-PER_PAGE:]
    else:
        found = await query.where(Ballot.receipt > after_receipt).order_by(Ballot.receipt).limit(PER_PAGE + 1)
        more_before, more_after = bool(after_receipt), len(found) > PER_PAGE
        found = found[:PER_PAGE]
    choices: dict[int, list[dict]] = {}
    if found:
        for choice in await BallotChoice.select(
            BallotChoice.ballot,
            BallotChoice.points,
            BallotChoice.proposal.title_en.as_alias("title_en"),
            BallotChoice.proposal.title_cy.as_alias("title_cy"),
        ).where(BallotChoice.ballot.is_in([b["id"] for b in found])):
            choices.setdefault(choice["ballot"], []).append(choice)
    areas = {a["id"]: a for a in await round_queries.areas_of(round_id)}
    return page(
        request,
        "voting/ballots.html",
        round=row,
        ballots=found,
        choices=choices,
        areas=areas,
        receipt=receipt,
        previous_query=urlencode({"before": found[0]["receipt"]}) if found and more_before else "",
        next_query=urlencode({"after": found[-1]["receipt"]}) if found and more_after else "",
        total=await Ballot.count().where(Ballot.round == round_id),
    )


PER_PAGE = 50  # ballots on a page of the published list


route_handlers = [start, ballot, running_total, review, cast, done, results, results_notice, published_ballots]
