"""Published ballots stay quick for rounds of 100,000+ ballots (imported from Pabulib, or large
councils): the public list pages through one round's ballots in receipt order, and the Pabulib export
reads one area's ballots in the order they were stored. (Raw SQL in its own migration: see m0002.)"""

from pb.db import index_migration

ID = "2026-11-24T15:20:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Ballots by (round, receipt) for the published list; imports by round"

INDEXES = {
    "pb_ballot_round_receipt": "CREATE INDEX IF NOT EXISTS pb_ballot_round_receipt ON pb_ballot (round, receipt)",
    "pb_pabulib_import_round": "CREATE INDEX IF NOT EXISTS pb_pabulib_import_round ON pb_pabulib_import (round)",
}


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
