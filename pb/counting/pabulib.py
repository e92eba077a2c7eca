"""Reading and writing the Pabulib format (https://pabulib.org), the open data standard for PB votes.

A Pabulib file has three sections, each a semicolon-separated table under a line naming it:

    META                      PROJECTS                    VOTES
    key;value                 project_id;cost;...         voter_id;vote;points;...
    budget;100000             1;5000;...                  v1;1,3;2,1;...

`parse_pabulib` keeps every column as text (`PabulibFile`), `election_from_pabulib` turns a parsed
file into the plain data `pb.counting.engine.count` takes, and `format_pabulib` writes plain data
back (what `pb export-pabulib` needs). Numbers are read exactly (ints, or Fractions for decimals).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from pb.counting.engine import Number, Project

SECTIONS = ("meta", "projects", "votes")
VOTE_TYPES = ("approval", "choose-1", "cumulative", "scoring", "ordinal")
MISSING = ("", "none")


class PabulibError(ValueError):
    """The text is not a Pabulib file pb can read; the message says where and why."""


@dataclass
class PabulibFile:
    """A Pabulib file as text: META pairs, PROJECTS rows and VOTES rows, in file order."""

    meta: dict[str, str] = field(default_factory=dict)
    project_columns: list[str] = field(default_factory=list)
    projects: list[dict[str, str]] = field(default_factory=list)
    vote_columns: list[str] = field(default_factory=list)
    votes: list[list[str]] = field(default_factory=list)  # rows, in the order of vote_columns

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", "approval").strip().lower()

    @property
    def rule(self) -> str | None:
        value = self.meta.get("rule", "").strip()
        return None if value.lower() in MISSING else value

    def vote_dicts(self) -> Iterator[dict[str, str]]:
        for row in self.votes:
            yield dict(zip(self.vote_columns, row, strict=False))


WITHDRAWN_COST = 999_999_999  # the cost Pabulib gives a project withdrawn after the vote


@dataclass
class PabulibElection:
    """What counting needs from a Pabulib file, as plain data."""

    projects: list[Project]
    ballots: list  # frozenset[str] per voter, or dict[str, Number] (points) per voter
    budget: Number
    vote_type: str
    rule: str | None
    min_project_score_threshold: Number | None
    official_selected: frozenset[str] | None  # the PROJECTS `selected` column, when the file has one

    def without_withdrawn(self) -> tuple[list[Project], list]:
        """Projects and ballots without the projects the file marks as withdrawn.

        Pabulib's convention: a project withdrawn after the vote keeps its row with the cost
        999999999 (Wrocław 2017). Counted as a project, it would stop greedy-no-skip at once;
        the city counted as if it were not there, and so does pb (pabutools does not)."""
        withdrawn = {p.id for p in self.projects if p.cost == WITHDRAWN_COST}
        if not withdrawn:
            return self.projects, self.ballots
        projects = [p for p in self.projects if p.id not in withdrawn]
        ballots: list = []
        for ballot in self.ballots:
            if isinstance(ballot, dict):
                ballots.append({k: v for k, v in ballot.items() if k not in withdrawn})
            else:
                ballots.append(frozenset(ballot) - withdrawn)
        return projects, ballots


def parse_number(text: str, what: str = "number") -> Number:
    """An exact number from Pabulib text: "100000" -> 100000, "2.5" or "2,5" -> Fraction(5, 2)."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise PabulibError(f"{what} {text!r} is not a number") from None
    if not value.is_finite():
        raise PabulibError(f"{what} {text!r} is not a finite number")
    exact = Fraction(value)
    return exact.numerator if exact.denominator == 1 else exact


def _is_missing(value: str | None) -> bool:
    return value is None or value.strip().lower() in MISSING


def parse_pabulib(text: str) -> PabulibFile:
    """Parse the text of a Pabulib file (a leading byte-order mark and CRLF line ends are fine)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    starts: dict[str, int] = {}
    for number, row in enumerate(rows):
        if row and (len(row) == 1 or not row[1]) and len(row[0]) < 12:
            name = row[0].strip().lower()
            if name in SECTIONS and not any(cell.strip() for cell in row[1:]):
                if name in starts:
                    raise PabulibError(f"row {number + 1}: the {name.upper()} section appears twice")
                starts[name] = number
    for name in ("meta", "projects"):
        if name not in starts:
            raise PabulibError(f"the file has no {name.upper()} section")
    first = min(starts.values())
    if any(cell.strip() for row in rows[:first] for cell in row):
        raise PabulibError(f"row {first}: text before the first section")
    ends = sorted(starts.values()) + [len(rows)]

    def section(name: str) -> tuple[list[str], list[list[str]], int]:
        """(header, rows, row number of the header) of a section, blank rows left out."""
        begin = starts[name]
        end = ends[ends.index(begin) + 1]
        body = [row for row in rows[begin + 1 : end] if row and (row[0] or any(row))]
        if not body:
            return [], [], begin + 1
        return [cell.strip() for cell in body[0]], body[1:], begin + 2

    result = PabulibFile()
    _, meta_rows, _ = section("meta")
    for row in meta_rows:
        if len(row) < 2:
            raise PabulibError(f"META line {row!r} needs a key and a value")
        result.meta[row[0].strip()] = row[1].strip()
    if "budget" not in result.meta:
        raise PabulibError("META has no budget")
    header, project_rows, at = section("projects")
    if "project_id" not in header or "cost" not in header:
        raise PabulibError(f"row {at}: PROJECTS needs project_id and cost columns")
    result.project_columns = header
    for row in project_rows:
        result.projects.append({key: (row[i].strip() if i < len(row) else "") for i, key in enumerate(header)})
    if "votes" in starts:
        header, vote_rows, at = section("votes")
        if vote_rows and "vote" not in header:
            raise PabulibError(f"row {at}: VOTES needs a vote column")
        result.vote_columns = header
        width = len(header)
        result.votes = [row if len(row) >= width else row + [""] * (width - len(row)) for row in vote_rows]
    return result


def read_pabulib(path: str | Path) -> PabulibFile:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return parse_pabulib(handle.read())


def _split_ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def election_from_pabulib(pf: PabulibFile, *, ordinal_as_approval: bool = False) -> PabulibElection:
    """Projects, ballots and budget of a parsed file.

    Approval and choose-1 ballots become frozensets of project ids; cumulative (and scoring) ballots
    become {project id: points}. Ordinal ballots are refused unless `ordinal_as_approval`, which
    reads each ranking as the set of projects it lists (what pabutools' Cost_Sat does).
    """
    vote_type = pf.vote_type
    if vote_type not in VOTE_TYPES:
        raise PabulibError(f"unknown vote_type {vote_type!r}")
    if vote_type == "ordinal" and not ordinal_as_approval:
        raise PabulibError(
            "this file has ordinal (ranked) votes, which pb does not count; pb counts approval, choose-1 and cumulative votes"
        )
    projects: list[Project] = []
    known: set[str] = set()
    official: set[str] = set()
    has_selected = "selected" in pf.project_columns
    for row in pf.projects:
        project_id = row["project_id"]
        if not project_id:
            raise PabulibError("a project has no project_id")
        if project_id in known:
            raise PabulibError(f"project {project_id!r} appears twice")
        known.add(project_id)
        cost = parse_number(row["cost"], f"cost of project {project_id!r}")
        if cost < 0:
            raise PabulibError(f"project {project_id!r} has a negative cost")
        projects.append(Project(project_id, cost))
        if has_selected and not _is_missing(row.get("selected")) and row["selected"].strip() == "1":
            official.add(project_id)

    columns = pf.vote_columns
    ballots: list = []
    if pf.votes:
        vote_at = columns.index("vote")
        by_points = vote_type in ("cumulative", "scoring")
        if by_points and "points" not in columns:
            raise PabulibError(f"{vote_type} votes need a points column")
        points_at = columns.index("points") if by_points else -1
        cache: dict[str, frozenset[str]] = {}
        for number, vote_row in enumerate(pf.votes, 1):
            text = vote_row[vote_at]
            if not by_points:
                ballot_set = cache.get(text)
                if ballot_set is None:
                    ballot_set = frozenset(text.split(","))
                    if not ballot_set <= known:  # spaces, empty parts, "None", or an unknown project
                        ids = [] if _is_missing(text) else _split_ids(text)
                        for project_id in ids:
                            if project_id not in known:
                                raise PabulibError(f"vote {number} names unknown project {project_id!r}")
                        ballot_set = frozenset(ids)
                    cache[text] = ballot_set
                ballots.append(ballot_set)
                continue
            ids = [] if _is_missing(text) else _split_ids(text)
            values = [] if _is_missing(vote_row[points_at]) else _split_ids(vote_row[points_at])
            if len(ids) != len(values):
                raise PabulibError(f"vote {number}: {len(ids)} projects but {len(values)} points")
            ballot: dict[str, Number] = {}
            for project_id, value in zip(ids, values, strict=True):
                if project_id not in known:
                    raise PabulibError(f"vote {number} names unknown project {project_id!r}")
                ballot[project_id] = ballot.get(project_id, 0) + parse_number(value, f"points in vote {number}")
            ballots.append(ballot)

    threshold_text = pf.meta.get("min_project_score_threshold")
    threshold = (
        None
        if threshold_text is None or _is_missing(threshold_text)
        else parse_number(threshold_text, "min_project_score_threshold")
    )
    return PabulibElection(
        projects=projects,
        ballots=ballots,
        budget=parse_number(pf.meta["budget"], "budget"),
        vote_type=vote_type,
        rule=pf.rule,
        min_project_score_threshold=threshold,
        official_selected=frozenset(official) if has_selected else None,
    )


def format_number(value: Any) -> str:
    """Pabulib text for a number: ints as they are, exact decimals in full ("2.5")."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        denominator = value.denominator
        for prime in (2, 5):
            while denominator % prime == 0:
                denominator //= prime
        if denominator != 1:
            raise ValueError(f"{value} has no exact decimal form")
        return format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    if isinstance(value, float):
        raise TypeError("Pabulib numbers must be exact: give an int, Decimal or Fraction, not a float")
    return str(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return ",".join(_cell(item) for item in value)
    return format_number(value)


def _columns(rows: Sequence[Mapping[str, Any]], first: Sequence[str]) -> list[str]:
    columns = [name for name in first if any(name in row for row in rows)]
    for row in rows:
        for name in row:
            if name not in columns:
                columns.append(name)
    return columns


def format_pabulib(
    meta: Mapping[str, Any],
    projects: Sequence[Mapping[str, Any]],
    votes: Sequence[Mapping[str, Any]],
) -> str:
    """A Pabulib file from plain data.

    `meta` is written in its order (num_projects and num_votes are filled in when missing);
    each project needs project_id and cost; each vote needs voter_id and vote (a sequence of
    project ids; for cumulative votes also points, a sequence of numbers in the same order; text
    already in Pabulib form, such as "1,5,7", is written as it is).
    Other keys become further columns. None is written as an empty cell.
    """
    columns = _columns(votes, ("voter_id", "vote", "points")) if votes else ["voter_id", "vote"]
    meta_rows = dict(meta)
    meta_rows.setdefault("num_projects", len(projects))
    meta_rows.setdefault("num_votes", len(votes))
    return pabulib_head(meta_rows, projects, columns) + pabulib_votes(votes, columns)


def pabulib_head(meta: Mapping[str, Any], projects: Sequence[Mapping[str, Any]], vote_columns: Sequence[str]) -> str:
    """META, PROJECTS and the VOTES header of a Pabulib file: with `pabulib_votes` for each chunk of
    votes, a file is written a chunk at a time (meta must then give num_votes)."""
    for row in projects:
        if "project_id" not in row or "cost" not in row:
            raise ValueError("every project needs project_id and cost")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    meta_rows = dict(meta)
    meta_rows.setdefault("num_projects", len(projects))
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in meta_rows.items():
        writer.writerow([key, _cell(value)])
    out.write("PROJECTS\n")
    project_columns = _columns(projects, ("project_id", "cost"))
    writer.writerow(project_columns)
    for row in projects:
        writer.writerow([_cell(row.get(name)) for name in project_columns])
    out.write("VOTES\n")
    writer.writerow(list(vote_columns))
    return out.getvalue()


def pabulib_votes(votes: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """VOTES lines for `votes`, in the given columns (see format_pabulib)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for row in votes:
        if "voter_id" not in row or "vote" not in row:
            raise ValueError("every vote needs voter_id and vote")
        points = row.get("points")
        if isinstance(points, (list, tuple)) and isinstance(row["vote"], (list, tuple)) and len(points) != len(row["vote"]):
            raise ValueError(f"vote {row['voter_id']}: vote and points differ in length")
        writer.writerow([_cell(row.get(name)) for name in columns])
    return out.getvalue()
