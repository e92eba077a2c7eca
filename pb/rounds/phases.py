"""What may happen in which phase of a round: pure functions of plain values, tested exhaustively.

A round moves draft -> proposals -> review -> shortlist -> voting -> results -> delivery, one step
at a time, by an explicit officer action. The one step back allowed is review -> proposals
(reopening proposals); nothing moves back once voting has begun.

Closing the vote of a large round passes through "counting": the vote is closed (no ballot is
taken) while the count runs as a job, and the round moves on to results when the frozen results
are written. No officer chooses it: the close decides (`INTERNAL_MOVES`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, get_args

from pb.i18n import N_

Phase = Literal["draft", "proposals", "review", "shortlist", "voting", "counting", "results", "delivery"]
ALL_PHASES: tuple[Phase, ...] = get_args(Phase)
# The phases an officer moves a round through, in order ("counting" is passed through, not chosen).
PHASES: tuple[Phase, ...] = tuple(phase for phase in ALL_PHASES if phase != "counting")
INTERNAL_MOVES = {("voting", "counting"), ("counting", "results")}

PHASE_NAMES: dict[Phase, str] = {
    "draft": N_("Not yet open"),
    "proposals": N_("Proposals open"),
    "review": N_("Council review"),
    "shortlist": N_("Deliberation and shortlist"),
    "voting": N_("Voting"),
    "counting": N_("Counting the votes"),
    "results": N_("Results"),
    "delivery": N_("Delivery"),
}

PHASE_EXPLANATIONS: dict[Phase, str] = {
    "draft": N_("The council is preparing this round. It is not yet open to the public."),
    "proposals": N_("Residents and local groups can propose projects."),
    "review": N_("Council officers are checking each proposal is possible and what it would cost."),
    "shortlist": N_("People discuss the eligible proposals at community sessions, and a shortlist is agreed for the ballot."),
    "voting": N_("Everyone eligible can vote for the shortlisted projects."),
    "counting": N_("Voting has closed. The votes are being counted; the results are published as soon as they are ready."),
    "results": N_("Voting has closed and the results are published."),
    "delivery": N_("The funded projects are being delivered. Updates appear on each project."),
}

# The date column on which each phase (after draft) starts.
PHASE_DATE_FIELDS: dict[Phase, str] = {
    "proposals": "proposals_from",
    "review": "review_from",
    "shortlist": "shortlist_from",
    "voting": "voting_from",
    "results": "results_from",
    "delivery": "delivery_from",
}


def next_phase(phase: str) -> Phase | None:
    if phase not in PHASES:  # counting: the count moves the round on, not an officer
        return None
    index = PHASES.index(phase)
    return PHASES[index + 1] if index + 1 < len(PHASES) else None


def can_change_phase(current: str, target: str) -> bool:
    """The moves an officer may make."""
    if current not in PHASES or target not in PHASES:
        return False
    return target == next_phase(current) or (current, target) == ("review", "proposals")


def can_move(current: str, target: str) -> bool:
    """The moves a round may make: an officer's, or the close's own through counting."""
    return can_change_phase(current, target) or (current, target) in INTERNAL_MOVES


def order(phase: str) -> float:
    """Where a phase falls in the sequence (counting between voting and results)."""
    if phase == "counting":
        return PHASES.index("voting") + 0.5
    return PHASES.index(phase)


def is_public(phase: str) -> bool:
    return phase != "draft"


def may_propose(phase: str) -> bool:
    """Start, save and submit proposals only while proposals are open."""
    return phase == "proposals"


def may_review(phase: str) -> bool:
    """Officers may review submitted proposals as they arrive, through to the shortlist."""
    return phase in ("proposals", "review", "shortlist")


def may_shortlist(phase: str) -> bool:
    return phase in ("review", "shortlist")


def may_support(phase: str) -> bool:
    return phase in ("proposals", "review", "shortlist")


def may_comment(phase: str) -> bool:
    return phase in ("proposals", "review", "shortlist", "voting", "counting", "results", "delivery")


def may_edit_round_setup(phase: str) -> bool:
    """Budgets, areas, ballot method and rule are fixed once voting starts."""
    return phase in ("draft", "proposals", "review", "shortlist")


def timeline(current: str, planned: dict[str, date | None], today: date) -> list[dict[str, Any]]:
    """The round's phases with their planned start dates (`planned` by PHASE_DATE_FIELDS column):
    the current one, those done, and those to come. A phase still to come whose planned date has
    passed is late: residents are told so rather than shown a past date as "next"."""
    upcoming = "results" if current == "counting" else next_phase(current)
    steps = []
    for phase, field in PHASE_DATE_FIELDS.items():
        starts = planned.get(field)
        done = order(phase) < order(current)
        late = not done and phase != current and starts is not None and starts < today
        steps.append(
            {
                "phase": phase,
                "starts": starts,
                "current": phase == current,
                "next": phase == upcoming and not late,
                "late": late,
                "done": done,
            }
        )
    return steps


# What residents can take part in now, for the home page: proposing, and voting.
OPEN_TO_RESIDENTS = ("proposals", "voting")


def open_now(current: str, planned: dict[str, date | None], today: date) -> dict[str, Any] | None:
    """If residents can take part in the round now, what they can do and its planned close (the next
    phase's planned start); a close already past is late, not shown as a date still to come."""
    if current not in OPEN_TO_RESIDENTS:
        return None
    following = next_phase(current)
    closes = planned.get(PHASE_DATE_FIELDS[following]) if following in PHASE_DATE_FIELDS else None
    return {"phase": current, "closes": closes, "late": closes is not None and closes < today}
