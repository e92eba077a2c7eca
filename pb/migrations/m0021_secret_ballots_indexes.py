"""A re-votable sealed ballot is found (and replaced) by its keyed re-vote hash, unique where set;
the close reads one round's sealed ballots. (Raw SQL in its own migration: see m0002.)"""

from pb.db import index_migration

ID = "2026-12-04T03:43:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Sealed ballots: one per re-vote key; by round"

INDEXES = {
    "pb_sealed_ballot_revote_once": (
        "CREATE UNIQUE INDEX IF NOT EXISTS pb_sealed_ballot_revote_once ON pb_sealed_ballot (revote_key) "
        "WHERE revote_key IS NOT NULL"
    ),
    "pb_sealed_ballot_round": "CREATE INDEX IF NOT EXISTS pb_sealed_ballot_round ON pb_sealed_ballot (round)",
}


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
