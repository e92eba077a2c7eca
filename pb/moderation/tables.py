from piccolo.columns import Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
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
    """A moderator's decision on an item, recorded as a statement of reasons shaped like the EU Digital
    Services Act's: the visibility taken (hide, keep, or keep with a public note), the ground (a law
    from the cohesion guidance, or a clause of the community guidelines), the facts relied on,
    whether anything automated was involved, and when. Hidden content is never deleted; the decision
    is shown in its place."""

    id: Serial  # added by Piccolo; declared for the type checker

    target_kind = Varchar(length=20, null=False)
    target_id = Integer(null=False)
    moderator_id = Integer(null=False)
    action = Varchar(length=10, null=False)  # hide, keep, note (kept with a public note)
    reason = Varchar(length=30, null=False)  # the guideline clause (rules.REASONS), or "" when kept
    explanation = Text(null=False, default="")  # to the author
    ground = Varchar(length=12, null=False, default="guidelines")  # unlawful, guidelines, none
    law = Varchar(length=40, null=False, default="")  # rules.LAWS, when the ground is unlawful
    facts = Text(null=False, default="")  # the facts relied on
    automated = Boolean(null=False, default=False)  # e.g. held by the watch list
    public_note = Text(null=False, default="")  # shown beside content kept with a note
    # The language the note is written in ("cy" or "en"; "" before it was asked), so pages mark it
    # with lang (WCAG 3.1.2).
    public_note_language = Varchar(length=2, null=False, default="")
    appeal_id = Integer(null=True, default=None)  # the appeal this decision settled, if any
    at = Timestamptz(default=TimestamptzNow(), null=False)


class Appeal(Table, tablename="pb_appeal"):
    """An appeal against a moderation decision, by the author of hidden content or by someone who
    reported content that was kept: once per person per decision (a unique index), within 14 days,
    decided by a different moderator with a stated reason."""

    id: Serial  # added by Piccolo; declared for the type checker

    decision = ForeignKey(references=ModerationDecision, null=False, on_delete=OnDelete.restrict)
    appellant = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    role = Varchar(length=10, null=False)  # author, reporter
    reason = Text(null=False)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
    status = Varchar(length=12, null=False, default="open")  # open, upheld (decision stands), overturned
    decided_by = Integer(null=True, default=None)
    outcome_reason = Text(null=False, default="")
    decided_at = Timestamptz(null=True, default=None)


class CouncilNote(Table, tablename="pb_council_note"):
    """Information from the council, bilingual and sourced, shown beside a proposal or a comment thread.
    It adds to the conversation; it never replaces or hides anyone's words."""

    id: Serial  # added by Piccolo; declared for the type checker

    target_kind = Varchar(length=20, null=False)  # proposal, comment
    target_id = Integer(null=False)
    body_en = Text(null=False)
    body_cy = Text(null=False)
    source_en = Varchar(length=300, null=False, default="")  # where the information comes from
    source_cy = Varchar(length=300, null=False, default="")
    source_url = Varchar(length=500, null=False, default="")
    author_id = Integer(null=False)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
    withdrawn_at = Timestamptz(null=True, default=None)


class WatchTerm(Table, tablename="pb_watch_term"):
    """A council's watch-list term (Welsh or English): new content containing it is held for a
    moderator before it appears, and its author is told. Stored case-folded; unique."""

    id: Serial  # added by Piccolo; declared for the type checker

    term = Varchar(length=100, null=False, unique=True)
    added_by = Integer(null=False)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
