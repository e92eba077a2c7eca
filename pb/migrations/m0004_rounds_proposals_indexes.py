"""Uniqueness and lookup indexes for m0003's tables (a separate migration: raw steps run before a
migration's own tables, and Piccolo's composite Unique constraint fails on SQLite)."""

from pb.db import index_migration

ID = "2026-11-24T12:10:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "One support and one follow per person, one of each theme per proposal; lookup indexes"

INDEXES = {
    "pb_support_once": 'CREATE UNIQUE INDEX IF NOT EXISTS pb_support_once ON pb_support (proposal, "user")',
    "pb_follow_once": 'CREATE UNIQUE INDEX IF NOT EXISTS pb_follow_once ON pb_follow ("user", target_kind, target_id)',
    "pb_proposal_theme_once": "CREATE UNIQUE INDEX IF NOT EXISTS pb_proposal_theme_once ON pb_proposal_theme (proposal, theme)",
    "pb_report_once": 'CREATE UNIQUE INDEX IF NOT EXISTS pb_report_once ON pb_report (target_kind, target_id, reporter, status)',
    "pb_proposal_listing": "CREATE INDEX IF NOT EXISTS pb_proposal_listing ON pb_proposal (round, status)",
    "pb_comment_thread": "CREATE INDEX IF NOT EXISTS pb_comment_thread ON pb_comment (proposal, created_at)",
    "pb_event_history": "CREATE INDEX IF NOT EXISTS pb_event_history ON pb_proposal_event (proposal, at)",
    "pb_report_queue": "CREATE INDEX IF NOT EXISTS pb_report_queue ON pb_report (status, created_at)",
    "pb_follow_target": "CREATE INDEX IF NOT EXISTS pb_follow_target ON pb_follow (target_kind, target_id)",
}


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
