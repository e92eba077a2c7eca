"""A session version on each person: raised by a password reset or change, so sessions made before it
are signed out (pb.accounts.guards compares it with the one stored in the session)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-24T12:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Session version on pb_user, to end other sessions when a password changes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pb", description=DESCRIPTION)

    manager.add_column(
        table_class_name="User",
        tablename="pb_user",
        column_name="session_version",
        db_column_name="session_version",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": 0,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
