"""Assisted voting at a kiosk: a facilitator opens the ballot for one person at a time, who is
identified by their voting code or by signing in to their own account there; the person then votes
through the same ballot pages as everyone else (pb.voting.online).

Handlers stay thin: the form is read by pb.voting.kiosk.rules, codes are checked by
pb.voting.codes, and who is voting is held by pb.voting.voters."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pb.accounts import actions as account_actions
from pb.accounts.guards import SignInRequired
from pb.accounts.rules import normalise_email
from pb.audit.actions import record
from pb.db import transaction
from pb.rounds import postcodes
from pb.rounds import queries as round_queries
from pb.rounds.routes import public_round
from pb.voting import actions, ballots, voters
from pb.voting.codes import actions as code_actions
from pb.voting.codes import rules as code_rules
from pb.voting.kiosk import rules
from pb.web.auth import current_user, signed_in_id
from pb.web.forms import client_address, read_form, see_other
from pb.web.templating import N_, page, path_to


def _facilitator(request: Request) -> None:
    if not current_user(request):
        raise SignInRequired()
    if not voters.may_facilitate(request):
        raise PermissionDeniedException()


async def _assisted_page(request: Request, row: dict, status_code: int = 200, **context) -> Template:
    areas = [a for a in await round_queries.areas_of(row["id"]) if a["residents_eligible"]]
    context.setdefault("values", {})
    context.setdefault("errors", {})
    by_postcode = await round_queries.has_postcodes(row["id"])
    return page(
        request, "voting/codes/assisted.html", status_code=status_code, round=row, areas=areas, by_postcode=by_postcode, **context
    )


@get("/rounds/{round_id:int}/vote/assisted", name="voting.assisted")
async def assisted(request: Request, round_id: FromPath[int]) -> Template:
    _facilitator(request)
    row = await public_round(round_id, request)
    voters.kiosk_state(request, round_id)  # an expired kiosk voter is forgotten here
    return await _assisted_page(request, row)


@post("/rounds/{round_id:int}/vote/assisted", name="voting.open_assisted")
async def open_assisted(request: Request, lang: FromPath[str], round_id: FromPath[int]) -> Template | Redirect:
    _facilitator(request)
    row = await public_round(round_id, request)
    if row["phase"] != "voting":
        return await _assisted_page(request, row, status_code=409)
    form = await read_form(request)
    areas = [a for a in await round_queries.areas_of(round_id) if a["residents_eligible"]]
    values, errors = rules.validate_assisted(form, {a["id"] for a in areas}, row["min_age"])
    code_id = user_id = None
    status_code = 422
    voter_key = None
    area = values["area"]
    # With the council's postcode list, the area follows from their postcode (unless their code fixes it).
    by_postcode = await round_queries.has_postcodes(round_id)
    postcode_problem = None
    if by_postcode:
        errors.pop("area", None)
        typed = form.get("postcode", "")
        postcode = postcodes.normalise(typed)
        area = await round_queries.area_of_postcode(round_id, postcode) if postcode else None
        postcode_problem = (
            ballots.postcode_problem(typed, postcode, area, {a["id"] for a in areas})
            if typed.strip()
            else N_("Enter their postcode")
        )
        area = None if postcode_problem else area
    if not errors.get("code") and values["code"]:
        # Codes typed at a kiosk count against the same per-address limit as codes typed online.
        found, retry_after = await code_actions.throttled_find(round_id, values["code"], client_address(request))
        problem = code_rules.code_problem(found)
        if retry_after:
            errors["code"] = N_("Too many codes have been tried from here. Wait 15 minutes, then try again.")
            status_code = 429
        elif problem:
            errors["code"] = problem
        elif found is not None:
            code_id, voter_key = found["id"], found["voter_key"]
            if found["area"] is not None:
                if area is not None and area != found["area"]:
                    errors["postcode" if by_postcode else "area"] = (
                        N_("This code is for another area: check their postcode against their letter")
                        if by_postcode
                        else N_("This code is for another area: choose the area on their letter")
                    )
                area = found["area"]
                postcode_problem = None  # the code settles it
    elif not errors.get("email") and values["email"]:
        # The person signs in on the kiosk themselves, under the sign-in throttle and its counters:
        # the kiosk is no way round the limit on guessing someone's password.
        signed = await account_actions.sign_in(
            normalise_email(values["email"]), form.get("password") or "", client_address(request)
        )
        if signed.user_id is None:
            errors["password"] = signed.error or N_("The email address or password is not right")
            status_code = 429 if signed.retry_after else 422
        else:
            user_id = signed.user_id
            voter_key = actions.voter_key_for_user(round_id, user_id)
            if await actions.has_voted(round_id, voter_key):
                errors["email"] = N_("This person has already voted in this round")
    if area is None and by_postcode and not errors.get("postcode"):
        errors["postcode"] = postcode_problem or N_("Enter their postcode")
    elif area is None and not by_postcode and not errors.get("area"):
        errors["area"] = N_("Choose the area they live in")
    if errors:
        kept = {k: v for k, v in form.items() if k != "password"}  # a password is never sent back
        return await _assisted_page(request, row, status_code=status_code, values=kept, errors=errors)
    async with transaction():
        # Who opened a kiosk and when; never for whom, nor how they vote.
        await record(signed_in_id(request), "voting.assisted_open", f"round:{round_id}")
    voters.forget_code(request)
    voters.open_kiosk(request, round_id, area, code_id, user_id)
    return see_other(path_to(request, "voting.start", lang=lang, round_id=round_id))


@post("/rounds/{round_id:int}/vote/assisted/cancel", name="voting.cancel_assisted")
async def cancel_assisted(request: Request, lang: FromPath[str], round_id: FromPath[int]) -> Template | Redirect:
    _facilitator(request)
    voters.close_kiosk(request)
    return see_other(path_to(request, "voting.assisted", lang=lang, round_id=round_id) + "?cancelled=1")


@post("/rounds/{round_id:int}/vote/assisted/finish", name="voting.finish_assisted")
async def finish_assisted(request: Request, lang: FromPath[str], round_id: FromPath[int]) -> Template | Redirect:
    _facilitator(request)
    voters.close_kiosk(request)
    next_person = see_other(path_to(request, "voting.assisted", lang=lang, round_id=round_id))
    next_person.delete_cookie(voters.RECEIPT_COOKIE, path="/")  # the last person's receipt is not shown again
    next_person.delete_cookie("pb_equality_invitation", path="/")  # nor their invitation to the equality questions
    return next_person


route_handlers = [assisted, open_assisted, cancel_assisted, finish_assisted]
