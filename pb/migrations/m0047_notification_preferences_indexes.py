"""Notification preferences: one choice per person and kind; one digest per person and day; held
emails found by person. (Raw SQL in its own migration: see m0002.)"""

from pb.db import index_migration

ID = "2026-12-04T17:14:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Notification preferences: indexes"

INDEXES = {
    "pb_notification_preference_once": (
        'CREATE UNIQUE INDEX IF NOT EXISTS pb_notification_preference_once ON pb_notification_preference ("user", kind)'
    ),
    "pb_digest_sent_once": 'CREATE UNIQUE INDEX IF NOT EXISTS pb_digest_sent_once ON pb_digest_sent ("user", day)',
    "pb_digest_item_user": 'CREATE INDEX IF NOT EXISTS pb_digest_item_user ON pb_digest_item ("user")',
}


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
