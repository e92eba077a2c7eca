"""The tracker's rules: delivery status changes, progress roll-up and the loop-closure figures.
Pure functions of plain values, tested directly."""

from __future__ import annotations

from datetime import datetime
from statistics import median
from typing import Any, Literal, TypeGuard

from pb.fields import is_digits
from pb.i18n import N_
from pb.proposals import rules as proposal_rules
from pb.text import clean_field

EFFECTS = {
    "adopted": N_("Adopted"),
    "adapted": N_("Adapted"),
    "not_taken_forward": N_("Not taken forward"),
}
EFFECT_TAGS = {"adopted": "govuk-tag--green", "adapted": "govuk-tag--turquoise", "not_taken_forward": "govuk-tag--orange"}

DeliveryStatus = Literal["not_started", "in_progress", "paused", "delivered", "cancelled"]
DELIVERY_STATUSES: dict[DeliveryStatus, str] = {
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "paused": N_("Paused"),
    "delivered": N_("Delivered"),
    "cancelled": N_("Cancelled"),
}
DELIVERY_TAGS: dict[DeliveryStatus, str] = {
    "not_started": "govuk-tag--grey",
    "in_progress": "govuk-tag--blue",
    "paused": "govuk-tag--yellow",
    "delivered": "govuk-tag--green",
    "cancelled": "govuk-tag--red",
}

DELIVERY_MOVES: dict[DeliveryStatus, set[DeliveryStatus]] = {
    "not_started": {"in_progress", "cancelled"},
    "in_progress": {"paused", "delivered", "cancelled"},
    "paused": {"in_progress", "cancelled"},
    "delivered": {"in_progress"},  # reopened, for example when a snag is found
    "cancelled": set(),
}

INPUT_KINDS = ("proposal", "comment", "session_outcome")

# The seven well-being goals of the Well-being of Future Generations (Wales) Act 2015, by the key a
# decision stores (Decision.wellbeing_goals, comma-separated), with their official names.
WELLBEING_GOALS = proposal_rules.WELLBEING_GOALS  # the same keys as the proposals' themes
# The impact assessment's summaries: optional, bilingual, each at most IMPACT_MAX characters.
IMPACT_FIELDS = (
    "impact_protected_en",
    "impact_protected_cy",
    "impact_welsh_en",
    "impact_welsh_cy",
    "impact_socioeconomic_en",
    "impact_socioeconomic_cy",
)
IMPACT_MAX = 5_000


def goals_of(stored: str) -> list[str]:
    """The well-being goal keys of a stored comma-separated list, in the Act's order; unknown keys dropped."""
    keys = {key.strip() for key in (stored or "").split(",")}
    return [key for key in WELLBEING_GOALS if key in keys]


def impact_of(row: dict) -> tuple:
    """A decision's impact assessment (its summaries and goals), comparable between versions; a
    revision saved before decisions had one has none."""
    return (*((row.get(name) or "") for name in IMPACT_FIELDS), tuple(goals_of(row.get("wellbeing_goals") or "")))


def has_impact(row: dict) -> bool:
    """Whether any part of a decision's impact assessment is filled in."""
    return any((row.get(name) or "").strip() for name in IMPACT_FIELDS) or bool(goals_of(row.get("wellbeing_goals") or ""))


def is_delivery_status(text: object) -> TypeGuard[DeliveryStatus]:
    return text in DELIVERY_STATUSES


def can_move_delivery(current: str, target: str) -> bool:
    return is_delivery_status(current) and (current == target or target in DELIVERY_MOVES[current])


def check_delivery_change(current: str, target: str, progress: int, reason_en: str, reason_cy: str) -> dict[str, str]:
    """Errors (message ids) for a delivery status change."""
    errors = {}
    if target not in DELIVERY_STATUSES:
        errors["status"] = N_("Choose a status")
    elif not can_move_delivery(current, target):
        errors["status"] = N_("A delivery cannot move to that status from where it is")
    if not 0 <= progress <= 100:
        errors["progress"] = N_("Progress must be a whole number from 0 to 100")
    if target == "cancelled" and not (reason_en and reason_cy):
        errors["cancel_reason_en" if not reason_en else "cancel_reason_cy"] = N_(
            "Give the public reason for cancelling, in Welsh and English"
        )
    if target == "delivered" and progress != 100:
        errors["progress"] = N_("A delivered project is 100%% complete")
    return errors


def rolled_up_progress(own: int, parts: list[tuple[int, int]]) -> int:
    """A parent's progress from its parts, weighted by their allocated money (or equally when none
    has money); a parent without parts keeps its own figure. `parts` are (progress, allocated)."""
    if not parts:
        return own
    total = sum(allocated for _, allocated in parts)
    if total == 0:
        return round(sum(progress for progress, _ in parts) / len(parts))
    return round(sum(progress * allocated for progress, allocated in parts) / total)


def loop_closure(inputs: list[dict], now: datetime, longest: int = 5) -> dict:
    """How well the loop is closed. Each input has `received_at` and `responded_at` (the first
    published decision that answered it, or None). Returns the share answered, the median days to
    a response, and the inputs waiting longest."""
    answered = [item for item in inputs if item["responded_at"] is not None]
    waiting = sorted((item for item in inputs if item["responded_at"] is None), key=lambda item: item["received_at"])
    return loop_closure_of(len(inputs), answered, waiting[:longest], now)


def loop_closure_of(total: int, answered: list[dict], waiting_longest: list[dict], now: datetime) -> dict:
    """The loop-closure figures from how many inputs there are, the answered ones, and the ones
    waiting longest (oldest first): what the database counts and reads (see queries.loop_figures)."""
    waits = [(item["responded_at"] - item["received_at"]).total_seconds() / 86400 for item in answered]
    return {
        "total": total,
        "answered": len(answered),
        "percent": round(100 * len(answered) / total) if total else None,
        "median_days": round(median(waits), 1) if waits else None,
        "waiting_longest": [{**item, "days": (now - item["received_at"]).days} for item in waiting_longest],
    }


def validate_decision(form: dict, goals: list[str] | None = None) -> tuple[dict, dict[str, str]]:
    """Check the decision form. `goals` are the ticked well-being goal keys (the form's repeated
    `wellbeing_goals` field); a key not among the seven is refused beside the field."""
    from datetime import date

    def text(name: str) -> str:
        return clean_field(form.get(name, ""))  # without invisible formatting (pb.text)

    values: dict[str, Any] = {
        name: text(name)
        for name in (
            "title_en",
            "title_cy",
            "body_en",
            "body_cy",
            "why_en",
            "why_cy",
            "decided_by_en",
            "decided_by_cy",
            "minutes_url",
            *IMPACT_FIELDS,
        )
    }
    errors: dict[str, str] = {}
    for name, message in (
        ("title_en", N_("Enter the decision's title in English")),
        ("title_cy", N_("Enter the decision's title in Welsh")),
        ("body_en", N_("Say what was decided, in English")),
        ("body_cy", N_("Say what was decided, in Welsh")),
        ("why_en", N_("Say why, in English")),
        ("why_cy", N_("Say why, in Welsh")),
        ("decided_by_en", N_("Say who decided, in English")),
        ("decided_by_cy", N_("Say who decided, in Welsh")),
    ):
        if not values[name]:
            errors[name] = message
    for name in ("title_en", "title_cy", "decided_by_en", "decided_by_cy"):
        if len(values[name]) > 200:
            errors[name] = N_("This must be 200 characters or fewer")
    for name in ("body_en", "body_cy", "why_en", "why_cy"):
        if len(values[name]) > 10_000:
            errors[name] = N_("This must be 10,000 characters or fewer")
    for name in IMPACT_FIELDS:
        if len(values[name]) > IMPACT_MAX:
            errors[name] = N_("This must be 5,000 characters or fewer")
    ticked = [clean_field(goal) for goal in (goals or [])]
    if any(goal not in WELLBEING_GOALS for goal in ticked):
        errors["wellbeing_goals"] = N_("Choose well-being goals from the list")
    values["wellbeing_goals"] = ",".join(goal for goal in WELLBEING_GOALS if goal in ticked)
    url = values["minutes_url"]
    if url and (not url.startswith(("https://", "http://")) or len(url) > 500 or any(c in url for c in ' "<>')):
        errors["minutes_url"] = N_("Enter a web address starting with https://")
    try:
        values["decided_on"] = date.fromisoformat(text("decided_on"))
    except ValueError:
        errors["decided_on"] = N_("Enter a real date, like 2027-03-12")
        values["decided_on"] = None
    return values, errors


def validate_link(form: dict) -> tuple[dict, dict[str, str]]:
    """A link from a decision to the input it answers: the input chosen from the search results
    (sent as "kind:id"), how it shaped the decision, and why when it was not simply adopted."""

    def text(name: str) -> str:
        return clean_field(form.get(name, ""))  # without invisible formatting (pb.text)

    kind, _, raw_id = text("input").partition(":")
    values: dict[str, Any] = {
        "input_kind": kind,
        "input_id": int(raw_id) if is_digits(raw_id) and len(raw_id) < 10 else None,
        "effect": text("effect"),
        "explanation_en": text("explanation_en"),
        "explanation_cy": text("explanation_cy"),
    }
    errors: dict[str, str] = {}
    if values["input_kind"] not in INPUT_KINDS or values["input_id"] is None:
        errors["input"] = N_("Choose the community input this decision answers")
    if values["effect"] not in EFFECTS:
        errors["effect"] = N_("Choose how the input shaped the decision")
    elif values["effect"] != "adopted":
        if not values["explanation_en"]:
            errors["explanation_en"] = N_("Explain in English what changed and why")
        if not values["explanation_cy"]:
            errors["explanation_cy"] = N_("Explain in Welsh what changed and why")
    return values, errors


# Feedback on the feedback: did the council's response answer the person who gave the input?
ANSWERS = {  # own wording, not a bare "Yes": Welsh answers a past-tense question with "Do"/"Naddo"
    "yes": N_("Yes, it did"),
    "partly": N_("Partly"),
    "no": N_("No, it did not"),
}
FEEDBACK_COMMENT_MAX = 1000


def validate_feedback(form: dict) -> tuple[dict, dict[str, str]]:
    answer = form.get("answer", "")
    comment = form.get("comment", "")
    answer = answer.strip() if isinstance(answer, str) else ""
    comment = clean_field(comment)
    errors: dict[str, str] = {}
    if answer not in ANSWERS:
        errors["answer"] = N_("Choose yes, partly or no")
    if len(comment) > FEEDBACK_COMMENT_MAX:
        errors["comment"] = N_("Your comment must be 1,000 characters or fewer")
    return {"answer": answer, "comment": comment}, errors


def may_give_feedback(user_id: int, gave_the_input: int | None, follower_ids: set[int]) -> bool:
    """The person who gave the input, or someone following it (its proposal or the round)."""
    return user_id == gave_the_input or user_id in follower_ids


def feedback_figures(counts: dict[str, int]) -> dict[str, Any] | None:
    """The share of answers saying the response answered them (yes), partly, or not; None before any.
    Shares are whole percents of all answers, so the three may not add up to exactly 100."""
    total = sum(counts.get(answer, 0) for answer in ANSWERS)
    if not total:
        return None
    return {"answers": total, **{f"{answer}_percent": round(100 * counts.get(answer, 0) / total) for answer in ANSWERS}}
