"""Appeals: once per person per decision; the open appeals queue. Rate limits count a person's recent
comments, reports and proposals; council notes are found by the item they sit beside.
(Raw SQL in its own migration: see m0002.)"""

from pb.db import index_migration

ID = "2026-12-04T12:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Appeals once per person; rate-limit and note look-ups"

INDEXES = {
    "pb_appeal_once": "CREATE UNIQUE INDEX IF NOT EXISTS pb_appeal_once ON pb_appeal (decision, appellant)",
    "pb_appeal_queue": "CREATE INDEX IF NOT EXISTS pb_appeal_queue ON pb_appeal (status, created_at)",
    "pb_comment_by_author": "CREATE INDEX IF NOT EXISTS pb_comment_by_author ON pb_comment (author, created_at)",
    "pb_report_by_reporter": "CREATE INDEX IF NOT EXISTS pb_report_by_reporter ON pb_report (reporter, created_at)",
    "pb_proposal_by_author": "CREATE INDEX IF NOT EXISTS pb_proposal_by_author ON pb_proposal (author, created_at)",
    "pb_council_note_target": "CREATE INDEX IF NOT EXISTS pb_council_note_target ON pb_council_note (target_kind, target_id)",
    "pb_moderation_decision_target": (
        "CREATE INDEX IF NOT EXISTS pb_moderation_decision_target ON pb_moderation_decision (target_kind, target_id)"
    ),
}


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
