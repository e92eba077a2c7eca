"""A proposal's lifecycle: which status may follow which, by whom, and in which phase. Pure.

draft -> submitted -> under review -> eligible / not eligible / merged / withdrawn
      -> shortlisted -> on the ballot -> funded / not funded
"""

from __future__ import annotations

from typing import Literal, TypeGuard, get_args

from pb.i18n import N_
from pb.rounds import phases

# Every status but draft is public (the open-data API filters by these).
PublicStatus = Literal[
    "submitted",
    "under_review",
    "eligible",
    "not_eligible",
    "merged",
    "withdrawn",
    "shortlisted",
    "on_ballot",
    "funded",
    "not_funded",
]
ProposalStatus = Literal["draft", PublicStatus]
STATUSES: tuple[ProposalStatus, ...] = get_args(ProposalStatus)
PUBLIC_STATUSES: tuple[PublicStatus, ...] = get_args(PublicStatus)
Mover = Literal["author", "officer", "system"]

STATUS_NAMES: dict[ProposalStatus, str] = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "under_review": N_("Under review"),
    "eligible": N_("Eligible"),
    "not_eligible": N_("Not eligible"),
    "merged": N_("Merged"),
    "withdrawn": N_("Withdrawn"),
    "shortlisted": N_("Shortlisted"),
    "on_ballot": N_("On the ballot"),
    "funded": N_("Funded"),
    "not_funded": N_("Not funded"),
}

STATUS_TAG_CLASSES: dict[ProposalStatus, str] = {
    "draft": "govuk-tag--grey",
    "submitted": "govuk-tag--blue",
    "under_review": "govuk-tag--light-blue",
    "eligible": "govuk-tag--turquoise",
    "not_eligible": "govuk-tag--red",
    "merged": "govuk-tag--purple",
    "withdrawn": "govuk-tag--grey",
    "shortlisted": "govuk-tag--green",
    "on_ballot": "govuk-tag--green",
    "funded": "govuk-tag--green",
    "not_funded": "govuk-tag--orange",
}

# (from, to) -> who may make the move
TRANSITIONS: dict[tuple[ProposalStatus, ProposalStatus], Mover] = {
    ("draft", "submitted"): "author",
    ("draft", "withdrawn"): "author",
    ("submitted", "withdrawn"): "author",
    ("under_review", "withdrawn"): "author",
    ("eligible", "withdrawn"): "author",
    ("submitted", "under_review"): "officer",
    ("submitted", "eligible"): "officer",
    ("submitted", "not_eligible"): "officer",
    ("submitted", "merged"): "officer",
    ("under_review", "eligible"): "officer",
    ("under_review", "not_eligible"): "officer",
    ("under_review", "merged"): "officer",
    ("eligible", "not_eligible"): "officer",
    ("eligible", "merged"): "officer",
    ("not_eligible", "under_review"): "officer",  # reconsidered
    ("eligible", "shortlisted"): "officer",
    ("shortlisted", "eligible"): "officer",  # taken off the shortlist
    ("shortlisted", "on_ballot"): "system",  # when voting opens
    ("on_ballot", "funded"): "system",  # when results are counted
    ("on_ballot", "not_funded"): "system",
}

OPEN_FOR_MERGE_TARGET = ("submitted", "under_review", "eligible", "shortlisted")


def is_status(text: object) -> TypeGuard[ProposalStatus]:
    return text in STATUSES


def can_move(current: str, target: str, actor: str, phase: str) -> bool:
    """Whether `actor` ("author", "officer" or "system") may move a proposal in a round's phase."""
    if not (is_status(current) and is_status(target)):
        return False
    who = TRANSITIONS.get((current, target))
    if who is None or who != actor:
        return False
    if target == "submitted":
        return phases.may_propose(phase)
    if target == "withdrawn":
        return phase in ("proposals", "review", "shortlist")
    if target == "shortlisted" or (current, target) == ("shortlisted", "eligible"):
        return phases.may_shortlist(phase)
    if actor == "officer":
        return phases.may_review(phase)
    return True


def author_may_edit(status: str, phase: str) -> bool:
    """Authors edit their own proposal until the council's review starts."""
    return status in ("draft", "submitted") and phases.may_propose(phase)


def officer_moves(current: str, phase: str) -> list[str]:
    return [
        target
        for (source, target), who in TRANSITIONS.items()
        if source == current and who == "officer" and can_move(current, target, "officer", phase)
    ]


def needs_public_reason(target: str) -> bool:
    """A proposal found not eligible always says why, in public."""
    return target == "not_eligible"


def is_public(status: str) -> bool:
    return status != "draft"


def counts_as_live(status: str) -> bool:
    """Still in the running (shown by default in listings)."""
    return status in ("submitted", "under_review", "eligible", "shortlisted", "on_ballot", "funded")
