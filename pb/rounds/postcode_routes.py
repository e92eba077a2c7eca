"""Officers upload a round's postcode list (a CSV file): checked whole, then kept whole, or not at all.

Mounted under /{lang}: GET and POST /{lang}/manage/rounds/{id}/postcodes."""

from __future__ import annotations

from litestar import Request, Router, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pb.i18n import N_
from pb.rounds import actions, postcodes, queries
from pb.rounds.manage import managed_round
from pb.web.auth import officer, signed_in_id
from pb.web.forms import see_other
from pb.web.templating import page, path_to

MAX_BYTES = 8_000_000  # about 400,000 lines
MAX_REQUEST = MAX_BYTES + 100_000
SHOWN_PROBLEMS = 50  # the first ones, with how many more there are


async def _postcodes_page(request: Request, round_id: int, problems: list | None = None, file_problem: str = "") -> Template:
    row = await managed_round(round_id)
    problems = problems or []
    return page(
        request,
        "rounds/postcodes.html",
        status_code=422 if problems or file_problem else 200,
        round=row,
        areas=await queries.areas_of(round_id),
        counts=await queries.postcode_counts(round_id),
        problems=problems[:SHOWN_PROBLEMS],
        more_problems=max(0, len(problems) - SHOWN_PROBLEMS),
        file_problem=file_problem,
        errors={"file": file_problem or N_("The file has problems: nothing was changed")} if problems or file_problem else {},
        saved=request.query_params.get("saved") == "1",
    )


@get("/manage/rounds/{round_id:int}/postcodes", name="rounds.postcodes")
async def postcodes_page(request: Request, round_id: FromPath[int]) -> Template:
    return await _postcodes_page(request, round_id)


@post("/manage/rounds/{round_id:int}/postcodes", name="rounds.upload_postcodes", request_max_body_size=MAX_REQUEST)
async def upload_postcodes(request: Request, lang: FromPath[str], round_id: FromPath[int]) -> Template | Redirect:
    await managed_round(round_id)
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _postcodes_page(request, round_id, file_problem=N_("Choose a CSV file of postcodes"))
    try:
        data = await upload.read(MAX_BYTES + 1)
    finally:
        await upload.close()
    if len(data) > MAX_BYTES:
        return await _postcodes_page(request, round_id, file_problem=N_("The file must be 8 MB or smaller"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return await _postcodes_page(request, round_id, file_problem=N_("The file must be a CSV file saved as UTF-8"))
    reading = postcodes.read_list(text, await queries.areas_of(round_id))
    if reading.problems:
        return await _postcodes_page(request, round_id, problems=reading.problems)
    await actions.replace_postcodes(signed_in_id(request), round_id, reading.rows)
    return see_other(path_to(request, "rounds.postcodes", lang=lang, round_id=round_id) + "?saved=1")


route_handlers = [Router(path="/", guards=[officer], route_handlers=[postcodes_page, upload_postcodes])]
