"""Voting codes: officers generate, print, seal and void codes; anyone votes with a code (no account).

Handlers stay thin: the forms are read by pb.voting.codes.rules, state changes by
pb.voting.codes.actions, and who is voting by pb.voting.voters."""

from __future__ import annotations

import asyncio

import segno
from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from pb.config import get_settings
from pb.paging import paginate
from pb.rounds import queries as round_queries
from pb.rounds.manage import managed_round
from pb.rounds.routes import public_round
from pb.voting import voters
from pb.voting.codes import actions as code_actions
from pb.voting.codes import rules as code_rules
from pb.voting.pages import batches_page
from pb.web import csvfile, site
from pb.web.auth import officer, signed_in_id
from pb.web.forms import client_address, read_form, see_other
from pb.web.params import RequestedPage
from pb.web.templating import N_, language_context, page, path_to, request_language


async def _batch(round_id: int, batch_id: int) -> dict:
    """A batch of this round (object-level check: another round's batch is not found here)."""
    batch = await code_actions.get_batch(batch_id)
    if batch is None or batch["round"] != round_id:
        raise NotFoundException()
    return batch


def vote_address(lang: str, round_id: int) -> str:
    return f"{get_settings().base_url}/{lang}/rounds/{round_id}/vote/code"


# --- Officers ---------------------------------------------------------------------------------


async def _codes_page(request: Request, round_id: int, status_code: int = 200, **context) -> Template:
    batches = await code_actions.batches_of(round_id)
    return await batches_page(request, "voting/codes/manage.html", round_id, batches, status_code, **context)


@get("/manage/rounds/{round_id:int}/codes", name="voting.manage_codes", guards=[officer])
async def manage_codes(request: Request, round_id: FromPath[int]) -> Template:
    return await _codes_page(request, round_id)


@post("/manage/rounds/{round_id:int}/codes", name="voting.generate_codes", guards=[officer])
async def generate_codes(request: Request, lang: FromPath[str], round_id: FromPath[int]) -> Template | Redirect:
    await managed_round(round_id)
    form = await read_form(request)
    areas = await round_queries.areas_of(round_id)
    values, errors = code_rules.validate_generate(form, {a["id"] for a in areas if a["residents_eligible"]})
    if errors:
        return await _codes_page(request, round_id, status_code=422, values=form, errors=errors)
    try:
        batch_id = await code_actions.generate_batch(
            signed_in_id(request), round_id, values["area"], values["label"], values["count"]
        )
    except code_actions.CodeError as problem:
        return await _codes_page(request, round_id, status_code=422, values=form, errors={"count": str(problem)})
    return see_other(path_to(request, "voting.manage_codes", lang=lang, round_id=round_id) + f"?made={batch_id}")


@post("/manage/rounds/{round_id:int}/codes/{batch_id:int}/finish", name="voting.finish_codes", guards=[officer])
async def finish_codes(
    request: Request, lang: FromPath[str], round_id: FromPath[int], batch_id: FromPath[int]
) -> Template | Redirect:
    """Finish a batch whose making stopped (its worker died): the missing codes are derived again."""
    await _batch(round_id, batch_id)
    await read_form(request)
    try:
        await code_actions.finish_batch(batch_id)
    except code_actions.CodeError as problem:  # pragma: no cover - see finish_batch
        return await _codes_page(request, round_id, status_code=422, errors={"count": str(problem)})
    return see_other(path_to(request, "voting.manage_codes", lang=lang, round_id=round_id) + f"?made={batch_id}")


def _qr(address: str) -> str:
    # Decorative: the address is printed beside it as text, and the SVG is hidden from screen readers.
    return segno.make(address, error="m").svg_inline(scale=3, omitsize=False)


@get("/manage/rounds/{round_id:int}/codes/{batch_id:int}/sheet", name="voting.code_sheet", guards=[officer])
async def code_sheet(
    request: Request,
    round_id: FromPath[int],
    batch_id: FromPath[int],
    page_number: RequestedPage = 1,
    bilingual: FromQuery[bool] = False,
) -> Template:
    """The printable letters, a page of codes at a time; each showing is audited; refused once sealed."""
    row = await managed_round(round_id)
    batch = await _batch(round_id, batch_id)
    lang = request_language(request)
    pager = paginate(batch["count"], page_number, code_rules.SHEET_PAGE)
    start = pager.offset
    try:
        shown = await code_actions.batch_codes(signed_in_id(request), batch_id, start, start + code_rules.SHEET_PAGE, "print")
    except code_actions.CodeError as problem:
        return page(request, "voting/codes/sealed.html", status_code=410, round=row, batch=batch, message=str(problem))
    # A bilingual letter has Welsh first (Welsh Language Standards), whatever the page's language;
    # its code and QR code lead to the first language's ballot.
    letter_langs = ["cy", "en"] if bilingual else [lang]
    address = vote_address(letter_langs[0], round_id)
    cards = await asyncio.to_thread(lambda: [{"code": code, "qr": _qr(f"{address}#{code}")} for code in shown])
    areas = {a["id"]: a for a in await round_queries.areas_of(round_id)}
    return page(
        request,
        "voting/codes/sheet.html",
        round=row,
        batch=batch,
        cards=cards,
        address=address,
        area=areas.get(batch["area"]),
        page_number=pager.number,
        pages=pager.pages,
        first=start + 1,
        bilingual=bilingual,
        letter_langs=letter_langs,
        letter_gettext={lang: language_context(lang)["gettext"] for lang in letter_langs},
        letter_site={lang: site.details(lang) for lang in letter_langs},
        letter_address={lang: vote_address(lang, round_id) for lang in letter_langs},
    )


@get("/manage/rounds/{round_id:int}/codes/{batch_id:int}/csv", name="voting.code_csv", guards=[officer])
async def code_csv(request: Request, round_id: FromPath[int], batch_id: FromPath[int]) -> Response:
    """Every code of an unsealed batch for a mail merge: code, area, batch label, ballot address."""
    row = await managed_round(round_id)
    batch = await _batch(round_id, batch_id)
    lang = request_language(request)
    try:
        shown = await code_actions.batch_codes(signed_in_id(request), batch_id, 0, batch["count"], "csv")
    except code_actions.CodeError as problem:
        return page(request, "voting/codes/sealed.html", status_code=410, round=row, batch=batch, message=str(problem))
    area = next((a for a in await round_queries.areas_of(round_id) if a["id"] == batch["area"]), None)
    area_name = area[f"name_{lang}"] if area else ""
    address = vote_address(lang, round_id)
    body = csvfile.to_csv(
        ["code", "area", "batch", "address", "link"],
        ([code, area_name, batch["label"], address, f"{address}#{code}"] for code in shown),
    )
    return Response(
        content=body,
        media_type=csvfile.MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="voting-codes-round-{round_id}-batch-{batch_id}.csv"'},
    )


@post("/manage/rounds/{round_id:int}/codes/{batch_id:int}/seal", name="voting.seal_codes", guards=[officer])
async def seal_codes(
    request: Request, lang: FromPath[str], round_id: FromPath[int], batch_id: FromPath[int]
) -> Template | Redirect:
    await _batch(round_id, batch_id)
    form = await read_form(request)
    errors = code_rules.validate_seal(form)
    if errors:
        return await _codes_page(request, round_id, status_code=422, seal_errors={batch_id: errors})
    await code_actions.seal_batch(signed_in_id(request), batch_id)
    return see_other(path_to(request, "voting.manage_codes", lang=lang, round_id=round_id) + f"?sealed={batch_id}")


@get("/manage/rounds/{round_id:int}/codes/void", name="voting.void_form", guards=[officer])
async def void_form(request: Request, round_id: FromPath[int]) -> Template:
    row = await managed_round(round_id)
    batches = await code_actions.batches_of(round_id)
    return page(request, "voting/codes/void.html", round=row, batches=batches, values={}, errors={}, lines=None)


@post("/manage/rounds/{round_id:int}/codes/void", name="voting.void_codes", guards=[officer])
async def void_codes(request: Request, round_id: FromPath[int]) -> Template:
    row = await managed_round(round_id)
    form = await read_form(request)
    batches = await code_actions.batches_of(round_id)
    user_id = signed_in_id(request)
    if form.get("batch"):  # the whole batch
        batch_text = form.get("batch", "")
        batch = next((b for b in batches if str(b["id"]) == batch_text), None)
        reason, errors = code_rules.validate_reason({"reason": form.get("batch_reason", "")})
        errors = {"batch_reason": errors["reason"]} if errors else {}
        if batch is None:
            errors = {"batch": N_("Choose a batch of this round"), **errors}
        if errors or batch is None:
            return page(
                request,
                "voting/codes/void.html",
                status_code=422,
                round=row,
                batches=batches,
                values=form,
                errors=errors,
                lines=None,
            )
        counts = await code_actions.void_batch(user_id, batch["id"], reason)
        return page(
            request,
            "voting/codes/void.html",
            round=row,
            batches=await code_actions.batches_of(round_id),
            values={},
            errors={},
            lines=None,
            batch_done={"label": batch["label"], **counts},
        )
    values, errors = code_rules.validate_void(form)
    if errors:
        return page(
            request, "voting/codes/void.html", status_code=422, round=row, batches=batches, values=form, errors=errors, lines=None
        )
    lines = await code_actions.void_codes(user_id, round_id, values["lines"], values["reason"])
    return page(
        request,
        "voting/codes/void.html",
        round=row,
        batches=await code_actions.batches_of(round_id),
        values={},
        errors={},
        lines=lines,
    )


# --- Voting with a code -------------------------------------------------------------------------


@get("/rounds/{round_id:int}/vote/code", name="voting.code_entry")
async def code_entry(request: Request, round_id: FromPath[int]) -> Template:
    row = await public_round(round_id, request)
    return page(request, "voting/codes/enter.html", round=row, values={}, errors={})


@post("/rounds/{round_id:int}/vote/code", name="voting.use_code")
async def use_code(request: Request, lang: FromPath[str], round_id: FromPath[int]) -> Template | Redirect:
    row = await public_round(round_id, request)
    form = await read_form(request)
    if row["phase"] != "voting":
        return see_other(path_to(request, "voting.start", lang=lang, round_id=round_id))
    code, errors = code_rules.validate_code_entry(form)
    found = None
    if code is not None:
        found, retry_after = await code_actions.throttled_find(round_id, code, client_address(request))
        if retry_after:
            return page(
                request,
                "voting/codes/enter.html",
                status_code=429,
                round=row,
                values=form,
                errors={"code": N_("Too many codes have been tried from here. Wait 15 minutes, then try again.")},
            )
        problem = code_rules.code_problem(found)
        if problem:
            errors = {"code": problem}
    if errors or found is None:
        return page(request, "voting/codes/enter.html", status_code=422, round=row, values=form, errors=errors)
    # Only the code's id goes into the (server-side) session: never the code itself.
    voters.close_kiosk(request)
    voters.hold_code(request, round_id, found["id"])
    return see_other(path_to(request, "voting.start", lang=lang, round_id=round_id))


route_handlers = [
    manage_codes,
    generate_codes,
    finish_codes,
    code_sheet,
    code_csv,
    seal_codes,
    void_form,
    void_codes,
    code_entry,
    use_code,
]
