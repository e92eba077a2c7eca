"""A funded proposal has one delivery record: results create it, and a record made by hand can be
linked only to a proposal that has none. (Raw SQL in its own migration: see m0002.)"""

from pb.db import index_migration

ID = "2026-12-04T12:52:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Delivery: one per proposal"

INDEXES = {
    "pb_delivery_one_per_proposal": (
        "CREATE UNIQUE INDEX IF NOT EXISTS pb_delivery_one_per_proposal ON pb_delivery (proposal) WHERE proposal IS NOT NULL"
    ),
}


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
