"""Indexes for the tracker: an input is linked to a decision at most once; lookups by input and
by proposal. (Raw SQL in a migration of its own: see m0002.)"""

from pb.db import index_migration

ID = "2026-11-24T12:40:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "One link per decision and input; lookups by input, proposal and delivery"

INDEXES = {
    "pb_decision_link_once": "CREATE UNIQUE INDEX IF NOT EXISTS pb_decision_link_once ON pb_decision_link (decision, input_kind, input_id)",
    "pb_decision_link_input": "CREATE INDEX IF NOT EXISTS pb_decision_link_input ON pb_decision_link (input_kind, input_id)",
    "pb_delivery_proposal": "CREATE INDEX IF NOT EXISTS pb_delivery_proposal ON pb_delivery (proposal)",
    "pb_delivery_update_at": "CREATE INDEX IF NOT EXISTS pb_delivery_update_at ON pb_delivery_update (delivery, at)",
}


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
