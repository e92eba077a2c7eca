"""The tracker's figures are counted in the database (queries.loop_figures, queries.inputs_page);
they must equal what reading every input into Python gave (the computation below, as it was), on
random data, for each round and council-wide, with every filter and page."""

import random
from datetime import UTC, date, datetime, timedelta

from pb.deliberation.queries import outcomes_as_inputs
from pb.paging import page_of
from pb.proposals.tables import Comment, Proposal, ProposalTheme
from pb.tracker import queries, rules
from pb.tracker.tables import Decision, DecisionLink, ResponseFeedback
from tests.conftest import make_round, make_user

NOW = datetime.now(UTC)


async def every_input(round_id: int | None) -> dict:
    """The figures as they were computed before: every input read, then counted in Python."""
    proposals = Proposal.select(Proposal.id, Proposal.title_en, Proposal.title_cy, Proposal.submitted_at, Proposal.round).where(
        (Proposal.status != "draft") & Proposal.submitted_at.is_not_null()
    )
    if round_id is not None:
        proposals = proposals.where(Proposal.round == round_id)
    proposal_rows = await proposals
    comments = await Comment.select(Comment.id, Comment.created_at, Comment.proposal, Comment.body).where(
        Comment.proposal.is_in([row["id"] for row in proposal_rows] or [0]) & (Comment.hidden == False)  # noqa: E712
    )
    answered: dict = {}
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
        {"kind": "proposal", "id": r["id"], "received_at": r["submitted_at"], "responded_at": answered.get(("proposal", r["id"]))}
        for r in sorted(proposal_rows, key=lambda r: r["id"])
    ]
    inputs += [
        {
            "kind": "comment",
            "id": r["id"],
            "proposal": r["proposal"],
            "received_at": r["created_at"],
            "responded_at": answered.get(("comment", r["id"])),
        }
        for r in sorted(comments, key=lambda r: r["id"])
    ]
    for row in await outcomes_as_inputs(round_id):
        inputs.append({**row, "responded_at": answered.get(("session_outcome", row["id"]))})
    figures = rules.loop_closure(inputs, NOW)
    figures["inputs"] = inputs
    figures["feedback"] = rules.feedback_figures(await queries.feedback_counts(round_id))
    return figures


async def filtered(inputs: list[dict], area: int | None, theme: str, answered: str) -> list[dict]:
    """The list of inputs narrowed as before, in Python."""
    meta = {r["id"]: r for r in await Proposal.select(Proposal.id, Proposal.area)}
    themes: dict[int, set[str]] = {}
    for row in await ProposalTheme.select():
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


def brief(figures: dict) -> dict:
    return {
        **{k: figures[k] for k in ("total", "answered", "percent", "median_days", "feedback")},
        "waiting_longest": [(i["kind"], i["id"], i["days"]) for i in figures["waiting_longest"]],
    }


async def random_inputs(rng: random.Random) -> list[tuple[int, list[int]]]:
    users = [await make_user(email=f"person{n}@example.org") for n in range(4)]
    rounds = [await make_round(title_en=f"Round {n}") for n in range(2)]
    seconds = rng.sample(range(1, 400 * 86400), 2000)  # distinct moments, so the newest-first order is one order
    proposals = []
    for n in range(120):
        round_id, areas = rng.choice(rounds)
        status = rng.choice(["draft", "submitted", "feasible", "on_ballot", "withdrawn"])
        row = Proposal(
            round=round_id,
            area=rng.choice(areas),
            author=rng.choice(users),
            title_en=f"Proposal {n}",
            status=status,
            hidden=rng.random() < 0.1,
            submitted_at=None if rng.random() < 0.1 else NOW - timedelta(seconds=seconds.pop()),
        )
        proposals.append(row)
    await Proposal.insert(*proposals)
    themes = [
        ProposalTheme(proposal=p.id, theme=theme)
        for p in proposals
        for theme in rng.sample(["young_people", "environment", "transport"], rng.randint(0, 2))
    ]
    if themes:
        await ProposalTheme.insert(*themes)
    comments = [
        Comment(
            proposal=rng.choice(proposals).id,
            author=rng.choice(users),
            body=f"Comment {n} " * rng.randint(1, 12),
            created_at=NOW - timedelta(seconds=seconds.pop()),
            hidden=rng.random() < 0.15,
        )
        for n in range(400)
    ]
    await Comment.insert(*comments)
    for n in range(8):
        published = rng.random() < 0.7
        decision = Decision(
            round=rng.choice([*[r for r, _ in rounds], None]),
            title_en=f"Decision {n}",
            title_cy=f"Penderfyniad {n}",
            decided_on=date(2027, 1, 1),
            status="published" if published else "draft",
            published_at=NOW - timedelta(seconds=rng.randint(0, 30 * 86400)) if published or rng.random() < 0.5 else None,
        )
        await Decision.insert(decision)
        picked = set()
        for _ in range(rng.randint(1, 25)):
            kind, pool = rng.choice([("proposal", proposals), ("comment", comments)])
            target = rng.choice(pool).id
            if (kind, target) in picked:
                continue
            picked.add((kind, target))
            link = DecisionLink(decision=decision.id, input_kind=kind, input_id=target, effect="adopted")
            await DecisionLink.insert(link)
            for user in rng.sample(users, rng.randint(0, 2)):
                await ResponseFeedback.insert(
                    ResponseFeedback(link=link.id, user=user, answer=rng.choice(["yes", "no", "partly"]))
                )
    return rounds


async def test_the_counted_figures_equal_the_figures_read_from_every_input():
    for seed in (1, 2, 3):
        rng = random.Random(seed)
        rounds = await random_inputs(rng)
        for round_id in [None, *(r for r, _ in rounds)]:
            expected = await every_input(round_id)
            assert brief(await queries.loop_figures(round_id)) == brief(expected), (seed, round_id)
            if round_id is None:
                continue
            areas = dict(rounds)[round_id]
            for area in (None, *areas):
                for theme in ("", "environment"):
                    for answered in ("", "yes", "no"):
                        listed = await filtered(expected["inputs"], area, theme, answered)
                        for requested in (1, 2, 3, 99):
                            shown, number, pages = page_of(listed, requested, 20)
                            found = await queries.inputs_page(round_id, area, theme, answered, requested, 20)
                            assert [(i["kind"], i["id"]) for i in found[0]] == [(i["kind"], i["id"]) for i in shown]
                            assert found[1:] == (number, pages, len(listed)), (round_id, area, theme, answered, requested)
                            if not (area or theme or answered):  # the figures' total stands for the list's
                                again = await queries.inputs_page(round_id, None, "", "", requested, 20, None, expected["total"])
                                assert again == found
        for table in (ResponseFeedback, DecisionLink, Decision, Comment, ProposalTheme, Proposal):
            await table.delete(force=True)
