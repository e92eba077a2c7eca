"""Voting tables, designed for ballot secrecy.

The register records *that* someone voted in a round; a ballot records *what* was chosen. Neither
holds a person's identity: the register holds a keyed hash of the voter (account or voting code)
and the ballot holds, only where re-voting is allowed, a different keyed hash that lets that voter
replace their own ballot. Both hashes need the server secret, so a database dump alone does not
link anyone to their vote. Ballots carry the day they were cast, not the time, so the register's
order cannot be matched against them.
"""

from piccolo.columns import BigInt, Boolean, Date, ForeignKey, Integer, Text, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from pb.proposals.tables import Proposal
from pb.rounds.tables import Area, Round


class VoterRegister(Table, tablename="pb_voter_register"):
    """One row per voter per round: (round, voter_key) is unique by an index, across every channel."""

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    voter_key = Varchar(length=64, null=False)  # keyed hash of "user:<id>" or "code:<code>"
    channel = Varchar(length=10, null=False)  # online, code, paper, assisted


class Ballot(Table, tablename="pb_ballot"):
    """What one voter chose in one area. `revote_key` is unique where set."""

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    area = ForeignKey(references=Area, null=False, on_delete=OnDelete.restrict)
    receipt = Varchar(length=20, null=False, unique=True)
    revote_key = Varchar(length=64, null=True, default=None)
    channel = Varchar(length=10, null=False)
    cast_on = Date(null=False)


class BallotChoice(Table, tablename="pb_ballot_choice"):
    ballot = ForeignKey(references=Ballot, null=False, on_delete=OnDelete.cascade)
    proposal = ForeignKey(references=Proposal, null=False, on_delete=OnDelete.restrict)
    points = Integer(null=False, default=1)


class ResultLine(Table, tablename="pb_result_line"):
    """Frozen results: one line per project on the ballot, written once when voting closes."""

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    area = ForeignKey(references=Area, null=False, on_delete=OnDelete.restrict)
    proposal = ForeignKey(references=Proposal, null=False, on_delete=OnDelete.restrict)
    votes = Integer(null=False, default=0)
    points = Integer(null=False, default=0)
    cost_pence = BigInt(null=False, default=0)
    funded = Boolean(null=False, default=False)
    position = Integer(null=True, default=None)  # order of selection
    explanation = Text(null=False, default="{}")  # JSON: the why, rendered in either language
