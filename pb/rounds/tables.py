from piccolo.columns import BigInt, Boolean, Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Round(Table, tablename="pb_round"):
    """A participatory budgeting process, from proposals to delivery. Money is in pence."""

    id: Serial  # added by Piccolo; declared for the type checker

    title_en = Varchar(length=200, null=False)
    title_cy = Varchar(length=200, null=False)
    description_en = Text(null=False, default="")
    description_cy = Text(null=False, default="")
    phase = Varchar(length=20, null=False, default="draft")
    ballot_method = Varchar(length=20, null=False, default="approval_budget")
    ballot_max_choices = Integer(null=True, default=None)  # k for k-approval
    ballot_min_choices = Integer(null=True, default=None)  # m for k-approval
    ballot_points = Integer(null=True, default=None)  # N for cumulative
    ballot_max_points_per_project = Integer(null=True, default=None)  # M for cumulative
    counting_rule = Varchar(length=40, null=False, default="greedy")
    min_age = Integer(null=False, default=16)
    # A voter with an account may replace their ballot until the close; off unless chosen.
    allow_revote = Boolean(null=False, default=False)
    # Proposal ids in the order drawn by lot when voting opened (space-separated): the last tie-break,
    # published before any vote is counted.
    lot_order = Text(null=False, default="")
    proposals_from = Date(null=False)
    review_from = Date(null=False)
    shortlist_from = Date(null=False)
    voting_from = Date(null=False)
    results_from = Date(null=False)
    delivery_from = Date(null=False)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
    created_by = Integer(null=True, default=None)
    # Its picture (pb.images; files in PB_MEDIA_DIR under content-hash names), "" when it has none,
    # with alt text in each language; on the row itself, so the pages that read it need no query more.
    picture_full = Varchar(length=80, null=False, default="")
    picture_thumb = Varchar(length=80, null=False, default="")
    picture_width = Integer(null=False, default=0)
    picture_height = Integer(null=False, default=0)
    picture_thumb_width = Integer(null=False, default=0)
    picture_thumb_height = Integer(null=False, default=0)
    picture_alt_en = Varchar(length=250, null=False, default="")
    picture_alt_cy = Varchar(length=250, null=False, default="")


class Area(Table, tablename="pb_area"):
    """A ward (or one council-wide pot) with its share of a round's budget."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    name_en = Varchar(length=120, null=False)
    name_cy = Varchar(length=120, null=False)
    budget_pence = BigInt(null=False, default=0)
    residents_eligible = Boolean(null=False, default=True)
    position = Integer(null=False, default=0)


class PhaseChange(Table, tablename="pb_phase_change"):
    """The log of a round's phase changes: an explicit, audited action each."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    from_phase = Varchar(length=20, null=False)
    to_phase = Varchar(length=20, null=False)
    actor_id = Integer(null=True, default=None)
    at = Timestamptz(default=TimestamptzNow(), null=False)


class AreaPostcode(Table, tablename="pb_area_postcode"):
    """A postcode in one of a round's areas, from the council's own list (uploaded as a CSV). Where a
    round has a list, a voter gives their postcode and the area follows from it; (round, postcode)
    is unique by an index. Stored as written on letters: upper case, one space ("CF10 1AA")."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    area = ForeignKey(references=Area, null=False, on_delete=OnDelete.restrict)
    postcode = Varchar(length=8, null=False)
