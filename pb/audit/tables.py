from piccolo.columns import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class AuditEvent(Table, tablename="pb_audit_event"):
    """A privileged action: who did what to what, and when. Rows are only ever added.

    The actor is a plain id, not a foreign key, so history outlives accounts.
    """

    id: Serial  # added by Piccolo; declared for the type checker

    at = Timestamptz(default=TimestamptzNow(), null=False)
    actor_id = Integer(null=True, default=None)
    action = Varchar(length=64, null=False)
    target = Varchar(length=128, null=False, default="")
    details = Text(null=False, default="{}")
