"""Round notices: once per round and kind. (Raw SQL in its own migration: see m0002.)"""

from pb.db import index_migration

ID = "2026-12-04T13:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Round notices: once per round and kind"

INDEXES = {
    "pb_round_notice_once": "CREATE UNIQUE INDEX IF NOT EXISTS pb_round_notice_once ON pb_round_notice (round, kind)",
}


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
