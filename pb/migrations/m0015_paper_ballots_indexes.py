"""Paper-ballot invariants as indexes: at most two entries per batch, by two different people; one
reading per sheet per entry; one resolution and one outcome per sheet; batches by round."""

from pb.db import index_migration

ID = "2026-11-24T15:10:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Paper ballots: two entries by two people, one reading, resolution and outcome per sheet"

INDEXES = {
    "pb_paper_entry_number": "CREATE UNIQUE INDEX IF NOT EXISTS pb_paper_entry_number ON pb_paper_entry (batch, number)",
    "pb_paper_entry_person": "CREATE UNIQUE INDEX IF NOT EXISTS pb_paper_entry_person ON pb_paper_entry (batch, entered_by)",
    "pb_paper_sheet_once": "CREATE UNIQUE INDEX IF NOT EXISTS pb_paper_sheet_once ON pb_paper_sheet (entry, sheet)",
    "pb_paper_resolution_once": "CREATE UNIQUE INDEX IF NOT EXISTS pb_paper_resolution_once ON pb_paper_resolution (batch, sheet)",
    "pb_paper_outcome_once": "CREATE UNIQUE INDEX IF NOT EXISTS pb_paper_outcome_once ON pb_paper_outcome (batch, sheet)",
    "pb_paper_batch_round": "CREATE INDEX IF NOT EXISTS pb_paper_batch_round ON pb_paper_batch (round, status)",
}


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
