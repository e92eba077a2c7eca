"""Voting invariants as indexes: one register row per voter per round (on every channel), one
re-votable ballot per voter, and lookups for counting. (Raw SQL in its own migration: see m0002.)"""

from pb.db import index_migration

ID = "2026-11-24T12:50:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "One vote per voter per round; one re-votable ballot per voter; counting lookups"

INDEXES = {
    "pb_register_once": "CREATE UNIQUE INDEX IF NOT EXISTS pb_register_once ON pb_voter_register (round, voter_key)",
    "pb_ballot_revote_once": "CREATE UNIQUE INDEX IF NOT EXISTS pb_ballot_revote_once ON pb_ballot (revote_key) WHERE revote_key IS NOT NULL",
    "pb_ballot_area": "CREATE INDEX IF NOT EXISTS pb_ballot_area ON pb_ballot (round, area)",
    "pb_ballot_choice_ballot": "CREATE INDEX IF NOT EXISTS pb_ballot_choice_ballot ON pb_ballot_choice (ballot)",
    "pb_result_line_once": "CREATE UNIQUE INDEX IF NOT EXISTS pb_result_line_once ON pb_result_line (round, proposal)",
}


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
