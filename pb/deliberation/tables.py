"""Deliberative sessions: planned by facilitators, registered for by residents, and recorded.

A session's outcomes (themes, recommendations, prioritisation results and a public summary) are
community input: each SessionOutcome row has a stable id and a kind, so the tracker can link a
decision to it ("session_outcome", id). Outcomes are public only once the session's outcomes are
published, and are not changed after that.

Times are stored as timestamptz (UTC) and shown in Europe/London.
"""

from piccolo.columns import Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from pb.accounts.tables import User
from pb.proposals.tables import Proposal
from pb.rounds.tables import Area, Round


class DeliberationSession(Table, tablename="pb_deliberation_session"):
    """A facilitated session, for a round (optionally in one of its areas) or stand-alone."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=True, default=None, on_delete=OnDelete.restrict)
    area = ForeignKey(references=Area, null=True, default=None, on_delete=OnDelete.restrict)
    facilitator = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    title_en = Varchar(length=200, null=False)
    title_cy = Varchar(length=200, null=False)
    description_en = Text(null=False, default="")
    description_cy = Text(null=False, default="")
    format = Varchar(length=12, null=False, default="in_person")  # in_person, online, hybrid
    venue = Text(null=False, default="")  # the place, as written on signs (often in both languages)
    online_url = Varchar(length=500, null=False, default="")  # shown only to people with a place
    starts_at = Timestamptz(null=False)
    ends_at = Timestamptz(null=False)
    capacity = Integer(null=False)
    language_mode = Varchar(length=10, null=False, default="bilingual")  # cy, bilingual, en
    step_free = Boolean(null=False, default=False)
    hearing_loop = Boolean(null=False, default=False)
    bsl = Boolean(null=False, default=False)
    childcare = Boolean(null=False, default=False)
    quiet_space = Boolean(null=False, default=False)
    access_notes_en = Text(null=False, default="")
    access_notes_cy = Text(null=False, default="")
    status = Varchar(length=10, null=False, default="scheduled")  # scheduled, cancelled
    cancel_reason_en = Text(null=False, default="")
    cancel_reason_cy = Text(null=False, default="")
    attendance_count = Integer(null=True, default=None)  # everyone in the room, registered or not
    outcomes_published_at = Timestamptz(null=True, default=None)
    sequence = Integer(null=False, default=0)  # raised on each change, for calendar files (iCalendar SEQUENCE)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
    updated_at = Timestamptz(default=TimestamptzNow(), null=False)
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


class Registration(Table, tablename="pb_deliberation_registration"):
    """A place (or a place on the waiting list) at a session, for the account holder or for someone
    they care for. (session, user, attendee_key) is unique by an index: one person, one place.

    Access needs are shown to facilitators as counts; the person's name goes with them only when
    `share_needs` is true (they agreed)."""

    id: Serial  # added by Piccolo; declared for the type checker

    session = ForeignKey(references=DeliberationSession, null=False, on_delete=OnDelete.restrict)
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    attendee_name = Varchar(length=100, null=False, default="")  # "" when the place is for the account holder
    attendee_key = Varchar(length=100, null=False, default="")  # lower-cased attendee_name: the uniqueness key
    status = Varchar(length=10, null=False, default="registered")  # registered, waiting, cancelled
    queued_at = Timestamptz(default=TimestamptzNow(), null=False)  # the waiting list's order
    placed_at = Timestamptz(null=True, default=None)  # when they got their place (registered, or moved up)
    access_needs = Varchar(length=200, null=False, default="")  # codes, comma separated
    access_other = Text(null=False, default="")
    share_needs = Boolean(null=False, default=False)
    attended = Boolean(null=False, default=False)
    reminder_sent_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
    updated_at = Timestamptz(default=TimestamptzNow(), null=False)


class AgendaItem(Table, tablename="pb_deliberation_agenda"):
    """A proposal on a session's agenda; (session, proposal) is unique."""

    id: Serial  # added by Piccolo; declared for the type checker

    session = ForeignKey(references=DeliberationSession, null=False, on_delete=OnDelete.cascade)
    proposal = ForeignKey(references=Proposal, null=False, on_delete=OnDelete.restrict)
    position = Integer(null=False, default=0)


class SessionOutcome(Table, tablename="pb_deliberation_outcome"):
    """One thing a session produced: a theme or point raised, a recommendation, the result of a
    prioritisation exercise (tallies in OutcomeLink) or the public summary (one per session)."""

    id: Serial  # added by Piccolo; declared for the type checker

    session = ForeignKey(references=DeliberationSession, null=False, on_delete=OnDelete.restrict)
    kind = Varchar(length=20, null=False)  # theme, recommendation, prioritisation, summary
    body_en = Text(null=False, default="")
    body_cy = Text(null=False, default="")
    method = Varchar(length=10, null=False, default="")  # prioritisation only: dots, ranking
    participants = Integer(null=True, default=None)  # prioritisation only: how many took part
    position = Integer(null=False, default=0)
    created_by = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
    updated_at = Timestamptz(default=TimestamptzNow(), null=False)


class OutcomeLink(Table, tablename="pb_deliberation_outcome_link"):
    """An outcome concerns a proposal; for a prioritisation, with the proposal's tally (dots, or
    points from rankings). (outcome, proposal) is unique."""

    id: Serial  # added by Piccolo; declared for the type checker

    outcome = ForeignKey(references=SessionOutcome, null=False, on_delete=OnDelete.cascade)
    proposal = ForeignKey(references=Proposal, null=False, on_delete=OnDelete.restrict)
    tally = Integer(null=True, default=None)
