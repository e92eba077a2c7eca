"""Appeal rules: pure functions of plain data, no I/O.

Who may appeal a moderation decision, until when, what an appeal needs, who may decide it and what
overturning it does to the content.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from pb.i18n import N_
from pb.moderation.rules import APPEAL_DAYS, REASONS, Errors
from pb.text import clean_field

REASON_MAX = 2000
OUTCOME_REASON_MAX = 1000

OUTCOMES: dict[str, str] = {
    "upheld": N_("Uphold it: the decision stands"),
    "overturned": N_("Overturn it"),
}


def appeal_role(user_id: int, action: str, author_id: int | None, reporter_ids: Iterable[int], on_appeal: bool) -> str | None:
    """ "author" when this person wrote content that was hidden or kept with a note; "reporter" when
    they reported content that was kept (with or without a note); None when they may not appeal.
    A decision made on appeal is final."""
    if on_appeal:
        return None
    if user_id == author_id and action in ("hide", "note"):
        return "author"
    if user_id != author_id and user_id in set(reporter_ids) and action in ("keep", "note"):
        return "reporter"
    return None


def deadline(decided_at: datetime) -> datetime:
    return decided_at + timedelta(days=APPEAL_DAYS)


def in_time(decided_at: datetime, now: datetime) -> bool:
    """Within APPEAL_DAYS days of the decision."""
    return now <= deadline(decided_at)


def validate_appeal(form: dict) -> tuple[dict, Errors]:
    reason = clean_field(form.get("reason", ""))
    errors: Errors = {}
    if not reason:
        errors["reason"] = N_("Say why you think the decision is wrong")
    elif len(reason) > REASON_MAX:
        errors["reason"] = N_("Your reason must be 2,000 characters or fewer")
    return {"reason": reason}, errors


def validate_appeal_decision(form: dict) -> tuple[dict, Errors]:
    outcome = clean_field(form.get("outcome", ""))
    reason = clean_field(form.get("outcome_reason", ""))
    errors: Errors = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = N_("Choose whether to uphold or overturn the decision")
    if not reason:
        errors["outcome_reason"] = N_("Give the reason for your decision on the appeal")
    elif len(reason) > OUTCOME_REASON_MAX:
        errors["outcome_reason"] = N_("The reason must be 1,000 characters or fewer")
    return {"outcome": outcome, "outcome_reason": reason}, errors


def can_decide_appeal(
    moderator_id: int, decided_by: int, appellant_id: int, author_id: int | None, reporter_ids: Iterable[int]
) -> bool:
    """Someone else decides an appeal: not the moderator who made the decision, not the person
    appealing, not the content's author and not anyone who reported it."""
    return moderator_id not in {decided_by, appellant_id, author_id} and moderator_id not in set(reporter_ids)


def overturned_action(decision_action: str, role: str) -> str:
    """What overturning does: hidden content (or a note on kept content, appealed by its author) is
    made visible without a note ("keep"); kept content appealed by a reporter is hidden ("hide")."""
    if role == "reporter":
        return "hide"
    return "keep"


def hide_reason(report_reasons: Iterable[str]) -> str:
    """The guideline to hide under when a reporter's appeal succeeds: the one they reported under."""
    for reason in report_reasons:
        if reason in REASONS:
            return reason
    return ""
