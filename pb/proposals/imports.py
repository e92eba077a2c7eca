"""Proposals brought in with a past vote (a Pabulib file's projects), already funded or not.
The caller holds the transaction that imports the rest of the round."""

from __future__ import annotations

from datetime import UTC, datetime

from pb.proposals.tables import Proposal


async def add_counted_projects(round_id: int, area_id: int, author_id: int, projects: list[tuple[str, int, bool]]) -> list[int]:
    """Each (name, cost in pence, funded) as a proposal of a counted round, in order: their ids."""
    now = datetime.now(UTC)
    ids = []
    for name, cost_pence, funded in projects:
        row = Proposal(
            round=round_id,
            area=area_id,
            author=author_id,
            title_en=name[:120],
            summary_en=name[:300],
            description_en=name,
            estimated_cost_pence=cost_pence,
            status="funded" if funded else "not_funded",
            search_text=name.lower(),
            submitted_at=now,
        )
        await Proposal.insert(row)
        ids.append(row.id)
    return ids
