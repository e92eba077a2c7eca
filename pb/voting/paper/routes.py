"""Paper ballots: facilitators and officers create batches, enter each batch twice (blind), resolve
discrepancies and count. Handlers stay thin: forms are read by pb.voting.paper.rules, state is changed by
pb.voting.paper.actions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar import Request, Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pb import i18n
from pb.config import get_settings
from pb.equality import answers as equality
from pb.equality import questions
from pb.fields import is_digits
from pb.proposals.tables import Proposal
from pb.rounds import queries as round_queries
from pb.rounds.manage import managed_round
from pb.voting import ballots
from pb.voting.pages import batches_page
from pb.voting.paper import actions as paper_actions
from pb.voting.paper import rules as paper_rules
from pb.web import site
from pb.web.auth import has_role_in, officer, roles_of, signed_in_id, staff
from pb.web.forms import _form, read_form, see_other
from pb.web.templating import N_, language_context, page, path_to, request_language


async def _batch(round_id: int, batch_id: int) -> dict:
    """A batch of this round (object-level check: another round's batch is not found here)."""
    batch = await paper_actions.get_batch(batch_id)
    if batch is None or batch["round"] != round_id:
        raise NotFoundException()
    return batch


async def _projects(round_id: int, area_id: int, statuses: tuple[str, ...] = ("on_ballot",)) -> list[dict]:
    """An area's projects in the one order the printed paper and paper entry share."""
    return (
        await Proposal.select(
            Proposal.id, Proposal.title_en, Proposal.title_cy, Proposal.estimated_cost_pence, Proposal.revised_cost_pence
        )
        .where((Proposal.round == round_id) & (Proposal.area == area_id) & Proposal.status.is_in(list(statuses)))
        .order_by(Proposal.id)
    )


def _user_id(request: Request) -> int:
    return signed_in_id(request)


def _shown(message: str, values: dict, lang: str) -> dict:
    """A reason with its money values formatted for the page's language."""
    return {"message": message, "values": i18n.money_fields(values, ballots.MONEY_VALUES, lang)}


# --- Batches of a round ---------------------------------------------------------------------------


async def _list_page(request: Request, round_id: int, status_code: int = 200, **context) -> Template:
    batches = await paper_actions.batches_of(round_id)
    return await batches_page(request, "voting/paper/batches.html", round_id, batches, status_code, **context)


@get("/manage/rounds/{round_id:int}/paper", name="voting.batches")
async def batches(request: Request, round_id: FromPath[int]) -> Template:
    return await _list_page(request, round_id)


@post("/manage/rounds/{round_id:int}/paper", name="voting.create_batch")
async def create_batch(request: Request, lang: FromPath[str], round_id: FromPath[int]) -> Template | Redirect:
    await managed_round(round_id)
    form = await read_form(request)
    areas = await round_queries.areas_of(round_id)
    values, errors = paper_rules.validate_batch(form, {a["id"] for a in areas if a["residents_eligible"]})
    if errors:
        return await _list_page(request, round_id, status_code=422, values=form, errors=errors)
    try:
        batch_id = await paper_actions.create_batch(
            _user_id(request), round_id, values["area"], values["label"], values["sheets"]
        )
    except paper_actions.PaperError as problem:
        return await _list_page(request, round_id, status_code=409, values=form, problem=str(problem))
    return see_other(path_to(request, "voting.batch_page", lang=lang, round_id=round_id, batch_id=batch_id))


# --- The printed ballot paper ---------------------------------------------------------------------

PRINTABLE_PHASES = ("shortlist", "voting")  # printed ahead of the vote, and reprinted during it


@get("/manage/rounds/{round_id:int}/paper/ballot/{area_id:int}", name="voting.paper_ballot")
async def paper_ballot(request: Request, round_id: FromPath[int], area_id: FromPath[int]) -> Template:
    """An area's ballot paper to print (A4, from the browser): Welsh first then English in every
    part, as on the code letters; the projects in the order paper entry shows them, with their costs;
    how to mark it for the round's ballot method; a box for a voting code."""
    row = await managed_round(round_id)
    area = next((a for a in await round_queries.areas_of(round_id) if a["id"] == area_id), None)
    if area is None or row["phase"] not in PRINTABLE_PHASES:
        raise NotFoundException()
    projects = await _projects(round_id, area_id, statuses=("shortlisted", "on_ballot"))
    langs = ["cy", "en"]
    base = get_settings().base_url
    return page(
        request,
        "voting/paper/ballot_paper.html",
        round=row,
        area=area,
        projects=projects,
        rules=ballots.ballot_rules(row, area),
        paper_langs=langs,
        paper_text={lang: language_context(lang) for lang in langs},
        paper_site={lang: site.details(lang) for lang in langs},
        paper_address={lang: f"{base}/{lang}/rounds/{round_id}/vote" for lang in langs},
        # The equality slip to tear off (its answers are entered by staff, apart from the ballots).
        slip_questions=[question for question in questions.QUESTIONS if question.key not in await equality.switched_off()],
        not_say=questions.NOT_SAY_LABEL,
    )


# --- One batch ----------------------------------------------------------------------------------


@get("/manage/rounds/{round_id:int}/paper/{batch_id:int}", name="voting.batch_page")
async def batch_page(request: Request, round_id: FromPath[int], batch_id: FromPath[int]) -> Template:
    return await _batch_page(request, round_id, batch_id)


async def _batch_page(request: Request, round_id: int, batch_id: int, status_code: int = 200, **context) -> Template:
    row = await managed_round(round_id)
    batch = await _batch(round_id, batch_id)
    lang = request_language(request)
    entries = await paper_actions.entries_of(batch_id)
    area = next((a for a in await round_queries.areas_of(round_id) if a["id"] == batch["area"]), None)
    titles = {p["id"]: p for p in await _projects(round_id, batch["area"])}
    # Readings are shown only once both entries are in: until then the second entry is blind.
    report = await paper_actions.discrepancies(batch_id) if len(entries) == 2 and batch["status"] != "counted" else None
    outcomes = []
    if batch["status"] == "counted":
        outcomes = [{**o, **_shown(o["message"], o["values"], lang)} for o in await paper_actions.outcomes_of(batch_id)]
    me = _user_id(request)
    return page(
        request,
        "voting/paper/batch.html",
        status_code=status_code,
        round=row,
        batch=batch,
        area=area,
        entries=entries,
        report=report,
        titles=titles,
        outcomes=outcomes,
        tally={
            fate: sum(1 for o in outcomes if o["fate"] == fate)
            for fate in (paper_rules.COUNTS, paper_rules.SPOILT, paper_rules.FLAGGED)
        },
        may_enter=(
            row["phase"] == "voting"
            and batch["status"] not in ("counted", "cancelled")
            and len(entries) < 2
            and all(e["entered_by"] != me for e in entries)
        ),
        entered_by_me=any(e["entered_by"] == me for e in entries),
        made_first_entry=bool(entries) and entries[0]["entered_by"] == me,
        # Officers who entered neither entry decide on a difference in sheets; any officer may cancel.
        is_officer=has_role_in(roles_of(request), "officer"),
        **({"errors": {}, "values": {}} | context),
    )


# --- Entering a batch (blind) ---------------------------------------------------------------------


async def _entry_page(
    request: Request,
    row: dict,
    batch: dict,
    rows: list[paper_rules.Row],
    errors: dict,
    status_code: int = 200,
    blocked: str | None = None,
) -> Template:
    return page(
        request,
        "voting/paper/enter.html",
        status_code=status_code,
        round=row,
        batch=batch,
        projects=await _projects(row["id"], batch["area"]),
        rows=rows,
        errors=errors,
        blocked=blocked,
        cumulative=row["ballot_method"] == "cumulative",
    )


def _blocked(row: dict, batch: dict, entries: list[dict], me: int) -> str | None:
    if row["phase"] != "voting":
        return paper_actions.NOT_VOTING
    if batch["status"] == "counted":
        return N_("This batch has been counted: it cannot be changed")
    if any(e["entered_by"] == me for e in entries):
        return N_("You have already entered this batch. The other entry must be made by a different person.")
    if len(entries) >= 2:
        return N_("Both entries of this batch have been made")
    return None


@get("/manage/rounds/{round_id:int}/paper/{batch_id:int}/enter", name="voting.entry_form")
async def entry_form(request: Request, round_id: FromPath[int], batch_id: FromPath[int]) -> Template:
    row = await managed_round(round_id)
    batch = await _batch(round_id, batch_id)
    blocked = _blocked(row, batch, await paper_actions.entries_of(batch_id), _user_id(request))
    # Rows start numbered 1, 2, 3...: the person types what each sheet says, never the other entry's values.
    rows = [paper_rules.Row(sheet=str(n + 1)) for n in range(min(batch["sheets"], paper_rules.FIRST_ROWS))]
    return await _entry_page(request, row, batch, rows, {}, status_code=409 if blocked else 200, blocked=blocked)


@post("/manage/rounds/{round_id:int}/paper/{batch_id:int}/enter", name="voting.save_entry")
async def save_entry(
    request: Request, lang: FromPath[str], round_id: FromPath[int], batch_id: FromPath[int]
) -> Template | Redirect:
    row = await managed_round(round_id)
    batch = await _batch(round_id, batch_id)
    form = await _form(request)
    items = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    rows = paper_rules.rows_from_form(items)
    if form.get("more"):  # "More sheets": the same rows, as typed, and some blank ones after them
        last = max((int(r.sheet) for r in rows if is_digits(r.sheet.strip()) and len(r.sheet.strip()) < 6), default=0)
        rows = rows + [
            paper_rules.Row(sheet=str(last + n + 1)) for n in range(min(paper_rules.MORE_ROWS, paper_rules.MAX_ROWS - len(rows)))
        ]
        return await _entry_page(request, row, batch, rows, {})
    projects = await _projects(round_id, batch["area"])
    sheets, errors = paper_rules.read_rows(rows, row["ballot_method"], {p["id"] for p in projects})
    if errors:
        return await _entry_page(request, row, batch, rows or [paper_rules.Row()], errors, status_code=422)
    try:
        await paper_actions.save_entry(_user_id(request), batch_id, sheets)
    except paper_actions.PaperError as problem:
        return await _entry_page(request, row, batch, rows, {}, status_code=409, blocked=str(problem))
    return see_other(path_to(request, "voting.batch_page", lang=lang, round_id=round_id, batch_id=batch_id) + "?saved=1")


# --- Resolving a discrepancy --------------------------------------------------------------------


async def _resolve_page(
    request: Request,
    row: dict,
    batch: dict,
    sheet: int,
    status_code: int = 200,
    values: dict | None = None,
    errors: dict | None = None,
    fix: paper_rules.Row | None = None,
    problem: str | None = None,
) -> Template:
    report = await paper_actions.discrepancies(batch["id"])
    found = next((d for d in report["all"] if d.sheet == sheet), None)
    if found is None:
        raise NotFoundException()
    return page(
        request,
        "voting/paper/resolve.html",
        status_code=status_code,
        round=row,
        batch=batch,
        sheet=sheet,
        discrepancy=found,
        resolved=report["resolved"].get(sheet),
        open=sheet in report["unresolved"],
        titles={p["id"]: p for p in await _projects(row["id"], batch["area"])},
        values=values or {},
        errors=errors or {},
        fix=fix or paper_rules.Row(),
        cumulative=row["ballot_method"] == "cumulative",
        problem=problem,
        projects=await _projects(row["id"], batch["area"]),
    )


@get("/manage/rounds/{round_id:int}/paper/{batch_id:int}/sheets/{sheet:int}", name="voting.resolve_form")
async def resolve_form(request: Request, round_id: FromPath[int], batch_id: FromPath[int], sheet: FromPath[int]) -> Template:
    row = await managed_round(round_id)
    batch = await _batch(round_id, batch_id)
    if len(await paper_actions.entries_of(batch_id)) < 2 or batch["status"] == "counted":
        raise NotFoundException()
    return await _resolve_page(request, row, batch, sheet)


@post("/manage/rounds/{round_id:int}/paper/{batch_id:int}/sheets/{sheet:int}", name="voting.resolve")
async def resolve(
    request: Request, lang: FromPath[str], round_id: FromPath[int], batch_id: FromPath[int], sheet: FromPath[int]
) -> Template | Redirect:
    row = await managed_round(round_id)
    batch = await _batch(round_id, batch_id)
    if len(await paper_actions.entries_of(batch_id)) < 2 or batch["status"] == "counted":
        raise NotFoundException()
    form = await _form(request)
    items = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    values = {k: v for k, v in items if k == "pick"}
    fix = next(iter(paper_rules.rows_from_form(items, prefix="fix-")), paper_rules.Row())
    report = await paper_actions.discrepancies(batch_id)
    found = next((d for d in report["all"] if d.sheet == sheet), None)
    if found is None:
        raise NotFoundException()
    pick = values.get("pick", "")
    reading: paper_rules.Reading | None = None
    errors: dict[str, str] = {}
    if pick == "first" and found.first is not None:
        reading = found.first
    elif pick == "second" and found.second is not None:
        reading = found.second
    elif pick == "none" and "missing" in found.kinds:
        reading = paper_rules.ABSENT
    elif pick == "correct":
        projects = await _projects(round_id, batch["area"])
        fix.sheet = str(sheet)
        sheets, errors = paper_rules.read_rows(
            [fix], row["ballot_method"], {p["id"] for p in projects}, prefix="fix-", require_sheet=False
        )
        if not errors and not sheets:
            errors = {"fix-code-0": N_("Enter the sheet as it is marked, or tick “Spoilt”")}
        if not errors:
            typed = sheets[0]
            reading = paper_rules.Reading.of(
                paper_rules.typed_code_hash(round_id, typed["code"]), typed["choices"], typed["spoilt"]
            )
    else:
        errors = {"pick": N_("Choose the right reading of this sheet")}
    if errors:
        return await _resolve_page(request, row, batch, sheet, status_code=422, values=values, errors=errors, fix=fix)
    try:
        settled = await paper_actions.resolve(_user_id(request), batch_id, sheet, reading)
    except paper_actions.PaperError as problem:
        return await _resolve_page(request, row, batch, sheet, status_code=409, values=values, fix=fix, problem=str(problem))
    done = "resolved" if settled else "proposed"
    return see_other(path_to(request, "voting.batch_page", lang=lang, round_id=round_id, batch_id=batch_id) + f"?{done}={sheet}")


# --- Counting -------------------------------------------------------------------------------------


@post("/manage/rounds/{round_id:int}/paper/{batch_id:int}/count", name="voting.count")
async def count(request: Request, lang: FromPath[str], round_id: FromPath[int], batch_id: FromPath[int]) -> Template | Redirect:
    await _batch(round_id, batch_id)
    await read_form(request)
    try:
        await paper_actions.count_batch(_user_id(request), batch_id)
    except paper_actions.PaperError as problem:
        return await _batch_page(request, round_id, batch_id, status_code=409, problem=str(problem))
    return see_other(path_to(request, "voting.batch_page", lang=lang, round_id=round_id, batch_id=batch_id) + "?counted=1")


async def _officer_decision(
    request: Request, lang: str, round_id: int, batch_id: int, act: Callable[[int, int, str], Awaitable[None]], done: str
) -> Template | Redirect:
    """An officer's decision on a batch, with the reason it needs (accepting a difference, cancelling)."""
    await _batch(round_id, batch_id)
    form = await read_form(request)
    reason = (form.get(f"{done}-reason") or "").strip()  # the field is named for its form: two share the page
    if not reason or len(reason) > paper_rules.MAX_REASON:
        errors = {f"{done}-reason": N_("Give the reason, in up to 500 characters")}
        return await _batch_page(request, round_id, batch_id, status_code=422, errors=errors, values={f"{done}-reason": reason})
    try:
        await act(_user_id(request), batch_id, reason)
    except paper_actions.PaperError as problem:
        return await _batch_page(request, round_id, batch_id, status_code=problem.status_code, problem=str(problem))
    return see_other(path_to(request, "voting.batch_page", lang=lang, round_id=round_id, batch_id=batch_id) + f"?{done}=1")


@post("/manage/rounds/{round_id:int}/paper/{batch_id:int}/accept-difference", name="voting.accept_difference", guards=[officer])
async def accept_difference(
    request: Request, lang: FromPath[str], round_id: FromPath[int], batch_id: FromPath[int]
) -> Template | Redirect:
    return await _officer_decision(request, lang, round_id, batch_id, paper_actions.accept_difference, "accepted")


@post("/manage/rounds/{round_id:int}/paper/{batch_id:int}/cancel", name="voting.cancel_batch", guards=[officer])
async def cancel_batch(
    request: Request, lang: FromPath[str], round_id: FromPath[int], batch_id: FromPath[int]
) -> Template | Redirect:
    return await _officer_decision(request, lang, round_id, batch_id, paper_actions.cancel_batch, "cancelled")


# Every page here is for one audience: the guard is on the router, not on each handler.
route_handlers = [
    Router(
        path="/",
        guards=[staff],
        route_handlers=[
            batches,
            paper_ballot,
            create_batch,
            batch_page,
            entry_form,
            save_entry,
            resolve_form,
            resolve,
            count,
            accept_difference,
            cancel_batch,
        ],
    )
]
