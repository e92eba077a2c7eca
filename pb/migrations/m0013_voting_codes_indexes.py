"""Voting-code lookups as indexes: a code's batch, the used-count join on (round, voter_key), and
unused codes per batch. (The code hash's own uniqueness is a column constraint in m0012.)"""

from pb.db import index_migration

ID = "2026-11-24T15:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Voting codes: by batch, and by voter key for used counts"

INDEXES = {
    "pb_voting_code_batch_idx": "CREATE INDEX IF NOT EXISTS pb_voting_code_batch_idx ON pb_voting_code (batch)",
    "pb_voting_code_voter": "CREATE INDEX IF NOT EXISTS pb_voting_code_voter ON pb_voting_code (round, voter_key)",
    "pb_voting_code_batch_round": "CREATE INDEX IF NOT EXISTS pb_voting_code_batch_round ON pb_voting_code_batch (round)",
}


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
