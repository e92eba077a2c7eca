from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from pb.accounts.tables import User


class Report(Table, tablename="pb_report"):
    """Someone's report that a proposal or comment breaks the community guidelines."""

    id: Serial  # added by Piccolo; declared for the type checker

    target_kind = Varchar(length=20, null=False)  # proposal, comment
    target_id = Integer(null=False)
    reporter = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    reason = Varchar(length=30, null=False)
    details = Text(null=False, default="")
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
    status = Varchar(length=10, null=False, default="open")  # open, decided
    decision_id = Integer(null=True, default=None)


class ModerationDecision(Table, tablename="pb_moderation_decision"):
    """A moderator's decision on an item: hide it or keep it, with a guideline and an explanation.
    Hidden content is never deleted; the decision is shown in its place."""

    id: Serial  # added by Piccolo; declared for the type checker

    target_kind = Varchar(length=20, null=False)
    target_id = Integer(null=False)
    moderator_id = Integer(null=False)
    action = Varchar(length=10, null=False)  # hide, keep
    reason = Varchar(length=30, null=False)
    explanation = Text(null=False, default="")
    at = Timestamptz(default=TimestamptzNow(), null=False)
