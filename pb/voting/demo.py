"""Demo voting codes for the demo round that is open for voting (run by `pb demo`; safe to repeat).

A sealed batch of fixed codes, the same on every install (they do not come from the server
secret, so README can print them for people to try), and an ordinary unsealed batch whose letters
the demo officer can open and print."""

from __future__ import annotations

import hashlib
from datetime import UTC

from pb.rounds.tables import Round
from pb.voting import code_actions, codes
from pb.voting.actions import voter_key_for_code
from pb.voting.tables import VotingCode, VotingCodeBatch

DEMO_ROUND = "Town Centre Fund 2026"
SEALED_LABEL = "Demo letters to every household (printed)"
OPEN_LABEL = "Demo cards for community sessions"
# Fixed codes, for the demo only: a real batch's codes come from the server secret and a random salt.
DEMO_CODES = [codes.new_code(hashlib.sha256(f"pb demo voting code {i}".encode()).digest()) for i in range(20)]


async def load_demo_codes(officer_id: int) -> None:
    row = await Round.select(Round.id).where((Round.title_en == DEMO_ROUND) & (Round.phase == "voting")).first()
    if row is None:
        return
    round_id = row["id"]
    labels = {b["label"] for b in await VotingCodeBatch.select(VotingCodeBatch.label).where(VotingCodeBatch.round == round_id)}
    if SEALED_LABEL not in labels:
        from datetime import datetime

        from pb.db import transaction

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
            hashed = [codes.code_hash(round_id, code) for code in DEMO_CODES]
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
