"""The one Piccolo app holding every pb table; migrations live in pb/migrations/.

The tables are found in each installed capability's tables module (pb.capabilities), so the
migration tool sees every table and `piccolo migrations new pb --auto` never drops one by omission.
"""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

from pb import db
from pb.capabilities import table_modules

APP_CONFIG = AppConfig(
    app_name="pb",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=table_finder(modules=table_modules(), exclude_imported=True),
    migration_dependencies=[],
    commands=[],
)


def configure_database(database_url: str) -> None:
    """Bind every pb table to one engine for this database (the app, the CLI and the tests call this)."""
    db.configure(database_url, APP_CONFIG.table_classes)
