"""Reading the tracker: decisions with their links, delivery, and the loop-closure figures."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pb.db import is_sqlite
from pb.deliberation.queries import outcome_titles, outcomes_as_inputs, outcomes_matching
from pb.proposals.listing import search_words
from pb.proposals.tables import Comment, Proposal, ProposalTheme
from pb.tracker import rules
from pb.tracker.tables import Decision, DecisionLink, DecisionRevision, Delivery, DeliveryUpdate, ResponseFeedback


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
    rows = await Delivery.select().where(Delivery.parent.is_null()).order_by(Delivery.updated_at, ascending=False)
    if round_id is not None:
        ids = {r["id"] for r in await Proposal.select(Proposal.id).where(Proposal.round == round_id)}
        rows = [row for row in rows if row["proposal"] in ids]
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


async def loop_figures(round_id: int | None = None) -> dict:
    """Community inputs (public proposals, comments and published session outcomes) with when they
    arrived and when the first published decision answered them; then the loop-closure figures."""
    proposals = Proposal.select(Proposal.id, Proposal.title_en, Proposal.title_cy, Proposal.submitted_at, Proposal.round).where(
        (Proposal.status != "draft") & Proposal.submitted_at.is_not_null()
    )
    if round_id is not None:
        proposals = proposals.where(Proposal.round == round_id)
    proposal_rows = await proposals
    proposal_ids = [row["id"] for row in proposal_rows]
    comments = await Comment.select(Comment.id, Comment.created_at, Comment.proposal, Comment.body).where(
        Comment.proposal.is_in(proposal_ids or [0]) & (Comment.hidden == False)
    )  # noqa: E712
    answered: dict[tuple[str, int], datetime] = {}
    for link in await DecisionLink.select(
        DecisionLink.input_kind,
        DecisionLink.input_id,
        DecisionLink.decision.published_at.as_alias("published_at"),
        DecisionLink.decision.status.as_alias("status"),
    ):
        if link["status"] == "published" and link["published_at"]:
            key = (link["input_kind"], link["input_id"])
            answered[key] = min(answered.get(key, link["published_at"]), link["published_at"])
    inputs = [
        {
            "kind": "proposal",
            "id": r["id"],
            "title_en": r["title_en"],
            "title_cy": r["title_cy"],
            "path": f"/proposals/{r['id']}",
            "received_at": r["submitted_at"],
            "responded_at": answered.get(("proposal", r["id"])),
        }
        for r in proposal_rows
    ]
    inputs += [
        {
            "kind": "comment",
            "id": r["id"],
            "proposal": r["proposal"],
            "title_en": r["body"][:80],
            "title_cy": r["body"][:80],
            "path": f"/proposals/{r['proposal']}#comment-{r['id']}",
            "received_at": r["created_at"],
            "responded_at": answered.get(("comment", r["id"])),
        }
        for r in comments
    ]
    for row in await outcomes_as_inputs(round_id):
        inputs.append({**row, "responded_at": answered.get(("session_outcome", row["id"]))})
    figures = rules.loop_closure(inputs, datetime.now(UTC))
    figures["inputs"] = inputs
    figures["feedback"] = rules.feedback_figures(await feedback_counts(round_id))
    return figures


async def filter_inputs(inputs: list[dict], area: int | None, theme: str, answered: str) -> list[dict]:
    """The tracker's list of inputs, narrowed by area, theme and whether they have a response."""

    proposal_ids = {i["id"] if i["kind"] == "proposal" else i.get("proposal") for i in inputs}
    meta = {
        r["id"]: r
        for r in await Proposal.select(Proposal.id, Proposal.area).where(Proposal.id.is_in(list(proposal_ids - {None}) or [0]))
    }
    themes: dict[int, set[str]] = {}
    for row in await ProposalTheme.select().where(ProposalTheme.proposal.is_in(list(meta) or [0])):
        themes.setdefault(row["proposal"], set()).add(row["theme"])
    chosen = []
    for item in inputs:
        proposal = item["id"] if item["kind"] == "proposal" else item.get("proposal")
        if area and meta.get(proposal, {}).get("area") != area:
            continue
        if theme and (proposal is None or theme not in themes.get(proposal, set())):
            continue
        if answered == "yes" and item["responded_at"] is None or answered == "no" and item["responded_at"] is not None:
            continue
        chosen.append(item)
    return sorted(chosen, key=lambda i: i["received_at"], reverse=True)


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
