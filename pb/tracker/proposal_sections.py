"""The "What happened" section of a proposal's page: decisions answering it and its delivery."""

from __future__ import annotations

from typing import Any

from pb.tracker import queries


async def what_happened(proposal_row: dict) -> tuple[str, dict[str, Any]]:
    return "tracker/_what_happened.html", {
        "decisions_about": await queries.decisions_for_input("proposal", proposal_row["id"]),
        "delivery": await queries.delivery_for_proposal(proposal_row["id"]),
    }
