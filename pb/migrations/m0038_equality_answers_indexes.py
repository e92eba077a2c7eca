"""Equality answers: an invitation is spent once per round; a question is switched off once; answers
and boxes are found by round. (Raw SQL in its own migration: see m0002.)"""

from pb.db import index_migration

ID = "2026-12-04T16:13:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Equality answers: indexes"

INDEXES = {
    "pb_equality_spent_once": "CREATE UNIQUE INDEX IF NOT EXISTS pb_equality_spent_once ON pb_equality_spent (round, nonce_hash)",
    "pb_equality_question_off_once": "CREATE UNIQUE INDEX IF NOT EXISTS pb_equality_question_off_once ON pb_equality_question_off (question)",
    "pb_equality_sealed_round": "CREATE INDEX IF NOT EXISTS pb_equality_sealed_round ON pb_equality_sealed (round)",
    "pb_equality_answers_round": "CREATE INDEX IF NOT EXISTS pb_equality_answers_round ON pb_equality_answers (round)",
}


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
