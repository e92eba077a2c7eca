"""Piccolo's configuration, for Piccolo's own command-line tools (migrations): the engine is the one
pb is configured with (from PB_DATABASE_URL unless something configured it already), looked up
when Piccolo asks."""

from piccolo.conf.apps import AppRegistry

from pb import db
from pb.config import get_settings
from pb.piccolo_app import configure_database

APP_REGISTRY = AppRegistry(apps=["pb.piccolo_app"])


def __getattr__(name: str):
    if name == "DB":
        if not db.is_configured():
            configure_database(get_settings().database_url)
        return db.engine()
    raise AttributeError(name)
