"""Moderation rules: pure functions of plain data, no I/O.

The reasons are the community guidelines (pages/guidelines.html): content that is unlawful or
harms people. Criticism is protected and is never a reason. Each validator returns
(cleaned values, errors) where errors maps a field name to a message id; templates translate it.
"""

from __future__ import annotations

from collections.abc import Iterable

from pb.i18n import N_

REASONS: dict[str, str] = {
    "threats": N_("Threats of violence"),
    "hate": N_("Hate aimed at a protected characteristic"),
    "harassment": N_("Harassment or bullying"),
    "personal_data": N_("Someone's personal information"),
    "misinformation": N_("False information presented as fact that could cause harm"),
    "spam": N_("Spam or advertising"),
    "off_topic": N_("Off topic: not about this proposal or the round"),
}

# The grounds of a decision (the EU Digital Services Act's statement of reasons): the content is
# unlawful (under one of LAWS), or it breaks a community guideline (REASONS), or neither (kept).
GROUNDS: dict[str, str] = {
    "unlawful": N_("Unlawful content"),
    "guidelines": N_("Against the community guidelines"),
    "none": N_("No breach found"),
}

# The laws the Welsh Government's community cohesion guidance names for hate, harassment and
# harmful communication.
LAWS: dict[str, str] = {
    "public_order_1986": N_("Public Order Act 1986 (stirring up hatred)"),
    "crime_disorder_1998": N_("Crime and Disorder Act 1998 (racially or religiously aggravated offences)"),
    "malicious_communications_1988": N_("Malicious Communications Act 1988"),
    "communications_2003": N_("Communications Act 2003, section 127"),
    "harassment_1997": N_("Protection from Harassment Act 1997"),
    "terrorism_2006": N_("Terrorism Act 2006 (encouragement of terrorism)"),
    "online_safety_2023": N_("Online Safety Act 2023 (false and threatening communications)"),
}

# A new item the council's watch list held for a moderator is hidden under this reason until decided.
HELD = "held"

# An appeal may be made this many days after the decision, once per person per decision.
APPEAL_DAYS = 14

KINDS = ("proposal", "comment")

ACTIONS: dict[str, str] = {
    "hide": N_("Hide it"),
    "keep": N_("Keep it visible"),
    "note": N_("Keep it visible with a note from the moderators"),
}

DETAILS_MAX = 1000
EXPLANATION_MAX = 1000

Errors = dict[str, str]


def _text(form: dict, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def is_kind(kind: str) -> bool:
    return kind in KINDS


def validate_report(form: dict) -> tuple[dict, Errors]:
    """A report: which guideline the content breaks (required) and optional details."""
    reason = _text(form, "reason")
    details = _text(form, "details")
    errors: Errors = {}
    if reason not in REASONS:
        errors["reason"] = N_("Choose the guideline you think it breaks")
    if len(details) > DETAILS_MAX:
        errors["details"] = N_("Details must be 1,000 characters or fewer")
    return {"reason": reason, "details": details}, errors


def validate_decision(form: dict) -> tuple[dict, Errors]:
    """A moderator's decision: hide or keep, the guideline (required when hiding; when keeping, the
    guideline that was considered, if any) and an explanation for the author (required)."""
    action = _text(form, "action")
    reason = _text(form, "reason")
    explanation = _text(form, "explanation")
    errors: Errors = {}
    if action not in ACTIONS:
        errors["action"] = N_("Choose whether to hide the content or keep it visible")
    if action == "hide" and not reason:
        errors["reason"] = N_("Choose the guideline it breaks")
    elif reason and reason not in REASONS:
        errors["reason"] = N_("Choose a guideline from the list")
    if not explanation:
        errors["explanation"] = N_("Explain your decision")
    elif len(explanation) > EXPLANATION_MAX:
        errors["explanation"] = N_("Explanation must be 1,000 characters or fewer")
    return {"action": action, "reason": reason, "explanation": explanation}, errors


def can_decide(moderator_id: int, reporter_ids: Iterable[int], author_id: int | None) -> bool:
    """A moderator may not decide on their own content, nor on an item they reported."""
    return moderator_id != author_id and moderator_id not in set(reporter_ids)


def most_reported(reasons: Iterable[str]) -> str:
    """The reason given most often (the first given among equals), or "" when there is none."""
    counts: dict[str, int] = {}
    for reason in reasons:
        if reason in REASONS:
            counts[reason] = counts.get(reason, 0) + 1
    if not counts:
        return ""
    best = max(counts.values())
    return next(reason for reason, count in counts.items() if count == best)
