"""What an audit entry is about, by name: "decision:3" becomes the decision's title, linked to its
page, and an actor's id becomes their name. One query per kind of subject on the page."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from piccolo.table import Table

from pb.accounts.tables import User
from pb.deliberation.tables import DeliberationSession
from pb.i18n import N_
from pb.proposals.tables import Proposal
from pb.rounds.tables import Area, Round
from pb.tracker.tables import Decision, Delivery
from pb.voting.tables import PaperBatch, VotingCodeBatch

# kind in the audit target -> (table, its words for the kind, the page that shows one, its id parameter)
KINDS: dict[str, tuple[type[Table], str, str | None, str]] = {
    "proposal": (Proposal, N_("Proposal"), "proposals.proposal_page", "proposal_id"),
    "round": (Round, N_("Round"), "rounds.round_page", "round_id"),
    "decision": (Decision, N_("Decision"), "tracker.decision_page", "decision_id"),
    "delivery": (Delivery, N_("Delivery"), "tracker.delivery_page", "delivery_id"),
    "session": (DeliberationSession, N_("Community session"), "deliberation.session_page", "session_id"),
    "user": (User, N_("Person"), "admin.user_detail", "user_id"),
    "paper_batch": (PaperBatch, N_("Batch of paper ballots"), None, ""),
    "area": (Area, N_("Area"), None, ""),
    "batch": (VotingCodeBatch, N_("Batch of voting codes"), None, ""),
}


NAMING_COLUMNS = ("title_en", "title_cy", "name_en", "name_cy", "label", "name")


# a detail holding a bare id of a kind of subject (decision.linked's {"proposal": 4})
BY_DETAIL = {
    "proposal": "proposal",
    "into": "proposal",  # a merge names the proposal kept
    "round": "round",
    "area": "area",
    "decision": "decision",
    "delivery": "delivery",
    "session": "session",
}


def mentioned(events: list[dict]) -> list[str]:
    """Every subject the entries name: their targets and the subjects in their details."""
    found = []
    for event in events:
        found.append(event["target"])
        for key, value in (event.get("details") or {}).items():
            if isinstance(value, str):
                found.append(value)
            elif key in BY_DETAIL and isinstance(value, int):
                found.append(f"{BY_DETAIL[key]}:{value}")
    return found


def parse_target(target: str) -> tuple[str, int] | None:
    kind, _, number = (target or "").partition(":")
    return (kind, int(number)) if kind in KINDS and number.isascii() and number.isdigit() else None


async def subjects(targets: list[str]) -> dict[str, dict[str, Any]]:
    """{target: {"kind": words, "title_en", "title_cy" | "name", "route", "param", "id"}} for the
    targets that still exist; others are shown as recorded."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for target in targets:
        parsed = parse_target(target)
        if parsed:
            wanted[parsed[0]].add(parsed[1])
    found: dict[str, dict[str, Any]] = {}
    for kind, ids in wanted.items():
        table, words, route, param = KINDS[kind]
        columns = [column for column in table._meta.columns if column._meta.name in NAMING_COLUMNS]
        for row in await table.select(table._meta.primary_key, *columns).where(table._meta.primary_key.is_in(sorted(ids))):
            found[f"{kind}:{row['id']}"] = {
                "kind": words,
                # bilingual titles as they are; a label or a person's name reads the same in both
                "title_en": row.get("title_en") or row.get("name_en") or row.get("label") or row.get("name") or "",
                "title_cy": row.get("title_cy") or row.get("name_cy") or row.get("label") or row.get("name") or "",
                "bilingual": "title_en" in row or "name_en" in row,
                "route": route,
                "param": param,
                "id": row["id"],
            }
    return found


async def actor_names(actor_ids: list[int]) -> dict[int, str]:
    ids = sorted({actor for actor in actor_ids if actor})
    if not ids:
        return {}
    return {row["id"]: row["name"] for row in await User.select(User.id, User.name).where(User.id.is_in(ids))}
