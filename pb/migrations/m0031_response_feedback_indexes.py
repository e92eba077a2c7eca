"""Feedback on a response: once per person per response; read by response for the figures.
(Raw SQL in its own migration: see m0002.)"""

from pb.db import index_migration

ID = "2026-12-04T12:58:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Feedback on a response: once per person"

INDEXES = {
    "pb_response_feedback_once": 'CREATE UNIQUE INDEX IF NOT EXISTS pb_response_feedback_once ON pb_response_feedback (link, "user")',
}


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
