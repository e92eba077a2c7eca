"""Reading the tracker: decisions with their links, delivery, and the loop-closure figures."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pb.db import is_sqlite
from pb.deliberation.queries import outcome_titles, outcomes_as_inputs, outcomes_matching
from pb.paging import paginate
from pb.proposals.listing import search_words
from pb.proposals.tables import Comment, Proposal, ProposalTheme
from pb.tracker import rules
from pb.tracker.tables import (
    Decision,
    DecisionLink,
    DecisionRevision,
    Delivery,
    DeliveryUpdate,
    InputTally,
    ResponseFeedback,
)


async def decisions(round_id: int | None = None, published_only: bool = True) -> list[dict]:
    query = Decision.select().order_by(Decision.decided_on, ascending=False)
    if published_only:
        query = query.where(Decision.status == "published")
    if round_id is not None:
        query = query.where(Decision.round == round_id)
    return await query


async def decision(decision_id: int) -> dict | None:
    return await Decision.select().where(Decision.id == decision_id).first()


async def links_of(decision_id: int) -> list[dict]:
    links = await DecisionLink.select().where(DecisionLink.decision == decision_id).order_by(DecisionLink.id)
    titles = await input_titles(links)
    for link in links:
        link["input"] = titles.get((link["input_kind"], link["input_id"]), {})
    return links


async def input_titles(links: list[dict]) -> dict[tuple[str, int], dict]:
    """What each linked input says, for showing it beside the decision."""
    found: dict[tuple[str, int], dict] = {}
    proposal_ids = [link["input_id"] for link in links if link["input_kind"] == "proposal"]
    comment_ids = [link["input_id"] for link in links if link["input_kind"] == "comment"]
    outcome_ids = [link["input_id"] for link in links if link["input_kind"] == "session_outcome"]
    if proposal_ids:
        for row in await Proposal.select(Proposal.id, Proposal.title_en, Proposal.title_cy).where(
            Proposal.id.is_in(proposal_ids)
        ):
            found[("proposal", row["id"])] = {
                "title_en": row["title_en"],
                "title_cy": row["title_cy"],
                "path": f"/proposals/{row['id']}",
            }
    if comment_ids:
        for row in await Comment.select(Comment.id, Comment.body, Comment.proposal, Comment.hidden).where(
            Comment.id.is_in(comment_ids)
        ):
            text = "" if row["hidden"] else row["body"][:140]
            found[("comment", row["id"])] = {
                "title_en": text,
                "title_cy": text,
                "path": f"/proposals/{row['proposal']}#comment-{row['id']}",
            }
    if outcome_ids:
        found.update({("session_outcome", k): v for k, v in (await outcome_titles(outcome_ids)).items()})
    return found


FOUND_AT_MOST = 20  # of each kind: enough to choose from, with a narrower search for the rest


def _containing(column, word: str):
    pattern = f"%{word}%"
    return column.like(pattern) if is_sqlite() else column.ilike(pattern)  # SQLite's LIKE ignores case already


async def find_inputs(text: str, kind: str, round_id: int | None, area_id: int | None) -> list[dict]:
    """Community input an officer may link a decision to, found by words of its title or text,
    narrowed by kind and area (and by the decision's round when it has one); public items only."""
    words = search_words(text)
    found: list[dict] = []
    if kind in ("", "proposal"):
        query = Proposal.select(Proposal.id, Proposal.title_en, Proposal.title_cy, Proposal.area).where(
            (Proposal.status != "draft") & (Proposal.hidden == False)  # noqa: E712
        )
        if round_id is not None:
            query = query.where(Proposal.round == round_id)
        if area_id is not None:
            query = query.where(Proposal.area == area_id)
        for word in words:
            query = query.where(Proposal.search_text.like(f"%{word}%"))  # search_text is lower case
        found += [{"kind": "proposal", **row} for row in await query.order_by(Proposal.id, ascending=False).limit(FOUND_AT_MOST)]
    if kind in ("", "comment"):
        query = Comment.select(
            Comment.id,
            Comment.body,
            Comment.proposal.area.as_alias("area"),
            Comment.proposal.title_en.as_alias("on_en"),
            Comment.proposal.title_cy.as_alias("on_cy"),
        ).where((Comment.hidden == False) & (Comment.proposal.status != "draft"))  # noqa: E712
        if round_id is not None:
            query = query.where(Comment.proposal.round == round_id)
        if area_id is not None:
            query = query.where(Comment.proposal.area == area_id)
        for word in words:
            query = query.where(_containing(Comment.body, word))
        for row in await query.order_by(Comment.id, ascending=False).limit(FOUND_AT_MOST):
            body = row["body"] if len(row["body"]) <= 120 else row["body"][:119] + "…"
            found.append(
                {
                    "kind": "comment",
                    "id": row["id"],
                    "title_en": body,
                    "title_cy": body,
                    "area": row["area"],
                    "on_en": row["on_en"],
                    "on_cy": row["on_cy"],
                    "same_text": True,
                }
            )
    if kind in ("", "session_outcome"):
        found += await outcomes_matching(words, round_id, area_id, FOUND_AT_MOST)
    return found


async def revisions(decision_id: int) -> list[dict]:
    rows = (
        await DecisionRevision.select()
        .where(DecisionRevision.decision == decision_id)
        .order_by(DecisionRevision.replaced_at, ascending=False)
    )
    for row in rows:
        row["before"] = json.loads(row["snapshot"])
    return rows


async def decisions_for_input(kind: str, input_id: int) -> list[dict]:
    """Published decisions that answered one input, with how it shaped each."""
    links = await DecisionLink.select(
        *DecisionLink.all_columns(),
        DecisionLink.decision.title_en.as_alias("title_en"),
        DecisionLink.decision.title_cy.as_alias("title_cy"),
        DecisionLink.decision.decided_on.as_alias("decided_on"),
        DecisionLink.decision.status.as_alias("status"),
    ).where((DecisionLink.input_kind == kind) & (DecisionLink.input_id == input_id))
    return [link for link in links if link["status"] == "published"]


async def delivery_for_proposal(proposal_id: int) -> dict | None:
    row = await Delivery.select().where(Delivery.proposal == proposal_id).first()
    if row:
        row["progress"] = await progress_of(row)
        row["updates"] = await updates(row["id"])
    return row


async def funded_without_delivery() -> list[dict]:
    """Funded projects with no delivery record yet, newest round first: what a record made by hand
    may be linked to."""
    linked = [row["proposal"] for row in await Delivery.select(Delivery.proposal).where(Delivery.proposal.is_not_null())]
    query = Proposal.select(Proposal.id, Proposal.title_en, Proposal.title_cy, Proposal.round).where(Proposal.status == "funded")
    if linked:
        query = query.where(Proposal.id.not_in(linked))
    return await query.order_by(Proposal.round, ascending=False).order_by(Proposal.id)


async def progress_of(row: dict) -> int:
    parts = await Delivery.select(Delivery.progress, Delivery.allocated_pence).where(Delivery.parent == row["id"])
    return rules.rolled_up_progress(row["progress"], [(p["progress"], p["allocated_pence"]) for p in parts])


async def deliveries(round_id: int | None = None) -> list[dict]:
    query = Delivery.select().where(Delivery.parent.is_null()).order_by(Delivery.updated_at, ascending=False)
    if round_id is not None:  # a subquery: a city-sized round's proposal ids are not read into pb
        query = query.where(Delivery.proposal.is_in(Proposal.select(Proposal.id).where(Proposal.round == round_id)))
    rows = await query
    for row in rows:
        row["progress"] = await progress_of(row)
    return rows


async def delivery(delivery_id: int) -> dict | None:
    row = await Delivery.select().where(Delivery.id == delivery_id).first()
    if row:
        row["progress"] = await progress_of(row)
        row["updates"] = await updates(delivery_id)
        row["parts"] = await Delivery.select().where(Delivery.parent == delivery_id)
    return row


async def updates(delivery_id: int) -> list[dict]:
    return (
        await DeliveryUpdate.select().where(DeliveryUpdate.delivery == delivery_id).order_by(DeliveryUpdate.at, ascending=False)
    )


def _public_proposals(round_id: int | None):
    """The proposals counted as community input: public (not drafts) and submitted."""
    where = (Proposal.status != "draft") & Proposal.submitted_at.is_not_null()
    return where if round_id is None else where & (Proposal.round == round_id)


def _public_comments(round_id: int | None):
    """The comments counted as community input: shown, on a proposal counted as input."""
    where = (
        (Comment.hidden == False)  # noqa: E712
        & (Comment.proposal.status != "draft")
        & Comment.proposal.submitted_at.is_not_null()
    )
    return where if round_id is None else where & (Comment.proposal.round == round_id)


async def input_total(round_id: int | None = None) -> int:
    """How many public proposals and shown comments on them a round (or the council) has: read from
    the tallies the database keeps (pb_input_tally, migration m0052), not counted on every view."""
    query = InputTally.select(InputTally.proposals, InputTally.comments)
    if round_id is not None:
        query = query.where(InputTally.round == round_id)
    return sum(row["proposals"] + row["comments"] for row in await query)


async def answered_inputs() -> dict[tuple[str, int], datetime]:
    """When the first published decision answered each input that has one (few: one per link)."""
    answered: dict[tuple[str, int], datetime] = {}
    for link in await DecisionLink.select(
        DecisionLink.input_kind,
        DecisionLink.input_id,
        DecisionLink.decision.published_at.as_alias("published_at"),
    ).where((DecisionLink.decision.status == "published") & DecisionLink.decision.published_at.is_not_null()):
        key = (link["input_kind"], link["input_id"])
        answered[key] = min(answered.get(key, link["published_at"]), link["published_at"])
    return answered


def _proposal_input(row: dict, answered: dict) -> dict:
    return {
        "kind": "proposal",
        "id": row["id"],
        "title_en": row["title_en"],
        "title_cy": row["title_cy"],
        "path": f"/proposals/{row['id']}",
        "received_at": row["submitted_at"],
        "responded_at": answered.get(("proposal", row["id"])),
    }


def _comment_input(row: dict, answered: dict) -> dict:
    return {
        "kind": "comment",
        "id": row["id"],
        "proposal": row["proposal"],
        "title_en": row["body"][:80],
        "title_cy": row["body"][:80],
        "path": f"/proposals/{row['proposal']}#comment-{row['id']}",
        "received_at": row["created_at"],
        "responded_at": answered.get(("comment", row["id"])),
    }


_PROPOSAL_COLUMNS = (Proposal.id, Proposal.title_en, Proposal.title_cy, Proposal.submitted_at)
_COMMENT_COLUMNS = (Comment.id, Comment.created_at, Comment.proposal, Comment.body)
_KIND_ORDER = {"proposal": 0, "comment": 1, "session_outcome": 2}  # ties in time: proposals, comments, outcomes


def _ids(answered: dict, kind: str) -> list[int]:
    return [input_id for (k, input_id) in answered if k == kind]


async def loop_figures(round_id: int | None = None, answered: dict[tuple[str, int], datetime] | None = None) -> dict:
    """The loop-closure figures over community inputs (public proposals, comments and published
    session outcomes) and when the first published decision answered them: counted in the database
    (COUNT), so a view costs the same with 100 inputs or 100,000. Only the answered inputs (one per
    decision link) and the few waiting longest are read as rows. `answered`: answered_inputs(), when
    the caller has it already."""
    answered = await answered_inputs() if answered is None else answered
    outcomes = [
        {**row, "responded_at": answered.get(("session_outcome", row["id"]))} for row in await outcomes_as_inputs(round_id)
    ]
    proposal_ids, comment_ids = _ids(answered, "proposal"), _ids(answered, "comment")
    total = await input_total(round_id) + len(outcomes)
    # The answered inputs themselves (with when each arrived), for the share and the median wait.
    found: list[dict] = []
    if proposal_ids:
        found += [
            _proposal_input(row, answered)
            for row in await Proposal.select(*_PROPOSAL_COLUMNS).where(
                _public_proposals(round_id) & Proposal.id.is_in(proposal_ids)
            )
        ]
    if comment_ids:
        found += [
            _comment_input(row, answered)
            for row in await Comment.select(*_COMMENT_COLUMNS).where(_public_comments(round_id) & Comment.id.is_in(comment_ids))
        ]
    found += [row for row in outcomes if row["responded_at"] is not None]
    # The inputs waiting longest: the oldest of each kind, enough of them to skip the answered ones.
    longest = 5
    oldest = [
        _proposal_input(row, answered)
        for row in await Proposal.select(*_PROPOSAL_COLUMNS)
        .where(_public_proposals(round_id))
        .order_by(Proposal.submitted_at)
        .order_by(Proposal.id)
        .limit(longest + len(proposal_ids))
    ]
    oldest += [
        _comment_input(row, answered)
        for row in await Comment.select(*_COMMENT_COLUMNS)
        .where(_public_comments(round_id))
        .order_by(Comment.created_at)
        .order_by(Comment.id)
        .limit(longest + len(comment_ids))
    ]
    oldest += outcomes
    waiting = sorted(
        (item for item in oldest if item["responded_at"] is None),
        key=lambda item: (item["received_at"], _KIND_ORDER[item["kind"]], item["id"]),
    )[:longest]
    figures = rules.loop_closure_of(total, found, waiting, datetime.now(UTC))
    figures["feedback"] = rules.feedback_figures(await feedback_counts(round_id))
    return figures


async def inputs_page(
    round_id: int,
    area: int | None,
    theme: str,
    answered_only: str,
    requested: int,
    per_page: int = 20,
    answered: dict[tuple[str, int], datetime] | None = None,
    unfiltered_total: int | None = None,
) -> tuple[list[dict], int, int, int]:
    """One page of the tracker's list of a round's inputs, newest first, narrowed by area, theme
    and whether they have a response: (the inputs shown, the page's number, pages, how many match).
    Counted and paged in the database: only the rows of the page are read. `unfiltered_total`: the
    loop-closure figures' total, which is the count when nothing narrows the list."""
    answered = await answered_inputs() if answered is None else answered
    proposals = Proposal.select(*_PROPOSAL_COLUMNS).where(_public_proposals(round_id))
    proposal_count = Proposal.count().where(_public_proposals(round_id))
    comments = Comment.select(*_COMMENT_COLUMNS).where(_public_comments(round_id))
    comment_count = Comment.count().where(_public_comments(round_id))
    narrowed = []
    if area:
        narrowed.append((Proposal.area == area, Comment.proposal.area == area))
    if theme:
        themed = ProposalTheme.select(ProposalTheme.proposal).where(ProposalTheme.theme == theme)
        narrowed.append((Proposal.id.is_in(themed), Comment.proposal.is_in(themed)))
    proposal_ids, comment_ids = _ids(answered, "proposal"), _ids(answered, "comment")
    if answered_only == "yes":
        narrowed.append((Proposal.id.is_in(proposal_ids or [0]), Comment.id.is_in(comment_ids or [0])))
    elif answered_only == "no":
        narrowed.append((Proposal.id.not_in(proposal_ids or [0]), Comment.id.not_in(comment_ids or [0])))
    for on_proposals, on_comments in narrowed:
        proposals, proposal_count = proposals.where(on_proposals), proposal_count.where(on_proposals)
        comments, comment_count = comments.where(on_comments), comment_count.where(on_comments)
    outcomes = []
    if not area and not theme:  # an outcome belongs to no proposal, so to no area or theme of one
        for row in await outcomes_as_inputs(round_id):
            row["responded_at"] = answered.get(("session_outcome", row["id"]))
            if answered_only == "yes" and row["responded_at"] is None or answered_only == "no" and row["responded_at"]:
                continue
            outcomes.append(row)
    if unfiltered_total is not None and not narrowed:
        total = unfiltered_total  # the same inputs the figures counted: not counted again
    else:
        total = await proposal_count + await comment_count + len(outcomes)
    pager = paginate(total, requested, per_page)
    enough = pager.offset + per_page  # the newest `enough` of each kind hold the page's inputs
    chosen = [
        _proposal_input(row, answered)
        for row in await proposals.order_by(Proposal.submitted_at, ascending=False).order_by(Proposal.id).limit(enough)
    ]
    chosen += [
        _comment_input(row, answered)
        for row in await comments.order_by(Comment.created_at, ascending=False).order_by(Comment.id).limit(enough)
    ]
    chosen += outcomes
    # Newest first; inputs arriving at the same moment keep the order proposals, comments, outcomes.
    chosen.sort(key=lambda item: (_KIND_ORDER[item["kind"]], item["id"]))
    chosen.sort(key=lambda item: item["received_at"], reverse=True)
    return chosen[pager.offset : pager.offset + per_page], pager.number, pager.pages, total


async def feedback_counts(round_id: int | None = None) -> dict[str, int]:
    """Answers to "did this response answer you?" on published decisions (of one round, or all)."""
    query = ResponseFeedback.select(ResponseFeedback.answer).where(ResponseFeedback.link._.decision._.status == "published")
    if round_id is not None:
        query = query.where(ResponseFeedback.link._.decision._.round == round_id)
    counts: dict[str, int] = {}
    for row in await query:
        counts[row["answer"]] = counts.get(row["answer"], 0) + 1
    return counts


async def own_feedback(user_id: int, link_ids: list[int]) -> dict[int, dict]:
    """This person's answers on these responses, by response."""
    if not link_ids:
        return {}
    rows = await ResponseFeedback.select(ResponseFeedback.link, ResponseFeedback.answer, ResponseFeedback.comment).where(
        (ResponseFeedback.user == user_id) & ResponseFeedback.link.is_in(link_ids)
    )
    return {row["link"]: row for row in rows}


async def feedback_to_follow_up(limit: int = 200) -> list[dict]:
    """Answers saying a response did not (or only partly) answer the person, newest first, for officers."""
    return (
        await ResponseFeedback.select(
            ResponseFeedback.id,
            ResponseFeedback.answer,
            ResponseFeedback.comment,
            ResponseFeedback.created_at,
            ResponseFeedback.user.name.as_alias("name"),
            ResponseFeedback.user.email.as_alias("email"),
            ResponseFeedback.link._.decision.as_alias("decision"),
            ResponseFeedback.link._.decision._.title_en.as_alias("title_en"),
            ResponseFeedback.link._.decision._.title_cy.as_alias("title_cy"),
        )
        .where(ResponseFeedback.answer.is_in(["no", "partly"]))
        .order_by(ResponseFeedback.id, ascending=False)
        .limit(limit)
    )
