"""The tables as declared in pb/*/tables.py are exactly what pb/migrations builds: Piccolo's own
auto-migration, run against the migrations, finds nothing to add, change or drop. (Before the
structural step, the documented `piccolo migrations new pb --auto` would have dropped the five
paper-ballot tables.) A table or column added without a migration fails here."""

from __future__ import annotations

from itertools import chain

from piccolo.apps.migrations.commands.new import AutoMigrationManager
from piccolo.columns import Varchar

from pb.piccolo_app import APP_CONFIG


async def _alterations(app_config) -> list[str]:
    statements = await AutoMigrationManager(auto_input="n").get_alter_statements(app_config=app_config)
    return list(chain(*[s.statements for s in statements]))


async def test_the_migrations_build_every_declared_table_and_column():
    assert await _alterations(APP_CONFIG) == []


async def test_a_column_without_a_migration_is_found():
    table = next(t for t in APP_CONFIG.table_classes if t._meta.tablename == "pb_round")
    extra = Varchar(length=10, default="")
    extra._meta.name = "undeclared_in_migrations"
    extra._meta.db_column_name = "undeclared_in_migrations"
    extra._meta._table = table
    table._meta.columns.append(extra)
    table._meta.non_default_columns.append(extra)
    try:
        found = await _alterations(APP_CONFIG)
    finally:
        table._meta.columns.remove(extra)
        table._meta.non_default_columns.remove(extra)
    assert any("undeclared_in_migrations" in statement for statement in found), found
