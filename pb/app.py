"""`create_app(settings)`: the one place pb is wired together, for the server, the CLI and the tests.

Everything a capability brings (routes, template names, background tasks) comes from its manifest
(pb.capabilities); nothing here names a capability.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.plugins.htmx import HTMXRequest
from litestar.static_files import create_static_files_router

from pb import db, registry
from pb.accounts.guards import CurrentUserMiddleware
from pb.accounts.sessions import DatabaseSessionStore
from pb.capabilities import manifests
from pb.config import LANGUAGES, Settings, get_settings, set_settings
from pb.fields import MAX_ID
from pb.opendata.routes import openapi_config
from pb.piccolo_app import configure_database
from pb.web import csrf, pages
from pb.web.errors import exception_handlers
from pb.web.headers import security_headers
from pb.web.sessions import RedisSessionStore, SessionMiddleware
from pb.web.templating import STATIC_DIR, build_environment, template_config, use_environment


def valid_language(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Every page is under /cy/ or /en/; any numeric id in the path must be one a row could have."""
    if connection.path_params.get("lang") not in LANGUAGES:
        raise NotFoundException()
    for value in connection.path_params.values():
        if isinstance(value, int) and not 0 < value <= MAX_ID:
            raise NotFoundException()


def create_app(settings: Settings | None = None, run_outbox: bool = True) -> Litestar:
    """An app for these settings: its own database engine, template environment and session store."""
    settings = settings or get_settings()
    settings.check()
    set_settings(settings)
    configure_database(settings.database_url)
    capabilities = manifests()
    registry.install(capabilities)
    environment = build_environment(strict=not settings.production, capabilities=capabilities)
    use_environment(environment)
    store = RedisSessionStore(settings.redis_url) if settings.redis_url else DatabaseSessionStore()
    secure = settings.production
    background = [task for cap in capabilities for task in cap.background]

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        await db.start()
        stop = asyncio.Event()
        # An interval of 0 leaves delivery to another process (and keeps test servers off the outbox).
        running: list[asyncio.Task[None]] = (
            [asyncio.create_task(task(settings, stop)) for task in background]
            if run_outbox and settings.outbox_interval > 0
            else []
        )
        try:
            yield
        finally:
            stop.set()
            for task in running:
                await task
            await db.stop()

    by_language = Router(
        path="/{lang:str}",
        guards=[valid_language],
        route_handlers=[*pages.route_handlers, *(route for cap in capabilities for route in cap.routes)],
    )
    STATIC_DIR.mkdir(exist_ok=True)
    return Litestar(
        route_handlers=[
            pages.root,
            pages.healthz,
            by_language,
            *(route for cap in capabilities for route in cap.root_routes),
            create_static_files_router(path="/static", directories=[STATIC_DIR], include_in_schema=False),
        ],
        lifespan=[lifespan],
        middleware=[
            lambda app: SessionMiddleware(app, store, cookie_name="__Host-pb_session" if secure else "pb_session", secure=secure),
            CurrentUserMiddleware,
        ],
        guards=[csrf.bound_to_session],
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name=csrf.cookie_name(),
            cookie_secure=secure,
            cookie_httponly=True,
            cookie_samesite="lax",
        ),
        request_class=HTMXRequest,
        template_config=template_config(environment),
        exception_handlers=exception_handlers,
        before_send=[security_headers(settings.production)],
        request_max_body_size=1_000_000,
        openapi_config=openapi_config(),
        include_in_schema=False,  # only the open-data API (which opts back in) is in the schema
        debug=False,
    )
