"""Indexes the tables of m0001 need. Composite uniqueness is a plain unique index, because
Piccolo's Unique constraint fails on SQLite; raw steps run before a migration's own tables, so
they live in a migration of their own."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-24T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Foundation indexes: one role per user once, outbox due queue, session expiry, audit order"

INDEXES = (
    'CREATE UNIQUE INDEX IF NOT EXISTS pb_user_role_user_role ON pb_user_role ("user", role)',
    "CREATE INDEX IF NOT EXISTS pb_outbox_due ON pb_outbox (status, next_attempt_at)",
    "CREATE INDEX IF NOT EXISTS pb_session_expires ON pb_session (expires_at)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pb", description=DESCRIPTION)

    async def create_indexes():
        from pb.db import engine

        for statement in INDEXES:
            await engine().run_ddl(statement)

    async def drop_indexes():
        from pb.db import engine

        for name in ("pb_user_role_user_role", "pb_outbox_due", "pb_session_expires"):
            await engine().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
