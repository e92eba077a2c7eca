"""Ballots no longer carry a re-vote key (a replaceable ballot stays sealed until the close, where
pb_sealed_ballot keeps the key): its unique index goes first, so SQLite can drop the column next."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from pb.db import engine

ID = "2026-12-04T03:41:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Drop the ballots' re-vote index"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pb", description=DESCRIPTION)

    async def drop():
        await engine().run_ddl("DROP INDEX IF EXISTS pb_ballot_revote_once")

    async def restore():
        await engine().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS pb_ballot_revote_once ON pb_ballot (revote_key) WHERE revote_key IS NOT NULL"
        )

    manager.add_raw(drop)
    manager.add_raw_backwards(restore)
    return manager
