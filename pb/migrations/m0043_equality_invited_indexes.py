"""Equality: a person is invited once per round. (Raw SQL in its own migration: see m0002.)"""

from pb.db import index_migration

ID = "2026-12-04T16:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Equality: invited once per round, index"

INDEXES = {
    "pb_equality_invited_once": "CREATE UNIQUE INDEX IF NOT EXISTS pb_equality_invited_once ON pb_equality_invited (round, person_key)",
}


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
