from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import Boolean
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import Serial
from piccolo.columns.column_types import Text
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.column_types import Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


def _id_only(class_name: str, tablename: str) -> type[Table]:
    """A stand-in table with just its primary key, as Piccolo writes for a foreign key's target."""
    return type(class_name, (Table,), {"id": Serial(null=False, primary_key=True, unique=False, index=False,
                                                      index_method=IndexMethod.btree, choices=None,
                                                      db_column_name="id", secret=False)}, tablename=tablename, schema=None)


Area = _id_only("Area", "pb_area")
Round = _id_only("Round", "pb_round")
PaperBatch = _id_only("PaperBatch", "pb_paper_batch")
PaperEntry = _id_only("PaperEntry", "pb_paper_entry")


ID = "2026-11-24T15:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Paper ballots: batches, two entries each, sheets as read, resolutions and counting outcomes"

BASE = {"primary_key": False, "index": False, "index_method": IndexMethod.btree, "choices": None,
        "db_column_name": None, "secret": False}


def _fk(references, null: bool, on_delete=OnDelete.restrict) -> dict:
    return {**BASE, "references": references, "on_delete": on_delete, "on_update": OnUpdate.cascade,
            "target_column": None, "null": null, "unique": False, **({"default": None} if null else {})}


def _int(null: bool = False) -> dict:
    return {**BASE, "default": None if null else 0, "null": null, "unique": False}


COLUMNS = {
    ("PaperBatch", "pb_paper_batch"): [
        ("round", ForeignKey, _fk(Round, False)),
        ("area", ForeignKey, _fk(Area, False)),
        ("label", Varchar, {**BASE, "length": 200, "default": "", "null": False, "unique": False}),
        ("sheets", Integer, _int()),
        ("status", Varchar, {**BASE, "length": 20, "default": "open", "null": False, "unique": False}),
        ("created_by", Integer, _int(True)),
        ("created_at", Timestamptz, {**BASE, "default": TimestamptzNow(), "null": False, "unique": False}),
        ("counted_by", Integer, _int(True)),
        ("counted_at", Timestamptz, {**BASE, "default": None, "null": True, "unique": False}),
    ],
    ("PaperEntry", "pb_paper_entry"): [
        ("batch", ForeignKey, _fk(PaperBatch, False)),
        ("number", Integer, _int()),
        ("entered_by", Integer, _int()),
        ("created_at", Timestamptz, {**BASE, "default": TimestamptzNow(), "null": False, "unique": False}),
    ],
    ("PaperSheet", "pb_paper_sheet"): [
        ("entry", ForeignKey, _fk(PaperEntry, False, OnDelete.cascade)),
        ("sheet", Integer, _int()),
        ("code_hash", Varchar, {**BASE, "length": 64, "default": None, "null": True, "unique": False}),
        ("choices", Text, {**BASE, "default": "{}", "null": False, "unique": False}),
        ("spoilt", Boolean, {**BASE, "default": False, "null": False, "unique": False}),
    ],
    ("PaperResolution", "pb_paper_resolution"): [
        ("batch", ForeignKey, _fk(PaperBatch, False)),
        ("sheet", Integer, _int()),
        ("present", Boolean, {**BASE, "default": True, "null": False, "unique": False}),
        ("code_hash", Varchar, {**BASE, "length": 64, "default": None, "null": True, "unique": False}),
        ("choices", Text, {**BASE, "default": "{}", "null": False, "unique": False}),
        ("spoilt", Boolean, {**BASE, "default": False, "null": False, "unique": False}),
        ("resolved_by", Integer, _int()),
        ("resolved_at", Timestamptz, {**BASE, "default": TimestamptzNow(), "null": False, "unique": False}),
    ],
    ("PaperOutcome", "pb_paper_outcome"): [
        ("batch", ForeignKey, _fk(PaperBatch, False)),
        ("sheet", Integer, _int()),
        ("fate", Varchar, {**BASE, "length": 10, "default": "", "null": False, "unique": False}),
        ("reason", Text, {**BASE, "default": "", "null": False, "unique": False}),
    ],
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pb", description=DESCRIPTION)
    for class_name, tablename in COLUMNS:
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
    for (class_name, tablename), columns in COLUMNS.items():
        for name, column_class, params in columns:
            manager.add_column(table_class_name=class_name, tablename=tablename, column_name=name, db_column_name=name,
                               column_class_name=column_class.__name__, column_class=column_class, params=dict(params),
                               schema=None)
    return manager
