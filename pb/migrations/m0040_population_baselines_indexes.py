"""Population baselines: one figure per (round, area, measure, group); one source per round is a
column constraint already. (Raw SQL in its own migration: see m0002.)"""

from pb.db import index_migration

ID = "2026-12-04T16:14:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "Population baselines: indexes"

INDEXES = {
    "pb_equality_baseline_once": (
        "CREATE UNIQUE INDEX IF NOT EXISTS pb_equality_baseline_once ON pb_equality_baseline (round, area, measure, group_key)"
    ),
}


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
