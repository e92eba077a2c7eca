"""Secret ballots: a ballot is stored sealed until the close (pb_sealed_ballot), readable ballots
keep only what is published (no re-vote key, no day), the register keeps the hash of the cast
token (a retried cast shows the same receipt), and re-voting is off unless an officer chooses it."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import Boolean
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Serial
from piccolo.columns.column_types import Text
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

from pb.db import engine


class Round(Table, tablename="pb_round", schema=None):
    id = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name="id",
        secret=False,
    )


ID = "2026-12-04T03:41:59:478465"
VERSION = "1.38.0"
DESCRIPTION = "True"


class _Manager(MigrationManager):
    async def _run_alter_columns(self, backwards: bool = False):
        # SQLite cannot change a column's default in place; Piccolo writes every column of a new
        # row, so the declared default (re-voting off) is what new rounds get on both engines.
        if engine().engine_type == "sqlite":
            return
        await super()._run_alter_columns(backwards=backwards)


async def forwards():
    manager = _Manager(migration_id=ID, app_name="pb", description=DESCRIPTION)

    manager.add_table(
        class_name="SealedBallot",
        tablename="pb_sealed_ballot",
        schema=None,
        columns=None,
    )

    manager.add_column(
        table_class_name="SealedBallot",
        tablename="pb_sealed_ballot",
        column_name="round",
        db_column_name="round",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params={
            "references": Round,
            "on_delete": OnDelete.restrict,
            "on_update": OnUpdate.cascade,
            "target_column": None,
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

    manager.add_column(
        table_class_name="SealedBallot",
        tablename="pb_sealed_ballot",
        column_name="revote_key",
        db_column_name="revote_key",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 64,
            "default": None,
            "null": True,
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

    manager.add_column(
        table_class_name="SealedBallot",
        tablename="pb_sealed_ballot",
        column_name="sealed",
        db_column_name="sealed",
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

    manager.drop_column(
        table_class_name="Ballot",
        tablename="pb_ballot",
        column_name="cast_on",
        db_column_name="cast_on",
        schema=None,
    )

    manager.drop_column(
        table_class_name="Ballot",
        tablename="pb_ballot",
        column_name="revote_key",
        db_column_name="revote_key",
        schema=None,
    )

    manager.add_column(
        table_class_name="VoterRegister",
        tablename="pb_voter_register",
        column_name="cast_token_hash",
        db_column_name="cast_token_hash",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 64,
            "default": None,
            "null": True,
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

    manager.alter_column(
        table_class_name="Round",
        tablename="pb_round",
        column_name="allow_revote",
        db_column_name="allow_revote",
        params={"default": False},
        old_params={"default": True},
        column_class=Boolean,
        old_column_class=Boolean,
        schema=None,
    )

    return manager
