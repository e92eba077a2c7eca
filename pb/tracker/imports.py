"""Officers upload a CSV file of delivery updates: all rows are checked, then all are applied, or none.

Mounted under /{lang}: GET and POST /{lang}/manage/delivery/import."""

from __future__ import annotations

from datetime import date

from litestar import Request, Router, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pb.fields import is_digits
from pb.tracker import importing
from pb.web.auth import officer, signed_in_id
from pb.web.forms import see_other
from pb.web.templating import page, path_to

# The file may be up to 1 MB; the request may be a little larger (the form around it). A larger
# file still reaches the handler, to be refused with a message beside the field rather than a bare 413.
MAX_REQUEST = 2 * importing.MAX_BYTES + 100_000


def _import_page(
    request: Request, problems: list[importing.Problem] | None = None, notify: bool = True, imported: int = 0
) -> Template:
    problems = problems or []
    return page(
        request,
        "tracker/import.html",
        status_code=422 if problems else 200,
        problems=problems,
        file_problems=[p for p in problems if p.line == 0],
        line_problems=[p for p in problems if p.line > 0],
        errors={"file": "problems"} if problems else {},
        notify=notify,
        imported=imported,
        columns=importing.COLUMNS,
        max_rows=importing.MAX_ROWS,
    )


@get("/manage/delivery/import", name="tracker.import_form")
async def import_form(request: Request) -> Template:
    count = request.query_params.get("imported", "")
    return _import_page(request, imported=int(count) if is_digits(count) and len(count) < 6 else 0)


@post("/manage/delivery/import", name="tracker.import_updates", request_max_body_size=MAX_REQUEST)
async def import_updates(request: Request, lang: FromPath[str]) -> Template | Redirect:
    form = await request.form()
    notify = form.get("notify") == "yes"
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _import_page(request, [importing.Problem(0, "file", importing.NO_FILE)], notify)
    try:
        data = await upload.read(importing.MAX_BYTES + 1)
    finally:
        await upload.close()
    table, problems = importing.read_table(data)
    known = await importing.known_deliveries(importing.referenced(table)) if table else {}
    rows, problems = importing.finish(table, problems, known, date.today())
    if problems:
        return _import_page(request, problems, notify)
    try:
        count = await importing.apply_import(signed_in_id(request), rows, notify)
    except importing.ImportFailed as failed:
        return _import_page(request, failed.problems, notify)
    return see_other(path_to(request, "tracker.import_form", lang=lang) + f"?imported={count}")


# Every page here is for one audience: the guard is on the router, not on each handler.
route_handlers = [Router(path="/", guards=[officer], route_handlers=[import_form, import_updates])]
