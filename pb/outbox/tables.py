from piccolo.columns import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class OutboxMessage(Table, tablename="pb_outbox"):
    """An email, written here first (in the same transaction as the action that caused it),
    then delivered by the background sender, which retries with back-off."""

    id: Serial  # added by Piccolo; declared for the type checker

    created_at = Timestamptz(default=TimestamptzNow(), null=False)
    recipient = Varchar(length=254, null=False)
    language = Varchar(length=2, null=False, default="en")
    subject = Varchar(length=300, null=False)
    body = Text(null=False)
    status = Varchar(length=10, null=False, default="pending")  # pending, sent, logged, failed, expired
    attempts = Integer(default=0, null=False)
    next_attempt_at = Timestamptz(default=TimestamptzNow(), null=False)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Text(null=False, default="")
    # Set when the body carries a live secret (a confirmation or password-reset link) that stops
    # working then: the body is blanked once sent, and an unsent one expires with its link.
    secret_until = Timestamptz(null=True, default=None)
