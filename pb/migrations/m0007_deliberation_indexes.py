"""Uniqueness and lookup indexes for m0006's tables (a separate migration: raw steps run before a
migration's own tables, and Piccolo's composite Unique constraint fails on SQLite).

pb_deliberation_registration_once is half of the capacity invariant: one person (an account holder,
or someone they care for, by name) holds at most one registration row per session. The other half
is the one write path, pb.deliberation.actions.register, which locks the session row."""

from pb.db import index_migration

ID = "2026-11-24T12:30:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "One registration per person per session, one agenda entry and one link per proposal; lookup indexes"

INDEXES = {
    "pb_deliberation_registration_once":
        'CREATE UNIQUE INDEX IF NOT EXISTS pb_deliberation_registration_once ON pb_deliberation_registration (session, "user", attendee_key)',
    "pb_deliberation_agenda_once":
        "CREATE UNIQUE INDEX IF NOT EXISTS pb_deliberation_agenda_once ON pb_deliberation_agenda (session, proposal)",
    "pb_deliberation_outcome_link_once":
        "CREATE UNIQUE INDEX IF NOT EXISTS pb_deliberation_outcome_link_once ON pb_deliberation_outcome_link (outcome, proposal)",
    "pb_deliberation_session_starts":
        "CREATE INDEX IF NOT EXISTS pb_deliberation_session_starts ON pb_deliberation_session (starts_at)",
    "pb_deliberation_registration_places":
        "CREATE INDEX IF NOT EXISTS pb_deliberation_registration_places ON pb_deliberation_registration (session, status, queued_at)",
    "pb_deliberation_registration_user":
        'CREATE INDEX IF NOT EXISTS pb_deliberation_registration_user ON pb_deliberation_registration ("user")',
    "pb_deliberation_outcome_session":
        "CREATE INDEX IF NOT EXISTS pb_deliberation_outcome_session ON pb_deliberation_outcome (session, kind)",
    "pb_deliberation_outcome_link_proposal":
        "CREATE INDEX IF NOT EXISTS pb_deliberation_outcome_link_proposal ON pb_deliberation_outcome_link (proposal)",
    "pb_deliberation_agenda_proposal":
        "CREATE INDEX IF NOT EXISTS pb_deliberation_agenda_proposal ON pb_deliberation_agenda (proposal)",
}


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
