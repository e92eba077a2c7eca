"""Equality tables, designed like the ballots (README, "Equality monitoring").

Answers are written only as sealed boxes (pb.sealed), with nothing about who sent them: no
account, ballot, session, code, receipt or time. A one-use invitation is spent by storing the hash
of its random nonce (never the nonce, which only the person's browser held). When the round's voting
closes the boxes are opened, shuffled and written as readable answers in random order, in a
transaction that writes no register row, and boxes and spent nonces are deleted.
"""

from piccolo.columns import Boolean, ForeignKey, Integer, Serial, Text, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from pb.rounds.tables import Area, Round


class SealedAnswers(Table, tablename="pb_equality_sealed"):
    """One person's answers, sealed until the round's voting closes."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    sealed = Text(null=False)


class SpentInvitation(Table, tablename="pb_equality_spent"):
    """An invitation already used: (round, nonce_hash) is unique by an index, so answers are sent once."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    nonce_hash = Varchar(length=64, null=False)


class Answers(Table, tablename="pb_equality_answers"):
    """One person's answers, readable only after the close, in random order: the area, the way they
    took part, and what they chose (JSON: question -> values)."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    area = ForeignKey(references=Area, null=True, default=None, on_delete=OnDelete.restrict)
    route = Varchar(length=10, null=False)
    answers = Text(null=False, default="{}")


class QuestionSwitchedOff(Table, tablename="pb_equality_question_off"):
    """A question the council has chosen not to ask (the key is unique by an index)."""

    id: Serial  # added by Piccolo; declared for the type checker

    question = Varchar(length=40, null=False)
    switched_off_by = Integer(null=True, default=None)


class Invited(Table, tablename="pb_equality_invited"):
    """That a person has been invited to answer in a round, so they are asked once per round however
    they take part (a keyed hash of the round and the person; unique by an index). Written when the
    invitation is shown, never with the answers, so it shares no transaction with them."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    person_key = Varchar(length=64, null=False)


class PopulationBaseline(Table, tablename="pb_equality_baseline"):
    """How many people of an area are in one group of a measure (pb.equality.baselines): what the
    report compares who took part with. (round, area, measure, group_key) is unique by an index; an
    officer's upload replaces a round's whole baseline."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, on_delete=OnDelete.restrict)
    area = ForeignKey(references=Area, null=False, on_delete=OnDelete.restrict)
    measure = Varchar(length=40, null=False)
    group_key = Varchar(length=40, null=False)
    people = Integer(null=False)


class BaselineSource(Table, tablename="pb_equality_baseline_source"):
    """Where a round's baseline comes from (for example "Census 2021, table TS007"), in both
    languages, and whether its figures are only illustrative (the demo's). One per round."""

    id: Serial  # added by Piccolo; declared for the type checker

    round = ForeignKey(references=Round, null=False, unique=True, on_delete=OnDelete.restrict)
    source_en = Text(null=False, default="")
    source_cy = Text(null=False, default="")
    illustrative = Boolean(null=False, default=False)
