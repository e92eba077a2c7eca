"""Demo votes (run by `pb demo`; safe to repeat): the Town Centre Fund 2026 open for voting and the
Green Spaces Fund 2025 counted, both with ballots cast, and voting codes and paper ballots for the
open one.

For voting codes, a sealed batch of fixed codes, the same on every install (they do not come from the server
secret, so README can print them for people to try), and an ordinary unsealed batch whose letters
the demo officer can open and print."""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime

from pb.accounts import notifications
from pb.accounts.demo import demo_account, demo_residents
from pb.db import transaction
from pb.equality import answers as equality
from pb.equality import invitations
from pb.equality.questions import NOT_SAY
from pb.proposals.actions import set_following
from pb.proposals.tables import Proposal
from pb.rounds.actions import change_phase
from pb.rounds.demo import GREEN_SPACES, TOWN_CENTRE, demo_round
from pb.rounds.queries import today
from pb.rounds.tables import Area, Round
from pb.voting.actions import cast_ballot, voter_key_for_code
from pb.voting.codes import actions as code_actions
from pb.voting.codes import alphabet
from pb.voting.paper.demo import load_demo_paper
from pb.voting.reminders import send_closing_reminders
from pb.voting.tables import VotingCode, VotingCodeBatch

DEMO_ROUND = "Town Centre Fund 2026"
SEALED_LABEL = "Demo letters to every household (printed)"
OPEN_LABEL = "Demo cards for community sessions"
# Fixed codes, for the demo only: a real batch's codes come from the server secret and a random salt.
DEMO_CODES = [alphabet.new_code(hashlib.sha256(f"pb demo voting code {i}".encode()).digest()) for i in range(20)]


async def seed() -> None:
    officer_id = await demo_account("officer")
    if officer_id is None:
        return
    rhian = await demo_account("resident")
    for (title_en, _), ballots_per_area, counted in ((TOWN_CENTRE, 12, False), (GREEN_SPACES, 60, True)):
        found = await demo_round(title_en)
        if found is None or found[1] != "shortlist":
            continue
        round_id, _, areas = found
        # Two demo residents follow each voted round: they get the closing reminder and the results email.
        # So does the demo resident account, who chose one email a day for rounds: theirs wait for
        # the day's digest (in Welsh, their language), readable in the outbox.
        for resident in (await demo_residents())[:2]:
            await set_following(resident, "round", round_id, True)
        if rhian is not None:
            await notifications.set_preferences(rhian, {"my_area": "daily"})
            await set_following(rhian, "round", round_id, True)
        await change_phase(officer_id, round_id, "voting")  # the shortlist goes on the ballot; the lot is drawn
        await _cast_demo_ballots(round_id, areas, ballots_per_area)
        if counted:
            await change_phase(officer_id, round_id, "results")
    await load_demo_codes(officer_id)
    await load_demo_paper()
    await send_closing_reminders(today())  # the app also does this hourly
    await notifications.send_digests()  # the app does it from 08:00 each day


async def _cast_demo_ballots(round_id: int, areas: list[int], ballots_per_area: int) -> None:
    """The same demo votes every time: each voter picks affordable projects at random within the budget."""
    chance = random.Random(2026)
    answering = random.Random(7)  # its own, so the demo ballots stay the same as before
    for area_id in areas:
        area = await Area.select(Area.budget_pence).where(Area.id == area_id).first()
        budget = area["budget_pence"] if area else 0
        options = [
            (row["id"], row["estimated_cost_pence"])
            for row in await Proposal.select(Proposal.id, Proposal.estimated_cost_pence)
            .where((Proposal.area == area_id) & (Proposal.status == "on_ballot"))
            .order_by(Proposal.id)
        ]
        for voter in range(ballots_per_area):
            chosen, total = {}, 0
            for project_id, cost in sorted(options, key=lambda o: chance.random() * (1.5 if o[1] < 10_000_00 else 1)):
                if total + cost <= budget and chance.random() < 0.7:
                    chosen[project_id] = 1
                    total += cost
            if chosen:
                channel = "paper" if voter % 5 == 0 else "online"
                await cast_ballot(
                    round_id, area_id, voter_key_for_code(round_id, f"demo-{area_id}-{voter}"), chosen, channel, True
                )
                if answering.random() < 0.9:  # most answer the equality questions, through the same sealed path
                    await _demo_answers(round_id, area_id, channel, answering)


async def _demo_answers(round_id: int, area_id: int, channel: str, chance: random.Random) -> None:
    """Made-up answers in which older people mostly vote on paper and take part less than their
    share of the population (the demo baseline has three in ten aged 65 or over), and a few people
    are from small groups (their counts are withheld in the report)."""
    route = "paper" if channel == "paper" else "online"
    ages = (
        ["65_74", "65_74", "75_plus", "75_plus", "55_64"] if route == "paper" else ["16_24", "25_34", "35_44", "45_54", "55_64"]
    )
    age = chance.choice(ages)
    given: dict[str, tuple[str, ...]] = {"age": (age,), "sex": ("female",) if chance.random() < 0.55 else ("male",)}
    roll = chance.random()
    given["ethnic_group"] = (
        ("black",) if roll < 0.02 else ("asian",) if roll < 0.06 else ("white",) if roll < 0.95 else (NOT_SAY,)
    )
    given["welsh"] = ("understand", "speak", "read", "write") if chance.random() < 0.3 else ("none",)
    given["health_condition"] = ("yes",) if chance.random() < 0.2 else ("no",)
    if given["health_condition"] == ("yes",):
        given["health_limits"] = (chance.choice(["a_lot", "a_little", "not_at_all"]),)
    given["caring"] = ("no",) if chance.random() < 0.8 else ("up_to_9",)
    invitation = invitations.read(invitations.invite(round_id, area_id, route, today()), today())
    if invitation is not None:
        await equality.send_answers(invitation, given)


async def load_demo_codes(officer_id: int) -> None:
    row = await Round.select(Round.id).where((Round.title_en == DEMO_ROUND) & (Round.phase == "voting")).first()
    if row is None:
        return
    round_id = row["id"]
    labels = {b["label"] for b in await VotingCodeBatch.select(VotingCodeBatch.label).where(VotingCodeBatch.round == round_id)}
    if SEALED_LABEL not in labels:
        async with transaction():
            batch = VotingCodeBatch(
                round=round_id,
                area=None,
                label=SEALED_LABEL,
                count=len(DEMO_CODES),
                salt="demo-fixed-codes",
                created_by=officer_id,
                created_at=datetime.now(UTC),
                sealed_at=datetime.now(UTC),
            )
            await VotingCodeBatch.insert(batch)
            hashed = [alphabet.code_hash(round_id, code) for code in DEMO_CODES]
            await VotingCode.insert(
                *[
                    VotingCode(
                        round=round_id,
                        area=None,
                        batch=batch.id,
                        position=i,
                        code_hash=h,
                        voter_key=voter_key_for_code(round_id, h),
                        void_reason="",
                    )
                    for i, h in enumerate(hashed)
                ]
            )
    if OPEN_LABEL not in labels:
        await code_actions.generate_batch(officer_id, round_id, None, OPEN_LABEL, 40)
