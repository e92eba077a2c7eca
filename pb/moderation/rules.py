"""Moderation rules: pure functions of plain data, no I/O.

The reasons are the community guidelines (pages/guidelines.html): content that is unlawful or
harms people. Criticism is protected and is never a reason. Each validator returns
(cleaned values, errors) where errors maps a field name to a message id; templates translate it.
"""

from __future__ import annotations

from collections.abc import Iterable

from pb.i18n import N_
from pb.text import clean_field

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
    # Without invisible formatting (bidi controls, zero-width spaces): see pb.text.
    return clean_field(form.get(name, ""))


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


FACTS_MAX = 2000
NOTE_MAX = 1000


def validate_decision(form: dict, page_language: str = "en") -> tuple[dict, Errors]:
    """A moderator's decision as a statement of reasons: the visibility (hide, keep, or keep with a
    public note, which then needs its text and says its language, the page's by default), the ground (unlawful, naming the law; against the
    guidelines, naming the clause; or none, only when keeping), the facts relied on and an
    explanation for the author (both required)."""
    action = _text(form, "action")
    ground = _text(form, "ground")
    law = _text(form, "law")
    reason = _text(form, "reason")
    facts = _text(form, "facts")
    explanation = _text(form, "explanation")
    public_note = _text(form, "public_note")
    note_language = form.get("note_language")
    errors: Errors = {}
    if action not in ACTIONS:
        errors["action"] = N_("Choose whether to hide the content or keep it visible")
    if ground not in GROUNDS:
        errors["ground"] = N_("Choose the ground for your decision")
    elif ground == "none" and action == "hide":
        errors["ground"] = N_("Content can only be hidden if it is unlawful or against the community guidelines")
    if ground == "unlawful" and law not in LAWS:
        errors["law"] = N_("Choose the law it breaks")
    elif ground != "unlawful":
        law = ""
    if ground == "guidelines" and not reason:
        errors["reason"] = N_("Choose the guideline it breaks")
    elif reason and reason not in REASONS:
        errors["reason"] = N_("Choose a guideline from the list")
    if not facts:
        errors["facts"] = N_("Describe the facts you relied on")
    elif len(facts) > FACTS_MAX:
        errors["facts"] = N_("Facts must be 2,000 characters or fewer")
    if not explanation:
        errors["explanation"] = N_("Explain your decision")
    elif len(explanation) > EXPLANATION_MAX:
        errors["explanation"] = N_("Explanation must be 1,000 characters or fewer")
    if action == "note" and not public_note:
        errors["public_note"] = N_("Write the note to show beside the content")
    elif len(public_note) > NOTE_MAX:
        errors["public_note"] = N_("The note must be 1,000 characters or fewer")
    if action != "note":
        public_note = ""
    values = {
        "action": action,
        "ground": ground,
        "law": law,
        "reason": reason,
        "facts": facts,
        "explanation": explanation,
        "public_note": public_note,
        "note_language": (note_language if note_language in ("cy", "en") else page_language) if public_note else "",
    }
    return values, errors


def statement_ok(action: str, ground: str, law: str, reason: str, facts: str, explanation: str, public_note: str) -> bool:
    """Whether a statement of reasons is complete and consistent (what validate_decision accepts)."""
    _, errors = validate_decision(
        {
            "action": action,
            "ground": ground,
            "law": law,
            "reason": reason,
            "facts": facts,
            "explanation": explanation,
            "public_note": public_note,
        }
    )
    return not errors


def is_automated(hidden_reason: str) -> bool:
    """An item held by the council's watch list was hidden by an automated check before any person saw it."""
    return hidden_reason == HELD


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
