"""The tracker's input totals are tallies the database keeps with triggers (pb_input_tally,
migrations m0051–52). They must always equal a count of the inputs themselves, whatever writes
them: random inserts, status changes, moves between rounds, hiding and deleting, on both engines,
and concurrent comments in one round."""

import asyncio
import random
from datetime import UTC, datetime

from pb.db import engine, transaction
from pb.proposals.tables import Comment, Proposal
from pb.tracker import queries
from pb.tracker.tables import InputTally
from tests.conftest import make_proposal, make_round, make_user

STATUSES = ("draft", "submitted", "under_review", "eligible", "not_eligible", "withdrawn", "on_ballot", "funded")


async def counted(round_id: int | None) -> int:
    """The inputs counted one by one, as the tracker defines them."""
    proposals = Proposal.select(Proposal.id).where((Proposal.status != "draft") & Proposal.submitted_at.is_not_null())
    if round_id is not None:
        proposals = proposals.where(Proposal.round == round_id)
    ids = [row["id"] for row in await proposals]
    shown = await Comment.count().where(Comment.proposal.is_in(ids or [0]) & (Comment.hidden == False))  # noqa: E712
    return len(ids) + shown


async def test_the_tallies_follow_every_kind_of_write(seed=7):
    rng = random.Random(seed)
    made = [await make_round(title_en=f"Round {n}") for n in range(3)]
    rounds = [round_id for round_id, _ in made]
    areas = {round_id: area_ids[0] for round_id, area_ids in made}
    author = await make_user(email="author@example.org")
    proposals: list[int] = []
    comments: list[int] = []
    for step in range(300):
        action = rng.random()
        if action < 0.2 or not proposals:
            round_id = rng.choice(rounds)
            status = rng.choice(STATUSES)
            proposal = await make_proposal(round_id, areas[round_id], author, status=status)
            if status == "draft" or rng.random() < 0.1:
                await Proposal.update({Proposal.submitted_at: None}).where(Proposal.id == proposal)
            proposals.append(proposal)
        elif action < 0.5:
            [row] = await Comment.insert(
                Comment(proposal=rng.choice(proposals), author=author, body=f"Comment {step}", hidden=rng.random() < 0.2)
            ).returning(Comment.id)
            comments.append(row["id"])
        elif action < 0.6 and comments:
            await Comment.update({Comment.hidden: rng.random() < 0.5}).where(Comment.id == rng.choice(comments))
        elif action < 0.65 and comments:
            await Comment.update({Comment.proposal: rng.choice(proposals)}).where(Comment.id == rng.choice(comments))
        elif action < 0.8:
            await Proposal.update({Proposal.status: rng.choice(STATUSES)}).where(Proposal.id == rng.choice(proposals))
        elif action < 0.85:
            submitted = None if rng.random() < 0.3 else datetime.now(UTC)
            await Proposal.update({Proposal.submitted_at: submitted}).where(Proposal.id == rng.choice(proposals))
        elif action < 0.9:
            to = rng.choice(rounds)
            await Proposal.update({Proposal.round: to, Proposal.area: areas[to]}).where(Proposal.id == rng.choice(proposals))
        elif action < 0.95 and comments:
            gone = comments.pop(rng.randrange(len(comments)))
            await Comment.delete().where(Comment.id == gone)
        elif proposals:
            gone = rng.choice(proposals)
            if not await Comment.exists().where(Comment.proposal == gone):  # comments hold their proposal
                proposals.remove(gone)
                await Proposal.delete().where(Proposal.id == gone)
        if step % 25 == 0 or step == 299:
            for round_id in rounds:
                assert await queries.input_total(round_id) == await counted(round_id), (step, round_id)
            assert await queries.input_total() == await counted(None), step
    assert await counted(None) > 20  # the walk did make inputs to count


async def test_several_changes_in_one_transaction_and_a_rollback():
    round_id, areas = await make_round()
    author = await make_user(email="author@example.org")
    proposal = await make_proposal(round_id, areas[0], author)
    await Comment.insert(*(Comment(proposal=proposal, author=author, body=f"c{n}") for n in range(3)))
    assert await queries.input_total(round_id) == 4
    try:
        async with transaction():
            await Proposal.update({Proposal.status: "draft"}).where(Proposal.id == proposal)
            assert await queries.input_total(round_id) == 0  # a draft's comments are not input either
            raise RuntimeError("undo")
    except RuntimeError:
        pass
    assert await queries.input_total(round_id) == 4 == await counted(round_id)


async def test_concurrent_comments_in_one_round_are_all_counted():
    round_id, areas = await make_round()
    author = await make_user(email="author@example.org")
    proposals = [await make_proposal(round_id, areas[0], author) for _ in range(4)]

    async def comment(n: int) -> None:
        async with transaction():
            await Comment.insert(Comment(proposal=proposals[n % 4], author=author, body=f"Comment {n}"))

    await asyncio.gather(*(comment(n) for n in range(30)))
    assert await queries.input_total(round_id) == 34 == await counted(round_id)


async def test_the_migration_counts_what_was_there_before():
    from pb.migrations.m0052_input_tally_triggers import BACKFILL

    round_id, areas = await make_round()
    author = await make_user(email="author@example.org")
    proposal = await make_proposal(round_id, areas[0], author)
    await make_proposal(round_id, areas[1], author, status="draft")
    await Comment.insert(
        Comment(proposal=proposal, author=author, body="Shown"),
        Comment(proposal=proposal, author=author, body="Hidden", hidden=True),
    )
    await InputTally.delete(force=True)
    await engine().run_ddl(BACKFILL)
    assert await queries.input_total(round_id) == 2 == await counted(round_id)
