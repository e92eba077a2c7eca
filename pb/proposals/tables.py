from piccolo.columns import BigInt, Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from pb.accounts.tables import User
from pb.rounds.tables import Area, Round


class Proposal(Table, tablename="pb_proposal"):
    """A project proposed by a resident, in Welsh, English or both. Money is in pence."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    area = ForeignKey(references=Area, null=False, on_delete=OnDelete.restrict)
    author = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    title_en = Varchar(length=120, null=False, default="")
    title_cy = Varchar(length=120, null=False, default="")
    summary_en = Varchar(length=300, null=False, default="")
    summary_cy = Varchar(length=300, null=False, default="")
    description_en = Text(null=False, default="")
    description_cy = Text(null=False, default="")
    estimated_cost_pence = BigInt(null=False, default=0)
    revised_cost_pence = BigInt(null=True, default=None)
    cost_reason_en = Text(null=False, default="")
    cost_reason_cy = Text(null=False, default="")
    partners = Text(null=False, default="")  # co-proposers, one per line
    status = Varchar(length=20, null=False, default="draft")
    status_reason_en = Text(null=False, default="")
    status_reason_cy = Text(null=False, default="")
    merged_into = Integer(null=True, default=None)
    feasibility_notes = Text(null=False, default="")  # private to officers
    support_count = Integer(null=False, default=0)
    search_text = Text(null=False, default="")
    hidden = Boolean(null=False, default=False)
    hidden_reason = Varchar(length=30, null=False, default="")
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
    submitted_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow(), null=False)


class ProposalTheme(Table, tablename="pb_proposal_theme"):
    id: Serial  # added by Piccolo; declared for the type checker
    proposal = ForeignKey(references=Proposal, null=False, on_delete=OnDelete.cascade)
    theme = Varchar(length=40, null=False)


class ProposalEvent(Table, tablename="pb_proposal_event"):
    """The public history of a proposal: every status change, cost revision and merge, with why."""

    id: Serial  # added by Piccolo; declared for the type checker

    proposal = ForeignKey(references=Proposal, null=False, on_delete=OnDelete.restrict)
    at = Timestamptz(default=TimestamptzNow(), null=False)
    actor_id = Integer(null=True, default=None)
    kind = Varchar(length=20, null=False)  # status, cost, merged_in
    from_status = Varchar(length=20, null=False, default="")
    to_status = Varchar(length=20, null=False, default="")
    reason_en = Text(null=False, default="")
    reason_cy = Text(null=False, default="")
    related_id = Integer(null=True, default=None)  # the other proposal of a merge
    amount_pence = BigInt(null=True, default=None)  # the revised cost


class Support(Table, tablename="pb_support"):
    """One resident's support for one proposal; (proposal, user) is unique by an index."""

    id: Serial  # added by Piccolo; declared for the type checker

    proposal = ForeignKey(references=Proposal, null=False, on_delete=OnDelete.restrict)
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)


class Follow(Table, tablename="pb_follow"):
    """Someone following a proposal, an area or a round; (user, kind, id) is unique."""

    id: Serial  # added by Piccolo; declared for the type checker

    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    target_kind = Varchar(length=20, null=False)
    target_id = Integer(null=False)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)


class Comment(Table, tablename="pb_comment"):
    """A comment on a proposal, optionally a reply to another comment."""

    id: Serial  # added by Piccolo; declared for the type checker

    proposal = ForeignKey(references=Proposal, null=False, on_delete=OnDelete.restrict)
    author = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    parent = Integer(null=True, default=None)
    body = Text(null=False)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
    edited_at = Timestamptz(null=True, default=None)
    hidden = Boolean(null=False, default=False)
    hidden_reason = Varchar(length=30, null=False, default="")
    # The language it is written in ("cy" or "en"; "" for comments from before it was asked), so the
    # page marks it with lang (WCAG 3.1.2): an English comment on a Welsh page is read as English.
    language = Varchar(length=2, null=False, default="")


class ProposalImage(Table, tablename="pb_proposal_image"):
    """A proposal's picture (one per proposal): files in PB_MEDIA_DIR under content-hash names,
    resized and stripped of metadata (pb.images), with its alt text in each language the proposal has."""

    id: Serial  # added by Piccolo; declared for the type checker

    proposal = ForeignKey(references=Proposal, null=False, on_delete=OnDelete.cascade, unique=True)
    full_name = Varchar(length=80, null=False)
    thumb_name = Varchar(length=80, null=False)
    width = Integer(null=False)
    height = Integer(null=False)
    thumb_width = Integer(null=False)
    thumb_height = Integer(null=False)
    alt_en = Varchar(length=250, null=False, default="")
    alt_cy = Varchar(length=250, null=False, default="")
    position = Integer(null=False, default=0)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
