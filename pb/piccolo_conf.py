"""Piccolo's configuration, for Piccolo's own command-line tools (migrations): the engine is the one
pb is configured with (pb.db.engine(), from PB_DATABASE_URL), looked up when Piccolo asks."""

from piccolo.conf.apps import AppRegistry

APP_REGISTRY = AppRegistry(apps=["pb.piccolo_app"])


def __getattr__(name: str):
    if name == "DB":
        from pb import db

        return db.engine()
    raise AttributeError(name)
