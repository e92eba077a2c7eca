"""The app under test: pb's own create_app(), with the open-data API and the import page mounted.

Until pb/app.py wires them in, this mounts them the way the lead will: `api_router` registered, the
OpenAPI config from pb.opendata.routes, and `include_in_schema=False` at the app level (so only the
API is in the schema). Once app.py does this itself, the app is used exactly as create_app builds it."""

from __future__ import annotations

from litestar import Litestar, Router


def _paths(app: Litestar) -> set[str]:
    return {route.path for route in app.routes}


def build_app(monkeypatch) -> Litestar:
    import pb.app as pb_app
    from pb.opendata.routes import api_router, openapi_config
    from pb.tracker import imports

    app = pb_app.create_app(run_outbox=False)
    if app.openapi_config is None:
        original = pb_app.Litestar

        def wired(*args, **kwargs):
            kwargs["openapi_config"] = openapi_config()
            kwargs["include_in_schema"] = False
            return original(*args, **kwargs)

        monkeypatch.setattr(pb_app, "Litestar", wired)
        app = pb_app.create_app(run_outbox=False)
    if "/api/rounds" not in _paths(app):
        app.register(api_router)
    if "/{lang:str}/manage/delivery/import" not in _paths(app):
        app.register(Router(path="/{lang:str}", guards=[pb_app.valid_language], route_handlers=imports.route_handlers))
    return app


def is_wired_by_create_app() -> bool:
    """Whether pb/app.py itself serves the API, its schema and the import page."""
    import pb.app as pb_app

    app = pb_app.create_app(run_outbox=False)
    return app.openapi_config is not None and "/api/rounds" in _paths(app) and "/{lang:str}/manage/delivery/import" in _paths(app)


def served_app() -> Litestar:
    """A uvicorn factory (`uvicorn --factory tests.opendata.apps:served_app`) for browser tests."""

    class _Patch:
        def setattr(self, target, name, value):
            setattr(target, name, value)

    return build_app(_Patch())
