from piccolo.columns import BigInt, Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from pb.accounts.tables import User
from pb.rounds.tables import Round


class Decision(Table, tablename="pb_decision"):
    """What the council decided, by whom, when and why, in both languages. Drafted, then published;
    a published decision's earlier wording is kept in DecisionRevision."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=True, on_delete=OnDelete.restrict)
    title_en = Varchar(length=200, null=False)
    title_cy = Varchar(length=200, null=False)
    body_en = Text(null=False, default="")
    body_cy = Text(null=False, default="")
    why_en = Text(null=False, default="")
    why_cy = Text(null=False, default="")
    decided_by_en = Varchar(length=200, null=False, default="")
    decided_by_cy = Varchar(length=200, null=False, default="")
    decided_on = Date(null=False)
    minutes_url = Varchar(length=500, null=False, default="")
    # The integrated impact assessment's summary, published with the decision (all optional):
    # people with protected characteristics (Equality Act 2010), the Welsh language (opportunities
    # to use it, and treating it no less favourably than English), and the socio-economic duty.
    impact_protected_en = Text(null=False, default="")
    impact_protected_cy = Text(null=False, default="")
    impact_welsh_en = Text(null=False, default="")
    impact_welsh_cy = Text(null=False, default="")
    impact_socioeconomic_en = Text(null=False, default="")
    impact_socioeconomic_cy = Text(null=False, default="")
    # Keys of the well-being goals (pb.tracker.rules.WELLBEING_GOALS) it contributes to, comma-separated.
    wellbeing_goals = Varchar(length=200, null=False, default="")
    status = Varchar(length=10, null=False, default="draft")  # draft, published
    published_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow(), null=False)
    created_by = Integer(null=True, default=None)


class DecisionRevision(Table, tablename="pb_decision_revision"):
    """The wording of a published decision before an edit: 'updated on …, previously said …'."""

    id: Serial  # added by Piccolo; declared for the type checker

    decision = ForeignKey(references=Decision, null=False, on_delete=OnDelete.restrict)
    replaced_at = Timestamptz(default=TimestamptzNow(), null=False)
    snapshot = Text(null=False)  # JSON of the public fields as they were
    actor_id = Integer(null=True, default=None)


class DecisionLink(Table, tablename="pb_decision_link"):
    """How one community input shaped one decision: adopted, adapted (what changed and why) or not
    taken forward (why). (decision, input_kind, input_id) is unique by an index."""

    id: Serial  # added by Piccolo; declared for the type checker

    decision = ForeignKey(references=Decision, null=False, on_delete=OnDelete.restrict)
    input_kind = Varchar(length=20, null=False)  # proposal, comment, session_outcome
    input_id = Integer(null=False)
    effect = Varchar(length=20, null=False)  # adopted, adapted, not_taken_forward
    explanation_en = Text(null=False, default="")
    explanation_cy = Text(null=False, default="")


class ResponseFeedback(Table, tablename="pb_response_feedback"):
    """Feedback on the feedback: whether a published response answered the person who gave the input
    (or who follows it) — yes, partly or no, with an optional comment. Once per person per response,
    by a unique index (link, user)."""

    id: Serial  # added by Piccolo; declared for the type checker

    link = ForeignKey(references=DecisionLink, null=False, on_delete=OnDelete.cascade)
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    answer = Varchar(length=8, null=False)  # yes, partly, no
    comment = Text(null=False, default="")
    created_at = Timestamptz(default=TimestamptzNow(), null=False)


class Delivery(Table, tablename="pb_delivery"):
    """Delivery of a funded project or an adopted decision, tracked for years. Money in pence."""

    id: Serial  # added by Piccolo; declared for the type checker

    proposal = Integer(null=True, default=None)
    decision = Integer(null=True, default=None)
    parent = Integer(null=True, default=None)
    external_ref = Varchar(length=60, null=True, default=None, unique=True)
    title_en = Varchar(length=200, null=False)
    title_cy = Varchar(length=200, null=False)
    status = Varchar(length=20, null=False, default="not_started")
    progress = Integer(null=False, default=0)
    allocated_pence = BigInt(null=False, default=0)
    spent_pence = BigInt(null=False, default=0)
    expected_on = Date(null=True, default=None)
    delivered_on = Date(null=True, default=None)
    cancel_reason_en = Text(null=False, default="")
    cancel_reason_cy = Text(null=False, default="")
    updated_at = Timestamptz(default=TimestamptzNow(), null=False)


class DeliveryUpdate(Table, tablename="pb_delivery_update"):
    """A dated public update on a delivery, in both languages, optionally with a photo and its alt text."""

    id: Serial  # added by Piccolo; declared for the type checker

    delivery = ForeignKey(references=Delivery, null=False, on_delete=OnDelete.restrict)
    at = Timestamptz(default=TimestamptzNow(), null=False)
    body_en = Text(null=False)
    body_cy = Text(null=False)
    photo = Varchar(length=200, null=False, default="")
    photo_alt_en = Varchar(length=300, null=False, default="")
    photo_alt_cy = Varchar(length=300, null=False, default="")
    status = Varchar(length=20, null=False, default="")
    progress = Integer(null=True, default=None)
    actor_id = Integer(null=True, default=None)


class InputTally(Table, tablename="pb_input_tally"):
    """How many community inputs each round has (public proposals; shown comments on them), kept
    current by database triggers on pb_proposal and pb_comment (migration m0051), so the tracker's
    figures cost the same with 100 inputs or 100,000 and no code path that writes a proposal or a
    comment can forget to update them. Read by pb.tracker.queries.input_totals."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, unique=True, on_delete=OnDelete.cascade)
    proposals = Integer(null=False, default=0)
    comments = Integer(null=False, default=0)
