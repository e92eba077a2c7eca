"""`create_app()`: the one place pb is wired together, for the server, the CLI and the tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.static_files import create_static_files_router

from pb import db
from pb.accounts import routes as account_routes
from pb.accounts.guards import CurrentUserMiddleware
from pb.admin import routes as admin_routes
from pb.config import LANGUAGES, Settings, get_settings, set_settings
from pb.outbox.actions import run_sender
from pb.deliberation import manage as deliberation_manage
from pb.deliberation import routes as deliberation_routes
from pb.moderation import routes as moderation_routes
from pb.proposals import review as proposal_review
from pb.proposals import routes as proposal_routes
from pb.rounds import manage as round_manage
from pb.rounds import routes as round_routes
from pb.opendata import routes as opendata
from pb.tracker import imports as tracker_imports
from pb.tracker import manage as tracker_manage
from pb.tracker import routes as tracker_routes
from pb.voting import code_routes as voting_code_routes
from pb.voting import paper_routes as voting_paper_routes
from pb.voting import routes as voting_routes
from pb.web import pages, vocabulary  # noqa: F401 - vocabulary registers template names
from pb.web.errors import exception_handlers
from pb.web.headers import security_headers
from pb.web.sessions import DatabaseSessionStore, RedisSessionStore, SessionMiddleware
from pb.web.templating import template_config

STATIC_DIR = Path(__file__).parent / "static"


MAX_ID = 2**31 - 1  # PostgreSQL integer ids; a larger number names nothing


def valid_language(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Every page is under /cy/ or /en/; any numeric id in the path must be one a row could have."""
    if connection.path_params.get("lang") not in LANGUAGES:
        raise NotFoundException()
    for value in connection.path_params.values():
        if isinstance(value, int) and not 0 < value <= MAX_ID:
            raise NotFoundException()


def create_app(settings: Settings | None = None, run_outbox: bool = True) -> Litestar:
    settings = settings or get_settings()
    settings.check()
    set_settings(settings)
    store = RedisSessionStore(settings.redis_url) if settings.redis_url else DatabaseSessionStore()
    secure = settings.production

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        await db.start()
        stop = asyncio.Event()
        # An interval of 0 leaves delivery to another process (and keeps test servers off the outbox).
        sender = asyncio.create_task(run_sender(settings, stop)) if run_outbox and settings.outbox_interval > 0 else None
        try:
            yield
        finally:
            stop.set()
            if sender:
                await sender
            await db.stop()

    by_language = Router(
        path="/{lang:str}",
        guards=[valid_language],
        route_handlers=[
            *pages.route_handlers, *account_routes.route_handlers, *admin_routes.route_handlers,
            *round_routes.route_handlers, *proposal_routes.route_handlers, *round_manage.route_handlers,
            *proposal_review.route_handlers, *moderation_routes.route_handlers,
            *tracker_routes.route_handlers, *tracker_manage.route_handlers, *tracker_imports.route_handlers,
            *voting_routes.route_handlers, *voting_code_routes.route_handlers, *voting_paper_routes.route_handlers, *deliberation_routes.route_handlers, *deliberation_manage.route_handlers,
        ],
    )
    STATIC_DIR.mkdir(exist_ok=True)
    return Litestar(
        route_handlers=[
            pages.root,
            pages.healthz,
            by_language,
            opendata.api_router,
            create_static_files_router(path="/static", directories=[STATIC_DIR], include_in_schema=False),
        ],
        lifespan=[lifespan],
        middleware=[
            lambda app: SessionMiddleware(
                app, store, cookie_name="__Host-pb_session" if secure else "pb_session", secure=secure
            ),
            CurrentUserMiddleware,
        ],
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name="__Host-pb_csrf" if secure else "pb_csrf",
            cookie_secure=secure,
            cookie_httponly=True,
            cookie_samesite="lax",
        ),
        template_config=template_config(),
        exception_handlers=exception_handlers,
        before_send=[security_headers(settings.production)],
        request_max_body_size=1_000_000,
        openapi_config=opendata.openapi_config(),
        include_in_schema=False,  # only the open-data API (which opts back in) is in the schema
        debug=False,
    )
