"""The public shell: the home page, information pages, language choice and health check."""

from __future__ import annotations

from litestar import MediaType, Request, Response, get
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from pb import db, i18n
from pb.registry import extensions
from pb.web.templating import page, path_to

LANGUAGE_COOKIE = "pb_lang"

# Capabilities above the web base say on the home page what residents can take part in now (rounds
# taking proposals or votes, sessions this week): each returns (template, its context), or None when
# it has nothing open.
HOME_SECTIONS = "web.home_sections"  # async () -> tuple[str, dict] | None


@get("/", name="root", include_in_schema=False)
async def root(request: Request) -> Redirect:
    """Send people to their language: the one they chose before, else their browser's."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    lang = chosen if chosen in ("en", "cy") else i18n.negotiate(request.headers.get("accept-language"))
    return Redirect(path=path_to(request, "home", lang=lang), status_code=303)


@get("/healthz", name="web.healthz", include_in_schema=False, media_type=MediaType.TEXT)
async def healthz() -> Response:
    if await db.ping():
        return Response("ok", status_code=200, media_type=MediaType.TEXT)
    return Response("database unavailable", status_code=503, media_type=MediaType.TEXT)


@get("/", name="home")
async def home(request: Request, signed_out: FromQuery[str | None] = None) -> Template:
    sections: list[str] = []
    context: dict = {}
    for contribute in extensions(HOME_SECTIONS):
        found = await contribute()
        if found is not None:
            sections.append(found[0])
            context.update(found[1])
    return page(request, "pages/home.html", signed_out=bool(signed_out), open_sections=sections, **context)


@get("/accessibility", name="web.accessibility")
async def accessibility(request: Request) -> Template:
    return page(request, "pages/accessibility.html")


@get("/privacy", name="web.privacy")
async def privacy(request: Request) -> Template:
    return page(request, "pages/privacy.html")


@get("/community-guidelines", name="web.guidelines")
async def guidelines(request: Request) -> Template:
    return page(request, "pages/guidelines.html")


route_handlers = [home, accessibility, privacy, guidelines]
