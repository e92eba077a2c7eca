"""The Pabulib export of a closed round, and the import of a Pabulib file as a closed round.

Export (`export_area`): one Pabulib file per area of a round whose voting has closed (results or
delivery phase), built from the frozen results (`selected` is ResultLine.funded) and the ballots.
Nothing is exported before the close. No personal data: voter ids are sequence numbers, ballots are
written in receipt order (random, so the file's order says nothing about when anyone voted), and the
only thing said about a voter is the way they voted (internet or paper), as Pabulib's VOTES allows.

Import (`import_pabulib`): a Pabulib file becomes a round in the results phase with one area, its
projects as proposals on the ballot (by a non-login "Imported from Pabulib" account), its ballots
(channel "imported", or "paper" where the file's `voting_method` says so) and frozen, explained
results. The file is counted in its own units (the cities' add-one completion steps one unit of the
file's currency) with its META rule; the outcome is the file's `selected` column where it has one
(the official result), else the count. A second import of the same election is refused by a unique
index on a hash of its identifying META (`PabulibImport.source_key`), not by a check-then-insert.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import secrets
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from pb import db
from pb.accounts import actions as account_actions
from pb.audit.actions import record
from pb.config import get_settings
from pb.counting import engine as counting
from pb.counting.lot import parse_lot
from pb.counting.pabulib import (
    PabulibError,
    PabulibFile,
    election_from_pabulib,
    pabulib_head,
    pabulib_votes,
    parse_number,
)
from pb.i18n import LOCAL_TIME
from pb.proposals import imports as proposal_imports
from pb.proposals.tables import Proposal, ProposalTheme
from pb.rounds import imports as round_imports
from pb.rounds.tables import Area, PhaseChange, Round
from pb.voting.ballots import new_receipt
from pb.voting.tables import Ballot, BallotChoice, PabulibImport, ResultLine

PUBLISHED_PHASES = ("results", "delivery")
IMPORTED = "imported"  # the channel of an imported ballot whose way of voting the file does not say
IMPORTER_EMAIL = "pabulib-import@pb.invalid"  # .invalid: no mail is ever delivered to it
IMPORTER_NAME = "Imported from Pabulib"
# META keys that say which election a file is: a second file with the same values is the same vote.
IDENTITY_KEYS = ("country", "unit", "subunit", "district", "instance", "description")
# META an export of an imported round copies from the original file (where the votes came from).
KEPT_META = (
    "description",
    "country",
    "unit",
    "subunit",
    "district",
    "instance",
    "date_begin",
    "date_end",
    "language",
    "edition",
    "currency",
    "min_project_score_threshold",
)
# ...and its ballot's limits, which say more than pb's ballot method can (choose-1, min_sum_cost...).
VOTE_LIMITS = (
    "vote_type",
    "max_sum_cost",
    "min_sum_cost",
    "max_length",
    "min_length",
    "max_sum_points",
    "min_sum_points",
    "max_points",
    "min_points",
)
# pb's ways of voting as Pabulib's voting_method: every channel but paper is cast on the internet.
VOTING_METHODS = {"online": "internet", "code": "internet", "assisted": "internet", "paper": "paper"}
ORDINAL_REFUSAL = (
    "{name} has ordinal (ranked) votes, which pb does not count: pb counts approval, choose-1 and "
    "cumulative votes. (--compat pabutools reads each ranking as approval of the projects it lists, "
    "as pabutools does.)"
)


class PabulibExportError(Exception):
    """Nothing can be exported (the round is not closed, or there is no such area)."""


class NotFound(PabulibExportError):
    """No public round or area with that id."""


class PabulibImportError(Exception):
    """The file cannot be imported; the message says why."""


# Pure rules ----------------------------------------------------------------------------------------


def pabulib_rule(counting_rule: str) -> str:
    """The Pabulib rule name `pb tally` accepts for a round's counting rule (pb uses Pabulib's names)."""
    if counting_rule not in counting.RULES:
        raise PabulibExportError(f"counting rule {counting_rule!r} has no Pabulib name")
    return counting_rule


def vote_type_meta(
    method: str,
    budget_pence: int,
    *,
    max_choices: int | None = None,
    min_choices: int | None = None,
    points: int | None = None,
    max_points: int | None = None,
    whole_pounds: bool = True,
) -> dict:
    """vote_type and its limits, by the round's ballot method."""
    if method == "cumulative":
        meta: dict[str, Any] = {"vote_type": "cumulative", "max_sum_points": points, "max_points": max_points}
    elif method == "k_approval":
        meta = {"vote_type": "approval", "max_length": max_choices, "min_length": min_choices}
    else:  # approval within a budget
        meta = {"vote_type": "approval", "max_sum_cost": money(budget_pence, whole_pounds)}
    return {key: value for key, value in meta.items() if value is not None}


def money(pence: int, whole_pounds: bool) -> int | Decimal:
    """Pabulib money is in the currency: whole pounds when every amount is, else pounds and pence."""
    return pence // 100 if whole_pounds else Decimal(pence).scaleb(-2)


def ballot_method_from_meta(meta: dict[str, str], vote_type: str) -> dict[str, Any]:
    """A round's ballot-method fields from a file's META."""

    def whole(key: str) -> int | None:
        text = meta.get(key, "").strip()
        if not text or text.lower() == "none":
            return None
        try:
            value = parse_number(text, key)
        except PabulibError:
            return None
        return value if isinstance(value, int) else None

    if vote_type == "choose-1":
        return {"ballot_method": "k_approval", "ballot_max_choices": 1, "ballot_min_choices": 1}
    if vote_type == "cumulative":
        return {
            "ballot_method": "cumulative",
            "ballot_points": whole("max_sum_points"),
            "ballot_max_points_per_project": whole("max_points"),
        }
    if whole("max_length") is not None and "max_sum_cost" not in meta:
        return {
            "ballot_method": "k_approval",
            "ballot_max_choices": whole("max_length"),
            "ballot_min_choices": whole("min_length"),
        }
    return {"ballot_method": "approval_budget"}


def source_key(meta: dict[str, str]) -> str:
    """What makes two files the same election: a hash of their identifying META values."""
    identity = [meta.get(key, "").strip().casefold() for key in IDENTITY_KEYS]
    return hashlib.sha256(json.dumps(identity, ensure_ascii=False).encode()).hexdigest()


def to_pence(value: counting.Number, what: str) -> int:
    pence = Fraction(value) * 100
    if pence.denominator != 1:
        raise PabulibImportError(f"{what} {counting.json_number(value)} is not a whole number of pence")
    return int(pence)


def parse_date(text: str | None) -> date | None:
    """Pabulib dates are written several ways ("03.04.2023", "2023-04-03", "03/04/2023", "2023")."""
    text = (text or "").strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def scaled_explanation(outcome: counting.ProjectOutcome, factor: int) -> dict:
    """An outcome's explanation with its money in pence (the file was counted in its own units)."""
    data = outcome.to_dict()
    for key in ("cost", "money_left", "money_behind", "price_per_supporter"):
        if key in data:
            data[key] = counting.json_number(Fraction(str(data[key])) * factor)
    return data


def ballot_choices(pf: PabulibFile) -> list[tuple[list[tuple[str, int]], str]]:
    """Each vote's (project, points) pairs in the file's order, and its channel."""
    columns = pf.vote_columns
    if not pf.votes:
        return []
    vote_at = columns.index("vote")
    points_at = columns.index("points") if pf.vote_type == "cumulative" and "points" in columns else None
    method_at = columns.index("voting_method") if "voting_method" in columns else None
    found = []
    for row in pf.votes:
        ids = [part.strip() for part in row[vote_at].split(",") if part.strip() and part.strip().lower() != "none"]
        chosen: dict[str, int] = {}
        if points_at is None:
            for project in ids:
                chosen.setdefault(project, 1)
        else:
            values = [part.strip() for part in row[points_at].split(",") if part.strip()]
            if len(values) != len(ids):  # never pair points with the wrong project
                raise PabulibImportError(f"a vote names {len(ids)} projects but gives {len(values)} points")
            for project, value in zip(ids, values, strict=True):
                number = parse_number(value, "points")
                if not isinstance(number, int):
                    raise PabulibImportError(f"points {value!r} are not a whole number")
                chosen[project] = chosen.get(project, 0) + number
        channel = "paper" if method_at is not None and row[method_at].strip().lower() == "paper" else IMPORTED
        found.append((list(chosen.items()), channel))
    return found


# Export ---------------------------------------------------------------------------------------------


def file_name(round_id: int, area_id: int) -> str:
    return f"pb-round-{round_id}-area-{area_id}.pb"


async def published_votes() -> list[dict]:
    """Every closed round with its areas: the Pabulib files the open-data page links to."""

    rounds = (
        await Round.select(Round.id, Round.title_en, Round.title_cy)
        .where(Round.phase.is_in(list(PUBLISHED_PHASES)))
        .order_by(Round.id)
    )
    if not rounds:
        return []
    areas: dict[int, list[dict]] = {}
    for area in (
        await Area.select(Area.id, Area.round, Area.name_en, Area.name_cy)
        .where(Area.round.is_in([r["id"] for r in rounds]))
        .order_by(Area.position, Area.id)
    ):
        areas.setdefault(area["round"], []).append(area)
    return [{**row, "areas": areas.get(row["id"], [])} for row in rounds]


EXPORT_DIR = Path(tempfile.gettempdir()) / "pb-exports"  # files kept per worker machine, remade at will
EXPORT_CHUNK = 5_000  # ballots read and written at a time: memory does not grow with the area


async def export_area(round_id: int, area_id: int) -> str:
    """The Pabulib text of one area of a closed round (see `export_file`)."""
    return (await export_file(round_id, area_id)).read_text(encoding="utf-8")


async def export_file(round_id: int, area_id: int) -> Path:
    """The Pabulib file of one area of a closed round, written once and kept.

    The file is written a chunk of ballots at a time (memory stays flat whatever the number of
    ballots) into EXPORT_DIR, and served from there (streamed) for as long as everything it is made
    from is unchanged: the round, the area, the frozen result, the projects' names and themes, and the
    ballots (which cannot change after the close); its name carries a fingerprint of them."""

    round_row = await Round.select().where((Round.id == round_id) & (Round.phase != "draft")).first()
    if round_row is None:
        raise NotFound(f"there is no round {round_id}")
    if round_row["phase"] not in PUBLISHED_PHASES:
        raise PabulibExportError(
            f"round {round_id} is in its {round_row['phase']} phase: its votes are published only after voting "
            "closes (results or delivery phase)"
        )
    area = await Area.select().where((Area.id == area_id) & (Area.round == round_id)).first()
    if area is None:
        raise NotFound(f"round {round_id} has no area {area_id}")

    lines = (
        await ResultLine.select(
            ResultLine.id, ResultLine.proposal, ResultLine.funded, ResultLine.votes, ResultLine.points, ResultLine.cost_pence
        )
        .where((ResultLine.round == round_id) & (ResultLine.area == area_id))
        .order_by(ResultLine.proposal)
    )
    ids = [line["proposal"] for line in lines]
    titles = (
        {
            row["id"]: row
            for row in await Proposal.select(Proposal.id, Proposal.title_en, Proposal.title_cy, Proposal.description_en).where(
                Proposal.id.is_in(ids)
            )
        }
        if ids
        else {}
    )
    imported = await PabulibImport.select(PabulibImport.meta).where(PabulibImport.round == round_id).first()
    themes: dict[int, list[str]] = {}
    if ids:
        for row in await ProposalTheme.select().where(ProposalTheme.proposal.is_in(ids)).order_by(ProposalTheme.theme):
            themes.setdefault(row["proposal"], []).append(row["theme"])
    closed = (
        await PhaseChange.select(PhaseChange.at)
        .where((PhaseChange.round == round_id) & PhaseChange.to_phase.is_in(["counting", "results"]))  # when voting closed
        .order_by(PhaseChange.at)
        .first()
    )
    opened = (
        await PhaseChange.select(PhaseChange.at)
        .where((PhaseChange.round == round_id) & (PhaseChange.to_phase == "voting"))
        .order_by(PhaseChange.at)
        .first()
    )
    stored = await Ballot.raw(
        "SELECT COUNT(*) AS n, MAX(id) AS last FROM pb_ballot WHERE round = {} AND area = {}", round_id, area_id
    )
    settings = get_settings()
    fingerprint = hashlib.sha256(
        repr(
            (
                round_row,
                area,
                lines,
                titles,
                themes,
                imported,
                opened,
                closed,
                stored,
                settings.council_name("en"),
                settings.database_url,
            )
        ).encode()
    ).hexdigest()
    path = EXPORT_DIR / f"pb-round-{round_id}-area-{area_id}-{fingerprint[:24]}.pb"
    if path.exists():
        return path
    whole = area["budget_pence"] % 100 == 0 and all(line["cost_pence"] % 100 == 0 for line in lines)
    cumulative = round_row["ballot_method"] == "cumulative"
    channels = await Ballot.raw("SELECT DISTINCT channel FROM pb_ballot WHERE round = {} AND area = {}", round_id, area_id)
    with_method = any(VOTING_METHODS.get(row["channel"]) for row in channels)  # the column only when some way is known
    columns = ["voter_id", "vote", *(["points"] if cumulative else []), *(["voting_method"] if with_method else [])]

    # Projects in the round's lot order (then by id): counting breaks its last ties in the order the
    # projects are given, so `pb tally` on this file breaks them as the frozen count did.

    lot = {int(project): place for place, project in enumerate(parse_lot(round_row.get("lot_order")))}
    lines = sorted(lines, key=lambda line: (lot.get(line["proposal"], len(lot)), line["proposal"]))
    projects = []
    for line in lines:
        title = titles.get(line["proposal"], {})
        project: dict[str, Any] = {
            "project_id": str(line["proposal"]),
            "cost": money(line["cost_pence"], whole),
            "votes": line["votes"],
        }
        if cumulative:
            project["score"] = line["points"]
        # An imported project's title is its name cut to fit; the description holds it whole.
        name = (title.get("description_en") if imported else None) or title.get("title_en") or title.get("title_cy") or ""
        project.update(
            {
                "name": name,
                "name_cy": title.get("title_cy") or "",
                "category": ",".join(themes.get(line["proposal"], [])),
                "selected": 1 if line["funded"] else 0,
            }
        )
        projects.append(project)

    began, ended = voting_dates(
        round_row["voting_from"],
        round_row["results_from"],
        opened["at"].astimezone(LOCAL_TIME).date() if opened else None,  # the council's day, not UTC's
        closed["at"].astimezone(LOCAL_TIME).date() if closed else None,
    )
    meta: dict[str, Any] = {
        "description": f"{round_row['title_en']}: {area['name_en']}",
        "country": "Wales",
        "unit": settings.council_name("en"),
        "subunit": area["name_en"],
        "instance": round_row["voting_from"].year,
        "num_projects": len(projects),
        "num_votes": stored[0]["n"],
        "budget": money(area["budget_pence"], whole),
        **vote_type_meta(
            round_row["ballot_method"],
            area["budget_pence"],
            max_choices=round_row["ballot_max_choices"],
            min_choices=round_row["ballot_min_choices"],
            points=round_row["ballot_points"],
            max_points=round_row["ballot_max_points_per_project"],
            whole_pounds=whole,
        ),
        "rule": pabulib_rule(round_row["counting_rule"]),
        "date_begin": began.strftime("%d.%m.%Y"),
        "date_end": ended.strftime("%d.%m.%Y"),
        "language": "en",
        "edition": 1,
        "currency": "GBP",
    }
    if round_row["counting_rule"] == counting.GREEDY_THRESHOLD:
        meta["min_project_score_threshold"] = 1  # what pb.voting.results counts with
    if imported:  # say where the votes came from, and how they were cast, as the original file did
        original = json.loads(imported["meta"])
        if original.get("vote_type"):
            for key in VOTE_LIMITS:
                meta.pop(key, None)
        for key in KEPT_META + VOTE_LIMITS:  # the file's threshold too: it applies whatever the rule (Pabulib)
            if original.get(key) and original[key].strip().lower() != "none":
                meta[key] = original[key]
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=EXPORT_DIR, prefix=".writing-", suffix=".pb")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(pabulib_head(meta, projects, columns))
            async for votes in _votes(round_id, area_id, cumulative, with_method):
                out.write(pabulib_votes(votes, columns))
        os.replace(partial, path)  # whole or not at all, even with several workers writing it at once
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    for old in EXPORT_DIR.glob(f"pb-round-{round_id}-area-{area_id}-*.pb"):  # made from what has since changed
        if old != path:
            old.unlink(missing_ok=True)
    return path


async def _votes(round_id: int, area_id: int, cumulative: bool, with_method: bool) -> AsyncIterator[list[dict[str, Any]]]:
    """The area's ballots as Pabulib votes, EXPORT_CHUNK at a time, in receipt order (random),
    numbered from 1: nothing in the file follows the order of voting."""
    number, after = 0, ""
    while True:
        ballots = (
            await Ballot.select(Ballot.id, Ballot.channel, Ballot.receipt)
            .where((Ballot.round == round_id) & (Ballot.area == area_id) & (Ballot.receipt > after))
            .order_by(Ballot.receipt)
            .limit(EXPORT_CHUNK)
        )
        if not ballots:
            return
        chosen: dict[int, list[tuple[int, int]]] = {}
        # The chunk's choices by the same receipt range (a join), not by a list of 5,000 ids: building
        # that list into SQL cost more than the query.
        on = BallotChoice.ballot
        for row in (
            await BallotChoice.select(BallotChoice.ballot, BallotChoice.proposal, BallotChoice.points)
            .where((on.round == round_id) & (on.area == area_id) & (on.receipt > after) & (on.receipt <= ballots[-1]["receipt"]))
            .order_by(BallotChoice.id)
        ):
            chosen.setdefault(row["ballot"], []).append((row["proposal"], row["points"]))
        votes = []
        for ballot in ballots:
            number += 1
            picks = chosen.get(ballot["id"], [])
            vote: dict[str, Any] = {"voter_id": number, "vote": ",".join([str(p) for p, _ in picks])}
            if cumulative:
                vote["points"] = ",".join([str(points) for _, points in picks])
            if with_method:
                vote["voting_method"] = VOTING_METHODS.get(ballot["channel"])
            votes.append(vote)
        yield votes
        after = ballots[-1]["receipt"]


# Import ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    round_id: int
    area_id: int
    projects: int
    ballots: int
    funded: tuple[int, ...]  # proposal ids, funded


async def importer_account() -> int:
    """The non-login account imported projects are authored by (made once, found after)."""
    return await account_actions.system_account(IMPORTER_EMAIL, IMPORTER_NAME)


def count_file(pf: PabulibFile, rule: str | None = None) -> tuple[str, counting.CountResult, Any]:
    """Count a parsed file as `pb tally` would: (rule, result, election). Refuses what tally refuses."""
    if pf.vote_type == "ordinal":
        raise PabulibImportError(ORDINAL_REFUSAL.format(name="The file"))
    if pf.vote_type == "scoring":
        raise PabulibImportError(
            "The file has scoring votes, which pb does not count: pb counts approval, choose-1 and cumulative votes."
        )
    try:
        election = election_from_pabulib(pf)
    except PabulibError as exc:
        raise PabulibImportError(str(exc)) from exc
    projects, ballots = election.without_withdrawn()  # as `pb tally` counts it: a withdrawn project is not there
    election = dataclasses.replace(election, projects=projects, ballots=ballots)
    chosen_rule = rule or election.rule
    if chosen_rule not in counting.RULES:
        raise PabulibImportError(
            f"the file's META rule is {election.rule!r}, which pb does not count; choose one "
            f"with --rule ({', '.join(counting.RULES)})"
        )
    threshold = election.min_project_score_threshold
    if chosen_rule == counting.GREEDY_THRESHOLD and threshold is None:
        raise PabulibImportError("the file has no min_project_score_threshold in META, which greedy-threshold needs")
    try:
        result = counting.count(
            election.projects, election.ballots, election.budget, chosen_rule, min_project_score_threshold=threshold
        )
    except counting.CountingError as exc:
        raise PabulibImportError(str(exc)) from exc
    return chosen_rule, result, election


async def import_pabulib(
    pf: PabulibFile,
    *,
    title_en: str | None = None,
    title_cy: str | None = None,
    rule: str | None = None,
    today: date | None = None,
) -> Imported:
    """Load a parsed Pabulib file as a closed round, in one transaction. Raises PabulibImportError."""

    chosen_rule, result, election = count_file(pf, rule)
    meta = pf.meta
    budget_pence = to_pence(election.budget, "the budget")
    costs = {project.id: to_pence(project.cost, f"the cost of project {project.id}") for project in election.projects}
    official = election.official_selected
    unit = meta.get("unit", "").strip()
    area_name = (meta.get("subunit") or meta.get("district") or unit or "Pabulib").strip()[:120]
    title = (
        title_en
        or " ".join(
            part for part in (unit, meta.get("instance", "").strip(), f"({area_name})" if area_name != unit else "") if part
        )
        or meta.get("description", "")
        or "Pabulib"
    )[:200]
    began = parse_date(meta.get("date_begin")) or parse_date(meta.get("instance")) or today or date.today()
    ended = max(parse_date(meta.get("date_end")) or began, began)
    votes = ballot_choices(pf)
    names = {row["project_id"]: (row.get("name") or row["project_id"]).strip() for row in pf.projects}
    author = await importer_account()

    try:
        async with db.transaction():
            round_id, area_id = await round_imports.create_closed_round(
                dict(
                    title_en=title,
                    title_cy=(title_cy or title)[:200],
                    description_en=meta.get("description", ""),
                    description_cy=meta.get("description", ""),
                    counting_rule=chosen_rule,
                    min_age=0,
                    allow_revote=False,
                    proposals_from=began,
                    review_from=began,
                    shortlist_from=began,
                    voting_from=began,
                    results_from=ended,
                    delivery_from=ended,
                    **ballot_method_from_meta(meta, pf.vote_type),
                ),
                area_name,
                budget_pence,
            )
            # Next, so a second import of the same election stops here, before the bulk work.
            await PabulibImport.insert(
                PabulibImport(round=round_id, source_key=source_key(meta), meta=json.dumps(meta, ensure_ascii=False))
            )
            funded_of = {
                project.id: (project.id in official if official is not None else result.outcomes[project.id].selected)
                for project in election.projects
            }
            # In file order: pb's ids keep the file's order for ties.
            created = await proposal_imports.add_counted_projects(
                round_id,
                area_id,
                author,
                [(names[project.id], costs[project.id], funded_of[project.id]) for project in election.projects],
            )
            proposal_ids = {project.id: pid for project, pid in zip(election.projects, created, strict=True)}
            funded_ids = [proposal_ids[project.id] for project in election.projects if funded_of[project.id]]

            receipts: set[str] = set()
            ballot_rows = []
            for _, channel in votes:
                receipt = new_receipt(secrets.token_bytes(12))
                while receipt in receipts:
                    receipt = new_receipt(secrets.token_bytes(12))
                receipts.add(receipt)
                ballot_rows.append((round_id, area_id, receipt, channel))
            await db.bulk_insert("pb_ballot", ("round", "area", "receipt", "channel"), ballot_rows)
            ids = {
                row["receipt"]: row["id"]
                for row in await Round.raw("SELECT id, receipt FROM pb_ballot WHERE round = {}", round_id)
            }
            choice_rows = [
                (ids[ballot[2]], proposal_ids[project], points)
                for ballot, (picks, _) in zip(ballot_rows, votes, strict=True)
                for project, points in picks
                if project in proposal_ids  # not a withdrawn project
            ]
            await db.bulk_insert("pb_ballot_choice", ("ballot", "proposal", "points"), choice_rows)

            lines = []
            for project in election.projects:
                outcome = result.outcomes[project.id]
                funded = project.id in official if official is not None else outcome.selected
                explanation = scaled_explanation(outcome, 100)
                if funded != outcome.selected:  # the official result differs from pb's count: say so
                    explanation = {"reason": OFFICIAL_FUNDED if funded else OFFICIAL_NOT_FUNDED, "counted": explanation}
                lines.append(
                    ResultLine(
                        round=round_id,
                        area=area_id,
                        proposal=proposal_ids[project.id],
                        votes=outcome.votes,
                        points=int(outcome.points),
                        cost_pence=costs[project.id],
                        funded=funded,
                        position=outcome.position if funded and outcome.selected else None,
                        explanation=json.dumps(explanation),
                    )
                )
            if lines:
                await ResultLine.insert(*lines)
            await record(
                None,
                "round.imported_from_pabulib",
                f"round:{round_id}",
                ballots=len(votes),
                projects=len(election.projects),
                rule=chosen_rule,
            )
    except db.Conflict as exc:
        existing = await PabulibImport.select(PabulibImport.round).where(PabulibImport.source_key == source_key(meta)).first()
        where = f" (round {existing['round']})" if existing else ""
        raise PabulibImportError(f"this election has already been imported{where}: a file is imported once") from exc
    return Imported(round_id, area_id, len(election.projects), len(votes), tuple(funded_ids))


OFFICIAL_FUNDED = "official-funded"
OFFICIAL_NOT_FUNDED = "official-not-funded"


def voting_dates(planned_from: date, planned_results: date, opened: date | None, closed: date | None) -> tuple[date, date]:
    """When voting began and ended, for a file's date_begin and date_end: the days the round
    actually opened and closed where they are recorded, else the planned days; never an end
    before the beginning (a round opened or closed early moves off its plan)."""
    ended = closed or planned_results
    began = opened or planned_from
    return min(began, ended), ended
