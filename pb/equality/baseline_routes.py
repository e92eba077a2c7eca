"""Officers upload a round's population baseline (a CSV file, pb.equality.baselines): checked whole,
then kept whole, or not at all.

Mounted under /{lang}: GET and POST /{lang}/manage/rounds/{id}/baseline."""

from __future__ import annotations

from litestar import Request, Router, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pb.equality import actions, baselines, queries
from pb.fields import bilingual_text
from pb.i18n import N_
from pb.rounds import queries as round_queries
from pb.rounds.manage import managed_round
from pb.web.auth import officer, signed_in_id
from pb.web.forms import CONTROL, UNREADABLE, FormRejected, see_other
from pb.web.templating import page, path_to

MAX_BYTES = 8_000_000
MAX_REQUEST = MAX_BYTES + 100_000
SHOWN_PROBLEMS = 50  # the first ones, with how many more there are
SOURCE_LIMIT = 500


async def _baseline_page(
    request: Request,
    round_id: int,
    problems: list | None = None,
    file_problem: str = "",
    values: dict | None = None,
    errors: dict | None = None,
) -> Template:
    row = await managed_round(round_id)
    problems = problems or []
    source = await queries.baseline_source(round_id)
    if values is None:
        values = {
            "source_en": source["source_en"] if source else "",
            "source_cy": source["source_cy"] if source else "",
            "illustrative": bool(source and source["illustrative"]),
        }
    errors = dict(errors or {})
    if problems or file_problem:
        errors["file"] = file_problem or N_("The file has problems: nothing was changed")
    return page(
        request,
        "equality/baseline.html",
        status_code=422 if errors else 200,
        round=row,
        areas=await round_queries.areas_of(round_id),
        totals=await queries.baseline_totals(round_id),
        source=source,
        measures=baselines.BASELINE_MEASURES,
        problems=problems[:SHOWN_PROBLEMS],
        more_problems=max(0, len(problems) - SHOWN_PROBLEMS),
        file_problem=file_problem,
        values=values,
        errors=errors,
        saved=request.query_params.get("saved") == "1",
    )


@get("/manage/rounds/{round_id:int}/baseline", name="equality.baseline")
async def baseline_page(request: Request, round_id: FromPath[int]) -> Template:
    return await _baseline_page(request, round_id)


@post("/manage/rounds/{round_id:int}/baseline", name="equality.upload_baseline", request_max_body_size=MAX_REQUEST)
async def upload_baseline(request: Request, lang: FromPath[str], round_id: FromPath[int]) -> Template | Redirect:
    await managed_round(round_id)
    form = await request.form()
    if any(isinstance(value, str) and CONTROL.search(value) for value in form.values()):
        raise FormRejected(UNREADABLE)
    texts, errors = bilingual_text(form, "source", SOURCE_LIMIT, N_("Describe the source in 500 characters or fewer"))
    values: dict = texts | {"illustrative": form.get("illustrative") == "yes"}
    upload = form.get("file")

    async def again(problems: list | None = None, file_problem: str = "") -> Template:
        return await _baseline_page(request, round_id, problems, file_problem, values, errors)

    if not isinstance(upload, UploadFile) or not upload.filename:
        return await again(file_problem=N_("Choose a CSV file of population figures"))
    try:
        data = await upload.read(MAX_BYTES + 1)
    finally:
        await upload.close()
    if len(data) > MAX_BYTES:
        return await again(file_problem=N_("The file must be 8 MB or smaller"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return await again(file_problem=N_("The file must be a CSV file saved as UTF-8"))
    reading = baselines.read_baseline(text, await round_queries.areas_of(round_id))
    if reading.problems or errors:
        return await again(problems=reading.problems)
    await actions.replace_baseline(
        signed_in_id(request), round_id, reading.rows, texts["source_en"], texts["source_cy"], values["illustrative"]
    )
    return see_other(path_to(request, "equality.baseline", lang=lang, round_id=round_id) + "?saved=1")


route_handlers = [Router(path="/", guards=[officer], route_handlers=[baseline_page, upload_baseline])]
