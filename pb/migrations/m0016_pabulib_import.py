"""Rounds imported from Pabulib files: one row per import, unique by the file's identifying META."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

Round = type("Round", (Table,), {"id": Serial(null=False, primary_key=True, unique=False, index=False,
                                              index_method=IndexMethod.btree, choices=None, db_column_name="id",
                                              secret=False)}, tablename="pb_round", schema=None)

ID = "2026-11-24T15:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Pabulib imports: the round each file became, unique by the file's identifying META"

BASE = {"primary_key": False, "index": False, "index_method": IndexMethod.btree, "choices": None,
        "db_column_name": None, "secret": False}

COLUMNS = [
    ("round", ForeignKey, {**BASE, "references": Round, "on_delete": OnDelete.restrict, "on_update": OnUpdate.cascade,
                           "target_column": None, "null": False, "unique": False}),
    ("source_key", Varchar, {**BASE, "length": 64, "default": "", "null": False, "unique": True}),
    ("meta", Text, {**BASE, "default": "{}", "null": False, "unique": False}),
    ("imported_at", Timestamptz, {**BASE, "default": TimestamptzNow(), "null": False, "unique": False}),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pb", description=DESCRIPTION)
    manager.add_table(class_name="PabulibImport", tablename="pb_pabulib_import", schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(table_class_name="PabulibImport", tablename="pb_pabulib_import", column_name=name,
                           db_column_name=name, column_class_name=column_class.__name__, column_class=column_class,
                           params=dict(params), schema=None)
    return manager
