"""Paper sheets: an index on the typed code's hash, since code entry asks whether a code waits on paper
(a counted batch clears its hashes, so the index stays as small as the batches not yet counted)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar

ID = "2026-12-04T10:48:12:545051"
VERSION = "1.38.0"
DESCRIPTION = "True"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="pb", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="PaperSheet",
        tablename="pb_paper_sheet",
        column_name="code_hash",
        db_column_name="code_hash",
        params={"index": True},
        old_params={"index": False},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
