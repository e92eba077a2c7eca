"""The lot order of a round: drawn when voting opens and published, so ties that nothing else settles
are broken by an order everyone could see before any vote was counted."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Text
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-24T15:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Lot order on pb_round, drawn when voting opens"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pb", description=DESCRIPTION)

    manager.add_column(
        table_class_name="Round",
        tablename="pb_round",
        column_name="lot_order",
        db_column_name="lot_order",
        column_class_name="Text",
        column_class=Text,
        params={
            "default": "",
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
