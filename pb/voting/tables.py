"""Voting tables, designed for ballot secrecy (README, "Ballot secrecy").

The register records *that* someone voted in a round, under a keyed hash of the voter. What they
chose is written, in the same transaction, only as a sealed box (pb.voting.sealing) that a copy of
the database cannot open. When voting closes the boxes are opened, shuffled and written as readable
ballots in random order, in a transaction that writes no register row, and deleted: a readable
ballot shares no value, order, time or transaction with the register, codes, sheets or sessions.
"""

from piccolo.columns import BigInt, Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from pb.proposals.tables import Proposal
from pb.rounds.tables import Area, Round


class VoterRegister(Table, tablename="pb_voter_register"):
    """One row per voter per round: (round, voter_key) is unique by an index, across every channel."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    voter_key = Varchar(length=64, null=False)  # keyed hash of "user:<id>" or "code:<code>"
    channel = Varchar(length=10, null=False)  # online, code, paper, assisted
    # The unkeyed hash of the one-use token the ballot was cast with: a retried cast with the same
    # token shows the same receipt (pb.voting.sealing.receipt_for) instead of "already voted".
    cast_token_hash = Varchar(length=64, null=True, default=None)


class SealedBallot(Table, tablename="pb_sealed_ballot"):
    """A ballot as cast, sealed until voting closes (pb.voting.sealing). `revote_key` (a keyed hash
    of the voter, different from the register's) is set only where this voter may replace it, and
    is unique where set. Every row of a round is deleted when the round's ballots are mixed."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    revote_key = Varchar(length=64, null=True, default=None)
    sealed = Text(null=False)


class Ballot(Table, tablename="pb_ballot"):
    """What one voter chose in one area, readable only after the close, in random order; it keeps
    only what the published ballots show (receipt, area, channel, choices)."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    area = ForeignKey(references=Area, null=False, on_delete=OnDelete.restrict)
    receipt = Varchar(length=20, null=False, unique=True)
    channel = Varchar(length=10, null=False)


class BallotChoice(Table, tablename="pb_ballot_choice"):
    id: Serial  # added by Piccolo; declared for the type checker
    ballot = ForeignKey(references=Ballot, null=False, on_delete=OnDelete.cascade)
    proposal = ForeignKey(references=Proposal, null=False, on_delete=OnDelete.restrict)
    points = Integer(null=False, default=1)


class ResultLine(Table, tablename="pb_result_line"):
    """Frozen results: one line per project on the ballot, written once when voting closes."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    area = ForeignKey(references=Area, null=False, on_delete=OnDelete.restrict)
    proposal = ForeignKey(references=Proposal, null=False, on_delete=OnDelete.restrict)
    votes = Integer(null=False, default=0)
    points = Integer(null=False, default=0)
    cost_pence = BigInt(null=False, default=0)
    funded = Boolean(null=False, default=False)
    position = Integer(null=True, default=None)  # order of selection
    explanation = Text(null=False, default="{}")  # JSON: the why, rendered in either language


class VotingCodeBatch(Table, tablename="pb_voting_code_batch"):
    """Codes generated together (for one mailing). The codes are derived from the server secret
    and `salt` (see pb.voting.codes.alphabet.derived_code), so they can be printed until the batch is sealed;
    after `sealed_at` nobody can display them again."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    area = ForeignKey(references=Area, null=True, default=None, on_delete=OnDelete.restrict)  # None: any area
    label = Varchar(length=200, null=False)
    # The column shadows Table.count() (count batches with len(select(...))); renaming it needs a migration.
    count = Integer(null=False)  # type: ignore[assignment]
    salt = Varchar(length=64, null=False)
    created_by = Integer(null=True, default=None)  # a plain id, as in the audit log
    created_at = Timestamptz(null=False, default=TimestamptzNow())
    sealed_at = Timestamptz(null=True, default=None)
    # While True the codes are being written, a chunk per transaction (pb.voting.codes.actions):
    # the batch cannot be printed, shown or sealed until every code is in.
    making = Boolean(null=False, default=False)


class VotingCode(Table, tablename="pb_voting_code"):
    """A one-time voting code, by its keyed hash only. It is used exactly when the register holds
    its voter key (kept here too, so used counts are one join, not a hash per code)."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    area = ForeignKey(references=Area, null=True, default=None, on_delete=OnDelete.restrict)  # None: any area
    batch = ForeignKey(references=VotingCodeBatch, null=False, on_delete=OnDelete.restrict)
    position = Integer(null=False)  # its index in the batch's derivation
    code_hash = Varchar(length=64, null=False, unique=True)
    voter_key = Varchar(length=64, null=False)  # actions.voter_key_for_code(round, code_hash)
    voided_at = Timestamptz(null=True, default=None)
    void_reason = Text(null=False, default="")


class PabulibImport(Table, tablename="pb_pabulib_import"):
    """A round loaded from a Pabulib file by `pb import-pabulib`. `source_key` (a hash of the file's
    identifying META) is unique, so the same election cannot be imported twice, even by two imports
    at once. `meta` keeps the file's META (JSON) so an export can say where the votes came from."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    source_key = Varchar(length=64, null=False, unique=True)
    meta = Text(null=False, default="{}")
    imported_at = Timestamptz(null=False, default=TimestamptzNow())


# --- Paper ballots (double entry) ---------------------------------------------------------------


class PaperBatch(Table, tablename="pb_paper_batch"):
    """A box of paper ballots from one area, entered twice by two different people. Status: open
    (fewer than two entries), entered (two entries, nothing left to resolve), discrepancies, counted.
    Counting is a conditional update from "entered" to "counted", so it happens once."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    area = ForeignKey(references=Area, null=False, on_delete=OnDelete.restrict)
    label = Varchar(length=200, null=False)
    sheets = Integer(null=False)  # the number of sheets declared on the box
    status = Varchar(length=20, null=False, default="open")
    created_by = Integer(null=True, default=None)  # plain ids, as in the audit log
    created_at = Timestamptz(null=False, default=TimestamptzNow())
    counted_by = Integer(null=True, default=None)
    counted_at = Timestamptz(null=True, default=None)
    # The entries hold another number of sheets than declared: an officer who entered neither
    # accepted the difference, with a reason, before the batch could be counted.
    difference_accepted_by = Integer(null=True, default=None)
    difference_accepted_sheets = Integer(null=True, default=None)  # the number of sheets accepted
    difference_reason = Text(null=False, default="")
    # A box started by mistake (or lost) is cancelled with a reason, so it no longer holds up the close.
    cancelled_by = Integer(null=True, default=None)
    cancelled_at = Timestamptz(null=True, default=None)
    cancel_reason = Text(null=False, default="")


class PaperEntry(Table, tablename="pb_paper_entry"):
    """One person's typing of a whole batch. Unique (batch, number) and (batch, entered_by) by
    indexes: at most two entries, by two different people."""

    id: Serial  # added by Piccolo; declared for the type checker

    batch = ForeignKey(references=PaperBatch, null=False, on_delete=OnDelete.restrict)
    number = Integer(null=False)  # 1 or 2
    entered_by = Integer(null=False)
    created_at = Timestamptz(null=False, default=TimestamptzNow())


class PaperSheet(Table, tablename="pb_paper_sheet"):
    """One sheet as one entry read it. A code is kept only as its keyed hash; it is cleared when
    the batch is counted (the register then records the code's use)."""

    id: Serial  # added by Piccolo; declared for the type checker

    entry = ForeignKey(references=PaperEntry, null=False, on_delete=OnDelete.cascade)
    sheet = Integer(null=False)
    code_hash = Varchar(length=64, null=True, default=None, index=True)  # is a typed code on paper? (code entry asks)
    choices = Text(null=False, default="{}")  # JSON {project id: points}, as marked
    spoilt = Boolean(null=False, default=False)


class PaperResolution(Table, tablename="pb_paper_resolution"):
    """The reading chosen (or corrected) for a sheet the two entries disagree on. Unique (batch, sheet)."""

    id: Serial  # added by Piccolo; declared for the type checker

    batch = ForeignKey(references=PaperBatch, null=False, on_delete=OnDelete.restrict)
    sheet = Integer(null=False)
    present = Boolean(null=False, default=True)  # False: there is no such sheet
    code_hash = Varchar(length=64, null=True, default=None)
    choices = Text(null=False, default="{}")
    spoilt = Boolean(null=False, default=False)
    resolved_by = Integer(null=False)
    resolved_at = Timestamptz(null=False, default=TimestamptzNow())
    # Set when the other person who entered the batch agreed to this reading: a reading chosen by
    # one of the two people who entered the batch settles nothing until the other agrees.
    confirmed_by = Integer(null=True, default=None)


class PaperOutcome(Table, tablename="pb_paper_outcome"):
    """What counting did with each sheet: counted, spoilt or flagged, with the reason (a message
    id). Never linked to the ballot it became. Unique (batch, sheet)."""

    id: Serial  # added by Piccolo; declared for the type checker

    batch = ForeignKey(references=PaperBatch, null=False, on_delete=OnDelete.restrict)
    sheet = Integer(null=False)
    fate = Varchar(length=10, null=False)
    reason = Text(null=False, default="")


class CountingJob(Table, tablename="pb_counting_job"):
    """The count of a large vote, run as a job after the close while the round is "counting"
    (pb.voting.closing). One per round; deleted in the transaction that freezes the results."""

    round = ForeignKey(references=Round, null=False, unique=True, on_delete=OnDelete.restrict)
    actor_id = Integer(null=True, default=None)  # who closed the vote (a plain id, as in the audit log)
    areas_total = Integer(null=False, default=0)
    areas_done = Integer(null=False, default=0)
    heartbeat_at = Timestamptz(null=False, default=TimestamptzNow())  # the job's last sign of life
    failed = Boolean(null=False, default=False)


class RoundNotice(Table, tablename="pb_round_notice"):
    """That a round's emails of one kind went out: "closing" (voting closes in two days, to followers
    who have not voted) or "results" (to followers). Once per round and kind, by a unique index.
    Nothing per person is kept here: who was reminded would say who had not yet voted."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    kind = Varchar(length=10, null=False)  # closing, results
    sent_at = Timestamptz(default=TimestamptzNow(), null=False)
    people = Integer(null=False, default=0)  # how many were written to
