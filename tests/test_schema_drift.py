"""The tables as declared in pb/*/tables.py are exactly what pb/migrations builds: Piccolo's own
auto-migration, run against the migrations, finds nothing to add, change or drop. (Before the
structural step, the documented `piccolo migrations new pb --auto` would have dropped the five
paper-ballot tables.) A table added without a migration fails here."""

from __future__ import annotations

from itertools import chain

from piccolo.apps.migrations.commands.new import AutoMigrationManager
from piccolo.columns import Varchar
from piccolo.conf.apps import AppConfig
from piccolo.table import Table

from pb.piccolo_app import APP_CONFIG


async def _alterations(app_config) -> list[str]:
    statements = await AutoMigrationManager(auto_input="n").get_alter_statements(app_config=app_config)
    return list(chain(*[s.statements for s in statements]))


async def test_the_migrations_build_every_declared_table_and_column():
    assert await _alterations(APP_CONFIG) == []


async def test_a_table_without_a_migration_is_found():
    # A table added to the app's tables but to no migration (a copy of the app config: the real
    # tables are never touched).
    class Undeclared(Table, tablename="pb_undeclared_in_migrations"):
        name = Varchar(length=10, default="")

    config = AppConfig(
        app_name=APP_CONFIG.app_name,
        migrations_folder_path=APP_CONFIG.migrations_folder_path,
        table_classes=[*APP_CONFIG.table_classes, Undeclared],
    )
    found = await _alterations(config)
    assert any("pb_undeclared_in_migrations" in statement for statement in found), found
