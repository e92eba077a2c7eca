"""pb's app with the session routes mounted, until pb.app mounts them itself (then it is pb's app as is).
Used by the tests' client and by the browser tests' server (`uvicorn --factory tests.deliberation.wiring:create_app`)."""

from __future__ import annotations


def create_app(run_outbox: bool = True):
    from litestar import Router

    from pb.app import create_app as create_pb_app
    from pb.app import valid_language
    from pb.deliberation import manage, routes

    app = create_pb_app(run_outbox=run_outbox)
    if not any("/sessions" in getattr(route, "path", "") for route in app.routes):
        app.register(
            Router(path="/{lang:str}", guards=[valid_language], route_handlers=[*routes.route_handlers, *manage.route_handlers])
        )
    return app
