"""Area postcodes: one area per postcode in a round, found by postcode. (Raw SQL in its own
migration: see m0002.)"""

from pb.db import index_migration

ID = "2026-12-04T13:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Area postcodes: once per round"

INDEXES = {
    "pb_area_postcode_once": "CREATE UNIQUE INDEX IF NOT EXISTS pb_area_postcode_once ON pb_area_postcode (round, postcode)",
}


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
