"""Triggers keep pb_input_tally current: every insert, update or delete of a proposal or a comment,
by any code path (forms, imports, demos, bulk loads, moderation), adds or takes away its share in
the same transaction. Existing rows are counted once here.

Counted, as the tracker defines community input (pb.tracker.queries): a proposal that is not a
draft and was submitted; a comment that is not hidden, on such a proposal. A proposal's comments
move with it when it stops or starts counting, or changes round.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from pb.db import engine, is_sqlite

ID = "2026-12-04T23:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Triggers that keep the input tallies"

_ADD = (
    "INSERT INTO pb_input_tally (round, proposals, comments) {source} ON CONFLICT (round) DO UPDATE SET "
    "proposals = pb_input_tally.proposals + excluded.proposals, comments = pb_input_tally.comments + excluded.comments"
)
_COUNTED = "{p}.status != 'draft' AND {p}.submitted_at IS NOT NULL"


def _proposal(row: str, sign: str) -> str:
    """Add (sign "") or take away (sign "-") a proposal with its shown comments."""
    comments = f"(SELECT COUNT(*) FROM pb_comment WHERE proposal = {row}.id AND hidden = FALSE)"
    return _ADD.format(source=f"SELECT {row}.round, {sign}1, {sign}{comments} WHERE {_COUNTED.format(p=row)}")


def _comment(row: str, sign: str) -> str:
    """Add or take away one comment, if it is shown and its proposal counts."""
    source = (
        f"SELECT p.round, 0, {sign}1 FROM pb_proposal p "
        f"WHERE p.id = {row}.proposal AND {row}.hidden = FALSE AND {_COUNTED.format(p='p')}"
    )
    return _ADD.format(source=source)


def _changed(changed: str) -> str:
    return changed.replace("DIFFERS", "IS NOT" if is_sqlite() else "IS DISTINCT FROM")


_PROPOSAL_MOVED = f"({_COUNTED.format(p='OLD')}) DIFFERS ({_COUNTED.format(p='NEW')}) OR OLD.round DIFFERS NEW.round"
_COMMENT_MOVED = "OLD.hidden DIFFERS NEW.hidden OR OLD.proposal DIFFERS NEW.proposal"

# name: (table, event, condition on OLD/NEW or "", statements)
TRIGGERS = {
    "pb_tally_proposal_added": ("pb_proposal", "INSERT", "", [_proposal("NEW", "")]),
    "pb_tally_proposal_removed": ("pb_proposal", "DELETE", "", [_proposal("OLD", "-")]),
    "pb_tally_proposal_changed": (
        "pb_proposal",
        "UPDATE OF status, submitted_at, round",
        _PROPOSAL_MOVED,
        [_proposal("OLD", "-"), _proposal("NEW", "")],
    ),
    "pb_tally_comment_added": ("pb_comment", "INSERT", "", [_comment("NEW", "")]),
    "pb_tally_comment_removed": ("pb_comment", "DELETE", "", [_comment("OLD", "-")]),
    "pb_tally_comment_changed": (
        "pb_comment",
        "UPDATE OF hidden, proposal",
        _COMMENT_MOVED,
        [_comment("OLD", "-"), _comment("NEW", "")],
    ),
}

BACKFILL = _ADD.format(
    source=(
        "SELECT p.round, COUNT(*), COALESCE(SUM((SELECT COUNT(*) FROM pb_comment c WHERE c.proposal = p.id AND c.hidden = FALSE)), 0) "
        f"FROM pb_proposal p WHERE {_COUNTED.format(p='p')} GROUP BY p.round"
    )
)


def create_statements() -> list[str]:
    """The DDL for this engine: SQLite triggers hold their statements; PostgreSQL's call a function."""
    made = []
    for name, (table, event, condition, statements) in TRIGGERS.items():
        when = f" WHEN ({_changed(condition)})" if condition else ""
        body = "".join(f"{statement}; " for statement in statements)
        if is_sqlite():
            made.append(f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table} FOR EACH ROW{when} BEGIN {body}END")
        else:
            made.append(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body}RETURN NULL; END $$"
            )
            made.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            made.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when} EXECUTE FUNCTION {name}()")
    return made


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pb", description=DESCRIPTION)

    async def create():
        for statement in create_statements():
            await engine().run_ddl(statement)
        await engine().run_ddl("DELETE FROM pb_input_tally")
        await engine().run_ddl(BACKFILL)

    async def drop():
        for name, (table, *_) in TRIGGERS.items():
            if is_sqlite():
                await engine().run_ddl(f"DROP TRIGGER IF EXISTS {name}")
            else:
                await engine().run_ddl(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                await engine().run_ddl(f"DROP FUNCTION IF EXISTS {name}()")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
