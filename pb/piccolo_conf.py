"""Piccolo's configuration: the engine comes from pb's settings (PB_DATABASE_URL)."""

from piccolo.conf.apps import AppRegistry

from pb.config import get_settings
from pb.db import make_engine

DB = make_engine(get_settings().database_url)

APP_REGISTRY = AppRegistry(apps=["pb.piccolo_app"])
