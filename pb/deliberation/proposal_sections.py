"""The "From community sessions" section of a proposal's page: published session outcomes about it."""

from __future__ import annotations

from typing import Any

from pb.deliberation import queries


async def session_outcomes(proposal_row: dict) -> tuple[str, dict[str, Any]]:
    return "deliberation/_proposal_outcomes.html", {"session_outcomes": await queries.outcomes_for_proposal(proposal_row["id"])}
