from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
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
VotingCodeBatch = _id_only("VotingCodeBatch", "pb_voting_code_batch")


ID = "2026-11-24T15:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Voting codes: batches (with the salt their codes are derived from) and codes stored as keyed hashes"

BASE = {"primary_key": False, "index": False, "index_method": IndexMethod.btree, "choices": None,
        "db_column_name": None, "secret": False}


def _fk(references, null: bool) -> dict:
    return {**BASE, "references": references, "on_delete": OnDelete.restrict, "on_update": OnUpdate.cascade,
            "target_column": None, "null": null, "unique": False, **({"default": None} if null else {})}


COLUMNS = {
    ("VotingCodeBatch", "pb_voting_code_batch"): [
        ("round", ForeignKey, _fk(Round, False)),
        ("area", ForeignKey, _fk(Area, True)),
        ("label", Varchar, {**BASE, "length": 200, "default": "", "null": False, "unique": False}),
        ("count", Integer, {**BASE, "default": 0, "null": False, "unique": False}),
        ("salt", Varchar, {**BASE, "length": 64, "default": "", "null": False, "unique": False}),
        ("created_by", Integer, {**BASE, "default": None, "null": True, "unique": False}),
        ("created_at", Timestamptz, {**BASE, "default": TimestamptzNow(), "null": False, "unique": False}),
        ("sealed_at", Timestamptz, {**BASE, "default": None, "null": True, "unique": False}),
    ],
    ("VotingCode", "pb_voting_code"): [
        ("round", ForeignKey, _fk(Round, False)),
        ("area", ForeignKey, _fk(Area, True)),
        ("batch", ForeignKey, _fk(VotingCodeBatch, False)),
        ("position", Integer, {**BASE, "default": 0, "null": False, "unique": False}),
        ("code_hash", Varchar, {**BASE, "length": 64, "default": "", "null": False, "unique": True}),
        ("voter_key", Varchar, {**BASE, "length": 64, "default": "", "null": False, "unique": False}),
        ("voided_at", Timestamptz, {**BASE, "default": None, "null": True, "unique": False}),
        ("void_reason", Text, {**BASE, "default": "", "null": False, "unique": False}),
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
