"""Reading sessions, registrations and outcomes (no writes here).

Also the two reads other parts of pb rely on: `outcomes_for_proposal` (the proposal page) and
`outcome_titles` / `outcomes_as_inputs` (the tracker, which links decisions to outcomes)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from pb.accounts.tables import User
from pb.db import is_sqlite
from pb.deliberation import rules
from pb.deliberation.tables import AgendaItem, DeliberationSession, OutcomeLink, Registration, SessionOutcome
from pb.paging import paginate
from pb.proposals.tables import Proposal
from pb.rounds.tables import Area, Round

S = DeliberationSession
PUBLIC_PROPOSAL_COLUMNS = (
    Proposal.id,
    Proposal.round,
    Proposal.area,
    Proposal.title_en,
    Proposal.title_cy,
    Proposal.summary_en,
    Proposal.summary_cy,
    Proposal.estimated_cost_pence,
    Proposal.revised_cost_pence,
    Proposal.status,
)
# Proposals a session can discuss: public ones, still in the running or recently decided.
DISCUSSABLE = ("submitted", "under_review", "eligible", "not_eligible", "shortlisted", "on_ballot", "funded", "not_funded")
UNDISCUSSED = ("submitted", "under_review", "eligible", "shortlisted")


async def get_session(session_id: int) -> dict | None:
    row = await S.select().where(S.id == session_id).first()
    if row:
        await _decorate([row])
    return row


async def _decorate(rows: list[dict]) -> None:
    """Add place counts, the round's and area's names, to session rows."""
    if not rows:
        return
    ids = [row["id"] for row in rows]
    counts: dict[int, dict[str, int]] = {}
    for reg in await Registration.select(Registration.session, Registration.status).where(
        Registration.session.is_in(ids) & Registration.status.is_in(["registered", "waiting"])
    ):
        counts.setdefault(reg["session"], {"registered": 0, "waiting": 0})[reg["status"]] += 1
    round_ids = {row["round"] for row in rows if row["round"]}
    area_ids = {row["area"] for row in rows if row["area"]}
    rounds = (
        {
            r["id"]: r
            for r in await Round.select(Round.id, Round.title_en, Round.title_cy, Round.phase).where(
                Round.id.is_in(list(round_ids))
            )
        }
        if round_ids
        else {}
    )
    areas = (
        {a["id"]: a for a in await Area.select(Area.id, Area.name_en, Area.name_cy).where(Area.id.is_in(list(area_ids)))}
        if area_ids
        else {}
    )
    moment = datetime.now(UTC)
    for row in rows:
        row["open"] = rules.registration_open(row, moment)
        found = counts.get(row["id"], {"registered": 0, "waiting": 0})
        row["registered"], row["waiting"] = found["registered"], found["waiting"]
        row["places_left"] = max(0, row["capacity"] - row["registered"])
        row["round_row"] = rounds.get(row["round"])
        row["area_row"] = areas.get(row["area"])


async def holding_places(session_id: int) -> int:
    return await Registration.count().where((Registration.session == session_id) & (Registration.status == "registered"))


# The public listing ----------------------------------------------------------------------------


async def listing(filters: rules.Filters, now: datetime) -> tuple[list[dict], int, int, int]:
    """(rows on the page, page shown, pages, total) of public sessions matching the filters.
    Upcoming: soonest first, including cancelled ones (so people see the cancellation); past:
    most recent first, without cancelled ones."""
    condition = (S.ends_at >= now) if filters.when == "upcoming" else ((S.ends_at < now) & (S.status == "scheduled"))
    if filters.area:
        condition &= S.area == filters.area
    if filters.format:
        condition &= S.format == filters.format
    if filters.date_from:
        condition &= S.starts_at >= rules.to_utc(filters.date_from, time(0, 0))
    if filters.date_to:
        condition &= S.starts_at < rules.to_utc(filters.date_to + timedelta(days=1), time(0, 0))
    for code in filters.access:
        condition &= S.language_mode.is_in(["cy", "bilingual"]) if code == "welsh" else (getattr(S, code) == True)  # noqa: E712
    total = await S.count().where(condition)
    pager = paginate(total, filters.page, rules.PAGE_SIZE)
    rows = (
        await S.select()
        .where(condition)
        .order_by(S.starts_at, ascending=filters.when == "upcoming")
        .order_by(S.id)
        .offset(pager.offset)
        .limit(pager.per_page)
    )
    await _decorate(rows)
    return rows, pager.number, pager.pages, total


async def filter_areas() -> list[dict]:
    """Areas that have sessions, for the listing's area filter (labelled with their round)."""
    used = {row["area"] for row in await S.select(S.area).where(S.area.is_not_null())}
    if not used:
        return []
    return (
        await Area.select(
            Area.id,
            Area.name_en,
            Area.name_cy,
            Area.round.title_en.as_alias("round_title_en"),
            Area.round.title_cy.as_alias("round_title_cy"),
        )
        .where(Area.id.is_in(list(used)))
        .order_by(Area.name_en)
    )


# A person's registrations ----------------------------------------------------------------------


async def person_registrations(session_id: int, user_id: int | None) -> list[dict]:
    if not user_id:
        return []
    return (
        await Registration.select()
        .where((Registration.session == session_id) & (Registration.user == user_id) & (Registration.status != "cancelled"))
        .order_by(Registration.id)
    )


async def waiting_position(registration: dict) -> int:
    """1 for the first on the waiting list."""
    ahead = await Registration.select(Registration.id, Registration.queued_at).where(
        (Registration.session == registration["session"]) & (Registration.status == "waiting")
    )
    return 1 + sum(1 for row in ahead if (row["queued_at"], row["id"]) < (registration["queued_at"], registration["id"]))


async def registrations_of(user_id: int) -> list[dict]:
    rows = (
        await Registration.select()
        .where((Registration.user == user_id) & (Registration.status != "cancelled"))
        .order_by(Registration.id)
    )
    sessions = {}
    if rows:
        found = await S.select().where(S.id.is_in(list({row["session"] for row in rows})))
        await _decorate(found)
        sessions = {row["id"]: row for row in found}
    for row in rows:
        row["session_row"] = sessions[row["session"]]
    return sorted(rows, key=lambda row: row["session_row"]["starts_at"], reverse=True)


async def get_registration(registration_id: int) -> dict | None:
    return await Registration.select().where(Registration.id == registration_id).first()


# Facilitators ----------------------------------------------------------------------------------


async def registrations_for_facilitator(session_id: int) -> list[dict]:
    """Everyone registered or waiting, with the name to tick (the account holder's, or the person
    they care for). Access needs are included for access_summary, which shows names only with consent."""
    rows = await Registration.select(*Registration.all_columns(), Registration.user.name.as_alias("account_name")).where(
        (Registration.session == session_id) & Registration.status.is_in(["registered", "waiting"])
    )
    for row in rows:
        row["name"] = row["attendee_name"] or row["account_name"]
        row["on_behalf"] = bool(row["attendee_name"])
    registered = sorted((r for r in rows if r["status"] == "registered"), key=lambda r: r["name"].lower())
    waiting = sorted((r for r in rows if r["status"] == "waiting"), key=lambda r: (r["queued_at"], r["id"]))
    return registered + waiting


async def facilitator_sessions(user_id: int, everyone: bool, now: datetime) -> tuple[list[dict], list[dict]]:
    """(upcoming, past) sessions a facilitator runs (every session, for admins)."""
    query = S.select()
    if not everyone:
        query = query.where(S.facilitator == user_id)
    rows = await query.order_by(S.starts_at)
    await _decorate(rows)
    upcoming = [row for row in rows if row["ends_at"] >= now]
    past = [row for row in rows if row["ends_at"] < now][::-1]
    access: dict[int, Any] = {}
    if upcoming:
        regs = await Registration.select(
            Registration.session, Registration.status, Registration.access_needs, Registration.access_other
        ).where(Registration.session.is_in([row["id"] for row in upcoming]) & (Registration.status == "registered"))
        for reg in regs:
            access.setdefault(reg["session"], []).append({**reg, "name": "", "share_needs": False})
    for row in upcoming:
        row["access"] = rules.access_summary(access.get(row["id"], []))
    return upcoming, past


async def undiscussed_proposals(now: datetime) -> list[dict]:
    """Proposals still being considered in rounds open to the public that no session has discussed:
    not on the agenda of a session that has started, and not linked to any outcome. Each says which
    upcoming sessions plan to discuss it."""
    live_rounds = {
        r["id"]: r
        for r in await Round.select(Round.id, Round.title_en, Round.title_cy, Round.phase).where(
            Round.phase.is_in(["proposals", "review", "shortlist", "voting"])
        )
    }
    if not live_rounds:
        return []
    proposals = (
        await Proposal.select(*PUBLIC_PROPOSAL_COLUMNS)
        .where(
            Proposal.round.is_in(list(live_rounds)) & Proposal.status.is_in(list(UNDISCUSSED)) & (Proposal.hidden == False)  # noqa: E712
        )
        .order_by(Proposal.round)
        .order_by(Proposal.id)
    )
    ids = [row["id"] for row in proposals]
    if not ids:
        return []
    linked = {row["proposal"] for row in await OutcomeLink.select(OutcomeLink.proposal).where(OutcomeLink.proposal.is_in(ids))}
    planned: dict[int, list[dict]] = {}
    discussed: set[int] = set()
    for item in await AgendaItem.select(
        AgendaItem.proposal,
        AgendaItem.session.id.as_alias("session_id"),
        AgendaItem.session.starts_at.as_alias("starts_at"),
        AgendaItem.session.status.as_alias("status"),
        AgendaItem.session.title_en.as_alias("title_en"),
        AgendaItem.session.title_cy.as_alias("title_cy"),
    ).where(AgendaItem.proposal.is_in(ids)):
        if item["status"] != "scheduled":
            continue
        if item["starts_at"] <= now:
            discussed.add(item["proposal"])
        else:
            planned.setdefault(item["proposal"], []).append(item)
    result = []
    for row in proposals:
        if row["id"] in linked or row["id"] in discussed:
            continue
        result.append({**row, "round_row": live_rounds[row["round"]], "planned": planned.get(row["id"], [])})
    return result


# Agenda and outcomes ---------------------------------------------------------------------------


async def agenda(session_id: int) -> list[dict]:
    items = (
        await AgendaItem.select(AgendaItem.proposal, AgendaItem.position)
        .where(AgendaItem.session == session_id)
        .order_by(AgendaItem.position)
        .order_by(AgendaItem.id)
    )
    if not items:
        return []
    ids = [item["proposal"] for item in items]
    rows = {
        row["id"]: row
        for row in await Proposal.select(
            *PUBLIC_PROPOSAL_COLUMNS,
            Proposal.area.name_en.as_alias("area_name_en"),
            Proposal.area.name_cy.as_alias("area_name_cy"),
        ).where(Proposal.id.is_in(ids))
    }
    return [rows[proposal_id] for proposal_id in ids if proposal_id in rows]


async def candidates(session: dict) -> list[dict]:
    """Proposals a session may put on its agenda: the round's public ones, or for a stand-alone
    session those of every round under deliberation."""
    query = Proposal.select(*PUBLIC_PROPOSAL_COLUMNS).where(Proposal.status.is_in(list(DISCUSSABLE)) & (Proposal.hidden == False))  # noqa: E712
    if session["round"]:
        query = query.where(Proposal.round == session["round"])
    else:
        open_rounds = [
            r["id"] for r in await Round.select(Round.id).where(Round.phase.is_in(["proposals", "review", "shortlist", "voting"]))
        ]
        query = query.where(Proposal.round.is_in(open_rounds or [0]))
    if session.get("area"):
        query = query.where(Proposal.area == session["area"])
    return await query.order_by(Proposal.id)


async def outcomes(session_id: int) -> list[dict]:
    """The session's outcomes in order, each with its linked proposals (and tallies)."""
    rows = (
        await SessionOutcome.select()
        .where(SessionOutcome.session == session_id)
        .order_by(SessionOutcome.position)
        .order_by(SessionOutcome.id)
    )
    if not rows:
        return []
    links = (
        await OutcomeLink.select(
            OutcomeLink.outcome,
            OutcomeLink.proposal,
            OutcomeLink.tally,
            OutcomeLink.proposal.title_en.as_alias("title_en"),
            OutcomeLink.proposal.title_cy.as_alias("title_cy"),
        )
        .where(OutcomeLink.outcome.is_in([row["id"] for row in rows]))
        .order_by(OutcomeLink.proposal)
    )
    by_outcome: dict[int, list[dict]] = {}
    for link in links:
        by_outcome.setdefault(link["outcome"], []).append(link)
    for row in rows:
        row["links"] = by_outcome.get(row["id"], [])
        if row["kind"] == "prioritisation":
            row["links"] = rules.ranked(row["links"])
    return rows


def split_outcomes(rows: list[dict]) -> dict:
    return {
        "summary": next((row for row in rows if row["kind"] == "summary"), None),
        "themes": [row for row in rows if row["kind"] == "theme"],
        "recommendations": [row for row in rows if row["kind"] == "recommendation"],
        "prioritisations": [row for row in rows if row["kind"] == "prioritisation"],
    }


async def get_outcome(outcome_id: int) -> dict | None:
    row = await SessionOutcome.select().where(SessionOutcome.id == outcome_id).first()
    if row:
        row["links"] = await OutcomeLink.select().where(OutcomeLink.outcome == outcome_id).order_by(OutcomeLink.proposal)
    return row


async def outcomes_for_proposal(proposal_id: int) -> list[dict]:
    """Published outcomes linked to a proposal, newest session first, each with its session's id,
    titles and date: what community sessions said about it (for the proposal page)."""
    links = await OutcomeLink.select(OutcomeLink.outcome, OutcomeLink.tally).where(OutcomeLink.proposal == proposal_id)
    if not links:
        return []
    tallies = {link["outcome"]: link["tally"] for link in links}
    rows = await SessionOutcome.select(
        *SessionOutcome.all_columns(),
        SessionOutcome.session.title_en.as_alias("session_title_en"),
        SessionOutcome.session.title_cy.as_alias("session_title_cy"),
        SessionOutcome.session.starts_at.as_alias("starts_at"),
        SessionOutcome.session.ends_at.as_alias("ends_at"),
        SessionOutcome.session.outcomes_published_at.as_alias("published_at"),
    ).where(SessionOutcome.id.is_in(list(tallies)) & SessionOutcome.session.outcomes_published_at.is_not_null())
    prioritisation_ids = [row["id"] for row in rows if row["kind"] == "prioritisation"]
    ranks: dict[int, dict] = {}
    if prioritisation_ids:
        everything = await OutcomeLink.select(OutcomeLink.outcome, OutcomeLink.proposal, OutcomeLink.tally).where(
            OutcomeLink.outcome.is_in(prioritisation_ids)
        )
        for outcome_id in prioritisation_ids:
            ranked = rules.ranked([link for link in everything if link["outcome"] == outcome_id])
            mine = next(link for link in ranked if link["proposal"] == proposal_id)
            ranks[outcome_id] = {"rank": mine["rank"], "of": len(ranked)}
    for row in rows:
        row["session_id"] = row["session"]
        row["tally"] = tallies[row["id"]]
        row.update(ranks.get(row["id"], {}))
    kinds = list(rules.OUTCOME_KINDS)
    return sorted(
        rows,
        key=lambda row: (-row["starts_at"].timestamp(), row["session"], kinds.index(row["kind"]), row["position"], row["id"]),
    )


async def outcome_titles(ids: list[int]) -> dict[int, dict]:
    """For the tracker: what each outcome says (briefly) and where it is, by outcome id. Unpublished
    outcomes say nothing and link nowhere."""
    if not ids:
        return {}
    rows = await SessionOutcome.select(
        SessionOutcome.id,
        SessionOutcome.kind,
        SessionOutcome.body_en,
        SessionOutcome.body_cy,
        SessionOutcome.session,
        SessionOutcome.session.outcomes_published_at.as_alias("published_at"),
    ).where(SessionOutcome.id.is_in(ids))
    found = {}
    for row in rows:
        if row["published_at"] is None:
            found[row["id"]] = {"title_en": "", "title_cy": "", "path": ""}
            continue
        en, cy = row["body_en"] or row["body_cy"], row["body_cy"] or row["body_en"]
        found[row["id"]] = {
            "title_en": _brief(en),
            "title_cy": _brief(cy),
            "kind": row["kind"],
            "session_id": row["session"],
            "path": f"/sessions/{row['session']}#outcome-{row['id']}",
        }
    return found


async def outcome_published(outcome_id: int) -> bool:
    """For the tracker: whether an outcome exists and is public (only published outcomes are community input)."""
    return await SessionOutcome.exists().where(
        (SessionOutcome.id == outcome_id) & SessionOutcome.session.outcomes_published_at.is_not_null()
    )


def _brief(text: str, size: int = 140) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


async def outcomes_as_inputs(round_id: int | None = None) -> list[dict]:
    """For the tracker's loop-closure figures: published themes, recommendations and prioritisation
    results (the summary restates them, so it is not counted again), received when published."""
    query = SessionOutcome.select(
        SessionOutcome.id,
        SessionOutcome.body_en,
        SessionOutcome.body_cy,
        SessionOutcome.session,
        SessionOutcome.session.outcomes_published_at.as_alias("published_at"),
    ).where(SessionOutcome.session.outcomes_published_at.is_not_null() & (SessionOutcome.kind != "summary"))
    if round_id is not None:
        query = query.where(SessionOutcome.session.round == round_id)
    return [
        {
            "kind": "session_outcome",
            "id": row["id"],
            "title_en": _brief(row["body_en"] or row["body_cy"], 80),
            "title_cy": _brief(row["body_cy"] or row["body_en"], 80),
            "path": f"/sessions/{row['session']}#outcome-{row['id']}",
            "received_at": row["published_at"],
        }
        for row in await query
    ]


async def outcomes_matching(words: list[str], round_id: int | None, area_id: int | None, limit: int) -> list[dict]:
    """Published session outcomes whose text has every word (any case), for an officer choosing the
    input a decision answers; newest first."""
    query = SessionOutcome.select(
        SessionOutcome.id,
        SessionOutcome.body_en,
        SessionOutcome.body_cy,
        SessionOutcome.session,
        SessionOutcome.session.area.as_alias("area"),
    ).where(SessionOutcome.session.outcomes_published_at.is_not_null() & (SessionOutcome.kind != "summary"))
    if round_id is not None:
        query = query.where(SessionOutcome.session.round == round_id)
    if area_id is not None:
        query = query.where(SessionOutcome.session.area == area_id)
    for word in words:
        pattern = f"%{word}%"
        if is_sqlite():  # SQLite's LIKE already ignores case; PostgreSQL needs ILIKE
            query = query.where(SessionOutcome.body_en.like(pattern) | SessionOutcome.body_cy.like(pattern))
        else:
            query = query.where(SessionOutcome.body_en.ilike(pattern) | SessionOutcome.body_cy.ilike(pattern))
    rows = await query.order_by(SessionOutcome.id, ascending=False).limit(limit)
    return [
        {
            "kind": "session_outcome",
            "id": row["id"],
            "title_en": _brief(row["body_en"] or row["body_cy"], 120),
            "title_cy": _brief(row["body_cy"] or row["body_en"], 120),
            "area": row["area"],
        }
        for row in rows
    ]


# Forms -----------------------------------------------------------------------------------------


async def form_choices() -> dict:
    """Rounds a session may belong to (any the public can see) and their areas."""
    rounds = (
        await Round.select(Round.id, Round.title_en, Round.title_cy)
        .where(Round.phase != "draft")
        .order_by(Round.id, ascending=False)
    )
    areas = (
        await Area.select(Area.id, Area.round, Area.name_en, Area.name_cy)
        .where(Area.round.is_in([r["id"] for r in rounds] or [0]))
        .order_by(Area.round)
        .order_by(Area.position)
    )
    titles = {r["id"]: r for r in rounds}
    for area in areas:
        area["round_row"] = titles[area["round"]]
    return {"rounds": rounds, "areas": areas, "round_ids": set(titles), "area_rounds": {a["id"]: a["round"] for a in areas}}


async def user_contact(user_id: int) -> dict | None:
    return await User.select(User.id, User.name, User.email, User.language).where(User.id == user_id).first()


async def picture_files() -> set[str]:
    """The picture files sessions name (extension point "media.in_use")."""
    rows = await S.select(S.picture_full, S.picture_thumb).where(S.picture_full != "")
    return {name for row in rows for name in (row["picture_full"], row["picture_thumb"])}
